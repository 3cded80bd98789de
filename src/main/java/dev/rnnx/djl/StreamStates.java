package dev.rnnx.djl;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.StreamForm;
import dev.rnnx.spec.TensorSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each recurrent layer's state lies in a session's one flat {@code float[]}: the stream form's
 * state inputs in order ({@link StreamForm#stateInputs()}), each {@code units} floats. A session
 * holds its states as one such array, the stream batcher copies them into and out of a batch row by
 * row, and the named {@code [1, units]} tensors of the form and of {@link StreamSnapshot} are built
 * from it only where they are asked for.
 *
 * @param inputs the state inputs' names ({@code <layer>_h0}, {@code <layer>_c0}, ...)
 * @param outputs the matching state outputs' names ({@code <layer>_h}, {@code <layer>_c}, ...)
 * @param units each state's size
 * @param offsets where each state starts in the flat array
 * @param floats the flat array's length ({@link StreamForm#stateFloats()})
 */
record StreamStates(List<String> inputs, List<String> outputs, int[] units, int[] offsets, int floats) {

  /** The layout of a stream form's states. */
  static StreamStates of(StreamForm form) {
    List<String> ins = form.stateInputs();
    int[] units = new int[ins.size()];
    int[] offsets = new int[ins.size()];
    int at = 0;
    for (int i = 0; i < ins.size(); i++) {
      String name = ins.get(i);
      TensorSpec s = form.form().inputs().stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
      units[i] = s.shape().dim(1);
      offsets[i] = at;
      at += units[i];
    }
    return new StreamStates(List.copyOf(ins), List.copyOf(form.stateOutputs()), units, offsets, at);
  }

  /** The states of a flat array as named {@code [1, units]} tensors (copies), in input order. */
  Map<String, FloatTensor> named(float[] flat) {
    Map<String, FloatTensor> out = new LinkedHashMap<>();
    for (int i = 0; i < units.length; i++) {
      float[] one = new float[units[i]];
      System.arraycopy(flat, offsets[i], one, 0, units[i]);
      out.put(inputs.get(i), FloatTensor.of(one, 1, units[i]));
    }
    return out;
  }

  /** A flat array from named {@code [1, units]} tensors keyed by {@code names} ({@link #inputs} or {@link #outputs}). */
  float[] flat(Map<String, FloatTensor> named, List<String> names) {
    float[] flat = new float[floats];
    for (int i = 0; i < units.length; i++) {
      System.arraycopy(named.get(names.get(i)).data(), 0, flat, offsets[i], units[i]);
    }
    return flat;
  }
}
