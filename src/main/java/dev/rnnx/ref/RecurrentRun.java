package dev.rnnx.ref;

import dev.rnnx.spec.RecurrentLayer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one direction of a recurrent cell over a batch of sequences, honouring lengths, initial
 * states and the reading direction ({@link RecurrentLayer}'s shared semantics).
 */
final class RecurrentRun {

  /**
   * What one direction produced.
   *
   * @param sequence {@code [B, T, H]} by input time (entry {@code t} is the state after reading
   *     {@code x[t]}), zero past each length; {@code null} unless asked for
   * @param finals each state after the sequence's last processed step, {@code [B·H]} each
   */
  record Result(double[] sequence, double[][] finals) {}

  private RecurrentRun() {}

  /**
   * Reads every sequence of {@code x [B, T, in]}.
   *
   * @param lengths each sequence's length, or {@code null} for T
   * @param initial the initial states, {@code h} first, or {@code null} for zeros
   * @param backwards read steps L−1 … 0 instead of 0 … L−1
   * @param keepSequence whether to return the per-step {@code h}
   * @param direction the trace's direction name
   * @param steps receives this direction's trace when non-null
   */
  static Result run(RecurrentCell cell, DoubleTensor x, int[] lengths, List<DoubleTensor> initial, boolean backwards,
      boolean keepSequence, String direction, List<RecurrentTrace> steps) {
    int batch = x.dim(0);
    int time = x.dim(1);
    int in = x.dim(2);
    int h = cell.units;
    int stateCount = cell.stateCount();
    List<String> gateNames = cell.gateNames();
    double[] xs = x.data();
    double[] sequence = keepSequence ? new double[batch * time * h] : null;
    double[][] finals = new double[stateCount][batch * h];
    double[][] state = new double[stateCount][h];
    boolean tracing = steps != null;
    double[][] gates = tracing ? new double[gateNames.size()][h] : null;
    double[][] stateTrace = tracing ? new double[stateCount][batch * time * h] : null;
    double[][] gateTrace = tracing ? new double[gateNames.size()][batch * time * h] : null;
    int[] lens = new int[batch];
    for (int b = 0; b < batch; b++) {
      int len = lengths == null ? time : lengths[b];
      if (len < 1 || len > time) {
        throw new IllegalArgumentException("sequence " + b + " has length " + len + ", expected 1 … " + time);
      }
      lens[b] = len;
    }
    if (!RefKernels.naive()) {
      Result r = RecurrentBatch.run(cell, xs, batch, time, in, lens, initial, backwards, sequence, stateTrace, gateTrace);
      if (tracing) {
        addTrace(steps, direction, backwards, lens, stateCount, gateNames, batch, time, h, stateTrace, gateTrace);
      }
      return r;
    }
    for (int b = 0; b < batch; b++) {
      int len = lens[b];
      for (int s = 0; s < stateCount; s++) {
        if (initial == null) {
          Arrays.fill(state[s], 0.0);
        } else {
          System.arraycopy(initial.get(s).data(), b * h, state[s], 0, h);
        }
      }
      for (int p = 0; p < len; p++) {
        int t = backwards ? len - 1 - p : p;
        int row = b * time + t;
        cell.step(xs, row * in, state, gates);
        if (sequence != null) {
          System.arraycopy(state[0], 0, sequence, row * h, h);
        }
        if (tracing) {
          for (int s = 0; s < stateCount; s++) {
            System.arraycopy(state[s], 0, stateTrace[s], row * h, h);
          }
          for (int g = 0; g < gates.length; g++) {
            System.arraycopy(gates[g], 0, gateTrace[g], row * h, h);
          }
        }
      }
      for (int s = 0; s < stateCount; s++) {
        System.arraycopy(state[s], 0, finals[s], b * h, h);
      }
    }
    if (tracing) {
      addTrace(steps, direction, backwards, lens, stateCount, gateNames, batch, time, h, stateTrace, gateTrace);
    }
    return new Result(sequence, finals);
  }

  private static void addTrace(List<RecurrentTrace> steps, String direction, boolean backwards, int[] lens, int stateCount,
      List<String> gateNames, int batch, int time, int h, double[][] stateTrace, double[][] gateTrace) {
    long[] shape = {batch, time, h};
    List<String> stateNames = stateCount == 1 ? List.of("h") : List.of("h", "c");
    Map<String, DoubleTensor> st = new LinkedHashMap<>();
    for (int s = 0; s < stateCount; s++) {
      st.put(stateNames.get(s), new DoubleTensor(shape, stateTrace[s]));
    }
    Map<String, DoubleTensor> gt = new LinkedHashMap<>();
    for (int g = 0; g < gateNames.size(); g++) {
      gt.put(gateNames.get(g), new DoubleTensor(shape, gateTrace[g]));
    }
    steps.add(new RecurrentTrace(direction, backwards, lens, st, gt));
  }

  /**
   * Puts a backward direction's input-time sequence into processing order (Keras's
   * {@code go_backwards} output): entry {@code p} of sequence {@code b} becomes the state after
   * reading {@code x[L−1] … x[L−1−p]}; entries past L stay zero.
   */
  static double[] processingOrder(double[] sequence, int batch, int time, int h, int[] lengths) {
    double[] out = new double[sequence.length];
    for (int b = 0; b < batch; b++) {
      int len = lengths == null ? time : lengths[b];
      for (int p = 0; p < len; p++) {
        System.arraycopy(sequence, (b * time + len - 1 - p) * h, out, (b * time + p) * h, h);
      }
    }
    return out;
  }

  /**
   * The initial states a layer takes as inputs, in the order of its states.
   *
   * @param names the input keys, e.g. {@code [h, c]} or {@code [forward_h, forward_c]}
   * @throws IllegalArgumentException when one is missing or has the wrong shape
   */
  static List<DoubleTensor> initialStates(String layer, RefInput input, List<String> names, int units) {
    int batch = input.x().dim(0);
    DoubleTensor[] states = new DoubleTensor[names.size()];
    for (int i = 0; i < states.length; i++) {
      DoubleTensor s = input.initialStates().get(names.get(i));
      if (s == null) {
        throw new IllegalArgumentException("layer '" + layer + "' takes its initial state '" + names.get(i)
            + "' as an input, but none was given; got " + input.initialStates().keySet());
      }
      if (s.rank() != 2 || s.dim(0) != batch || s.dim(1) != units) {
        throw new IllegalArgumentException("layer '" + layer + "': initial state '" + names.get(i) + "' has shape "
            + Arrays.toString(s.shape()) + ", expected [" + batch + ", " + units + "]");
      }
      states[i] = s;
    }
    return List.of(states);
  }

  /** Checks a recurrent layer's input: rank 3 and lengths that fit its batch and time. */
  static void checkInput(String layer, RefInput input) {
    DoubleTensor x = input.x();
    if (x.rank() != 3) {
      throw new IllegalArgumentException("layer '" + layer + "' expects a sequence input (batch, time, features), got "
          + Arrays.toString(x.shape()));
    }
    int[] lengths = input.lengths();
    if (lengths != null && lengths.length != x.dim(0)) {
      throw new IllegalArgumentException("layer '" + layer + "': lengths has " + lengths.length + " entries but the batch holds "
          + x.dim(0) + " sequences");
    }
  }
}
