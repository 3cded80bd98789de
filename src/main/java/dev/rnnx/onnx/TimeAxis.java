package dev.rnnx.onnx;

import ai.onnx.proto.OnnxMl;
import java.util.List;

/**
 * One time axis of a graph — the source or target of a seq2seq model, a sequential model's input
 * — with the tensors that attention, pooling and positional encodings need, each emitted once, on
 * first use, into the graph the axis belongs to:
 *
 * <pre>
 * length     int64 scalar T     Gather(Shape(sequence), 1)          sequence: any tensor [B, T, …]
 *            int64 [1]          Unsqueeze(T)
 * positions  int64 [T]          Range(0, T, 1)
 * valid      bool [B, T]        Less(positions, Cast(lengths, int64)[:, None])   (only with lengths)
 * </pre>
 */
final class TimeAxis {

  private final GraphBuilder graph;
  private final String prefix;
  private final String sequence;
  private final String lengths;
  private String length;
  private String lengthVector;
  private String positions;
  private String valid;

  /**
   * @param prefix names the emitted nodes and tensors, e.g. {@code source/time}
   * @param sequence a tensor whose axis 1 is this time axis
   * @param lengths the int32 {@code [B]} lengths in 1 … T, or null when every step is valid
   */
  TimeAxis(GraphBuilder graph, String prefix, String sequence, String lengths) {
    this.graph = graph;
    this.prefix = prefix;
    this.sequence = sequence;
    this.lengths = lengths;
  }

  /** The prefix of its tensors' names. */
  String prefix() {
    return prefix;
  }

  /** Whether sequences may be shorter than T (a lengths tensor exists). */
  boolean padded() {
    return lengths != null;
  }

  /** The int32 lengths, or null. */
  String lengths() {
    return lengths;
  }

  /** T, an int64 scalar. */
  String length() {
    if (length == null) {
      String shape = prefix + "/shape";
      graph.node("Shape", prefix + "/Shape", List.of(sequence), List.of(shape));
      length = prefix + "/length";
      graph.pick(prefix + "/length", shape, length, 0, 1);
    }
    return length;
  }

  /** T as an int64 {@code [1]}, for shapes and Slice ends. */
  String lengthVector() {
    if (lengthVector == null) {
      lengthVector = prefix + "/length_vector";
      graph.unsqueeze(prefix + "/length_Unsqueeze", length(), lengthVector, 0);
    }
    return lengthVector;
  }

  /** 0 … T−1, int64 {@code [T]}. */
  String positions() {
    if (positions == null) {
      positions = prefix + "/positions";
      graph.node("Range", prefix + "/Range", List.of(graph.int64Scalar(prefix + "/zero", 0), length(),
          graph.int64Scalar(prefix + "/one", 1)), List.of(positions));
    }
    return positions;
  }

  /** {@code position < length} per sequence, bool {@code [B, T]}; null without lengths. */
  String valid() {
    if (lengths == null) {
      return null;
    }
    if (valid == null) {
      String lengths64 = prefix + "/lengths_int64";
      graph.node("Cast", prefix + "/lengths_Cast", List.of(lengths), List.of(lengths64),
          Attributes.integer("to", OnnxMl.TensorProto.DataType.INT64.getNumber()));
      String column = prefix + "/lengths_column";
      graph.unsqueeze(prefix + "/lengths_Unsqueeze", lengths64, column, 1);
      valid = prefix + "/valid";
      graph.node("Less", prefix + "/valid_Less", List.of(positions(), column), List.of(valid));
    }
    return valid;
  }
}
