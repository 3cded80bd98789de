package dev.rnnx.ref;

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
 * Checks named inputs against a {@link ModelForm} before any computation: names, element types
 * (integer inputs as {@link LongTensor}, float inputs as {@link FloatTensor}), ranks, the fixed
 * dimensions, no empty dimension, finite floats; then the model's own rules through the helpers
 * (shared batch and time axes, ids inside a vocabulary, lengths inside a range). Every problem
 * found is listed in one {@link IllegalArgumentException}.
 */
final class FormInputs {

  private final String model;
  private final ModelForm form;
  private final Map<String, ? extends Tensor> inputs;
  private final List<String> problems = new ArrayList<>();

  private FormInputs(String model, ModelForm form, Map<String, ? extends Tensor> inputs) {
    this.model = model;
    this.form = form;
    this.inputs = inputs;
  }

  /**
   * Checks the structure of the inputs and returns a checker for the model's own rules.
   *
   * @throws IllegalArgumentException listing every structural problem
   */
  static FormInputs check(String model, ModelForm form, Map<String, ? extends Tensor> inputs) {
    FormInputs c = new FormInputs(model, form, inputs);
    c.structure();
    c.done();
    return c;
  }

  private void structure() {
    Set<String> expected = new LinkedHashSet<>();
    form.inputs().forEach(s -> expected.add(s.name()));
    for (String name : inputs.keySet()) {
      if (!expected.contains(name)) {
        problems.add("unknown input '" + name + "', expected " + expected);
      }
    }
    for (TensorSpec spec : form.inputs()) {
      Tensor t = inputs.get(spec.name());
      if (t == null) {
        problems.add("input '" + spec.name() + "' is missing, expected " + expected);
        continue;
      }
      boolean integer = spec.dtype() == DType.INT32 || spec.dtype() == DType.INT64;
      if (integer != (t instanceof LongTensor)) {
        problems.add("input '" + spec.name() + "' must be " + (integer ? "integers" : "float32") + " " + spec.shape() + ", got "
            + describe(t));
        continue;
      }
      Shape shape = spec.shape();
      if (t.rank() != shape.rank()) {
        problems.add("input '" + spec.name() + "' must have rank " + shape.rank() + " " + shape + ", got " + describe(t));
        continue;
      }
      for (int i = 0; i < shape.rank(); i++) {
        if (shape.dim(i) != Shape.DYNAMIC && t.dim(i) != shape.dim(i)) {
          problems.add("input '" + spec.name() + "' must have shape " + shape + ", got " + describe(t));
          break;
        }
        if (t.dim(i) == 0) {
          problems.add("input '" + spec.name() + "' has an empty dimension " + i + ": " + describe(t));
          break;
        }
      }
      if (t instanceof FloatTensor f) {
        for (int i = 0; i < f.data().length; i++) {
          if (!Float.isFinite(f.data()[i])) {
            problems.add("input '" + spec.name() + "' holds " + f.data()[i] + " at flat index " + i + ", expected finite values");
            break;
          }
        }
      }
    }
  }

  /**
   * Checks that the named inputs agree on one axis each ({@code name:axis} pairs), e.g. the batch.
   *
   * @return the shared size, or −1 when they disagree
   */
  long sameSize(String what, String... nameAxis) {
    long size = -1;
    StringBuilder seen = new StringBuilder();
    boolean agree = true;
    for (String na : nameAxis) {
      String[] p = na.split(":");
      long d = inputs.get(p[0]).dim(Integer.parseInt(p[1]));
      seen.append(seen.length() == 0 ? "" : ", ").append(p[0]).append(" ").append(d);
      if (size < 0) {
        size = d;
      } else if (d != size) {
        agree = false;
      }
    }
    if (!agree) {
      problems.add("inputs disagree on the " + what + ": " + seen);
      return -1;
    }
    return size;
  }

  /** Checks that every value of an integer input lies in {@code from … to}. */
  void valuesIn(String name, long from, long to, String what) {
    long[] v = ((LongTensor) inputs.get(name)).data();
    for (int i = 0; i < v.length; i++) {
      if (v[i] < from || v[i] > to) {
        problems.add("input '" + name + "' holds " + what + " " + v[i] + " at flat index " + i + ", expected " + from + " … " + to);
        return;
      }
    }
  }

  /** Records a problem found by the caller. */
  void problem(String message) {
    problems.add(message);
  }

  /**
   * Throws when any problem was found.
   *
   * @throws IllegalArgumentException listing them
   */
  void done() {
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("model '" + model + "', form '" + form.name() + "': " + String.join("; ", problems));
    }
  }

  /** An integer input's values as ints. */
  int[] ints(String name) {
    return ((LongTensor) inputs.get(name)).toIntArray();
  }

  /** An integer input. */
  LongTensor longs(String name) {
    return (LongTensor) inputs.get(name);
  }

  /** A float input widened to double. */
  DoubleTensor doubles(String name) {
    return DoubleTensor.of((FloatTensor) inputs.get(name));
  }

  private static String describe(Tensor t) {
    return (t instanceof FloatTensor ? "float32 " : "int64 ") + t.shapeString();
  }
}
