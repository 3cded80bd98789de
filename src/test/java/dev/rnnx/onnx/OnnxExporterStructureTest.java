package dev.rnnx.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import dev.rnnx.spec.Activation;
import dev.rnnx.spec.Dense;
import dev.rnnx.spec.Lstm;
import dev.rnnx.spec.Sequential;
import dev.rnnx.weights.Provenance;
import dev.rnnx.weights.Weights;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** What the exported graph looks like: ops, names, shapes, versions and metadata. */
class OnnxExporterStructureTest {

  private static final Sequential STACKED = new Sequential("stacked", 2, List.of(
      Lstm.of("lstm1", 16, true),
      new Lstm("lstm2", 8, false, true, Activation.RELU, Activation.SIGMOID, true)));

  private static OnnxMl.ModelProto export(Sequential model, int opset) {
    return OnnxExporter.export(model, TestModels.randomWeights(model, 3, 1.0), opset, TestModels.provenance()).get("model");
  }

  private static List<String> ops(OnnxMl.ModelProto m) {
    return m.getGraph().getNodeList().stream().map(OnnxMl.NodeProto::getOpType).toList();
  }

  private static OnnxMl.AttributeProto attribute(OnnxMl.NodeProto node, String name) {
    return node.getAttributeList().stream().filter(a -> a.getName().equals(name)).findFirst().orElseThrow();
  }

  private static List<String> dims(OnnxMl.ValueInfoProto v) {
    return v.getType().getTensorType().getShape().getDimList().stream()
        .map(d -> d.hasDimParam() ? d.getDimParam() : Long.toString(d.getDimValue())).toList();
  }

  @Test
  void oneNativeLstmNodePerLayerAndNoLoops() {
    OnnxMl.ModelProto m = export(STACKED, 17);
    assertEquals(2, ops(m).stream().filter("LSTM"::equals).count(), ops(m).toString());
    assertFalse(ops(m).contains("Loop") || ops(m).contains("Scan") || ops(m).contains("MatMul"), ops(m).toString());
    assertEquals(List.of("Transpose", "LSTM", "Squeeze", "Transpose", "Transpose", "LSTM", "Squeeze", "Identity", "Squeeze"),
        ops(m));
  }

  @Test
  void lstmNodeAttributesWeightsAndLayout() {
    OnnxMl.ModelProto m = export(STACKED, 17);
    OnnxMl.NodeProto lstm2 = m.getGraph().getNodeList().stream()
        .filter(n -> n.getName().equals("lstm2/LSTM")).findFirst().orElseThrow();
    assertEquals(List.of("lstm2/X", "lstm2/W", "lstm2/R", "lstm2/B"), lstm2.getInputList());
    assertEquals(List.of("", "lstm2/Y_h", "lstm2/Y_c"), lstm2.getOutputList());
    assertEquals(8, attribute(lstm2, "hidden_size").getI());
    assertEquals(0, attribute(lstm2, "layout").getI());
    assertEquals("forward", attribute(lstm2, "direction").getS().toStringUtf8());
    assertEquals(List.of("Sigmoid", "Relu", "Relu"),
        attribute(lstm2, "activations").getStringsList().stream().map(b -> b.toStringUtf8()).toList());

    Map<String, List<Long>> init = m.getGraph().getInitializerList().stream()
        .collect(Collectors.toMap(OnnxMl.TensorProto::getName, OnnxMl.TensorProto::getDimsList, (a, b) -> a, LinkedHashMap::new));
    assertEquals(List.of(1L, 64L, 2L), init.get("lstm1/W"));
    assertEquals(List.of(1L, 64L, 16L), init.get("lstm1/R"));
    assertEquals(List.of(1L, 128L), init.get("lstm1/B"));
    assertEquals(List.of(1L, 32L, 16L), init.get("lstm2/W"));
    assertEquals(List.of(1L, 32L, 8L), init.get("lstm2/R"));
    assertEquals(List.of(1L, 64L), init.get("lstm2/B"));
  }

  @Test
  void layoutAttributeOnlyWhereTheOpHasIt() {
    OnnxMl.NodeProto lstm = export(STACKED, 13).getGraph().getNodeList().stream()
        .filter(n -> n.getOpType().equals("LSTM")).findFirst().orElseThrow();
    assertTrue(lstm.getAttributeList().stream().noneMatch(a -> a.getName().equals("layout")));
  }

  @Test
  void squeezeTakesAxesAsAttributeBefore13AndAsInputFrom13() {
    OnnxMl.NodeProto at11 = export(STACKED, 11).getGraph().getNodeList().stream()
        .filter(n -> n.getOpType().equals("Squeeze")).findFirst().orElseThrow();
    assertEquals(1, at11.getInputCount());
    assertEquals(List.of(1L), attribute(at11, "axes").getIntsList());
    OnnxMl.NodeProto at13 = export(STACKED, 13).getGraph().getNodeList().stream()
        .filter(n -> n.getOpType().equals("Squeeze")).findFirst().orElseThrow();
    assertEquals(List.of("lstm1/Y", "lstm1/squeeze_Y/axes"), at13.getInputList());
    assertEquals(0, at13.getAttributeCount());
  }

