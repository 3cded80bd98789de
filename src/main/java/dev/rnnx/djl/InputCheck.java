package dev.rnnx.djl;

import dev.rnnx.djl.InvalidInputException.Problem;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.Tensor;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a model's inputs against what the artifact declares, in Java, before any native call:
 * names (listing the expected ones), element type ({@link FloatTensor} for float32 inputs,
 * {@link LongTensor} for int32 and int64 inputs), rank, fixed dimensions, no empty tensor (an empty
 * batch above all), finite floats, integers that fit the declared type, indices inside the table
 * they index (ONNX: a {@code Gather} on an initializer), symbolic dimensions ({@code batch},
 * {@code time}) bound to one size across all inputs, and for rnnx's own names a {@code lengths}
 * input with one entry per sequence of {@code input}, each in {@code 1 … T}. Every refusal is an
 * {@link InvalidInputException} naming its {@link InvalidInputException.Problem}.
 */
final class InputCheck {

  private InputCheck() {}

  /**
   * @throws InvalidInputException naming the first problem and what the model expects
   */
  static void validate(Path source, List<TensorSignature> expected, Map<String, ? extends Tensor> given) {
    List<String> names = expected.stream().map(TensorSignature::name).toList();
    for (Map.Entry<String, ? extends Tensor> e : given.entrySet()) {
      if (!names.contains(e.getKey())) {
        throw new InvalidInputException(Problem.NAME, e.getKey(),
            "unknown input '" + e.getKey() + "' for " + source + "; expected inputs " + names);
      }
      if (e.getValue() == null) {
        throw new InvalidInputException(Problem.NAME, e.getKey(), "input '" + e.getKey() + "' for " + source + " is null");
      }
    }
    Map<String, Binding> bindings = new HashMap<>();
    for (TensorSignature s : expected) {
      Tensor t = given.get(s.name());
      if (t == null) {
        throw new InvalidInputException(Problem.NAME, s.name(),
            "missing input '" + s.name() + "' for " + source + "; expected inputs " + names
                + ", got " + given.keySet());
      }
      checkType(source, s, t);
      checkShape(source, s, t, bindings);
      checkNotEmpty(source, s, t);
      if (t instanceof FloatTensor f) {
        int i = f.firstNonFinite();
        if (i >= 0) {
          throw new InvalidInputException(Problem.NON_FINITE, s.name(),
              "input '" + s.name() + "' holds " + f.data()[i] + " at flat index " + i + "; every input value must be finite");
        }
      } else {
        checkIntegers(source, s, (LongTensor) t);
      }
    }
    checkLengths(given);
  }

  private static void checkType(Path source, TensorSignature s, Tensor t) {
    if (s.isFloat32() && !(t instanceof FloatTensor)) {
      throw new InvalidInputException(Problem.DTYPE, s.name(), "input '" + s.name() + "' of " + source
          + " is float32 in the model, got integers (LongTensor); expected a FloatTensor");
    }
    if (s.isInteger() && !(t instanceof LongTensor)) {
      throw new InvalidInputException(Problem.DTYPE, s.name(), "input '" + s.name() + "' of " + source + " is " + s.elementType()
          + " in the model, got float32 values (FloatTensor); expected integers (LongTensor)");
    }
    if (!s.isFloat32() && !s.isInteger()) {
      throw new InvalidInputException(Problem.DTYPE, s.name(), "input '" + s.name() + "' of " + source + " is " + s.elementType()
          + " in the model; DjlModel feeds float32, int32 and int64 only");
    }
  }

  /** Where a symbolic dimension was first bound. */
  private record Binding(long size, String input, int axis) {}

