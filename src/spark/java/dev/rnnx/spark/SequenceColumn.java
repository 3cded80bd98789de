package dev.rnnx.spark;

import dev.rnnx.djl.Sequence;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Sequential;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * The column of a {@code Dataset<Row>} that holds one sequence per row, read into a {@link
 * Sequence}, and the output column written back. A float model reads {@code array<array<number>>}
 * ({@code [time][features]}) or, for one feature, {@code array<number>} ({@code [time]}); a token
 * model reads {@code array<integer>}. Every refusal names the row and the column: a value of the
 * wrong type or shape fails the job at its row, not at a later engine call.
 *
 * @param column the input column's name
 * @param features the model's features per step (float models)
 * @param tokens whether the model reads token ids
 */
record SequenceColumn(String column, int features, boolean tokens) implements Serializable {

  /** The input column of a sequential model. */
  static SequenceColumn of(String column, Sequential spec) {
    return new SequenceColumn(column, spec.inputFeatures(), spec.input().tokens());
  }

  /** What the column must hold, for messages. */
  String expected() {
    if (tokens) {
      return "an array of token ids (array<int> or array<bigint>)";
    }
    return "an array of steps of " + features + " number" + (features == 1 ? "" : "s")
        + " (array<array<float>>" + (features == 1 ? ", or array<float> for one feature" : "") + ")";
  }

  /**
   * Reads a row's value.
   *
   * @param row names the row in messages
   * @throws IllegalArgumentException naming the row and column, for a value of the wrong type or shape
   */
  Sequence read(Object value, String row) {
    if (value == null) {
      throw refuse(row, "is null, expected " + expected());
    }
    List<?> steps = list(value, row, "");
    if (steps.isEmpty()) {
      throw refuse(row, "is an empty sequence, expected at least one step");
    }
    if (tokens) {
      long[] ids = new long[steps.size()];
      for (int t = 0; t < ids.length; t++) {
        Object v = steps.get(t);
        if (!(v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte)) {
          throw refuse(row, "holds " + describe(v) + " at step " + t + ", expected " + expected());
        }
        ids[t] = ((Number) v).longValue();
      }
      return Sequence.ofTokens(ids);
    }
    float[] data = new float[Math.multiplyExact(steps.size(), features)];
    for (int t = 0; t < steps.size(); t++) {
      Object step = steps.get(t);
      if (features == 1 && step instanceof Number n) {
        data[t] = number(n, row, t);
        continue;
      }
      List<?> values = list(step, row, " at step " + t);
      if (values.size() != features) {
        throw refuse(row, "has " + values.size() + " features at step " + t + ", expected " + features);
      }
      for (int f = 0; f < features; f++) {
        Object v = values.get(f);
        if (!(v instanceof Number n)) {
          throw refuse(row, "holds " + describe(v) + " at step " + t + ", expected " + expected());
        }
        data[t * features + f] = number(n, row, t);
      }
    }
    return new Sequence(FloatTensor.of(data, steps.size(), features));
  }

  private float number(Number n, String row, int t) {
    if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte
        || n instanceof Float || n instanceof Double) {
      float f = n.floatValue();
      if (!Float.isFinite(f)) {
        throw refuse(row, "holds " + n + " at step " + t + ", expected finite numbers");
      }
      return f;
    }
    throw refuse(row, "holds " + describe(n) + " at step " + t + ", expected " + expected());
  }

  private List<?> list(Object value, String row, String where) {
    if (value instanceof scala.collection.Seq<?> seq) {
      return scala.collection.JavaConverters.seqAsJavaList(seq);
    }
    if (value instanceof List<?> l) {
      return l;
    }
    throw refuse(row, "holds " + describe(value) + where + ", expected " + expected());
  }

  private static String describe(Object v) {
    if (v == null) {
      return "null";
    }
    String s = String.valueOf(v);
    s = s.length() > 40 ? s.substring(0, 40) + "…" : s;
    return "a " + v.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT) + " (" + s + ")";
  }

  IllegalArgumentException refuse(String row, String what) {
    return new IllegalArgumentException(row + ": column '" + column + "' " + what);
  }

  /** The Spark type of an output of the given shape without the batch axis: one array level per axis. */
  static DataType outputType(int rank) {
    DataType t = DataTypes.FloatType;
    for (int i = 0; i < rank; i++) {
      t = new ArrayType(t, false);
    }
    return t;
  }

  /** An output tensor as the value of its column ({@link #outputType}): nested float arrays. */
  static Object outputValue(FloatTensor out) {
    long[] shape = out.shape();
    if (shape.length == 1) {
      return out.data().clone();
    }
    if (shape.length == 2) {
      int rows = Math.toIntExact(shape[0]);
      int cols = Math.toIntExact(shape[1]);
      float[][] v = new float[rows][];
      for (int i = 0; i < rows; i++) {
        v[i] = Arrays.copyOfRange(out.data(), i * cols, (i + 1) * cols);
      }
      return v;
    }
    throw new IllegalStateException("an output of rank " + shape.length + " has no column type here");
  }
}
