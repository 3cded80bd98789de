package dev.rnnx.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import dev.rnnx.spec.AttentionScore;
import dev.rnnx.spec.Cell;
import dev.rnnx.spec.LayerNormalization;
import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.MultiHeadAttention;
import dev.rnnx.spec.Seq2Seq;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.TransformerEncoder;
import dev.rnnx.weights.Provenance;
import dev.rnnx.weights.Weights;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the exported forms look like (ops, Loops and their bodies, names, types, versions,
 * metadata) and what the exporter refuses.
 */
class FormsStructureTest {

  static List<String> ops(OnnxMl.GraphProto g) {
    return g.getNodeList().stream().map(OnnxMl.NodeProto::getOpType).toList();
  }

  static long count(OnnxMl.GraphProto g, String op) {
    return ops(g).stream().filter(op::equals).count();
  }

  /** Every op in the graph and in its Loop bodies. */
  static List<String> allOps(OnnxMl.GraphProto g) {
    List<String> all = new ArrayList<>();
    for (OnnxMl.NodeProto n : g.getNodeList()) {
      all.add(n.getOpType());
      n.getAttributeList().stream().filter(OnnxMl.AttributeProto::hasG).forEach(a -> all.addAll(allOps(a.getG())));
    }
    return all;
  }

  static OnnxMl.GraphProto body(OnnxMl.GraphProto g) {
    return g.getNodeList().stream().filter(n -> n.getOpType().equals("Loop")).findFirst().orElseThrow()
        .getAttribute(0).getG();
  }

  static Map<String, OnnxMl.ModelProto> forms(Seq2Seq model, int opset) {
    return OnnxExporter.export(model, TestModels.randomWeights(model.parameters(), 5, 1.0), opset,
        TestModels.provenance());
  }

  static List<String> names(List<OnnxMl.ValueInfoProto> infos) {
    return infos.stream().map(OnnxMl.ValueInfoProto::getName).toList();
  }

  static List<String> dims(OnnxMl.ValueInfoProto v) {
    return v.getType().getTensorType().getShape().getDimList().stream()
        .map(d -> d.hasDimParam() ? d.getDimParam() : Long.toString(d.getDimValue())).toList();
  }

  @Test
  void recurrentFormsWithoutAttentionAreNativeCellsAndTheGreedyDecoderALoop() {
    Map<String, OnnxMl.ModelProto> f = forms(Seq2SeqFormsTest.rnn(Cell.LSTM, null), 17);
    OnnxMl.GraphProto training = f.get(ModelForm.TRAINING).getGraph();
    assertEquals(2, count(training, "LSTM"), ops(training).toString());
    assertFalse(allOps(training).contains("Loop") || allOps(training).contains("Scan"), ops(training).toString());
    assertEquals("source_lengths", training.getNodeList().stream().filter(n -> n.getName().equals("encoder/LSTM"))
        .findFirst().orElseThrow().getInput(4), "the encoder reads each source to its length");
    assertEquals(1, count(f.get(ModelForm.ENCODER).getGraph(), "LSTM"));
    OnnxMl.GraphProto step = f.get(ModelForm.DECODER_STEP).getGraph();
    assertEquals(List.of("LSTM"), ops(step).stream().filter(o -> o.equals("LSTM") || o.equals("Loop")).toList());
    assertEquals(List.of("token", "state_h", "state_c"), names(step.getInputList()));
    assertEquals(List.of("log_probs", "new_state_h", "new_state_c"), names(step.getOutputList()));
    OnnxMl.GraphProto greedy = f.get(ModelForm.GREEDY_DECODER).getGraph();
    assertEquals(1, count(greedy, "Loop"));
    assertEquals(List.of("tokens"), names(greedy.getOutputList()));
    assertEquals(OnnxMl.TensorProto.DataType.INT64_VALUE, greedy.getOutput(0).getType().getTensorType().getElemType());
    assertEquals(List.of("batch", "6"), dims(greedy.getOutput(0)));
    OnnxMl.GraphProto body = body(greedy);
    assertEquals(1, count(body, "LSTM"));
    OnnxMl.NodeProto argMax = body.getNodeList().stream().filter(n -> n.getOpType().equals("ArgMax")).findFirst().orElseThrow();
    assertEquals(0, argMax.getAttributeList().stream().filter(a -> a.getName().equals("select_last_index")).findFirst()
        .orElseThrow().getI(), "ties go to the lowest id");
    OnnxMl.NodeProto loop = greedy.getNodeList().stream().filter(n -> n.getOpType().equals("Loop")).findFirst().orElseThrow();
    OnnxMl.TensorProto trips = greedy.getInitializerList().stream().filter(t -> t.getName().equals(loop.getInput(0)))
        .findFirst().orElseThrow();
    assertEquals(6, trips.getInt64Data(0), "max_target_length iterations");
    assertEquals("", loop.getInput(1), "no condition: the loop always runs its trip count");
    assertEquals(List.of("batch", "6"), dims(body.getInput(body.getInputCount() - 1)), "a fixed-shape token buffer");
  }

