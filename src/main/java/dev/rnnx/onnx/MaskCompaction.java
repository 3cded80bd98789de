package dev.rnnx.onnx;

import dev.rnnx.spec.Bidirectional;
import dev.rnnx.spec.Layer;
import dev.rnnx.spec.ModelInput;
import java.util.List;

/**
 * Keras masking in ONNX (see {@link dev.rnnx.spec.Sequential}): the unmasked steps of each row move
 * to the front in order, and the row's length, their count, becomes every recurrent node's
 * {@code sequence_lens}, which skips exactly the masked steps (ONNX's {@code sequence_lens} alone
 * only skips trailing steps). Standard ops only, which ONNX Runtime and the pure-Java evaluator
 * both run:
 *
 * <pre>
 * keep     float [B, T]  ReduceMax(Cast(Not(Equal(x, mask_value))), axis 2)   (ids: Cast(Not(Equal(ids, mask_value))))
 * key      [B, T]        Cast(Where(keep, t, t + T), float)   (unmasked steps first, each group in order; keys distinct)
 * order    int64 [B, T]  TopK(key, K = T, axis 1, largest 0).Indices   (opset 11 and later)
 * x'       [B, T, …]     GatherElements(x, Expand(Unsqueeze(order, 2), Shape(x)), axis 1)   (ids: GatherElements(ids, order))
 * lengths  int32 [B]     Cast(count + Cast(Equal(count, 0)))     with count = ReduceSum(keep, axis 1): at least 1
 * kept     float [B, 1]  Unsqueeze(Cast(Not(Equal(count, 0))), 1)   (the consumer's output × kept: zeros for a fully masked row)
 * source   float [B, T]  CumSum(keep, axis 1) + (−1)   (a sequence output y back at the original steps:
 *                        GatherElements(y, Expand(Unsqueeze(Cast(Relu(source)), 2), Shape(y)), axis 1)
 *                        × Unsqueeze(Cast(Greater(source, −0.5)), 2): a masked step repeats the previous
 *                        output, zeros before the first unmasked step)
 * </pre>
 */
final class MaskCompaction {

  private MaskCompaction() {}

  /**
   * Emits the compaction of {@code input} and returns the compacted input's name; the lengths go to
   * {@code lengths} and the kept flags ({@code [B, 1]} float) to {@code kept}.
   *
   * @param time the input's time axis (for T and the positions)
   */
  static String emit(GraphBuilder g, String input, ModelInput spec, TimeAxis time, String lengths, String kept) {
    if (g.opset() < 11) {
      throw new OnnxExportException("a masked model (mask_value " + spec.maskValue() + ") needs opset 11 or later (Range, TopK's"
          + " largest, GatherElements), got opset " + g.opset());
    }
    String n = input + "/mask";
    String equal = n + "/equal";
    String value = spec.tokens() ? g.int64Scalar(n + "/value", (long) spec.maskValue()) : g.floatScalar(n + "/value", (float) spec.maskValue());
    g.node("Equal", n + "/Equal", List.of(input, value), List.of(equal));
    String differs = n + "/differs";
    g.node("Not", n + "/Not", List.of(equal), List.of(differs));
    String keep = n + "/keep";
    if (spec.tokens()) {
      g.node("Cast", n + "/keep_Cast", List.of(differs), List.of(keep), Attributes.integer("to", FLOAT));
    } else {
      String differsFloat = n + "/differs_float";
      g.node("Cast", n + "/differs_Cast", List.of(differs), List.of(differsFloat), Attributes.integer("to", FLOAT));
      g.reduce("ReduceMax", n + "/keep_ReduceMax", differsFloat, keep, false, 2);
    }
    String keepBool = differs;
    if (!spec.tokens()) {
      keepBool = n + "/keep_bool";
      g.node("Cast", n + "/keep_bool_Cast", List.of(keep), List.of(keepBool), Attributes.integer("to", BOOL));
    }
    String shifted = n + "/shifted_positions";
    g.node("Add", n + "/shifted_Add", List.of(time.positions(), time.length()), List.of(shifted));
    String key = n + "/key";
    g.node("Where", n + "/key_Where", List.of(keepBool, time.positions(), shifted), List.of(key));
    String keyFloat = n + "/key_float";
    g.node("Cast", n + "/key_Cast", List.of(key), List.of(keyFloat), Attributes.integer("to", FLOAT));
    String order = n + "/order";
    g.node("TopK", n + "/TopK", List.of(keyFloat, time.lengthVector()), List.of(n + "/order_values", order),
        Attributes.integer("axis", 1), Attributes.integer("largest", 0), Attributes.integer("sorted", 1));
    String indices = order;
    if (!spec.tokens()) {
      String column = n + "/order_column";
      g.unsqueeze(n + "/order_Unsqueeze", order, column, 2);
      String shape = n + "/input_shape";
      g.node("Shape", n + "/input_Shape", List.of(input), List.of(shape));
      indices = n + "/order_expanded";
      g.node("Expand", n + "/order_Expand", List.of(column, shape), List.of(indices));
    }
    String compacted = n + "/compacted";
    g.node("GatherElements", n + "/GatherElements", List.of(input, indices), List.of(compacted), Attributes.integer("axis", 1));
    String count = n + "/count";
    g.reduce("ReduceSum", n + "/count_ReduceSum", keep, count, false, 1);
    String empty = n + "/empty";
    g.node("Equal", n + "/empty_Equal", List.of(count, g.floatScalar(n + "/zero", 0f)), List.of(empty));
    String emptyFloat = n + "/empty_float";
    g.node("Cast", n + "/empty_Cast", List.of(empty), List.of(emptyFloat), Attributes.integer("to", FLOAT));
    String atLeastOne = n + "/count_at_least_one";
    g.node("Add", n + "/count_Add", List.of(count, emptyFloat), List.of(atLeastOne));
    g.node("Cast", n + "/lengths_Cast", List.of(atLeastOne), List.of(lengths), Attributes.integer("to", INT32));
    String nonEmpty = n + "/non_empty";
    g.node("Not", n + "/non_empty_Not", List.of(empty), List.of(nonEmpty));
    String nonEmptyFloat = n + "/non_empty_float";
    g.node("Cast", n + "/non_empty_Cast", List.of(nonEmpty), List.of(nonEmptyFloat), Attributes.integer("to", FLOAT));
    g.unsqueeze(n + "/kept_Unsqueeze", nonEmptyFloat, kept, 1);
    return compacted;
  }

