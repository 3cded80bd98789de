package dev.rnnx.decode;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Seq2Seq;
import dev.rnnx.spec.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A {@link Decoder} over any backend's {@code decoder_step} form, one source sequence at batch
 * size 1, so that {@link BeamSearch} runs the same algorithm on every backend's step outputs: the
 * reference forms of {@code ref} and the DJL forms of {@code djl} plug in the same way, as a
 * function from named input tensors to named outputs. RNN: the state is the step form's state
 * outputs (float32 tensors), fed back as its state inputs; the memory and source length are fed at
 * every step when the decoder attends. Transformer: the state is the prefix read so far (BOS
 * first), and each step feeds the whole prefix. One row of {@link BatchFormDecoder#steps}, one
 * call per step.
 */
public final class FormDecoder implements Decoder<Object> {

  private final BatchFormDecoder batch;

  /**
   * @param spec the model
   * @param step the backend's {@code decoder_step} form
   * @param encoderOutputs the {@code encoder} form's outputs for a batch (any backend's)
   * @param b the sequence of that batch to decode
   * @param sourceLength its source length
   */
  public FormDecoder(Seq2Seq spec, Function<Map<String, Tensor>, Map<String, FloatTensor>> step,
      Map<String, FloatTensor> encoderOutputs, int b, long sourceLength) {
    Map<String, FloatTensor> row = new LinkedHashMap<>();
    encoderOutputs.forEach((name, t) -> row.put(name, BatchFormDecoder.gather(t, new int[] {b})));
    this.batch = BatchFormDecoder.steps(spec, step, row, new long[] {sourceLength});
  }

  @Override
  public Object start() {
    return batch.start(0);
  }

  @Override
  public Step<Object> step(Object state, int token) {
    return batch.step(new int[] {0}, List.of(state), new int[] {token}).get(0);
  }
}