  @Test
  void anAttentionDecoderTrainsThroughALoopWhoseBodyIsOneStep() {
    Map<String, OnnxMl.ModelProto> f = forms(Seq2SeqFormsTest.rnn(Cell.GRU, AttentionScore.ADDITIVE), 17);
    OnnxMl.GraphProto training = f.get(ModelForm.TRAINING).getGraph();
    assertEquals(1, count(training, "GRU"), "the encoder");
    assertEquals(1, count(training, "Loop"));
    OnnxMl.GraphProto body = body(training);
    assertEquals(1, count(body, "GRU"), "one decoder step");
    assertEquals(1, count(body, "Softmax"), "the attention weights");
    OnnxMl.NodeProto gru = body.getNodeList().stream().filter(n -> n.getOpType().equals("GRU")).findFirst().orElseThrow();
    assertEquals(1, gru.getAttributeList().stream().filter(a -> a.getName().equals("linear_before_reset")).findFirst()
        .orElseThrow().getI());
    OnnxMl.GraphProto step = f.get(ModelForm.DECODER_STEP).getGraph();
    assertEquals(List.of("token", "state_h", "memory", "source_lengths"), names(step.getInputList()));
    assertEquals(List.of("log_probs", "new_state_h", "attention"), names(step.getOutputList()));
    assertEquals(List.of("batch", "source_time"), dims(step.getOutput(2)));
    assertTrue(body.getInitializerCount() == 0, "bodies read the main graph's initializers");
  }

  @Test
  void transformerFormsUseLayerNormalizationAndAtOpset23TheAttentionOp() {
    Seq2Seq t = Seq2SeqFormsTest.transformer();
    OnnxMl.GraphProto at17 = forms(t, 17).get(ModelForm.TRAINING).getGraph();
    assertEquals(2 * 2 + 2 * 3, count(at17, "LayerNormalization"), "2 per encoder block, 3 per decoder block");
    assertFalse(allOps(at17).contains("Attention"));
    Map<String, OnnxMl.ModelProto> f23 = forms(t, 23);
    OnnxMl.ModelProto training23 = f23.get(ModelForm.TRAINING);
    assertEquals(23, training23.getOpsetImport(0).getVersion());
    assertEquals(11, training23.getIrVersion());
    assertEquals(2 + 2 * 2, count(training23.getGraph(), "Attention"), "1 per encoder block, 2 per decoder block");
    OnnxMl.GraphProto greedy = f23.get(ModelForm.GREEDY_DECODER).getGraph();
    assertEquals(2, count(greedy, "Attention"), "the encoder's, in the main graph");
    assertEquals(4, count(body(greedy), "Attention"), "the decoder's, in the Loop body");
    OnnxMl.NodeProto selfAttention = body(greedy).getNodeList().stream()
        .filter(n -> n.getName().equals("greedy/block_0/self_attention/Attention")).findFirst().orElseThrow();
    assertEquals(1, selfAttention.getAttributeList().stream().filter(a -> a.getName().equals("is_causal")).findFirst()
        .orElseThrow().getI());
    assertEquals(3, selfAttention.getInputCount(), "causal alone needs no mask");
    OnnxMl.NodeProto cross = body(greedy).getNodeList().stream()
        .filter(n -> n.getName().equals("greedy/block_0/cross_attention/Attention")).findFirst().orElseThrow();
    assertEquals(4, cross.getInputCount(), "source padding as attn_mask");
    assertEquals(List.of("target", "memory", "source_lengths"), names(f23.get(ModelForm.DECODER_STEP).getGraph().getInputList()));
  }

