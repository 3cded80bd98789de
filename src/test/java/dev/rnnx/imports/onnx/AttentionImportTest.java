package dev.rnnx.imports.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import dev.rnnx.imports.ImportException;
import dev.rnnx.imports.ImportedModel;
import dev.rnnx.onnx.OnnxModels;
import dev.rnnx.spec.FeedForwardActivation;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Layer;
import dev.rnnx.spec.MultiHeadAttention;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.TransformerEncoder;
import dev.rnnx.tensorio.TypedTensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * PyTorch's {@code MultiheadAttention} as self-attention lifted into {@code multi_head_attention}
 * (the numbers against PyTorch are in {@link OnnxImporterTest}, against TensorFlow and ORT in
 * {@code pipeline/OnnxImportParityTest}): the layers and canonical weights, and the refusals of
 * cross-attention and of a residual around a standalone attention; PyTorch's TransformerEncoderLayer
 * in its pre-norm and gelu forms lifted into {@code transformer_encoder}.
 */
class AttentionImportTest {

  @TempDir
  Path dir;

  private static List<String> kinds(ImportedModel m) {
    return ((Sequential) m.model()).layers().stream().map(Layer::kind).toList();
  }

  private static MultiHeadAttention attention(ImportedModel m) {
    return (MultiHeadAttention) ((Sequential) m.model()).layers().stream()
        .filter(l -> l instanceof MultiHeadAttention).findFirst().orElseThrow();
  }

  private static TypedTensor initializer(String fixture, int opset, String name) throws IOException {
    OnnxMl.ModelProto m = OnnxModels.read(TorchFixtures.model(fixture, opset));
    OnnxGraph g = new OnnxGraph(TorchFixtures.model(fixture, opset), m.getGraph());
    return g.initializer(name);
  }

  @ParameterizedTest
  @ValueSource(ints = {13, 17})
  void batchFirstAttentionWithBiasesLiftsIntoOneLayerWithPyTorchsWeights(int opset) throws IOException {
    ImportedModel m = new OnnxImporter().read(TorchFixtures.model("mha", opset));
    assertEquals(List.of("dense", "multi_head_attention", "dense"), kinds(m));
    MultiHeadAttention a = attention(m);
    assertEquals(2, a.heads());
    assertEquals(2, a.keyDim());
    assertEquals(false, a.causal());
    String p = a.name() + "/";
    // PyTorch's in_proj_bias [12] is the query, key and value biases in turn
    float[] inBias = initializer("mha", opset, "mha.in_proj_bias").toFloat().data();
    assertArrayEquals(java.util.Arrays.copyOfRange(inBias, 0, 4), m.weights().get(p + "query/bias").data());
    assertArrayEquals(java.util.Arrays.copyOfRange(inBias, 8, 12), m.weights().get(p + "value/bias").data());
    // out_proj.weight [out, in] (Gemm transB) becomes Keras's kernel [in, out]
    FloatTensor w = initializer("mha", opset, "mha.out_proj.weight").toFloat();
    FloatTensor k = m.weights().get(p + "output/kernel");
    assertArrayEquals(new long[] {4, 4}, k.shape());
    for (int i = 0; i < 4; i++) {
      for (int j = 0; j < 4; j++) {
        assertEquals(w.data()[j * 4 + i], k.data()[i * 4 + j]);
      }
    }
    assertArrayEquals(initializer("mha", opset, "mha.out_proj.bias").toFloat().data(), m.weights().get(p + "output/bias").data());
    assertTrue(m.notes().stream().noneMatch(n -> n.contains("swap")), m.notes().toString());
  }

