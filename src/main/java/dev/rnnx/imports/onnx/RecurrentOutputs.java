package dev.rnnx.imports.onnx;

import static dev.rnnx.imports.onnx.LiftedValue.describe;

import ai.onnx.proto.OnnxMl;
import dev.rnnx.imports.onnx.LiftedValue.Const;
import dev.rnnx.imports.onnx.LiftedValue.DirectionSequence;
import dev.rnnx.imports.onnx.LiftedValue.FinalState;
import dev.rnnx.imports.onnx.LiftedValue.FinalStates;
import dev.rnnx.imports.onnx.LiftedValue.Main;
import dev.rnnx.imports.onnx.LiftedValue.SequenceOut;
import dev.rnnx.spec.MergeMode;
import java.util.ArrayList;
import java.util.List;

/**
 * The spellings of a recurrent node's outputs that {@link GraphLifter} reads: time-major
 * transposes, the squeeze of the directions axis, PyTorch's transpose and reshape of a bidirectional
 * {@code Y}, rnnx's per-direction gathers joined by {@code Concat}, and final states. Each decides
 * whether its layer returns sequences and how a bidirectional layer merges its halves.
 */
final class RecurrentOutputs {

  private final GraphLifter lifter;
  private final OnnxGraph g;

  RecurrentOutputs(GraphLifter lifter, OnnxGraph g) {
    this.lifter = lifter;
    this.g = g;
  }

  /** The time-major sequence output of recurrent layer {@code layer}, merged by {@code merge} when bidirectional. */
  Main sequence(OnnxMl.NodeProto node, int layer, MergeMode merge) {
    return sequence(node, layer, merge, false);
  }

  /** {@link #sequence(OnnxMl.NodeProto, int, MergeMode)}; {@code reordered}: a go_backwards sequence already put in processing order. */
  private Main sequence(OnnxMl.NodeProto node, int layer, MergeMode merge, boolean reordered) {
    RecurrentLift lift = recurrentAt(node, layer);
    if (lift.reverse && !reordered) {
      throw g.error(node, "the model reads the sequence output of a direction=reverse node, which ONNX aligns with"
          + " input time; supported: its final state Y_h, or Y put back in processing order by ReverseSequence on the"
          + " lengths or Slice with step -1 (rnnx's go_backwards with return_sequences)");
    }
    lift.returnSequences(true, g, node);
    if (merge != null) {
      lift.merge(merge, g, node);
    }
    return new Main(lifter.inputTimeMajor ? 0 : 1, 3, lift.outputUnits(), false, layer + 1);
  }

  /**
   * The two directions' final states joined by {@code merge}, {@code f} first: ONNX's direction 1 first
   * is a bidirectional layer around go_backwards (Keras's forward half reads backwards, rnnx's export).
   */
  Main finalState(OnnxMl.NodeProto node, LiftedValue.FinalState f, MergeMode merge) {
    if (f.direction() == 1) {
      recurrentAt(node, f.layer()).swapDirections(g, node);
    }
    return finalState(node, f.layer(), merge);
  }

  /**
   * The two directions' sequences joined by {@code merge}, {@code f} first: the merged sequence, or,
   * when direction 1 comes first and the model then reverses time (possibly after the average's
   * {@code Mul}), a bidirectional layer around go_backwards whose sequence waits for that reversal.
   */
  LiftedValue merged(OnnxMl.NodeProto node, DirectionSequence f, DirectionSequence b, MergeMode merge, String out) {
    if (f.batchMajor() != b.batchMajor()) {
      throw g.error(node, "joins a time-major and a batch-major direction of a bidirectional output");
    }
    if (f.batchMajor()) { // tf2onnx: each half transposed to [B, T, H], then Keras's merge
      if (merge == MergeMode.CONCAT && f.direction() != 0) {
        throw g.error(node, "concatenates the backward direction before the forward one; supported: forward then backward");
      }
      Main m = sequence(node, f.layer(), merge);
      return new Main(m.flips() + 1, m.rank(), m.features(), m.tokens(), m.layers());
    }
    if (f.direction() == 1 && reversedAhead(out)) {
      recurrentAt(node, f.layer()).swapDirections(g, node);
      return new LiftedValue.Reversed(f.layer(), merge);
    }
    if (merge == MergeMode.CONCAT && f.direction() != 0) {
      throw g.error(node, "concatenates the backward direction before the forward one without reversing time"
          + " afterwards; supported: forward then backward, or (a bidirectional layer around go_backwards) backward"
          + " then forward followed by ReverseSequence or Slice with step -1");
    }
    return sequence(node, f.layer(), merge);
  }