  @Test
  void inputAndOutputsNamedAndShapedWithSymbolicBatchAndTime() {
    OnnxMl.ModelProto m = export(STACKED, 17);
    assertEquals(1, m.getGraph().getInputCount());
    OnnxMl.ValueInfoProto in = m.getGraph().getInput(0);
    assertEquals("input", in.getName());
    assertEquals(OnnxMl.TensorProto.DataType.FLOAT.getNumber(), in.getType().getTensorType().getElemType());
    assertEquals(List.of("batch", "time", "2"), dims(in));
    assertEquals(List.of("output", "state_h", "state_c"),
        m.getGraph().getOutputList().stream().map(OnnxMl.ValueInfoProto::getName).toList());
    for (OnnxMl.ValueInfoProto out : m.getGraph().getOutputList()) {
      assertEquals(List.of("batch", "8"), dims(out), out.getName());
    }
    Sequential seq = new Sequential("seq", 3, List.of(Lstm.of("lstm", 5, true), new Dense("dense", 4, Activation.TANH, true)));
    OnnxMl.ModelProto s = export(seq, 17);
    assertEquals(List.of("batch", "time", "4"), dims(s.getGraph().getOutput(0)));
    assertEquals(List.of("Transpose", "LSTM", "Squeeze", "Transpose", "MatMul", "Add", "Tanh"), ops(s));
  }

  @Test
  void rank2DenseIsGemmAndNoBiasIsMatMulOnly() {
    Sequential gemm = new Sequential("g", 1, List.of(Lstm.of("lstm", 4, false), new Dense("dense", 1, Activation.LINEAR, true)));
    assertEquals(List.of("Transpose", "LSTM", "Squeeze", "Gemm"), ops(export(gemm, 17)));
    Sequential plain = new Sequential("p", 1, List.of(Lstm.of("lstm", 4, false), new Dense("dense", 1, Activation.SIGMOID, false)));
    assertEquals(List.of("Transpose", "LSTM", "Squeeze", "MatMul", "Sigmoid"), ops(export(plain, 17)));
  }

  @Test
  void opset17IsStampedWithIr8AndProducer() {
    OnnxMl.ModelProto m = OnnxExporter.export(STACKED, TestModels.randomWeights(STACKED, 3, 1.0), TestModels.provenance()).get("model");
    assertEquals(1, m.getOpsetImportCount());
    assertEquals("", m.getOpsetImport(0).getDomain());
    assertEquals(17, m.getOpsetImport(0).getVersion());
    assertEquals(8, m.getIrVersion());
    assertEquals("rnnx", m.getProducerName());
    assertEquals("0.1.0-SNAPSHOT", m.getProducerVersion());
    assertTrue(m.getDocString().contains("model 'stacked'"), m.getDocString());
    assertEquals(4, export(STACKED, 9).getIrVersion());
    assertEquals(7, export(STACKED, 13).getIrVersion());
    assertEquals(10, export(STACKED, 22).getIrVersion());
  }

  @Test
  void metadataRoundTripsThroughAFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    Provenance provenance = TestModels.provenance();
    OnnxMl.ModelProto m = export(STACKED, 17);
    java.nio.file.Path file = dir.resolve("model.onnx");
    OnnxExporter.write(m, file);
    OnnxMl.ModelProto back = OnnxModels.read(file);
    assertEquals(m, back);
    Map<String, String> meta = new LinkedHashMap<>();
    back.getMetadataPropsList().forEach(p -> meta.put(p.getKey(), p.getValue()));
    assertEquals(provenance.toMetadata(), meta);
    assertEquals(provenance, Provenance.fromMetadata(meta));
  }

  @Test
  void unsupportedOpsetIsRefusedNamingItAndTheRange() {
    Weights w = TestModels.randomWeights(STACKED, 3, 1.0);
    for (int opset : new int[] {8, 24}) {
      OnnxExportException e = assertThrows(OnnxExportException.class,
          () -> OnnxExporter.export(STACKED, w, opset, TestModels.provenance()).get("model"));
      assertEquals("opset " + opset + " is not supported: the exporter supports opsets [9, 23] (converters/opsets.yaml)",
          e.getMessage());
    }
  }

  @Test
  void weightsThatDoNotFitAreACallerMistake() {
    Weights other = TestModels.randomWeights(new Sequential("x", 1, List.of(Lstm.of("lstm1", 3, false))), 1, 1.0);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> OnnxExporter.export(STACKED, other, 17, TestModels.provenance()).get("model"));
    assertTrue(e.getMessage().contains("lstm1/kernel"), e.getMessage());
  }
}
