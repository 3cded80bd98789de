package dev.rnnx.onnx;

import java.util.List;

/**
 * Which keys a query may attend to: keys past their sequence's length are masked (when the key
 * axis has lengths), and with {@code causal} keys after the query (query step t sees keys s ≤ t;
 * the two axes are then the same sequence). Query steps past the length are computed like any
 * other. The bool tensors are emitted once each, on first use:
 *
 * <pre>
 * rank 3 ([B, Tq, S] scores)     padding [B, 1, S]       causal [Tq, S]     both [B, Tq, S]
 * rank 4 ([B, heads, Tq, S])     padding [B, 1, 1, S]    causal [Tq, S]     both [B, 1, Tq, S]
 * full (Attention-23)            Expand(padding, [1, 1, Tq, 1]) → [B, 1, Tq, S], or both
 * causal [t, s] = Not(Greater(s, t))
 * </pre>
 */
final class AttentionMask {

  private final GraphBuilder graph;
  private final String name;
  private final TimeAxis query;
  private final TimeAxis keys;
  private final boolean causal;
  private final String[] byRank = new String[5];
  private String causalMask;
  private String full;

  AttentionMask(GraphBuilder graph, String name, TimeAxis query, TimeAxis keys, boolean causal) {
    this.graph = graph;
    this.name = name;
    this.query = query;
    this.keys = keys;
    this.causal = causal;
  }

  /** Whether every key is visible to every query. */
  boolean none() {
    return !causal && !keys.padded();
  }

  /** Whether the only restriction is causality (ONNX Attention's {@code is_causal}). */
  boolean causalOnly() {
    return causal && !keys.padded();
  }

  /**
   * The mask, bool, broadcastable onto scores of rank 3 {@code [B, Tq, S]} or rank 4
   * {@code [B, heads, Tq, S]}; null when nothing is masked.
   */
  String forScores(int rank) {
    if (none()) {
      return null;
    }
    if (byRank[rank] == null) {
      String padding = null;
      if (keys.padded()) {
        padding = name + "/padding_rank" + rank;
        if (rank == 3) {
          graph.unsqueeze(name + "/padding_Unsqueeze_rank3", keys.valid(), padding, 1);
        } else {
          graph.unsqueezeAxes(name + "/padding_Unsqueeze_rank4", keys.valid(), padding, 1, 2);
        }
      }
      if (!causal) {
        byRank[rank] = padding;
      } else if (padding == null) {
        byRank[rank] = causal();
      } else {
        byRank[rank] = name + "/mask_rank" + rank;
        graph.node("And", name + "/And_rank" + rank, List.of(padding, causal()), List.of(byRank[rank]));
      }
    }
    return byRank[rank];
  }

  /**
   * The mask spelt out to {@code [B, 1, Tq, S]}, as ONNX Runtime's {@code Attention} kernel wants
   * it (it refuses a mask that broadcasts along the query axis). Not for a causal-only mask.
   */
  String full() {
    if (!keys.padded()) {
      throw new IllegalStateException(name + ": a mask without padding is written as is_causal");
    }
    if (full == null) {
      if (causal) {
        full = forScores(4);
      } else {
        String shape = name + "/full_shape";
        String tq = name + "/query_length";
        graph.unsqueeze(name + "/query_length_Unsqueeze", query.length(), tq, 0);
        String one = graph.int64Initializer(name + "/ones", 1, 1);
        String last = graph.int64Initializer(name + "/one", 1);
        graph.node("Concat", name + "/full_shape_Concat", List.of(one, tq, last), List.of(shape),
            Attributes.integer("axis", 0));
        full = name + "/full";
        graph.node("Expand", name + "/full_Expand", List.of(forScores(4), shape), List.of(full));
      }
    }
    return full;
  }

  private String causal() {
    if (causalMask == null) {
      String keyRow = name + "/key_positions";
      String queryColumn = name + "/query_positions";
      graph.unsqueeze(name + "/key_positions_Unsqueeze", keys.positions(), keyRow, 0);
      graph.unsqueeze(name + "/query_positions_Unsqueeze", query.positions(), queryColumn, 1);
      String future = name + "/future";
      graph.node("Greater", name + "/future_Greater", List.of(keyRow, queryColumn), List.of(future));
      causalMask = name + "/causal";
      graph.node("Not", name + "/causal_Not", List.of(future), List.of(causalMask));
    }
    return causalMask;
  }
}
