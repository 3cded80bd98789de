package dev.rnnx.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import dev.rnnx.spec.Activation;
import dev.rnnx.spec.Bidirectional;
import dev.rnnx.spec.Dense;
import dev.rnnx.spec.Embedding;
import dev.rnnx.spec.Gru;
import dev.rnnx.spec.Initializer;
import dev.rnnx.spec.Lstm;
import dev.rnnx.spec.MergeMode;
import dev.rnnx.spec.ModelInput;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.SimpleRnn;
import dev.rnnx.spec.TimeDistributed;
import dev.rnnx.weights.Weights;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The graphs of the recurrent kinds: one native node per layer, its inputs and attributes, the refusals. */
class RecurrentStructureTest {

  /** Embedding, bidirectional GRU, backwards LSTM with state inputs and peepholes, softmax tagger; lengths. */
  private static final Sequential TAGGER = new Sequential("tagger", ModelInput.ofTokens().withLengths(), List.of(
      new Embedding("embedding", 20, 4, Initializer.EMBEDDING),
      new Bidirectional("bigru", Gru.builder("inner", 5).returnSequences(true).stateInputs(true).build(), MergeMode.CONCAT),
      Lstm.builder("lstm", 3).returnSequences(true).goBackwards(true).peephole(true).stateInputs(true)
          .recurrentActivation(Activation.HARD_SIGMOID).activation(Activation.ELU).build(),
      new TimeDistributed("tags", new Dense("inner", 7, Activation.SOFTMAX, true))));

  private static OnnxMl.ModelProto export(Sequential model, int opset) {
    return OnnxExporter.export(model, TestModels.randomWeights(model, 3, 1.0), opset, TestModels.provenance()).get("model");
  }

  private static List<String> ops(OnnxMl.ModelProto m) {
    return m.getGraph().getNodeList().stream().map(OnnxMl.NodeProto::getOpType).toList();
  }

