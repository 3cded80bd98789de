package dev.rnnx.verify;

import dev.rnnx.imports.ImportedModel;
import dev.rnnx.imports.SavedModelLift;
import dev.rnnx.imports.onnx.OnnxImporter;
import dev.rnnx.spec.Bidirectional;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Gru;
import dev.rnnx.spec.Layer;
import dev.rnnx.spec.Lstm;
import dev.rnnx.spec.ModelSpec;
import dev.rnnx.spec.ParameterSpec;
import dev.rnnx.spec.RecurrentLayer;
import dev.rnnx.spec.Sequential;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parameter-by-parameter comparison of the two artifacts of {@code verify --onnx F --saved-model D}
 * ({@link WeightComparison}). Both are lifted into rnnx's canonical (Keras) layout: the ONNX file by
 * the ONNX importer ({@link OnnxImporter}: rnnx's, {@code torch.onnx}'s and tf2onnx's recurrent
 * graphs), the SavedModel by {@link SavedModelLift} (an rnnx SavedModel through its recorded recipe,
 * one from elsewhere onto the ONNX file's architecture by Keras variable names and shapes). The
 * parameters are then compared in the canonical order; the first value beyond float32 rounding
 * (4 ulps) is named with its layer, parameter, gate block (canonical order: LSTM i, f, c, o; GRU
 * z, r, h) and unit. A side that cannot be lifted is said in one line and nothing is compared; this
 * never throws.
 */
final class ArtifactWeights {

  private static final int ULPS = 4;

  private ArtifactWeights() {}

  /** Lifts both artifacts and compares their weights; never throws. */
  static WeightComparison compare(Path onnx, Path savedModel) {
    ImportedModel fromOnnx = null;
    String onnxSide;
    try {
      fromOnnx = new OnnxImporter().read(onnx);
      onnxSide = "lifted by the ONNX importer (written by " + fromOnnx.source().framework() + ")";
    } catch (RuntimeException e) {
      onnxSide = "not lifted: " + oneLine(e);
    }
    ImportedModel fromSavedModel = null;
    String savedModelSide;
    try {
      fromSavedModel = SavedModelLift.lift(savedModel, fromOnnx == null ? null : fromOnnx.model());
      savedModelSide = fromSavedModel.notes().get(0);
    } catch (RuntimeException e) {
      savedModelSide = "not lifted: " + oneLine(e);
    }
    if (fromOnnx == null || fromSavedModel == null) {
      return WeightComparison.notCompared(onnxSide, savedModelSide);
    }
    try {
      return compare(fromOnnx, fromSavedModel, onnxSide, savedModelSide);
    } catch (RuntimeException e) {
      return WeightComparison.notCompared(onnxSide, savedModelSide + "; comparison failed: " + oneLine(e));
    }
  }

  /** Compares two lifted models, labelled by the SavedModel side's spec. */
  static WeightComparison compare(ImportedModel onnx, ImportedModel savedModel, String onnxSide, String savedModelSide) {
    List<ParameterSpec> a = onnx.model().parameters();
    List<ParameterSpec> b = savedModel.model().parameters();
    boolean byName = a.stream().map(ParameterSpec::name).toList().equals(b.stream().map(ParameterSpec::name).toList());
    if (a.size() != b.size()) {
      return WeightComparison.notCompared(onnxSide + ", " + a.size() + " parameters", savedModelSide + ", " + b.size()
          + " parameters: the architectures differ");
    }
    int differing = 0;
    double maxAbs = 0;
    boolean bitwise = true;
    WeightComparison.FirstDifference first = null;
    for (int p = 0; p < b.size(); p++) {
      ParameterSpec spec = b.get(p);
      FloatTensor x = onnx.weights().get(byName ? spec.name() : a.get(p).name());
      FloatTensor y = savedModel.weights().get(spec.name());
      if (!Arrays.equals(x.shape(), y.shape())) {
        return WeightComparison.notCompared(onnxSide, savedModelSide + "; the architectures differ at parameter "
            + spec.name() + ": " + Arrays.toString(x.shape()) + " in the ONNX file, " + Arrays.toString(y.shape())
            + " in the SavedModel");
      }
      float[] u = x.data();
      float[] v = y.data();
      int at = -1;
      long count = 0;
      double paramMax = 0;
      for (int i = 0; i < u.length; i++) {
        if (Float.floatToIntBits(u[i]) == Float.floatToIntBits(v[i])) {
          continue;
        }
        bitwise = false;
        double d = Math.abs((double) u[i] - v[i]);
        paramMax = Double.isNaN(d) || d > paramMax ? d : paramMax;
        if (Double.isNaN(d) || d > ULPS * Math.ulp(Math.max(Math.abs(u[i]), Math.abs(v[i])))) {
          count++;
          at = at < 0 ? i : at;
        }
      }
      maxAbs = Double.isNaN(paramMax) || paramMax > maxAbs ? paramMax : maxAbs;
      if (count > 0) {
        differing++;
        if (first == null) {
          first = locate(savedModel.model(), spec, y.shape(), at, u[at], v[at], paramMax, count);
        }
      }
    }
    String status = differing > 0 ? WeightComparison.DIFFER : bitwise ? WeightComparison.IDENTICAL : WeightComparison.ROUNDING;
    return new WeightComparison(status, onnxSide, savedModelSide, b.size(), differing, maxAbs, first);
  }

  /** Names the layer, parameter, gate block and unit of element {@code at} of parameter {@code p}. */
  static WeightComparison.FirstDifference locate(ModelSpec model, ParameterSpec p, long[] shape, int at, float onnxValue,
      float savedModelValue, double paramMax, long count) {
    long[] index = new long[shape.length];
    long rest = at;
    for (int d = shape.length - 1; d >= 0; d--) {
      index[d] = shape[d] == 0 ? 0 : rest % shape[d];
      rest = shape[d] == 0 ? 0 : rest / shape[d];
    }
    String name = p.name();
    String layerName = name.substring(0, Math.max(name.indexOf('/'), 0));
    String parameter = name.substring(name.indexOf('/') + 1);
    RecurrentLayer cell = null;
    if (model instanceof Sequential s) {
      for (Layer l : s.layers()) {
        if (l.name().equals(layerName)) {
          cell = l instanceof RecurrentLayer r ? r : l instanceof Bidirectional bi ? bi.layer() : null;
        }
      }
    }
    String role = parameter.substring(parameter.lastIndexOf('/') + 1);
    List<String> gates = cell == null ? null : cell instanceof Lstm ? List.of("i", "f", "c", "o")
        : cell instanceof Gru ? List.of("z", "r", "h") : List.of("h");
    if (gates == null || shape.length == 0 || !List.of("kernel", "recurrent_kernel", "bias").contains(role)
        || shape[shape.length - 1] != (long) gates.size() * cell.units()) {
      return new WeightComparison.FirstDifference(layerName, parameter, null, null, -1, index, onnxValue, savedModelValue,
          paramMax, count);
    }
    long column = index[shape.length - 1];
    String block = gates.get((int) (column / cell.units()));
    if (role.equals("bias") && shape.length == 2) { // GRU reset_after: row 0 the input bias, row 1 the recurrent one
      parameter += index[0] == 0 ? " (input half)" : " (recurrent half)";
    }
    return new WeightComparison.FirstDifference(layerName, parameter, block, String.join(", ", gates),
        (int) (column % cell.units()), index, onnxValue, savedModelValue, paramMax, count);
  }

  /** The report.json entry of a comparison. */
  static Map<String, Object> toJson(WeightComparison w) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("status", w.status());
    m.put("onnx_side", w.onnxSide());
    m.put("saved_model_side", w.savedModelSide());
    m.put("compared", w.compared());
    m.put("differing", w.differing());
    m.put("max_abs_diff", Double.isNaN(w.maxAbsDiff()) ? null : w.maxAbsDiff());
    Map<String, Object> f = null;
    if (w.first() != null) {
      WeightComparison.FirstDifference d = w.first();
      f = new LinkedHashMap<>();
      f.put("layer", d.layer());
      f.put("parameter", d.parameter());
      f.put("gate_block", d.gateBlock());
      f.put("gate_order", d.gateOrder());
      f.put("unit", d.unit() < 0 ? null : d.unit());
      f.put("index", d.index());
      f.put("onnx_value", d.onnxValue());
      f.put("saved_model_value", d.savedModelValue());
      f.put("parameter_max_abs_diff", d.parameterMaxAbsDiff());
      f.put("differing_values", d.differingValues());
    }
    m.put("first", f);
    m.put("message", w.describe());
    return m;
  }

  private static String oneLine(RuntimeException e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
