package dev.rnnx.verify;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A reference that can also give intermediate values by the names an ONNX graph gives them, in the
 * order they are computed. {@link DivergenceLocator#locateValues} compares a candidate's values of
 * the same names and names the first that exceeds tolerance. (For rnnx models the reference forward
 * itself is traced, {@link dev.rnnx.ref.ReferenceModel#trace}, with layers, steps and gates.)
 */
public interface TracingBackend extends Backend {

  /** The intermediate values for these inputs, by ONNX value name, in computation order. */
  LinkedHashMap<String, FloatTensor> intermediates(Map<String, ? extends Tensor> inputs);
}
