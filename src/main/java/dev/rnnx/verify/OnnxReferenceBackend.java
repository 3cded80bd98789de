package dev.rnnx.verify;

import ai.onnx.proto.OnnxMl;
import dev.rnnx.onnx.OnnxModels;
import dev.rnnx.ref.onnx.DataType;
import dev.rnnx.ref.onnx.OnnxEvaluator;
import dev.rnnx.ref.onnx.Value;
import dev.rnnx.ref.onnx.Values;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Tensor;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code ref-onnx} backend: an ONNX file evaluated by rnnx's pure-Java double-precision ONNX
 * evaluator ({@link OnnxEvaluator}), outputs rounded to float32. It is the reference for ONNX files
 * rnnx did not produce, where no rnnx model describes what they should compute; it runs no native
 * code, so it also checks, before any native backend sees a case, that every node's inputs have
 * the shapes its kernel assumes.
 */
public final class OnnxReferenceBackend implements OnnxFileBackend, TracingBackend {

  /** The backend's report name. */
  public static final String NAME = "ref-onnx";

  private final Path file;
  private final OnnxMl.ModelProto model;
  private final OnnxEvaluator evaluator;
  private final Map<String, DataType> inputTypes = new HashMap<>();

  /**
   * Reads and prepares an ONNX file.
   *
   * @throws IllegalArgumentException when the file is not a readable ONNX model
   * @throws UnsupportedOperationException naming the first operator the evaluator does not support
   */
  public OnnxReferenceBackend(Path file) {
    this(file, OnnxModels.read(file));
  }

  /** Prepares an already-read model; {@code file} names it in reports. */
  public OnnxReferenceBackend(Path file, OnnxMl.ModelProto model) {
    this.file = file;
    this.model = model;
    this.evaluator = new OnnxEvaluator(model);
    for (OnnxMl.ValueInfoProto v : model.getGraph().getInputList()) {
      if (v.getType().hasTensorType()) {
        inputTypes.put(v.getName(), DataType.fromOnnx(v.getType().getTensorType().getElemType()));
      }
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Map<String, FloatTensor> run(Map<String, ? extends Tensor> inputs) {
    Map<String, FloatTensor> out = new LinkedHashMap<>();
    evaluator.run(feeds(inputs)).forEach((k, v) -> out.put(k, Values.toFloat(v)));
    return out;
  }

  /** Every floating value any node computes, in node order (a copy of the graph with all of them as outputs). */
  @Override
  public LinkedHashMap<String, FloatTensor> intermediates(Map<String, ? extends Tensor> inputs) {
    OnnxMl.GraphProto.Builder g = model.getGraph().toBuilder().clearOutput();
    java.util.List<String> values = OnnxTaps.producedValues(model.getGraph());
    values.forEach(v -> g.addOutput(OnnxMl.ValueInfoProto.newBuilder().setName(v)));
    Map<String, Value> all = new OnnxEvaluator(model.toBuilder().setGraph(g).build()).run(feeds(inputs));
    LinkedHashMap<String, FloatTensor> out = new LinkedHashMap<>();
    for (String v : values) {
      Value x = all.get(v);
      if (x != null && x.type().isFloating()) {
        out.put(v, Values.toFloat(x));
      }
    }
    return out;
  }

  private Map<String, Value> feeds(Map<String, ? extends Tensor> inputs) {
    Map<String, Value> feeds = new LinkedHashMap<>();
    for (Map.Entry<String, ? extends Tensor> e : inputs.entrySet()) {
      DataType type = inputTypes.get(e.getKey());
      if (type == null) {
        throw new IllegalArgumentException("Unknown input name " + e.getKey() + ", expected one of "
            + evaluator.inputNames());
      }
      try {
        feeds.put(e.getKey(), Values.toValue(e.getValue(), type));
      } catch (IllegalArgumentException ex) {
        throw new IllegalArgumentException("input '" + e.getKey() + "': " + ex.getMessage(), ex);
      }
    }
    return feeds;
  }

  @Override
  public Path onnxFile() {
    return file;
  }

  @Override
  public Backend reopen(Path otherOnnx) {
    return new OnnxReferenceBackend(otherOnnx);
  }
}