  private static OnnxMl.NodeProto node(OnnxMl.ModelProto m, String name) {
    return m.getGraph().getNodeList().stream().filter(n -> n.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no node " + name + " in " + m.getGraph().getNodeList().stream()
            .map(OnnxMl.NodeProto::getName).toList()));
  }

  private static OnnxMl.AttributeProto attribute(OnnxMl.NodeProto node, String name) {
    return node.getAttributeList().stream().filter(a -> a.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError(node.getName() + " has no attribute " + name));
  }

  private static List<String> strings(OnnxMl.AttributeProto a) {
    return a.getStringsList().stream().map(b -> b.toStringUtf8()).toList();
  }

  private static Map<String, List<Long>> initializerDims(OnnxMl.ModelProto m) {
    return m.getGraph().getInitializerList().stream()
        .collect(Collectors.toMap(OnnxMl.TensorProto::getName, OnnxMl.TensorProto::getDimsList));
  }

  private static long count(List<String> ops, Predicate<String> which) {
    return ops.stream().filter(which).count();
  }

  @Test
  void oneRecurrentNodePerLayerAndNoLoops() {
    OnnxMl.ModelProto m = export(TAGGER, 17);
    List<String> ops = ops(m);
    assertEquals(1, count(ops, "GRU"::equals), ops.toString());
    assertEquals(1, count(ops, "LSTM"::equals), ops.toString());
    assertFalse(ops.contains("Loop") || ops.contains("Scan") || ops.contains("If"), ops.toString());
    Sequential every = new Sequential("every", ModelInput.ofFeatures(2).withLengths(), List.of(
        SimpleRnn.builder("rnn", 3).returnSequences(true).build(),
        new Bidirectional("bi", Lstm.builder("inner", 3).returnSequences(true).build(), MergeMode.SUM),
        new Bidirectional("bi2", SimpleRnn.builder("inner", 3).returnSequences(true).build(), MergeMode.AVE),
        Gru.builder("gru", 3).build()));
    List<String> all = ops(export(every, 17));
    assertEquals(2, count(all, "RNN"::equals), all.toString());
    assertEquals(1, count(all, "LSTM"::equals), all.toString());
    assertEquals(1, count(all, "GRU"::equals), all.toString());
    assertFalse(all.contains("Loop") || all.contains("Scan"), all.toString());
  }

  @Test
  void graphInputsAreTypedAndNamedAsTheSpecSays() {
    OnnxMl.ModelProto m = export(TAGGER, 17);
    List<OnnxMl.ValueInfoProto> inputs = m.getGraph().getInputList();
    assertEquals(List.of("input", "lengths", "bigru_forward_h0", "bigru_backward_h0", "lstm_h0", "lstm_c0"),
        inputs.stream().map(OnnxMl.ValueInfoProto::getName).toList());
    assertEquals(OnnxMl.TensorProto.DataType.INT64_VALUE, inputs.get(0).getType().getTensorType().getElemType());
    assertEquals(OnnxMl.TensorProto.DataType.INT32_VALUE, inputs.get(1).getType().getTensorType().getElemType());
    assertEquals(OnnxMl.TensorProto.DataType.FLOAT_VALUE, inputs.get(2).getType().getTensorType().getElemType());
    assertEquals(List.of("batch", "time"), dims(inputs.get(0)));
    assertEquals(List.of("batch"), dims(inputs.get(1)));
    assertEquals(List.of("batch", "5"), dims(inputs.get(2)));
    assertEquals(List.of("batch", "3"), dims(inputs.get(5)));
    assertEquals(List.of("batch", "time", "7"), dims(m.getGraph().getOutput(0)));
  }

  private static List<String> dims(OnnxMl.ValueInfoProto v) {
    return v.getType().getTensorType().getShape().getDimList().stream()
        .map(d -> d.hasDimParam() ? d.getDimParam() : Long.toString(d.getDimValue())).toList();
  }

  @Test
  void bidirectionalIsOneNodeWithStackedWeightsAndBothInitialStates() {
    OnnxMl.ModelProto m = export(TAGGER, 17);
    OnnxMl.NodeProto gru = node(m, "bigru/GRU");
    assertEquals("bidirectional", attribute(gru, "direction").getS().toStringUtf8());
    assertEquals(List.of("Sigmoid", "Tanh", "Sigmoid", "Tanh"), strings(attribute(gru, "activations")));
    assertEquals(1, attribute(gru, "linear_before_reset").getI());
    assertEquals(0, attribute(gru, "layout").getI());
    assertEquals(List.of("bigru/X", "bigru/W", "bigru/R", "bigru/B", "lengths", "bigru/initial_h"), gru.getInputList());
    Map<String, List<Long>> dims = initializerDims(m);
    assertEquals(List.of(2L, 15L, 4L), dims.get("bigru/W"));
    assertEquals(List.of(2L, 15L, 5L), dims.get("bigru/R"));
    assertEquals(List.of(2L, 30L), dims.get("bigru/B"));
    OnnxMl.NodeProto concat = node(m, "bigru/concat_h0");
    assertEquals(List.of("bigru/initial_forward_h", "bigru/initial_backward_h"), concat.getInputList());
    assertEquals("bigru_forward_h0", node(m, "bigru/unsqueeze_forward_h0").getInput(0));
    assertEquals("Concat", node(m, "bigru/merge_concat").getOpType());
    assertEquals(2, attribute(node(m, "bigru/merge_concat"), "axis").getI());
  }

  @Test
  void backwardsLstmReadsInReverseAndReordersWithTheLengths() {
    OnnxMl.ModelProto m = export(TAGGER, 17);
    OnnxMl.NodeProto lstm = node(m, "lstm/LSTM");
    assertEquals("reverse", attribute(lstm, "direction").getS().toStringUtf8());
    assertEquals(List.of("lstm/X", "lstm/W", "lstm/R", "lstm/B", "lengths", "lstm/initial_h", "lstm/initial_c", "lstm/P"),
        lstm.getInputList());
    assertEquals(List.of(1L, 9L), initializerDims(m).get("lstm/P"));
    assertEquals(List.of("HardSigmoid", "Elu", "Elu"), strings(attribute(lstm, "activations")));
    assertEquals(List.of(0.2f, 1.0f, 1.0f), attribute(lstm, "activation_alpha").getFloatsList());
    assertEquals(List.of(0.5f), attribute(lstm, "activation_beta").getFloatsList());
    OnnxMl.NodeProto reverse = node(m, "lstm/ReverseSequence");
    assertEquals(List.of("lstm/Y_squeezed", "lengths/int64"), reverse.getInputList());
    assertEquals(1, attribute(reverse, "batch_axis").getI());
    assertEquals(0, attribute(reverse, "time_axis").getI());
    assertEquals(1, count(ops(m), "Cast"::equals), "the lengths are cast to int64 once");
    assertEquals(-1, attribute(node(m, "tags/Softmax"), "axis").getI());
  }

  @Test
  void withoutLengthsBackwardsSequencesAreReversedBySlice() {
    Sequential model = new Sequential("b", ModelInput.ofFeatures(2), List.of(
        SimpleRnn.builder("rnn", 3).returnSequences(true).goBackwards(true).activation(Activation.SOFTPLUS).build()));
    OnnxMl.ModelProto m = export(model, 17);
    assertEquals(List.of("Transpose", "RNN", "Squeeze", "Slice", "Transpose"), ops(m));
    OnnxMl.NodeProto rnn = node(m, "rnn/RNN");
    assertEquals(List.of("rnn/X", "rnn/W", "rnn/R", "rnn/B"), rnn.getInputList());
    assertEquals(List.of("Softplus"), strings(attribute(rnn, "activations")));
    assertTrue(rnn.getAttributeList().stream().noneMatch(a -> a.getName().startsWith("activation_")));
  }

  @Test
  void oldOpsetsGetTheirOwnForms() {
    OnnxMl.ModelProto m = export(new Sequential("o", ModelInput.ofFeatures(2), List.of(
        Lstm.builder("lstm", 3).returnSequences(true).stateInputs(true).build(),
        new TimeDistributed("td", new Dense("inner", 4, Activation.SOFTMAX, true)))), 11);
    OnnxMl.NodeProto unsqueeze = node(m, "lstm/unsqueeze_h0");
    assertEquals(1, unsqueeze.getInputCount());
    assertEquals(List.of(0L), attribute(unsqueeze, "axes").getIntsList());
    assertEquals(2, attribute(node(m, "td/Softmax"), "axis").getI(), "Softmax before 13 coerces to 2-D: axis = rank - 1");
    assertTrue(node(m, "lstm/LSTM").getAttributeList().stream().noneMatch(a -> a.getName().equals("layout")));
  }

  @Test
  void peepholesAndGruBiasesGoWhereOnnxReadsThem() {
    // H = 1: Keras peephole [i, f, o] -> ONNX P [i, o, f]; Keras GRU bias [2, 3H] -> B [input z r h, recurrent z r h]
    Sequential model = new Sequential("p", ModelInput.ofFeatures(1), List.of(
        Lstm.builder("lstm", 1).peephole(true).returnSequences(true).build(), Gru.builder("gru", 1).build()));
    Map<String, dev.rnnx.spec.FloatTensor> w = new java.util.LinkedHashMap<>(TestModels.randomWeights(model, 1, 1.0).tensors());
    w.put("lstm/peephole", dev.rnnx.spec.FloatTensor.of(new float[] {1, 2, 3}, 3));
    w.put("gru/bias", dev.rnnx.spec.FloatTensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
    OnnxMl.ModelProto m = OnnxExporter.export(model, new Weights(w), 17, TestModels.provenance()).get("model");
    Map<String, OnnxMl.TensorProto> init = m.getGraph().getInitializerList().stream()
        .collect(Collectors.toMap(OnnxMl.TensorProto::getName, t -> t));
    assertArrayEquals(new float[] {1, 3, 2}, floats(init.get("lstm/P")));
    assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, floats(init.get("gru/B")));
    Sequential before = new Sequential("p", ModelInput.ofFeatures(1), List.of(Gru.builder("gru", 1).resetAfter(false).build()));
    Map<String, dev.rnnx.spec.FloatTensor> wb = new java.util.LinkedHashMap<>(TestModels.randomWeights(before, 1, 1.0).tensors());
    wb.put("gru/bias", dev.rnnx.spec.FloatTensor.of(new float[] {1, 2, 3}, 3));
    OnnxMl.ModelProto mb = OnnxExporter.export(before, new Weights(wb), 17, TestModels.provenance()).get("model");
    OnnxMl.TensorProto b = mb.getGraph().getInitializerList().stream().filter(t -> t.getName().equals("gru/B")).findFirst()
        .orElseThrow();
    assertArrayEquals(new float[] {1, 2, 3, 0, 0, 0}, floats(b));
    assertEquals(0, attribute(node(mb, "gru/GRU"), "linear_before_reset").getI());
  }

  private static float[] floats(OnnxMl.TensorProto t) {
    java.nio.FloatBuffer buf = t.getRawData().asReadOnlyByteBuffer().order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    float[] out = new float[buf.remaining()];
    buf.get(out);
    return out;
  }

  @Test
  void goBackwardsSequencesBelowOpset10AreRefusedNamingLayerOptionAndOpset() {
    Sequential model = new Sequential("old", ModelInput.ofFeatures(2), List.of(
        Gru.builder("gru", 3).returnSequences(true).goBackwards(true).build()));
    Weights w = TestModels.randomWeights(model, 1, 1.0);
    OnnxExportException e = assertThrows(OnnxExportException.class,
        () -> OnnxExporter.export(model, w, 9, TestModels.provenance()).get("model"));
    assertEquals("layer 'gru': go_backwards with return_sequences needs opset 10 or newer (ReverseSequence, Slice with"
        + " steps) to put the outputs in processing order, got opset 9; export at opset 10+ or set return_sequences: false",
        e.getMessage());
    // the last output alone needs no reordering
    Sequential last = new Sequential("old", ModelInput.ofFeatures(2), List.of(Gru.builder("gru", 3).goBackwards(true).build()));
    assertFalse(ops(export(last, 9)).contains("ReverseSequence"));
  }
}
