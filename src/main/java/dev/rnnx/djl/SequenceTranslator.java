package dev.rnnx.djl;

import dev.rnnx.spec.InvalidInputException;
import dev.rnnx.spec.InvalidInputException.Problem;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.Tensor;
import dev.rnnx.spec.TensorSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A task translator over a sequential model's one sequence: {@code input} gets a batch axis,
 * {@code lengths} (when the model reads it) is the sequence's length, and any initial-state input
 * is zero, as in training.
 *
 * @param <O> the answer
 */
public abstract class SequenceTranslator<O> extends TaskTranslator<Sequence, O> {

  private final Sequential spec;

  /**
   * @param tensors the model's tensor translator
   * @param spec the model
   */
  protected SequenceTranslator(TensorTranslator tensors, Sequential spec) {
    super(tensors);
    this.spec = spec;
  }

  /** The model. */
  public Sequential spec() {
    return spec;
  }

  @Override
  public Map<String, Tensor> encode(Sequence sequence) {
    if (sequence == null) {
      throw new InvalidInputException(Problem.NAME, Sequential.INPUT, "the sequence is null");
    }
    Map<String, Tensor> in = new LinkedHashMap<>();
    Tensor v = sequence.values();
    if (spec.input().tokens() != sequence.tokens()) {
      throw new InvalidInputException(Problem.DTYPE, Sequential.INPUT, "model '" + spec.name() + "' reads "
          + (spec.input().tokens() ? "token ids [time]" : "float features [time, " + spec.inputFeatures() + "]")
          + ", got " + (sequence.tokens() ? "token ids " : "float features ") + v.shapeString());
    }
    long time = sequence.length();
    if (v instanceof FloatTensor f) {
      in.put(Sequential.INPUT, new FloatTensor(new long[] {1, time, f.dim(1)}, f.data()));
    } else {
      in.put(Sequential.INPUT, new LongTensor(new long[] {1, time}, ((LongTensor) v).data()));
    }
    for (TensorSpec s : spec.inputs()) {
      if (s.name().equals(Sequential.LENGTHS)) {
        in.put(s.name(), LongTensor.of(new long[] {time}, 1));
      } else if (!s.name().equals(Sequential.INPUT)) {
        in.put(s.name(), FloatTensor.zeros(1, s.shape().dim(1)));
      }
    }
    return in;
  }

  /** The model's {@code output} for the example, without its batch axis. */
  protected static FloatTensor output(Map<String, FloatTensor> outputs) {
    FloatTensor out = outputs.get("output");
    long[] shape = out.shape();
    long[] inner = java.util.Arrays.copyOfRange(shape, 1, shape.length);
    return new FloatTensor(inner, out.data());
  }
}