  private static void checkShape(Path source, TensorSignature s, Tensor t, Map<String, Binding> bindings) {
    if (!s.rankKnown()) {
      return;
    }
    long[] dims = s.dims();
    if (dims.length != t.rank()) {
      throw new InvalidInputException(Problem.RANK, s.name(),
          "input '" + s.name() + "' has shape " + t.shapeString() + " (rank " + t.rank() + ") but "
              + source + " expects rank " + dims.length + ", shape " + s.shapeString());
    }
    for (int i = 0; i < dims.length; i++) {
      if (dims[i] >= 0 && dims[i] != t.dim(i)) {
        throw new InvalidInputException(Problem.SHAPE, s.name(),
            "input '" + s.name() + "' has shape " + t.shapeString() + " but " + source
                + " expects shape " + s.shapeString() + " (dimension " + i + " must be " + dims[i] + ")");
      }
      String symbol = s.dimName(i);
      if (dims[i] < 0 && symbol != null) {
        Binding first = bindings.putIfAbsent(symbol, new Binding(t.dim(i), s.name(), i));
        if (first != null && first.size != t.dim(i)) {
          throw new InvalidInputException(Problem.SHAPE, s.name(),
              "input '" + s.name() + "' has shape " + t.shapeString() + ", so '" + symbol + "' (its dimension " + i
                  + ") would be " + t.dim(i) + ", but input '" + first.input + "' has " + first.size + " there"
                  + " (dimension " + first.axis + "); " + source + " declares them the same size");
        }
      }
    }
  }

  /** No input may be empty: an empty batch or sequence reaches no rnnx model's kernels. */
  private static void checkNotEmpty(Path source, TensorSignature s, Tensor t) {
    if (t.size() > 0) {
      return;
    }
    String what = t.rank() > 0 && t.dim(0) == 0 ? "an empty batch" : "no elements";
    throw new InvalidInputException(Problem.EMPTY, s.name(), "input '" + s.name() + "' has shape " + t.shapeString()
        + ", " + what + "; " + source + " expects at least one element along every axis (shape " + s.shapeString() + ")");
  }

  private static void checkIntegers(Path source, TensorSignature s, LongTensor t) {
    long[] data = t.data();
    boolean int32 = TensorSignature.INT32.equals(s.elementType());
    for (int i = 0; i < data.length; i++) {
      long v = data[i];
      if (int32 && (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE)) {
        throw new InvalidInputException(Problem.OUT_OF_RANGE, s.name(), "input '" + s.name() + "' holds " + v + " at flat index " + i
            + ", which does not fit the model's int32 (" + source + ")");
      }
      if (s.indexLimit() >= 0 && (v < 0 || v >= s.indexLimit())) {
        throw new InvalidInputException(Problem.OUT_OF_RANGE, s.name(), "input '" + s.name() + "' holds " + v + " at flat index " + i
            + ", expected an index 0 … " + (s.indexLimit() - 1) + " into '" + s.indexTable() + "' ("
            + s.indexLimit() + " rows) of " + source);
      }
    }
  }

  /** rnnx's {@code lengths}: one per sequence of {@code input}, each 1 … T. */
  private static void checkLengths(Map<String, ? extends Tensor> given) {
    Tensor input = given.get(Sequential.INPUT);
    if (!(given.get(Sequential.LENGTHS) instanceof LongTensor lengths) || input == null || input.rank() < 2) {
      return;
    }
    if (lengths.rank() != 1 || lengths.dim(0) != input.dim(0)) {
      throw new InvalidInputException(Problem.SHAPE, Sequential.LENGTHS, "input 'lengths' has shape " + lengths.shapeString() + " but input 'input' holds "
          + input.dim(0) + " sequences; expected one length per sequence, shape [" + input.dim(0) + "]");
    }
    long time = input.dim(1);
    long[] l = lengths.data();
    for (int i = 0; i < l.length; i++) {
      if (l[i] < 1 || l[i] > time) {
        throw new InvalidInputException(Problem.OUT_OF_RANGE, Sequential.LENGTHS, "input 'lengths' holds " + l[i] + " for sequence " + i + ", expected 1 … "
            + time + " (the padded length of input 'input')");
      }
    }
  }
}
