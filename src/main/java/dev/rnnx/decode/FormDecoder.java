package dev.rnnx.decode;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.RnnDecoder;
import dev.rnnx.spec.Seq2Seq;
import dev.rnnx.spec.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A {@link Decoder} over any backend's {@code decoder_step} form, one source sequence at batch
 * size 1, so that {@link BeamSearch} runs the same algorithm on every backend's step outputs: the
 * reference forms of {@code ref} and the DJL forms of {@code djl} plug in the same way, as a
 * function from named input tensors to named outputs. RNN: the state is the step form's state
 * outputs (float32 tensors), fed back as its state inputs; the memory and source length are fed at
 * every step when the decoder attends. Transformer: the state is the prefix read so far (BOS
 * first), and each step feeds the whole prefix.
 */
public final class FormDecoder implements Decoder<Object> {

  private final Seq2Seq spec;
  private final Function<Map<String, Tensor>, Map<String, FloatTensor>> step;
  private final Map<String, FloatTensor> start;
  private final FloatTensor memory;
  private final LongTensor sourceLength;

  /**
   * @param spec the model
   * @param step the backend's {@code decoder_step} form
   * @param encoderOutputs the {@code encoder} form's outputs for a batch (any backend's)
   * @param b the sequence of that batch to decode
   * @param sourceLength its source length
   */
  public FormDecoder(Seq2Seq spec, Function<Map<String, Tensor>, Map<String, FloatTensor>> step,
      Map<String, FloatTensor> encoderOutputs, int b, long sourceLength) {
    this.spec = spec;
    this.step = step;
    this.memory = row(encoderOutputs.get("memory"), b);
    this.sourceLength = LongTensor.of(new long[] {sourceLength}, 1);
    Map<String, FloatTensor> s = new LinkedHashMap<>();
    if (spec.decoder() instanceof RnnDecoder d) {
      for (String name : d.cell().states()) {
        s.put("state_" + name, row(encoderOutputs.get("state_" + name), b));
      }
    }
    this.start = Map.copyOf(s);
  }

  @Override
  public Object start() {
    return spec.recurrent() ? start : new long[0];
  }

  @Override
  @SuppressWarnings("unchecked")
  public Step<Object> step(Object state, int token) {
    Map<String, Tensor> in = new LinkedHashMap<>();
    if (spec.decoder() instanceof RnnDecoder d) {
      in.put("token", LongTensor.of(new long[] {token}, 1));
      Map<String, FloatTensor> states = (Map<String, FloatTensor>) state;
      in.putAll(states);
      if (d.attends()) {
        in.put("memory", memory);
        in.put("source_lengths", sourceLength);
      }
      Map<String, FloatTensor> out = step.apply(in);
      Map<String, FloatTensor> next = new LinkedHashMap<>();
      for (String name : states.keySet()) {
        next.put(name, out.get("new_" + name));
      }
      return new Step<>(doubles(out.get("log_probs")), next);
    }
    long[] prefix = (long[]) state;
    long[] next = Arrays.copyOf(prefix, prefix.length + 1);
    next[prefix.length] = token;
    in.put("target", LongTensor.of(next, 1, next.length));
    in.put("memory", memory);
    in.put("source_lengths", sourceLength);
    return new Step<>(doubles(step.apply(in).get("log_probs")), next);
  }

  private static double[] doubles(FloatTensor t) {
    double[] d = new double[t.size()];
    for (int i = 0; i < d.length; i++) {
      d[i] = t.data()[i];
    }
    return d;
  }

  private static FloatTensor row(FloatTensor t, int b) {
    long[] shape = t.shape();
    int size = t.size() / (int) shape[0];
    shape[0] = 1;
    return new FloatTensor(shape, Arrays.copyOfRange(t.data(), b * size, (b + 1) * size));
  }
}