  /**
   * Restores the mask consumer's output {@code output} (of rank {@code rank}) into {@code result}:
   * a sequence back at the original steps, a last output with empty rows zeroed.
   *
   * @param input the model input {@link #emit} compacted
   * @param kept the kept flags {@link #emit} wrote
   */
  static void restore(GraphBuilder g, String input, String kept, String output, String result, int rank) {
    restore(g, input, kept, output, result, rank, null);
  }

  /**
   * Restores the last mask reader's output as Keras gives it (see {@code ref.MaskCompaction#restore}):
   * with {@code ahead = CumSum(keep) + (−1)·keep} (the compacted step of the first unmasked step at or
   * after each step) and {@code count} per row, a {@code go_backwards} sequence (processing order)
   * takes entry j from {@code Relu(count − 1 − q)}, {@code q = GatherElements(ahead, T−1−t)}, where
   * {@code q < count}; a bidirectional sequence (any merge) takes the same gathers (forward, or
   * processing order when {@link Bidirectional#reversed()}) where its step is unmasked
   * ({@code Greater(keep, 0.5)}, {@code keep} reversed likewise), zeros elsewhere: Keras's
   * Bidirectional zeroes masked steps in both halves.
   *
   * @param reader the layer that produced the output, or null for a one-directional forward one
   */
  static void restore(GraphBuilder g, String input, String kept, String output, String result, int rank, Layer reader) {
    restore(g, input, input + "/mask", kept, output, result, rank, reader);
  }

