package dev.rnnx.ref;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything one direction of a recurrent layer computed, step by step, for localising where two
 * backends part ways.
 *
 * <p>Every tensor is {@code [B, T, H]} and indexed by <em>input time</em>: entry {@code [b, t]}
 * belongs to the step that read {@code x[b, t]}, whichever direction the layer reads in. Steps a
 * sequence never reads ({@code t ≥ lengths[b]}) hold zeros. A forward direction reads
 * {@code t = 0, 1, …, L−1}; a backward one (Keras's {@code go_backwards}, or the backward half of a
 * bidirectional layer) reads {@code t = L−1, …, 0}: {@link #inputStep} maps a processing step to
 * its input time.
 *
 * @param direction {@code forward} or {@code backward}
 * @param backwards whether this direction reads each sequence from its end
 * @param lengths the length of each sequence ({@code T} for all when the model has no lengths)
 * @param states the state after each step, by state name ({@code h}, and {@code c} for an LSTM)
 * @param gates each gate's activation at each step, by gate name in canonical order: LSTM
 *     {@code i, f, c, o} ({@code c} is the candidate {@code a(z_c)}), GRU {@code z, r, h}
 *     ({@code h} is the candidate {@code h~}); empty for a simple RNN, whose only value is {@code h}
 */
public record RecurrentTrace(String direction, boolean backwards, int[] lengths, Map<String, DoubleTensor> states,
    Map<String, DoubleTensor> gates) {

  /** Copies the maps, keeping their order. */
  public RecurrentTrace {
    lengths = lengths.clone();
    states = Collections.unmodifiableMap(new LinkedHashMap<>(states));
    gates = Collections.unmodifiableMap(new LinkedHashMap<>(gates));
  }

  @Override
  public int[] lengths() {
    return lengths.clone();
  }

  /** The state names, e.g. {@code [h, c]}. */
  public List<String> stateNames() {
    return List.copyOf(states.keySet());
  }

  /** The gate names in canonical order, e.g. {@code [i, f, c, o]}. */
  public List<String> gateNames() {
    return List.copyOf(gates.keySet());
  }

  /**
   * The input time step that sequence {@code b} reads at processing step {@code p}.
   *
   * @throws IllegalArgumentException when {@code p} is not in {@code 0 … lengths[b]−1}
   */
  public int inputStep(int b, int p) {
    int len = lengths[b];
    if (p < 0 || p >= len) {
      throw new IllegalArgumentException("processing step " + p + " of sequence " + b + " is outside 0 … " + (len - 1));
    }
    return backwards ? len - 1 - p : p;
  }

  /** One state of one sequence after processing step {@code p}, {@code H} values. */
  public double[] stateAt(String state, int b, int p) {
    return row(states, "state", state, b, inputStep(b, p));
  }

  /** One gate of one sequence at processing step {@code p}, {@code H} values. */
  public double[] gateAt(String gate, int b, int p) {
    return row(gates, "gate", gate, b, inputStep(b, p));
  }

  private static double[] row(Map<String, DoubleTensor> m, String what, String name, int b, int t) {
    DoubleTensor v = m.get(name);
    if (v == null) {
      throw new IllegalArgumentException("no " + what + " '" + name + "', expected one of " + m.keySet());
    }
    int steps = v.dim(1);
    int h = v.dim(2);
    double[] out = new double[h];
    System.arraycopy(v.data(), (b * steps + t) * h, out, 0, h);
    return out;
  }
}