  /** Whether {@code value} is a graph output other than the first (a returned state). */
  boolean stateOutput(String value) {
    List<OnnxMl.ValueInfoProto> outs = g.outputs();
    return outs.stream().skip(1).anyMatch(o -> o.getName().equals(value));
  }

  /** Entry {@code k} of final hidden states ({@link FinalStates}) or cell states ({@code Y_c}) returned as a graph output. */
  LiftedValue.StateOut stateOut(OnnxMl.NodeProto node, LiftedValue v, int k) {
    if (v instanceof LiftedValue.CellStates c) {
      recurrentAt(node, c.layer());
      return new LiftedValue.StateOut(c.layer(), Math.floorMod(k, c.dirs()), true);
    }
    int[] e = ((FinalStates) v).entries().get(Math.floorMod(k, ((FinalStates) v).entries().size()));
    recurrentAt(node, e[0]);
    return new LiftedValue.StateOut(e[0], e[1], false);
  }

  /** Whether the one live reader of {@code value} is a {@code Slice}. */
  private boolean sliceAhead(String value) {
    List<OnnxMl.NodeProto> readers = g.liveNodes().stream().filter(n -> n.getInputList().contains(value)).toList();
    return readers.size() == 1 && readers.get(0).getOpType().equals("Slice") && readers.get(0).getInput(0).equals(value);
  }

  /**
   * A {@code Slice}: a go_backwards sequence reversed ({@link #reverseTime}), or tf2onnx's spellings (its
   * {@code rnn_utils.slice_birnn_for_original_rnn_consumers}): one direction {@code Y[:, d:d+1]} of a
   * bidirectional node, one direction's final state {@code Y_h[d:d+1]}, and Keras's last output of a
   * time-major sequence, {@code Y[-1:]} forwards or {@code Y[0:1]} for the backward half (ONNX aligns it
   * with input time, so its step 0 is its last).
   */
  void slice(OnnxMl.NodeProto node, List<LiftedValue> in, String out) {
    if (in.get(0) instanceof LiftedValue.Reversed) {
      reverseTime(node, in, out);
      return;
    }
    long[] s = sliceSpec(node, in);
    LiftedValue v = in.get(0);
    if (s != null && v instanceof SequenceOut y && !y.transposed() && y.dirs() == 2 && s[2] == 1 && s[1] == s[0] + 1
        && (s[0] == 0 || s[0] == 1)) {
      lifter.values.put(out, new LiftedValue.DirectionSlice(y.layer(), (int) s[0], y.units()));
      return;
    }
    if (s != null && v instanceof FinalStates f && s[2] == 0 && s[1] == s[0] + 1 && s[0] >= 0 && s[0] < f.entries().size()) {
      lifter.values.put(out, new FinalStates(List.of(f.entries().get((int) s[0])), f.units()));
      return;
    }
    if (s != null && v instanceof DirectionSequence d && !d.batchMajor() && s[2] == 0) {
      RecurrentLift lift = recurrentAt(node, d.layer());
      boolean last = d.direction() == 0 && s[0] == -1 && s[1] >= Integer.MAX_VALUE;
      boolean first = d.direction() == 1 && s[0] == 0 && s[1] == 1;
      if (last && lift.readsLengths) {
        throw g.error(node, "takes the last step Y[-1] of a sequence whose recurrent node reads sequence_lens: ONNX"
            + " zero-fills Y past each length, so for shorter rows this is zeros, not the final state rnnx's layer"
            + " returns; supported: Y_h, or Y[-1] without sequence_lens");
      }
      if (last || first) {
        lifter.values.put(out, new FinalStates(List.<int[]>of(new int[] {d.layer(), d.direction()}), d.units()));
        return;
      }
    }
    throw g.error(node, "Slice " + (s == null ? "with several axes or steps" : "[" + s[0] + ":" + s[1] + "] on axis " + s[2])
        + " of " + describe(v) + " is not supported; supported: reversing a go_backwards sequence, one direction"
        + " Y[:, d:d+1] or Y_h[d:d+1] of a recurrent node, and the last step of its sequence (Y[-1:] forwards, Y[0:1]"
        + " backwards)");
  }