  @Test
  void sequentialLayersUseLayerNormalizationAt17AndAttentionAt23() {
    Sequential m = AttentionLayersParityTest.model("m", 8, true, LayerNormalization.of("ln"),
        new MultiHeadAttention("mha", 2, 4, true), new TransformerEncoder("enc", 2, 8, 1e-3, false));
    Weights w = TestModels.randomWeights(m, 3, 1.0);
    OnnxMl.GraphProto at17 = OnnxExporter.export(m, w, 17, TestModels.provenance()).get("model").getGraph();
    assertEquals(1 + 2, count(at17, "LayerNormalization"));
    assertEquals(0, count(at17, "Attention"));
    OnnxMl.GraphProto at22 = OnnxExporter.export(m, w, 22, TestModels.provenance()).get("model").getGraph();
    assertEquals(0, count(at22, "Attention"), "the checker's newest opset still has no Attention op");
    OnnxMl.GraphProto at23 = OnnxExporter.export(m, w, 23, TestModels.provenance()).get("model").getGraph();
    assertEquals(2, count(at23, "Attention"));
    assertEquals(0, count(at23, "Softmax"));
  }

  @Test
  void theAttentionLayerUsesTheAttentionOpAt23ForTheScoresItComputes() {
    for (AttentionScore score : AttentionScore.values()) {
      Sequential m = AttentionLayersParityTest.model("m", 4, true, new dev.rnnx.spec.Attention("att", score, 3, false));
      OnnxMl.GraphProto g = OnnxExporter.export(m, TestModels.randomWeights(m, 3, 1.0), 23, TestModels.provenance()).get("model").getGraph();
      assertEquals(score == AttentionScore.ADDITIVE ? 0 : 1, count(g, "Attention"), score.recipeName());
      assertEquals(score == AttentionScore.ADDITIVE ? 1 : 0, count(g, "Softmax"), score.recipeName());
    }
  }

