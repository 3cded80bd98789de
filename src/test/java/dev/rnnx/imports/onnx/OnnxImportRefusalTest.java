package dev.rnnx.imports.onnx;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import dev.rnnx.imports.ImportException;
import dev.rnnx.onnx.OnnxModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files the importer refuses, each with one message naming the file and the node, and what is supported. */
class OnnxImportRefusalTest {

  @TempDir
  Path dir;

  private Path edited(String fixture, UnaryOperator<OnnxMl.ModelProto.Builder> edit) throws IOException {
    OnnxMl.ModelProto m = OnnxModels.read(TorchFixtures.model(fixture, 13));
    Path out = dir.resolve(fixture + "-edited.onnx");
    Files.write(out, edit.apply(m.toBuilder()).build().toByteArray());
    return out;
  }

  /** The fixture with its first {@code op} node changed by {@code change}. */
  private Path editedNode(String fixture, String op, UnaryOperator<OnnxMl.NodeProto.Builder> change) throws IOException {
    return edited(fixture, m -> {
      int i = nodeIndex(m, op);
      m.getGraphBuilder().setNode(i, change.apply(m.getGraph().getNode(i).toBuilder()));
      return m;
    });
  }

  private static int nodeIndex(OnnxMl.ModelProto.Builder m, String op) {
    for (int i = 0; i < m.getGraph().getNodeCount(); i++) {
      if (m.getGraph().getNode(i).getOpType().equals(op)) {
        return i;
      }
    }
    throw new AssertionError("no " + op);
  }

  private static String refusal(Path file) {
    ImportException e = assertThrows(ImportException.class, () -> new OnnxImporter().read(file));
    assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    assertTrue(!e.getMessage().contains("\n"), e.getMessage());
    return e.getMessage();
  }

  @Test
  void anUnsupportedOpIsNamedWithWhatIsSupported() throws IOException {
    Path f = editedNode("gru_tagger", "Add", n -> n.setOpType("Erf").setName("/linear/Erf"));
    String msg = refusal(f);
    assertTrue(msg.contains("node '/linear/Erf' (Erf)") && msg.contains("supported: LSTM, GRU, RNN"), msg);
  }

  @Test
  void anOpOfAnotherDomainIsNamedWithItsDomain() throws IOException {
    Path f = editedNode("gru_tagger", "GRU", n -> n.setDomain("com.microsoft"));
    String msg = refusal(f);
    assertTrue(msg.contains("com.microsoft.GRU") && msg.contains("domain 'com.microsoft'"), msg);
  }

  @Test
  void anUnsupportedActivationListsTheSupportedOnes() throws IOException {
    Path f = editedNode("lstm", "LSTM", n -> n.addAttribute(OnnxMl.AttributeProto.newBuilder()
          .setName("activations").setType(OnnxMl.AttributeProto.AttributeType.STRINGS)
          .addStrings(ByteString.copyFromUtf8("Sigmoid")).addStrings(ByteString.copyFromUtf8("LeakyRelu"))
          .addStrings(ByteString.copyFromUtf8("LeakyRelu"))));
    String msg = refusal(f);
    assertTrue(msg.contains("(LSTM)") && msg.contains("'LeakyRelu'") && msg.contains("supported: Sigmoid, Tanh"), msg);
  }

  @Test
  void anUnsupportedAttributeIsNamed() throws IOException {
    Path f = editedNode("lstm", "LSTM", n -> n.addAttribute(OnnxMl.AttributeProto.newBuilder()
          .setName("clip").setType(OnnxMl.AttributeProto.AttributeType.FLOAT).setF(3f)));
    String msg = refusal(f);
    assertTrue(msg.contains("(LSTM)") && msg.contains("'clip'") && msg.contains("supported: hidden_size"), msg);
  }

  @Test
  void weightsThatContradictTheGraphAreRefused() throws IOException {
    Path f = edited("lstm", m -> {
      for (int i = 0; i < m.getGraph().getInitializerCount(); i++) {
        OnnxMl.TensorProto t = m.getGraph().getInitializer(i);
        if (t.getDimsCount() == 3 && t.getDims(2) == 3) {
          // W [1, 16, 3] cut to [1, 12, 3]: three gate blocks of a hidden size of 4, not four
          float[] keep = new float[36];
          m.getGraphBuilder().setInitializer(i, t.toBuilder().clearDims().addAllDims(Arrays.asList(1L, 12L, 3L))
              .setRawData(ByteString.copyFrom(java.nio.ByteBuffer.allocate(4 * keep.length).array())));
        }
      }
      return m;
    });
    String msg = refusal(f);
    assertTrue(msg.contains("(LSTM)") && msg.contains("weights W have shape [1, 12, 3], expected [1, 16, 3]"), msg);
  }

  @Test
  void aDenseKernelThatDoesNotFitItsInputIsRefused() throws IOException {
    Path f = edited("classifier", m -> {
      for (int i = 0; i < m.getGraph().getInitializerCount(); i++) {
        OnnxMl.TensorProto t = m.getGraph().getInitializer(i);
        if (t.getName().equals("linear.weight")) {
          m.getGraphBuilder().setInitializer(i, t.toBuilder().clearDims().addAllDims(Arrays.asList(5L, 3L)));
        }
      }
      return m;
    });
    String msg = refusal(f);
    assertTrue(msg.contains("(Gemm)") && msg.contains("does not fit the input width 5"), msg);
  }

  @Test
  void aTruncatedFileIsRefusedNamingIt() throws IOException {
    byte[] bytes = Files.readAllBytes(TorchFixtures.model("bilstm", 17));
    Path f = dir.resolve("cut.onnx");
    Files.write(f, Arrays.copyOf(bytes, bytes.length / 2));
    String msg = refusal(f);
    assertTrue(msg.contains("truncated"), msg);
  }

  @Test
  void aTransformerBlockThatComputesSomethingElseIsRefusedByTheNumericCheck() throws IOException {
    Path f = TorchFixtures.rescaled("transformer", dir.resolve("rescaled.onnx"));
    String msg = refusal(f);
    assertTrue(msg.contains("does not compute what rnnx's layers compute"), msg);
  }
}
