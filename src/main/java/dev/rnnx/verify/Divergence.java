package dev.rnnx.verify;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a failing candidate first departs from the reference, found by comparing intermediate
 * tensors: each layer's output in model order, then inside the first diverging recurrent layer
 * each time step's state, then that step's gates.
 *
 * @param candidate the failing backend
 * @param caseName the input case the search ran on
 * @param layer the first layer (or, for a graph without an rnnx model, node) whose output exceeds
 *     tolerance, or {@code null} when every intermediate agreed
 * @param layerIndex its position in the model, from 0 ({@code -1} when unknown)
 * @param value the ONNX value compared there
 * @param sequence the batch row of the first diverging step, or {@code -1}
 * @param step the first diverging time step (input time) of that row, or {@code -1} when the layer
 *     has no steps or its steps all agree
 * @param length that row's sequence length, or {@code -1}
 * @param gates the gates of that step that exceed tolerance, in canonical order (LSTM i, f, c, o;
 *     GRU z, r, h), each with its largest absolute error; empty when none does or the layer has no gates
 * @param maxAbsErr the largest absolute error of the layer's output
 * @param stepErrors the largest absolute error of the layer's per-step state at each input time
 *     step (over the batch and units), the curve of error growth; empty when not available
 * @param message one line naming all of the above
 */
public record Divergence(
    String candidate, String caseName, String layer, int layerIndex, String value, int sequence, int step, int length,
    Map<String, Double> gates, double maxAbsErr, double[] stepErrors, String message) {

  /** Copies the collections. */
  public Divergence {
    gates = Collections.unmodifiableMap(new LinkedHashMap<>(gates));
    stepErrors = stepErrors == null ? new double[0] : stepErrors.clone();
  }

  @Override
  public double[] stepErrors() {
    return stepErrors.clone();
  }

  /** The diverging gates' names, in canonical order. */
  public List<String> gateNames() {
    return List.copyOf(gates.keySet());
  }

  /** A search that found no diverging intermediate, or could not look. */
  static Divergence notFound(String candidate, String caseName, String why) {
    return new Divergence(candidate, caseName, null, -1, null, -1, -1, -1, Map.of(), Double.NaN, null,
        candidate + " (" + caseName + "): " + why);
  }
}