  /** A one-axis, step-1 slice as {start, end, axis}; null otherwise. Opset 10+ reads inputs, older ones attributes. */
  private static long[] sliceSpec(OnnxMl.NodeProto node, List<LiftedValue> in) {
    long[][] parts = new long[4][];
    if (in.size() >= 3) {
      for (int i = 0; i < 4; i++) {
        LiftedValue v = i + 1 < in.size() ? in.get(i + 1) : null;
        if (v != null && !(v instanceof Const c && c.value().longs() != null)) {
          return null;
        }
        parts[i] = v == null ? null : ((Const) v).value().longs();
      }
    } else {
      List<String> names = List.of("starts", "ends", "axes");
      for (int i = 0; i < 3; i++) {
        List<Long> a = OnnxGraph.intsAttr(node, names.get(i));
        parts[i] = a == null ? null : a.stream().mapToLong(Long::longValue).toArray();
      }
    }
    if (parts[0] == null || parts[1] == null || parts[0].length != 1 || parts[1].length != 1
        || (parts[2] != null && parts[2].length != 1) || (parts[3] != null && (parts[3].length != 1 || parts[3][0] != 1))) {
      return null;
    }
    return new long[] {parts[0][0], parts[1][0], parts[2] == null ? 0 : parts[2][0]};
  }

  /** Whether the one live reader of {@code value} (after an average's {@code Mul}) reverses the time axis. */
  private boolean reversedAhead(String value) {
    String v = value;
    for (int hop = 0; hop < 2; hop++) {
      List<OnnxMl.NodeProto> readers = new ArrayList<>();
      for (OnnxMl.NodeProto n : g.liveNodes()) {
        if (n.getInputList().contains(v)) {
          readers.add(n);
        }
      }
      if (readers.size() != 1) {
        return false;
      }
      OnnxMl.NodeProto r = readers.get(0);
      if (r.getOpType().equals("ReverseSequence") || r.getOpType().equals("Slice")) {
        return r.getInput(0).equals(v);
      }
      if (!r.getOpType().equals("Mul")) {
        return false;
      }
      v = r.getOutput(0);
    }
    return false;
  }

  /**
   * A go_backwards sequence put in processing order: {@code ReverseSequence} (batch axis 1, time axis 0)
   * on the lengths the recurrent node reads, or, when it reads none, {@code Slice} with starts −1, ends
   * −∞, axes 0, steps −1 (rnnx's export).
   */
  void reverseTime(OnnxMl.NodeProto node, List<LiftedValue> in, String out) {
    if (!(in.get(0) instanceof LiftedValue.Reversed r)) {
      throw g.error(node, node.getOpType() + " of " + describe(in.get(0)) + " is not supported; supported: putting a"
          + " go_backwards layer's sequence (a direction=reverse node's Y, or a bidirectional layer's halves joined"
          + " backward first) into processing order");
    }
    RecurrentLift lift = recurrentAt(node, r.layer());
    boolean ok;
    if (node.getOpType().equals("ReverseSequence")) {
      ok = in.size() == 2 && in.get(1) instanceof LiftedValue.Lengths && lift.readsLengths
          && OnnxGraph.intAttr(node, "batch_axis", 1) == 1 && OnnxGraph.intAttr(node, "time_axis", 0) == 0;
    } else {
      ok = in.size() == 5 && !lift.readsLengths && single(in.get(1)) == -1 && single(in.get(2)) <= Integer.MIN_VALUE
          && single(in.get(3)) == 0 && single(in.get(4)) == -1;
    }
    if (!ok) {
      throw g.error(node, "does not put the go_backwards sequence in processing order as rnnx writes it; supported:"
          + " ReverseSequence (batch_axis 1, time_axis 0) on the lengths the recurrent node reads, or, without"
          + " lengths, Slice with starts -1, ends -inf, axes 0, steps -1");
    }
    lifter.values.put(out, sequence(node, r.layer(), r.merge(), true));
  }