  @ParameterizedTest
  @ValueSource(ints = {13, 17})
  void timeMajorAttentionWithoutBiasesAfterAnLstmHasZeroBiases(int opset) {
    ImportedModel m = new OnnxImporter().read(TorchFixtures.model("mha_lstm", opset));
    assertEquals(List.of("lstm", "multi_head_attention", "dense"), kinds(m));
    assertTrue(m.notes().stream().anyMatch(n -> n.contains("swap the first two axes")), m.notes().toString());
    String p = attention(m).name() + "/";
    for (String part : List.of("query", "key", "value", "output")) {
      assertArrayEquals(new float[4], m.weights().get(p + part + "/bias").data(), part);
      FloatTensor kernel = m.weights().get(p + part + "/kernel");
      assertArrayEquals(new long[] {4, 4}, kernel.shape());
      double sum = 0;
      for (float v : kernel.data()) {
        sum += Math.abs(v);
      }
      assertTrue(sum > 0, part);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {13, 17})
  void crossAttentionIsRefusedAtItsSoftmaxSayingWhy(int opset) {
    Path f = TorchFixtures.model("mha_cross", opset);
    ImportException e = assertThrows(ImportException.class, () -> new OnnxImporter().read(f));
    String msg = e.getMessage();
    assertTrue(msg.startsWith(f + ": node '/mha/Softmax' (Softmax): cross-attention (query from '"), msg);
    assertTrue(msg.contains("rnnx's multi_head_attention is self-attention") && !msg.contains("\n"), msg);
  }

  private static List<TransformerEncoder> encoders(ImportedModel m) {
    return ((Sequential) m.model()).layers().stream().filter(l -> l instanceof TransformerEncoder)
        .map(l -> (TransformerEncoder) l).toList();
  }

  @ParameterizedTest
  @ValueSource(ints = {13, 17})
  void aPreNormEncoderLayerLiftsIntoANormFirstEncoderWithItsNorms(int opset) throws IOException {
    ImportedModel m = new OnnxImporter().read(TorchFixtures.model("encoder_prenorm", opset));
    assertEquals(List.of("transformer_encoder"), kinds(m));
    TransformerEncoder t = encoders(m).get(0);
    assertEquals(List.of(2, 8, true, FeedForwardActivation.RELU), List.of(t.heads(), t.ffDim(), t.normFirst(), t.activation()));
    assertEquals(1e-5, t.epsilon(), 0);
    if (opset == 17) { // norm1 normalises the attention's input, norm2 the feed-forward part's
      assertArrayEquals(initializer("encoder_prenorm", 17, "layer.norm1.weight").toFloat().data(),
          m.weights().get(t.name() + "/attention_norm/gamma").data());
      assertArrayEquals(initializer("encoder_prenorm", 17, "layer.norm2.bias").toFloat().data(),
          m.weights().get(t.name() + "/ffn_norm/beta").data());
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {13, 17})
  void geluEncodersLiftWithTheirActivationAndAStacksFinalNormAsALayerNorm(int opset) {
    ImportedModel post = new OnnxImporter().read(TorchFixtures.model("encoder_gelu", opset));
    assertEquals(List.of("transformer_encoder"), kinds(post));
    assertEquals(List.of(false, FeedForwardActivation.GELU),
        List.of(encoders(post).get(0).normFirst(), encoders(post).get(0).activation()));
    ImportedModel stack = new OnnxImporter().read(TorchFixtures.model("encoder_prenorm_stack", opset));
    assertEquals(List.of("transformer_encoder", "transformer_encoder", "layer_normalization"), kinds(stack));
    for (TransformerEncoder t : encoders(stack)) {
      assertEquals(List.of(2, 8, true, FeedForwardActivation.GELU), List.of(t.heads(), t.ffDim(), t.normFirst(), t.activation()));
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {13, 17})
  void aResidualAroundAStandaloneAttentionIsRefusedAtItsAdd(int opset) {
    Path f = TorchFixtures.model("mha_residual", opset);
    ImportException e = assertThrows(ImportException.class, () -> new OnnxImporter().read(f));
    String msg = e.getMessage();
    assertTrue(msg.startsWith(f + ": node '/Add' (Add): adds the attention's input back to its output"), msg);
    assertTrue(msg.contains("outside a whole TransformerEncoderLayer") && !msg.contains("\n")
        && msg.contains("supported: PyTorch's MultiheadAttention as self-attention"), msg);
  }

  @org.junit.jupiter.api.Test
  void maskedAttentionIsRefusedAtItsSoftmax() throws IOException {
    // a constant added to the scores before the Softmax, as PyTorch writes attn_mask
    OnnxMl.ModelProto.Builder m = OnnxModels.read(TorchFixtures.model("mha", 17)).toBuilder();
    OnnxMl.GraphProto.Builder graph = m.getGraphBuilder();
    int softmax = 0;
    while (!graph.getNode(softmax).getOpType().equals("Softmax")) {
      softmax++;
    }
    String scores = graph.getNode(softmax).getInput(0);
    graph.addInitializer(OnnxMl.TensorProto.newBuilder().setName("mask").setDataType(1).addFloatData(-1f));
    graph.setNode(softmax, graph.getNode(softmax).toBuilder().setInput(0, "masked"));
    graph.addNode(softmax, OnnxMl.NodeProto.newBuilder().setOpType("Add").setName("/mha/Add_mask")
        .addInput(scores).addInput("mask").addOutput("masked"));
    Path f = dir.resolve("masked.onnx");
    java.nio.file.Files.write(f, m.build().toByteArray());
    ImportException e = assertThrows(ImportException.class, () -> new OnnxImporter().read(f));
    assertTrue(e.getMessage().startsWith(f + ": node '/mha/Softmax' (Softmax): attention with a mask"), e.getMessage());
  }

  @org.junit.jupiter.api.Test
  void attentionThatComputesSomethingElseIsRefusedByTheNumericCheck() throws IOException {
    Path f = TorchFixtures.rescaled("mha", dir.resolve("rescaled.onnx"));
    ImportException e = assertThrows(ImportException.class, () -> new OnnxImporter().read(f));
    assertTrue(e.getMessage().contains("does not compute what rnnx's layers compute"), e.getMessage());
  }
  @org.junit.jupiter.api.Test
  void onnxsGeluOpLiftsAsTheExactGeluAndItsTanhFormIsRefused() throws IOException {
    ImportedModel erf = new OnnxImporter().read(TorchFixtures.model("encoder_gelu", 17));
    Path exact = dir.resolve("gelu_op.onnx");
    java.nio.file.Files.write(exact, geluOp("none").toByteArray());
    ImportedModel op = new OnnxImporter().read(exact); // the importer's numeric check runs the Gelu node too
    assertEquals(FeedForwardActivation.GELU, encoders(op).get(0).activation());
    assertEquals(erf.weights(), op.weights());
    var ref = dev.rnnx.ref.ReferenceForms.form(op.model(), op.weights(), dev.rnnx.spec.ModelForm.MODEL);
    for (dev.rnnx.tensorio.TestDataSet set : TorchFixtures.sets("encoder_gelu", 17)) {
      FloatTensor got = ref.run(TorchFixtures.modelInputs("encoder_gelu", (Sequential) op.model(), set)).get("output");
      FloatTensor want = (FloatTensor) TorchFixtures.batchMajor("encoder_gelu", set.outputs().values().iterator().next());
      assertTrue(TorchFixtures.maxAbs(got, want) <= 1e-5, "max abs error " + TorchFixtures.maxAbs(got, want));
    }
    Path tanh = dir.resolve("gelu_tanh.onnx");
    java.nio.file.Files.write(tanh, geluOp("tanh").toByteArray());
    ImportException e = assertThrows(ImportException.class, () -> new OnnxImporter().read(tanh));
    assertTrue(e.getMessage().startsWith(tanh + ": node '/layer/Gelu' (Gelu): the feed-forward activation"
        + " Gelu(approximate='tanh') is not supported"), e.getMessage());
  }

  /** The post-norm gelu fixture with PyTorch's {@code x·0.5·(1 + Erf(x/√2))} replaced by ONE opset-20 {@code Gelu} node. */
  private static OnnxMl.ModelProto geluOp(String approximate) throws IOException {
    OnnxMl.ModelProto.Builder m = OnnxModels.read(TorchFixtures.model("encoder_gelu", 17)).toBuilder();
    OnnxMl.GraphProto.Builder graph = m.getGraphBuilder();
    java.util.Map<String, OnnxMl.NodeProto> producer = new java.util.HashMap<>();
    graph.getNodeList().forEach(n -> n.getOutputList().forEach(o -> producer.put(o, n)));
    int erf = 0;
    while (!graph.getNode(erf).getOpType().equals("Erf")) {
      erf++;
    }
    OnnxMl.NodeProto div = producer.get(graph.getNode(erf).getInput(0));
    String h = div.getInput(0);
    java.util.Set<String> after = new java.util.HashSet<>(graph.getNode(erf).getOutputList());
    java.util.Set<OnnxMl.NodeProto> gone = new java.util.HashSet<>(List.of(div, graph.getNode(erf)));
    String out = null;
    for (int i = erf + 1; i < graph.getNodeCount() && out == null; i++) {
      OnnxMl.NodeProto n = graph.getNode(i);
      if (n.getInputList().stream().anyMatch(after::contains)) {
        if (n.getOpType().equals("MatMul")) {
          out = n.getInput(0);
        } else {
          after.addAll(n.getOutputList());
          gone.add(n);
        }
      }
    }
    List<OnnxMl.NodeProto> kept = new java.util.ArrayList<>();
    for (OnnxMl.NodeProto n : graph.getNodeList()) {
      if (n == div) {
        kept.add(OnnxMl.NodeProto.newBuilder().setOpType("Gelu").setName("/layer/Gelu").addInput(h).addOutput(out)
            .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("approximate").setType(
                OnnxMl.AttributeProto.AttributeType.STRING).setS(com.google.protobuf.ByteString.copyFromUtf8(approximate)))
            .build());
      } else if (!gone.contains(n)) {
        kept.add(n);
      }
    }
    graph.clearNode().addAllNode(kept);
    m.setIrVersion(9).clearOpsetImport().addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(20));
    return m.build();
  }
}
