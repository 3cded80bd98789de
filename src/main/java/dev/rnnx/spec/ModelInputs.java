package dev.rnnx.spec;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a set of named inputs against a model's declared inputs, before anything native runs:
 * names, types, ranks, sizes, finite values, token ids inside the vocabulary, and sequence
 * lengths in 1 … T for the right batch. Every backend calls it first.
 */
public final class ModelInputs {

  private ModelInputs() {}

  /**
   * Checks the inputs.
   *
   * @return the batch size and sequence length the inputs agree on
   * @throws IllegalArgumentException listing every problem found
   */
  public static long[] check(Sequential model, Map<String, ? extends Tensor> inputs) {
    List<String> problems = new ArrayList<>();
    List<TensorSpec> specs = model.inputs();
    Set<String> expected = new LinkedHashSet<>();
    specs.forEach(s -> expected.add(s.name()));
    for (String name : inputs.keySet()) {
      if (!expected.contains(name)) {
        problems.add("unknown input '" + name + "', expected " + expected);
      }
    }
    for (String name : expected) {
      if (!inputs.containsKey(name)) {
        problems.add("input '" + name + "' is missing, expected " + expected);
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
    Tensor main = inputs.get(Sequential.INPUT);
    long batch = -1;
    long time = -1;
    if (model.input().tokens()) {
      if (!(main instanceof LongTensor ids) || main.rank() != 2) {
        problems.add("input 'input' must be int64 token ids [batch, time], got " + describe(main));
      } else {
        batch = main.dim(0);
        time = main.dim(1);
        int vocabulary = ((Embedding) model.layers().get(0)).inputDim();
        for (int i = 0; i < ids.data().length; i++) {
          if (ids.data()[i] < 0 || ids.data()[i] >= vocabulary) {
            problems.add("input 'input' holds token id " + ids.data()[i] + " at flat index " + i + ", expected 0 … " + (vocabulary - 1));
            break;
          }
        }
      }
    } else if (!(main instanceof FloatTensor x) || main.rank() != 3 || main.dim(2) != model.inputFeatures()) {
      problems.add("input 'input' must be float32 [batch, time, " + model.inputFeatures() + "], got " + describe(main));
    } else {
      batch = main.dim(0);
      time = main.dim(1);
      checkFinite("input", x, problems);
    }
    if (batch == 0) {
      problems.add("input 'input' has an empty batch, expected at least one sequence");
    }
    if (time == 0) {
      problems.add("input 'input' has an empty sequence, expected at least one time step");
    }
    if (model.input().lengths() && batch > 0 && time > 0) {
      Tensor lengths = inputs.get(Sequential.LENGTHS);
      if (!(lengths instanceof LongTensor l) || lengths.rank() != 1) {
        problems.add("input 'lengths' must be integers [batch], got " + describe(lengths));
      } else if (lengths.dim(0) != batch) {
        problems.add("input 'lengths' has " + lengths.dim(0) + " entries but the batch holds " + batch + " sequences");
      } else {
        for (int i = 0; i < l.data().length; i++) {
          if (l.data()[i] < 1 || l.data()[i] > time) {
            problems.add("input 'lengths' holds " + l.data()[i] + " for sequence " + i + ", expected 1 … " + time
                + " (the padded length)");
            break;
          }
        }
      }
    }
    for (TensorSpec spec : specs.subList(model.input().lengths() ? 2 : 1, specs.size())) {
      Tensor state = inputs.get(spec.name());
      int size = spec.shape().dim(1);
      if (!(state instanceof FloatTensor s) || state.rank() != 2 || state.dim(1) != size || (batch > 0 && state.dim(0) != batch)) {
        problems.add("input '" + spec.name() + "' must be float32 [" + (batch > 0 ? batch : "batch") + ", " + size + "], got "
            + describe(state));
      } else {
        checkFinite(spec.name(), s, problems);
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
    return new long[] {batch, time};
  }

  private static void checkFinite(String name, FloatTensor t, List<String> problems) {
    int i = t.firstNonFinite();
    if (i >= 0) {
      problems.add("input '" + name + "' holds " + t.data()[i] + " at flat index " + i + ", expected finite values");
    }
  }

  private static String describe(Tensor t) {
    if (t == null) {
      return "nothing";
    }
    return (t instanceof FloatTensor ? "float32 " : "int64 ") + t.shapeString();
  }
}
