package dev.rnnx.imports.onnx;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Layer;
import java.util.Map;

/** A layer lifted from the graph, built once its name and its last details are known. */
interface LayerDraft {

  /** The layer under a name. */
  Layer build(String name);

  /** Its canonical weights under that name ({@code <name>/<role>}). */
  Map<String, FloatTensor> weights(String name);
}
