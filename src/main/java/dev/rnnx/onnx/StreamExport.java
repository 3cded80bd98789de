package dev.rnnx.onnx;

import ai.onnx.proto.OnnxMl;
import dev.rnnx.spec.Layer;
import dev.rnnx.spec.RecurrentLayer;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.Shape;
import dev.rnnx.spec.StreamForm;
import dev.rnnx.spec.TensorSpec;
import dev.rnnx.weights.Provenance;
import dev.rnnx.weights.Weights;
import java.util.ArrayList;
import java.util.List;

/**
 * Exports a sequential model's {@code stream} form ({@link StreamForm}) to ONNX: the layers'
 * converters of the {@code model} form, every recurrent node reading {@code lengths} as its
 * {@code sequence_lens}, its initial states from the state inputs, and returning its final states as
 * graph outputs. Checked like every export ({@link OnnxExporter#validate}).
 */
public final class StreamExport {

  private StreamExport() {}

  /**
   * The stream form of a model at an opset.
   *
   * @throws IllegalArgumentException when the model cannot stream or the weights do not fit it
   * @throws OnnxExportException when the opset is unsupported or the built model fails its check
   */
  public static OnnxMl.ModelProto export(Sequential model, Weights weights, int opset, Provenance provenance) {
    StreamForm stream = StreamForm.of(model);
    OpsetTable opsets = OpsetTable.load();
    opsets.requireSupported(opset);
    weights.checkFits(model);
    GraphBuilder graph = new GraphBuilder(model.name(), opset, opsets);
    for (TensorSpec in : stream.form().inputs()) {
      graph.claim(in.name());
      graph.graph().addInput(ValueInfos.valueInfo(in.name(), in.shape(), in.dtype()));
    }
    graph.lengths(Sequential.LENGTHS);
    graph.time(new TimeAxis(graph, Sequential.INPUT + "/time", Sequential.INPUT, Sequential.LENGTHS));
    List<Layer> layers = stream.layers();
    List<Shape> inputShapes = model.layerInputShapes();
    String current = Sequential.INPUT;
    for (int i = 0; i < layers.size(); i++) {
      Layer layer = layers.get(i);
      List<String> names = new ArrayList<>();
      names.add(i == layers.size() - 1 ? "output" : layer.name() + "/output");
      if (layer instanceof RecurrentLayer r) {
        r.states().forEach(s -> names.add(StreamForm.stateOutputName(r, s)));
      }
      OnnxConverters.find(layer, opset).convert(layer, inputShapes.get(i), current, names, weights, graph);
      current = names.get(0);
    }
    for (TensorSpec out : stream.form().outputs()) {
      graph.graph().addOutput(ValueInfos.valueInfo(out.name(), out.shape()));
    }
    return OnnxExporter.assemble(graph, "stream form of model '" + model.name() + "'", model.name(), opset, opsets,
        provenance);
  }

  /** {@link #export(Sequential, Weights, int, Provenance)} at the default opset. */
  public static OnnxMl.ModelProto export(Sequential model, Weights weights, Provenance provenance) {
    return export(model, weights, OpsetTable.load().defaultOpset(), provenance);
  }
}
