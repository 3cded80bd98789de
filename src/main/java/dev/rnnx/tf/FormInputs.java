package dev.rnnx.tf;

import dev.rnnx.spec.DType;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.Shape;
import dev.rnnx.spec.Tensor;
import dev.rnnx.spec.TensorSpec;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a form's named inputs before anything native runs: names, types (int32 and int64 inputs
 * as {@link LongTensor}, floats as {@link FloatTensor}), ranks, the static sizes the form declares,
 * non-empty axes, finite floats, one batch size; then the model's own {@link Check} (token ids in
 * the vocabulary, lengths, limits). Every problem found is listed in one message.
 */
final class FormInputs {

  /** A model's checks of a form's inputs, after the generic ones; throws {@link IllegalArgumentException}. */
  @FunctionalInterface
  interface Check {
    void check(Map<String, ? extends Tensor> inputs);
  }

  private FormInputs() {}

  /** The generic checks. */
  static void check(String model, ModelForm form, Map<String, ? extends Tensor> inputs) {
    List<String> problems = new ArrayList<>();
    Set<String> expected = new LinkedHashSet<>();
    form.inputs().forEach(s -> expected.add(s.name()));
    if (inputs == null) {
      throw new IllegalArgumentException("form '" + form.name() + "' of model '" + model + "' got no inputs, expected " + expected);
    }
    for (String name : inputs.keySet()) {
      if (!expected.contains(name)) {
        problems.add("unknown input '" + name + "', expected " + expected);
      }
    }
    for (String name : expected) {
      if (inputs.get(name) == null) {
        problems.add("input '" + name + "' is missing, expected " + expected);
      }
    }
    fail(form, problems);
    long batch = -1;
    for (TensorSpec spec : form.inputs()) {
      Tensor t = inputs.get(spec.name());
      boolean integer = spec.dtype() != DType.FLOAT32;
      Shape want = spec.shape();
      if (integer != (t instanceof LongTensor) || t.rank() != want.rank()) {
        problems.add("input '" + spec.name() + "' must be " + describe(spec) + ", got " + describe(t));
        continue;
      }
      for (int axis = 0; axis < want.rank(); axis++) {
        if (want.dim(axis) != Shape.DYNAMIC && t.dim(axis) != want.dim(axis)) {
          problems.add("input '" + spec.name() + "' must be " + describe(spec) + ", got " + describe(t));
          break;
        }
        if (t.dim(axis) == 0) {
          problems.add("input '" + spec.name() + "' has an empty axis " + axis + ": " + t.shapeString());
          break;
        }
      }
      if (want.rank() > 0 && want.dim(0) == Shape.DYNAMIC && t.rank() > 0) {
        if (batch < 0) {
          batch = t.dim(0);
        } else if (t.dim(0) != batch) {
          problems.add("input '" + spec.name() + "' holds " + t.dim(0) + " rows, the other inputs " + batch);
        }
      }
      if (t instanceof FloatTensor f) {
        int i = f.firstNonFinite();
        if (i >= 0) {
          problems.add("input '" + spec.name() + "' holds " + f.data()[i] + " at flat index " + i + ", expected finite values");
        }
      }
    }
    fail(form, problems);
  }

  private static void fail(ModelForm form, List<String> problems) {
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("form '" + form.name() + "': " + String.join("; ", problems));
    }
  }

  /** Token ids of input {@code name} in 0 … vocabulary−1. */
  static void ids(List<String> problems, Map<String, ? extends Tensor> inputs, String name, long vocabulary) {
    long[] ids = ((LongTensor) inputs.get(name)).data();
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] < 0 || ids[i] >= vocabulary) {
        problems.add("input '" + name + "' holds token id " + ids[i] + " at flat index " + i + ", expected 0 … " + (vocabulary - 1));
        return;
      }
    }
  }

  /** Lengths of input {@code name} in 1 … max. */
  static void lengths(List<String> problems, Map<String, ? extends Tensor> inputs, String name, long max, String what) {
    long[] l = ((LongTensor) inputs.get(name)).data();
    for (int i = 0; i < l.length; i++) {
      if (l[i] < 1 || l[i] > max) {
        problems.add("input '" + name + "' holds " + l[i] + " for sequence " + i + ", expected 1 … " + max + " (" + what + ")");
        return;
      }
    }
  }

  /** Axis 1 of input {@code name} at most {@code max}. */
  static void atMost(List<String> problems, Map<String, ? extends Tensor> inputs, String name, long max, String limit) {
    long steps = inputs.get(name).dim(1);
    if (steps > max) {
      problems.add("input '" + name + "' has " + steps + " steps, more than " + limit + " " + max);
    }
  }

  /** Throws one message for every problem, naming the form. */
  static void throwIfAny(String form, List<String> problems) {
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("form '" + form + "': " + String.join("; ", problems));
    }
  }

  private static String describe(TensorSpec spec) {
    return spec.dtype().name().toLowerCase(java.util.Locale.ROOT) + " " + spec.shape();
  }

  private static String describe(Tensor t) {
    return (t instanceof FloatTensor ? "float32 " : "integers ") + t.shapeString();
  }
}