  /**
   * {@link #restore(GraphBuilder, String, String, String, String, int, Layer)} naming what it emits
   * {@code prefix/…}: a graph model restores several readers of one input, each under its own prefix.
   */
  static void restore(GraphBuilder g, String input, String prefix, String kept, String output, String result, int rank,
      Layer reader) {
    String m = input + "/mask";
    String n = prefix;
    if (rank != 3) {
      g.node("Mul", n + "/restore_Mul", List.of(output, kept), List.of(result));
      return;
    }
    boolean bidirectional = reader instanceof Bidirectional;
    boolean backwards = Bidirectional.reversesTime(reader);
    String cumsum = n + "/cumsum";
    g.node("CumSum", n + "/CumSum", List.of(m + "/keep", g.int64Scalar(n + "/time_axis", 1)), List.of(cumsum));
    String shape = n + "/output_shape";
    g.node("Shape", n + "/output_Shape", List.of(output), List.of(shape));
    String keep = m + "/keep";
    if (!backwards) {
      String source = n + "/source";
      g.node("Add", n + "/source_Add", List.of(cumsum, g.floatScalar(n + "/minus_one", -1f)), List.of(source));
      String clipped = n + "/source_clipped";
      g.node("Relu", n + "/source_Relu", List.of(source), List.of(clipped));
      String seen = n + "/seen";
      g.node("Greater", n + "/seen_Greater", List.of(source, g.floatScalar(n + "/minus_half", -0.5f)), List.of(seen));
      gatherWhere(g, n + "/source", output, clipped, shape, bidirectional ? unmasked(g, n, keep, n + "/keep_unmasked") : seen, result);
      return;
    }
    String ahead = n + "/ahead";
    String negativeKeep = n + "/negative_keep"; // no Sub in the exporter's op table: a + (−1)·b
    g.node("Mul", n + "/negative_keep_Mul", List.of(keep, g.floatScalar(n + "/minus_one_float", -1f)), List.of(negativeKeep));
    g.node("Add", n + "/ahead_Add", List.of(cumsum, negativeKeep), List.of(ahead));
    String countColumn = n + "/count_column";
    g.unsqueeze(n + "/count_Unsqueeze", m + "/count", countColumn, 1);
    TimeAxis time = g.time();
    String last = n + "/last_step";
    String minusOne = g.int64Scalar(n + "/minus_one_int64", -1);
    g.node("Add", n + "/last_step_Add", List.of(time.length(), minusOne), List.of(last));
    String negativePositions = n + "/negative_positions";
    g.node("Mul", n + "/negative_positions_Mul", List.of(time.positions(), minusOne), List.of(negativePositions));
    String reversed = n + "/reversed_positions";
    g.node("Add", n + "/reversed_Add", List.of(last, negativePositions), List.of(reversed));
    String row = n + "/reversed_row";
    g.unsqueeze(n + "/reversed_Unsqueeze", reversed, row, 0);
    String keepShape = n + "/keep_shape";
    g.node("Shape", n + "/keep_Shape", List.of(keep), List.of(keepShape));
    String rows = n + "/reversed_rows";
    g.node("Expand", n + "/reversed_Expand", List.of(row, keepShape), List.of(rows));
    String q = n + "/ahead_reversed";
    g.node("GatherElements", n + "/ahead_GatherElements", List.of(ahead, rows), List.of(q), Attributes.integer("axis", 1));
    String fromEnd = n + "/count_less_one";
    g.node("Add", n + "/count_less_one_Add", List.of(countColumn, n + "/minus_one_float"), List.of(fromEnd));
    String negativeQ = n + "/negative_ahead_reversed";
    g.node("Mul", n + "/negative_ahead_reversed_Mul", List.of(q, n + "/minus_one_float"), List.of(negativeQ));
    String index = n + "/backward_index";
    g.node("Add", n + "/backward_index_Add", List.of(fromEnd, negativeQ), List.of(index));
    String clipped = n + "/backward_index_clipped";
    g.node("Relu", n + "/backward_index_Relu", List.of(index), List.of(clipped));
    String valid;
    if (bidirectional) {
      String keepReversed = n + "/keep_reversed";
      g.node("GatherElements", n + "/keep_GatherElements", List.of(keep, rows), List.of(keepReversed),
          Attributes.integer("axis", 1));
      valid = unmasked(g, n, keepReversed, keepReversed + "_unmasked");
    } else {
      valid = n + "/backward_valid";
      g.node("Less", n + "/backward_Less", List.of(q, countColumn), List.of(valid));
    }
    gatherWhere(g, n + "/backward", output, clipped, shape, valid, result);
  }

  /** {@code Greater(keep, 0.5)}: the unmasked steps as booleans. */
  private static String unmasked(GraphBuilder g, String n, String keep, String flags) {
    g.node("Greater", flags + "_Greater", List.of(keep, g.floatScalar(n + "/one_half", 0.5f)), List.of(flags));
    return flags;
  }

  /** {@code GatherElements(y, Expand(Unsqueeze(Cast(index [B, T] float, int64), 2), Shape(y)), axis 1) × Unsqueeze(Cast(valid), 2)}. */
  private static void gatherWhere(GraphBuilder g, String p, String output, String index, String shape, String valid, String result) {
    String int64 = p + "_int64";
    g.node("Cast", p + "_Cast", List.of(index), List.of(int64), Attributes.integer("to", INT64));
    String column = p + "_column";
    g.unsqueeze(p + "_Unsqueeze", int64, column, 2);
    String indices = p + "_expanded";
    g.node("Expand", p + "_Expand", List.of(column, shape), List.of(indices));
    String gathered = p + "_gathered";
    g.node("GatherElements", p + "_GatherElements", List.of(output, indices), List.of(gathered), Attributes.integer("axis", 1));
    String validFloat = p + "_valid_float";
    g.node("Cast", p + "_valid_Cast", List.of(valid), List.of(validFloat), Attributes.integer("to", FLOAT));
    String validColumn = p + "_valid_column";
    g.unsqueeze(p + "_valid_Unsqueeze", validFloat, validColumn, 2);
    g.node("Mul", p + "_Mul", List.of(gathered, validColumn), List.of(result));
  }

  private static final long INT64 = ai.onnx.proto.OnnxMl.TensorProto.DataType.INT64.getNumber();
  private static final long FLOAT = ai.onnx.proto.OnnxMl.TensorProto.DataType.FLOAT.getNumber();
  private static final long BOOL = ai.onnx.proto.OnnxMl.TensorProto.DataType.BOOL.getNumber();
  private static final long INT32 = ai.onnx.proto.OnnxMl.TensorProto.DataType.INT32.getNumber();
}