  /** The one integer a constant holds, or {@code Long.MAX_VALUE} when it is not one. */
  private static long single(LiftedValue v) {
    return v instanceof Const c && c.value().longs() != null && c.value().longs().length == 1 ? c.value().longs()[0]
        : Long.MAX_VALUE;
  }

  Main finalState(OnnxMl.NodeProto node, int layer, MergeMode merge) {
    RecurrentLift lift = recurrentAt(node, layer);
    lift.returnSequences(false, g, node);
    if (merge != null) {
      lift.merge(merge, g, node);
    }
    return new Main(0, 2, lift.outputUnits(), false, layer + 1);
  }

  RecurrentLift recurrentAt(OnnxMl.NodeProto node, int layer) {
    if (layer != lifter.drafts.size() - 1) {
      throw g.error(node, "reads the output of an earlier recurrent layer; only a chain of layers can be imported");
    }
    return (RecurrentLift) lifter.drafts.get(layer);
  }

  void transpose(OnnxMl.NodeProto node, LiftedValue v, String out) {
    List<Long> perm = OnnxGraph.intsAttr(node, "perm");
    if (v instanceof Main m && ((m.rank() == 3 && List.of(1L, 0L, 2L).equals(perm))
        || (m.rank() == 2 && m.tokens() && List.of(1L, 0L).equals(perm)))) {
      lifter.values.put(out, new Main(m.flips() + 1, m.rank(), m.features(), m.tokens(), m.layers()));
    } else if (v instanceof DirectionSequence d && !d.batchMajor() && List.of(1L, 0L, 2L).equals(perm)) {
      lifter.values.put(out, new DirectionSequence(d.layer(), d.direction(), d.units(), true));
    } else if (v instanceof SequenceOut s && !s.transposed() && List.of(0L, 2L, 1L, 3L).equals(perm)) {
      lifter.values.put(out, new SequenceOut(s.layer(), s.dirs(), s.units(), true));
    } else {
      throw g.error(node, "Transpose " + perm + " of " + describe(v) + " is not supported; supported: swapping the batch"
          + " and time axes, and PyTorch's [0, 2, 1, 3] of a bidirectional output");
    }
  }

  void squeeze(OnnxMl.NodeProto node, List<LiftedValue> in, String out) {
    List<Long> axes = OnnxGraph.intsAttr(node, "axes");
    if (axes == null && in.size() > 1 && in.get(1) instanceof Const c && c.value().longs() != null) {
      axes = java.util.Arrays.stream(c.value().longs()).boxed().toList();
    }
    LiftedValue v = in.get(0);
    if (List.of(0L).equals(axes) && stateOutput(out) && (v instanceof LiftedValue.CellStates c && c.dirs() == 1
        || v instanceof FinalStates f && f.entries().size() == 1)) {
      lifter.values.put(out, stateOut(node, v, 0));
    } else if (v instanceof LiftedValue.DirectionSlice d && List.of(1L).equals(axes)) {
      lifter.values.put(out, new DirectionSequence(d.layer(), d.direction(), d.units(), false));
    } else if (v instanceof SequenceOut s && !s.transposed() && s.dirs() == 1 && List.of(1L).equals(axes)
        && !recurrentAt(node, s.layer()).reverse && sliceAhead(out)) { // tf2onnx: Keras's outputs[-1] follows
      lifter.values.put(out, new DirectionSequence(s.layer(), 0, s.units(), false));
    } else if (v instanceof FinalStates f && f.entries().size() == 1 && List.of(0L).equals(axes)
        && recurrentAt(node, f.entries().get(0)[0]).dirs == 2) {
      lifter.values.put(out, new FinalState(f.entries().get(0)[0], f.entries().get(0)[1], f.units()));
    } else if (v instanceof SequenceOut s && !s.transposed() && s.dirs() == 1 && List.of(1L).equals(axes)
        && recurrentAt(node, s.layer()).reverse && reversedAhead(out)) {
      lifter.values.put(out, new LiftedValue.Reversed(s.layer(), null));
    } else if (v instanceof SequenceOut s && !s.transposed() && s.dirs() == 1 && List.of(1L).equals(axes)) {
      lifter.values.put(out, sequence(node, s.layer(), null));
    } else if (v instanceof FinalStates f && f.entries().size() == 1 && List.of(0L).equals(axes)) {
      lifter.values.put(out, single(node, f.entries().get(0)));
    } else {
      throw g.error(node, "Squeeze " + axes + " of " + describe(v) + " is not supported; supported: the directions"
          + " axis of a one-directional recurrent output");
    }
  }