  @Test
  void refusalsNameWhatNeedsWhichOpset() {
    Sequential ln = AttentionLayersParityTest.model("m", 4, false, LayerNormalization.of("norm"));
    OnnxExportException e = assertThrows(OnnxExportException.class,
        () -> OnnxExporter.export(ln, TestModels.randomWeights(ln, 1, 1), 16, TestModels.provenance()).get("model"));
    assertEquals("layer 'norm' (layer_normalization) needs opset 17 or newer (ONNX LayerNormalization), got opset 16",
        e.getMessage());
    IllegalArgumentException early = assertThrows(IllegalArgumentException.class, () -> OnnxExporter.checkExportable(ln, 16));
    assertTrue(early.getMessage().contains("layer 'norm'") && early.getMessage().contains("opset 17"), early.getMessage());
    Sequential enc = AttentionLayersParityTest.model("m", 4, false, new TransformerEncoder("block", 2, 8, 1e-3, false));
    e = assertThrows(OnnxExportException.class,
        () -> OnnxExporter.export(enc, TestModels.randomWeights(enc, 1, 1), 13, TestModels.provenance()).get("model"));
    assertEquals("layer 'block' (transformer_encoder) needs opset 17 or newer (ONNX LayerNormalization), got opset 13",
        e.getMessage());
    e = assertThrows(OnnxExportException.class, () -> forms(Seq2SeqFormsTest.transformer(), 16));
    assertEquals("model 't2t' (seq2seq, transformer) needs opset 17 or newer (ONNX LayerNormalization), got opset 16",
        e.getMessage());
    e = assertThrows(OnnxExportException.class, () -> forms(Seq2SeqFormsTest.rnn(Cell.LSTM, null), 11));
    assertEquals("model 's2s' (seq2seq, rnn) needs opset 12 or newer (ArgMax with select_last_index for greedy decoding),"
        + " got opset 11", e.getMessage());
    e = assertThrows(OnnxExportException.class, () -> forms(Seq2SeqFormsTest.rnn(Cell.LSTM, null), 24));
    assertEquals("opset 24 is not supported: the exporter supports opsets [9, 23] (converters/opsets.yaml)", e.getMessage());
    Seq2Seq model = Seq2SeqFormsTest.rnn(Cell.GRU, null);
    Weights partial = new Weights(Map.of());
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
        () -> OnnxExporter.export(model, partial, 17, TestModels.provenance()));
    assertEquals("weights lack parameter 'source_embedding/embeddings' of model 's2s'", missing.getMessage());
  }

  @Test
  void everyFormCarriesTheProvenanceAndASequentialModelIsItsOnlyForm(@TempDir Path dir) throws Exception {
    Provenance p = TestModels.provenance();
    Map<String, OnnxMl.ModelProto> all = forms(Seq2SeqFormsTest.transformer(), 23);
    Map<String, Path> files = OnnxExporter.write(all, dir.resolve("forms"));
    for (var e : all.entrySet()) {
      Map<String, String> meta = new LinkedHashMap<>();
      e.getValue().getMetadataPropsList().forEach(m -> meta.put(m.getKey(), m.getValue()));
      assertEquals(p.toMetadata(), meta, e.getKey());
      assertTrue(e.getValue().getGraph().getDocString().contains("form '" + e.getKey() + "'"));
      assertEquals(dir.resolve("forms").resolve(e.getKey() + ".onnx"), files.get(e.getKey()));
      assertEquals(e.getValue(), OnnxModels.read(files.get(e.getKey())), "an opset-23 model is written after the evaluator's check");
    }
    OnnxExporter.checkExportable(Seq2SeqFormsTest.transformer(), 23);
    IllegalArgumentException early = assertThrows(IllegalArgumentException.class,
        () -> OnnxExporter.checkExportable(Seq2SeqFormsTest.transformer(), 16));
    assertTrue(early.getMessage().startsWith("model 't2t' cannot be exported to ONNX at opset 16: "), early.getMessage());
    Sequential s = OnnxExporterParityTest.sineLstm();
    Map<String, OnnxMl.ModelProto> one = OnnxExporter.export(s, TestModels.randomWeights(s, 1, 1), 17, p);
    assertEquals(List.of(ModelForm.MODEL), List.copyOf(one.keySet()));
    assertEquals(OnnxExporter.export(s, TestModels.randomWeights(s, 1, 1), 17, p).get("model"), one.get(ModelForm.MODEL));
  }

  @Test
  void anOpset23ModelTheEvaluatorRejectsIsNotWritten(@TempDir Path dir) {
    OnnxMl.ModelProto good = forms(Seq2SeqFormsTest.transformer(), 23).get(ModelForm.ENCODER);
    OnnxMl.GraphProto.Builder g = good.getGraph().toBuilder();
    for (int i = 0; i < g.getNodeCount(); i++) {
      if (g.getNode(i).getOpType().equals("Attention")) {
        OnnxMl.NodeProto.Builder n = g.getNode(i).toBuilder();
        n.clearAttribute();
        g.setNode(i, n);
        break;
      }
    }
    OnnxMl.ModelProto bad = good.toBuilder().setGraph(g).build();
    Path file = dir.resolve("bad.onnx");
    OnnxExportException e = assertThrows(OnnxExportException.class, () -> OnnxExporter.write(bad, file));
    assertTrue(e.getMessage().contains("fails the reference evaluator's check")
        && e.getMessage().contains("3-D inputs need q_num_heads and kv_num_heads"), e.getMessage());
    assertFalse(Files.exists(file));
  }
}
