package dev.rnnx.onnx;

import dev.rnnx.spec.Layer;
import dev.rnnx.spec.Shape;
import dev.rnnx.weights.Weights;
import java.util.List;

/** Emits the ONNX nodes and initializers of one layer kind; registered in {@link OnnxConverters}. */
interface LayerConverter {

  /**
   * Converts one layer.
   *
   * @param layer the layer, of the kind this converter is registered for
   * @param inputShape the shape the layer receives
   * @param input the name of the tensor the layer reads
   * @param outputs the names the layer's outputs must get, one per {@link Layer#outputNames()}
   * @param weights the model's parameters in the canonical layout
   * @param graph the graph to add to
   * @throws OnnxExportException when an option of the layer cannot be expressed at the target opset
   */
  void convert(Layer layer, Shape inputShape, String input, List<String> outputs, Weights weights, GraphBuilder graph);
}