  Main single(OnnxMl.NodeProto node, int[] entry) {
    RecurrentLift lift = recurrentAt(node, entry[0]);
    if (lift.dirs != 1) {
      throw g.error(node, "the model reads one direction's final state of a bidirectional layer; supported: both,"
          + " joined by Concat, Add or Mul");
    }
    return finalState(node, entry[0], null);
  }

  /** PyTorch's join of a bidirectional {@code Y}'s directions, {@code [T, B, dirs, H]} to {@code [T, B, dirs·H]}. */
  Main reshape(OnnxMl.NodeProto node, List<LiftedValue> in) {
    if (in.get(0) instanceof SequenceOut s && s.transposed() && in.get(1) instanceof Const c && c.value().longs() != null) {
      long[] shape = c.value().longs();
      boolean ok = shape.length == 3 && (shape[2] == -1 || shape[2] == (long) s.dirs() * s.units())
          && (shape[0] == 0 || shape[1] == 0 || shape[0] == -1 || shape[1] == -1);
      if (ok) {
        return sequence(node, s.layer(), s.dirs() == 2 ? MergeMode.CONCAT : null);
      }
    }
    throw g.error(node, "Reshape of " + describe(in.get(0)) + " is not supported; supported: joining the directions of a"
        + " recurrent output [T, B, dirs, H] into [T, B, dirs·H]");
  }


  /** A returned hidden state read again by the merge of a bidirectional layer's final states, as that direction's state. */
  LiftedValue asFinalState(OnnxMl.NodeProto node, LiftedValue v) {
    return v instanceof LiftedValue.StateOut s && !s.cell()
        ? new FinalState(s.layer(), s.direction(), recurrentAt(node, s.layer()).units) : v;
  }

  void concat(OnnxMl.NodeProto node, List<LiftedValue> given, String out) {
    List<LiftedValue> in = given.stream().map(v -> asFinalState(node, v)).toList();
    long axis = OnnxGraph.intAttr(node, "axis", 0);
    if (in.size() == 2 && in.get(0) instanceof DirectionSequence f && in.get(1) instanceof DirectionSequence b
        && f.layer() == b.layer() && f.direction() != b.direction() && (axis == 2 || axis == -1)) { // [T, B, H] or [B, T, H]
      lifter.values.put(out, merged(node, f, b, MergeMode.CONCAT, out));
    } else if (in.size() == 2 && in.get(0) instanceof FinalState f && in.get(1) instanceof FinalState b
        && f.layer() == b.layer() && f.direction() != b.direction() && (axis == 1 || axis == -1)) {
      lifter.values.put(out, finalState(node, f, MergeMode.CONCAT));
    } else if (in.stream().allMatch(v -> v instanceof FinalStates) && axis == 0) {
      List<int[]> entries = new ArrayList<>();
      in.forEach(v -> entries.addAll(((FinalStates) v).entries()));
      lifter.values.put(out, new FinalStates(entries, ((FinalStates) in.get(0)).units()));
    } else {
      throw g.error(node, "Concat on axis " + axis + " of " + in.stream().map(LiftedValue::describe).toList()
          + " is not supported; supported: the two directions of a bidirectional output");
    }
  }
}
