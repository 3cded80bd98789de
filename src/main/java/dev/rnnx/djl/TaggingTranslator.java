package dev.rnnx.djl;

import ai.djl.modality.Classifications;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Sequential;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Sequence tagging: a sequence in, the classes of each of its steps out ({@link Tagging}), from a
 * per-step softmax head (a {@code TimeDistributed} softmax Dense), or a per-step sigmoid unit read
 * as two classes.
 */
public final class TaggingTranslator extends SequenceTranslator<Tagging> {

  private final List<String> classNames;

  TaggingTranslator(TensorTranslator tensors, Sequential spec, List<String> classNames) {
    super(tensors, spec);
    this.classNames = List.copyOf(classNames);
  }

  /** The tag names, by class index. */
  public List<String> classNames() {
    return classNames;
  }

  @Override
  public Tagging decode(Sequence input, Map<String, FloatTensor> outputs) {
    FloatTensor out = output(outputs);
    int units = Math.toIntExact(out.dim(-1));
    List<Classifications> steps = new ArrayList<>(input.length());
    for (int t = 0; t < input.length(); t++) {
      steps.add(ClassificationTranslator.classify(classNames, out.data(), t * units, units));
    }
    return new Tagging(steps);
  }
}
