package dev.rnnx.djl;

import ai.djl.modality.Classifications;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Sequential;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Classification: a sequence in, DJL {@link Classifications} out: every class name with its
 * probability, as the model's softmax head gives them ({@code best()} is the label). A single
 * sigmoid unit is read as two classes, {@code p(0) = 1 − p}, {@code p(1) = p}.
 */
public final class ClassificationTranslator extends SequenceTranslator<Classifications> {

  private final List<String> classNames;

  ClassificationTranslator(TensorTranslator tensors, Sequential spec, List<String> classNames) {
    super(tensors, spec);
    this.classNames = List.copyOf(classNames);
  }

  /** The class names, by class index. */
  public List<String> classNames() {
    return classNames;
  }

  @Override
  public Classifications decode(Sequence input, Map<String, FloatTensor> outputs) {
    FloatTensor out = output(outputs);
    return classify(classNames, out.data(), 0, Math.toIntExact(out.dim(-1)));
  }

  /**
   * The classes of one row of a head's outputs, {@code units} values from {@code offset}: softmax
   * probabilities, or one sigmoid unit read as two classes.
   */
  static Classifications classify(List<String> names, float[] data, int offset, int units) {
    List<Double> p = new ArrayList<>(names.size());
    if (units == 1) {
      double one = data[offset];
      p.add(1 - one);
      p.add(one);
    } else {
      for (int c = 0; c < units; c++) {
        p.add((double) data[offset + c]);
      }
    }
    return new Classifications(names, p);
  }

  /** Class names {@code "0"} … {@code "n-1"}. */
  static List<String> indexNames(int classes) {
    List<String> names = new ArrayList<>(classes);
    for (int c = 0; c < classes; c++) {
      names.add(Integer.toString(c));
    }
    return names;
  }
}
