package dev.rnnx.onnx;

import static dev.rnnx.onnx.BadGraphs.FLOAT;
import static dev.rnnx.onnx.BadGraphs.INT32;
import static dev.rnnx.onnx.BadGraphs.INT64;
import static dev.rnnx.onnx.BadGraphs.f;
import static dev.rnnx.onnx.BadGraphs.floats;
import static dev.rnnx.onnx.BadGraphs.i;
import static dev.rnnx.onnx.BadGraphs.ints;
import static dev.rnnx.onnx.BadGraphs.lstm;
import static dev.rnnx.onnx.BadGraphs.node;
import static dev.rnnx.onnx.BadGraphs.s;
import static dev.rnnx.onnx.BadGraphs.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelAssumptionsTest {

  private static final String LSTM = "bad.onnx: node 'lstm' (LSTM)";

  private static String refusal(OnnxMl.ModelProto m) {
    return assertThrows(KernelAssumptionException.class, () -> KernelAssumptions.check("bad.onnx", m)).getMessage();
  }

  private static BadGraphs validLstm() {
    return lstm(null).init("W", FLOAT, 1, 8, 3).init("R", FLOAT, 1, 8, 2).init("B", FLOAT, 1, 16);
  }

  @Test
  void everyGoldenModelPasses() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.walk(Path.of("models/golden"))) {
      files = s.filter(p -> p.toString().endsWith(".onnx")).sorted().toList();
    }
    assertTrue(files.size() >= 8, "golden models: " + files);
    for (Path p : files) {
      KernelAssumptions.check(p, OnnxModels.read(p));
    }
  }

  @Test
  void aValidLstmPasses() {
    KernelAssumptions.check("ok.onnx", validLstm().build());
    KernelAssumptions.check("ok.onnx", lstm(List.of("X", "W", "R", "", "", "h0"), s("direction", "bidirectional"),
        strings("activations", "Sigmoid", "Tanh", "Tanh")).init("W", FLOAT, 2, 8, 3).init("R", FLOAT, 2, 8, 2)
        .init("h0", FLOAT, 2, 1, 2).build());
  }

  @Test
  void recurrentWeightsOfTheWrongRankOrSize() {
    assertEquals(LSTM + " input 1 'W' (W): expected rank 3, got shape [8, 3]",
        refusal(lstm(null).init("W", FLOAT, 8, 3).init("R", FLOAT, 1, 8, 2).init("B", FLOAT, 1, 16).build()));
    assertEquals(LSTM + " input 2 'R' (R): expected shape [num_directions=1, 4·hidden_size=8, hidden_size=2], got [1, 8, 3]",
        refusal(lstm(null).init("W", FLOAT, 1, 8, 3).init("R", FLOAT, 1, 8, 3).init("B", FLOAT, 1, 16).build()));
    assertEquals(LSTM + " input 0 'X' (X): expected shape [seq_length, batch_size, input_size=4 (W's axis 2)], got [?, ?, 3]",
        refusal(lstm(null).init("W", FLOAT, 1, 8, 4).init("R", FLOAT, 1, 8, 2).init("B", FLOAT, 1, 16).build()));
    assertEquals(LSTM + " input 3 'B' (B): expected shape [num_directions=1, 2·4·hidden_size=16], got [1, 8]",
        refusal(lstm(null).init("W", FLOAT, 1, 8, 3).init("R", FLOAT, 1, 8, 2).init("B", FLOAT, 1, 8).build()));
    assertEquals(LSTM + " input 1 'W' (W): expected shape [num_directions=2, 4·hidden_size=8, input_size=3], got [1, 8, 3]",
        refusal(validLstm().build().toBuilder().setGraph(validLstm().build().getGraph().toBuilder().setNode(0,
            node("LSTM", "lstm", List.of("X", "W", "R", "B"), List.of("Y"), i("hidden_size", 2), s("direction", "bidirectional"))))
            .build()));
  }

  @Test
  void zeroAxesAndStatesAndPeepholes() {
    assertEquals(LSTM + " input 1 'W' (W): expected no zero axis, got shape [1, 8, 0]",
        refusal(lstm(null).init("W", FLOAT, 1, 8, 0).init("R", FLOAT, 1, 8, 2).init("B", FLOAT, 1, 16).build()));
    assertEquals(LSTM + " input 5 'h0' (initial_h): expected shape [num_directions=1, batch_size=?, hidden_size=2], got [1, 1, 3]",
        refusal(lstm(List.of("X", "W", "R", "", "", "h0")).init("W", FLOAT, 1, 8, 3).init("R", FLOAT, 1, 8, 2)
            .init("h0", FLOAT, 1, 1, 3).build()));
    assertEquals(LSTM + " input 7 'P' (P): expected shape [num_directions=1, 3·hidden_size=6], got [1, 4]",
        refusal(lstm(List.of("X", "W", "R", "", "", "", "", "P")).init("W", FLOAT, 1, 8, 3).init("R", FLOAT, 1, 8, 2)
            .init("P", FLOAT, 1, 4).build()));
    assertEquals(LSTM + " input 4 'L' (sequence_lens): expected element type int32, got int64",
        refusal(lstm(List.of("X", "W", "R", "", "L")).input("L", INT64, -1).init("W", FLOAT, 1, 8, 3).init("R", FLOAT, 1, 8, 2).build()));
  }

  @Test
  void requiredInputsGivenAsEmptyNamesOrTooMany() {
    assertEquals(LSTM + " input 2 '' (R): expected a tensor (a required input), got an empty name",
        refusal(lstm(List.of("X", "W", "", "B")).init("W", FLOAT, 1, 8, 3).init("B", FLOAT, 1, 16).build()));
    assertEquals(LSTM + ": expected at most 8 inputs, got 9",
        refusal(lstm(List.of("X", "W", "R", "", "", "", "", "", "")).init("W", FLOAT, 1, 8, 3).init("R", FLOAT, 1, 8, 2).build()));
  }

  @Test
  void attributes() {
    assertEquals(LSTM + " attribute 'activations': expected 3 names, got 0 []",
        refusal(validLstm().build().toBuilder().setGraph(graphWith(strings("activations"))).build()));
    assertEquals(LSTM + " attribute 'activation_alpha': expected at least one value when given (activations that read it: 0),"
        + " got an empty list", refusal(validLstm().build().toBuilder().setGraph(graphWith(floats("activation_alpha"))).build()));
    assertEquals(LSTM + " attribute 'activations': expected names among Relu, Tanh, Sigmoid, Affine, LeakyRelu, ThresholdedRelu,"
        + " ScaledTanh, HardSigmoid, Elu, Softsign, Softplus, got 'Gelu'",
        refusal(validLstm().build().toBuilder().setGraph(graphWith(strings("activations", "Sigmoid", "Gelu", "Tanh"))).build()));
    assertEquals(LSTM + " attribute 'direction': expected forward, reverse or bidirectional, got 'sideways'",
        refusal(validLstm().build().toBuilder().setGraph(graphWith(s("direction", "sideways"))).build()));
    assertEquals(LSTM + " attribute 'clip': expected a positive threshold, got -1.0",
        refusal(validLstm().build().toBuilder().setGraph(graphWith(f("clip", -1f))).build()));
    assertEquals(LSTM + " attribute 'hidden_size': expected INT, got FLOAT",
        refusal(validLstm().build().toBuilder().setGraph(validLstm().build().getGraph().toBuilder().setNode(0,
            node("LSTM", "lstm", List.of("X", "W", "R", "B"), List.of("Y"), f("hidden_size", 2f)))).build()));
    assertEquals(LSTM + " attribute 'hidden_size': expected a positive size, got 0",
        refusal(validLstm().build().toBuilder().setGraph(validLstm().build().getGraph().toBuilder().setNode(0,
            node("LSTM", "lstm", List.of("X", "W", "R", "B"), List.of("Y"), i("hidden_size", 0)))).build()));
  }

  private static OnnxMl.GraphProto graphWith(OnnxMl.AttributeProto extra) {
    OnnxMl.GraphProto g = validLstm().build().getGraph();
    return g.toBuilder().setNode(0, g.getNode(0).toBuilder().addAttribute(extra)).build();
  }

  @Test
  void gruAndRnn() {
    assertEquals("bad.onnx: node 'gru' (GRU) input 1 'W' (W): expected shape [num_directions=1, 3·hidden_size=6,"
        + " input_size=3], got [1, 8, 3]", refusal(new BadGraphs().input("X", FLOAT, -1, -1, 3).init("W", FLOAT, 1, 8, 3)
        .init("R", FLOAT, 1, 6, 2).node(node("GRU", "gru", List.of("X", "W", "R"), List.of("Y"), i("hidden_size", 2))).build()));
    assertEquals("bad.onnx: node 'rnn' (RNN) attribute 'activations': expected 1 names, got 2 [Tanh, Tanh]",
        refusal(new BadGraphs().input("X", FLOAT, -1, -1, 3).init("W", FLOAT, 1, 2, 3).init("R", FLOAT, 1, 2, 2)
            .node(node("RNN", "rnn", List.of("X", "W", "R"), List.of("Y"), strings("activations", "Tanh", "Tanh"))).build()));
    assertEquals("bad.onnx: node 'rnn' (RNN) input 1 'W' (W): expected element type float32 or float16 or double, got int32",
        refusal(new BadGraphs().input("X", FLOAT, -1, -1, 3).init("W", INT32, 1, 2, 3).init("R", FLOAT, 1, 2, 2)
            .node(node("RNN", "rnn", List.of("X", "W", "R"), List.of("Y"))).build()));
  }

  @Test
  void matrices() {
    assertEquals("bad.onnx: node 'gemm' (Gemm) input 1 'B' (B): expected K=3 rows to match A's columns, got shape [4, 5]",
        refusal(new BadGraphs().input("A", FLOAT, -1, 3).init("B", FLOAT, 4, 5).node(node("Gemm", "gemm", List.of("A", "B"),
            List.of("Y"))).build()));
    assertEquals("bad.onnx: node 'gemm' (Gemm) input 2 'C' (C): expected a shape broadcastable to [M=?, N=5], got shape [4]",
        refusal(new BadGraphs().input("A", FLOAT, -1, 3).init("B", FLOAT, 3, 5).init("C", FLOAT, 4)
            .node(node("Gemm", "gemm", List.of("A", "B", "C"), List.of("Y"))).build()));
    assertEquals("bad.onnx: node 'mm' (MatMul) input 1 'B' (B): expected rows (axis -2) 3 to match A's last axis, got shape [4, 5]",
        refusal(new BadGraphs().input("A", FLOAT, -1, -1, 3).init("B", FLOAT, 4, 5).node(node("MatMul", "mm", List.of("A", "B"),
            List.of("Y"))).build()));
    assertEquals("bad.onnx: node 'add' (Add) input 1 'c' (B): expected element type float32 (that of A), got int64",
        refusal(new BadGraphs().input("A", FLOAT, 2).init("c", INT64, 2).node(node("Add", "add", List.of("A", "c"),
            List.of("Y"))).build()));
    // the inner axis is carried through a Transpose
    assertEquals("bad.onnx: node 'mm' (MatMul) input 1 'B' (B): expected rows (axis -2) 7 to match A's last axis, got shape [3, 5]",
        refusal(new BadGraphs().input("A", FLOAT, 7, -1, 3).init("B", FLOAT, 3, 5)
            .node(node("Transpose", "t", List.of("A"), List.of("At"), ints("perm", 1, 2, 0)))
            .node(node("MatMul", "mm", List.of("At", "B"), List.of("Y"))).build()));
  }

  @Test
  void indexingShapesAndNormalisation() {
    assertEquals("bad.onnx: node 'g' (Gather) input 1 'ids' (indices): expected element type int32 or int64, got float32",
        refusal(new BadGraphs().input("ids", FLOAT, -1).init("T", FLOAT, 5, 2).node(node("Gather", "g", List.of("T", "ids"),
            List.of("Y"))).build()));
    assertEquals("bad.onnx: node 'g' (Gather) attribute 'axis': expected an axis in [-2, 1] (input rank 2), got 2",
        refusal(new BadGraphs().input("ids", INT64, -1).init("T", FLOAT, 5, 2).node(node("Gather", "g", List.of("T", "ids"),
            List.of("Y"), i("axis", 2))).build()));
    assertEquals("bad.onnx: node 'r' (Reshape) input 1 's' (shape): expected at most one -1, got [-1, -1]",
        refusal(new BadGraphs().input("X", FLOAT, 2, 3).longs("s", -1, -1).node(node("Reshape", "r", List.of("X", "s"),
            List.of("Y"))).build()));
    assertEquals("bad.onnx: node 'r' (Reshape) input 1 's' (shape): expected a shape of the input's 6 elements (input [2, 3]),"
        + " got [4, 2]", refusal(new BadGraphs().input("X", FLOAT, 2, 3).longs("s", 4, 2).node(node("Reshape", "r",
            List.of("X", "s"), List.of("Y"))).build()));
    assertEquals("bad.onnx: node 't' (Transpose) attribute 'perm': expected a permutation of 0..2 (input rank 3), got [1, 0]",
        refusal(new BadGraphs().input("X", FLOAT, 2, 3, 4).node(node("Transpose", "t", List.of("X"), List.of("Y"),
            ints("perm", 1, 0))).build()));
    assertEquals("bad.onnx: node 'sm' (Softmax) attribute 'axis': expected an axis in [-2, 1] (input rank 2), got -3",
        refusal(new BadGraphs().input("X", FLOAT, 2, 3).node(node("Softmax", "sm", List.of("X"), List.of("Y"), i("axis", -3)))
            .build()));
    assertEquals("bad.onnx: node 'ln' (LayerNormalization) input 1 'S' (Scale): expected 4 elements (X's axes from -1 of [?, ?, 4]),"
        + " got shape [3]", refusal(new BadGraphs().input("X", FLOAT, -1, -1, 4).init("S", FLOAT, 3)
            .node(node("LayerNormalization", "ln", List.of("X", "S"), List.of("Y"))).build()));
    assertEquals("bad.onnx: node 'c' (Conv) input 1 'W' (W): expected axis 1 = C/group = 4/2, got shape [4, 4, 3]",
        refusal(new BadGraphs().input("X", FLOAT, -1, 4, 10).init("W", FLOAT, 4, 4, 3).node(node("Conv", "c", List.of("X", "W"),
            List.of("Y"), i("group", 2))).build()));
    assertEquals("bad.onnx: node 'c' (Conv) attribute 'pads': expected 2 non-negative values (begin and end of each spatial axis),"
        + " got [1]", refusal(new BadGraphs().input("X", FLOAT, -1, 4, 10).init("W", FLOAT, 4, 4, 3).node(node("Conv", "c",
            List.of("X", "W"), List.of("Y"), ints("pads", 1))).build()));
  }

  @Test
  void squeezeWithoutAxesNeedsAKnownShape() {
    assertEquals("bad.onnx: node 'sq' (Squeeze): expected explicit axes: without them the output rank depends on the input's"
        + " sizes, and the input is [?, 1, 4]", refusal(new BadGraphs().input("X", FLOAT, -1, 1, 4)
            .node(node("Squeeze", "sq", List.of("X"), List.of("Y"))).build()));
    KernelAssumptions.check("ok.onnx", new BadGraphs().input("X", FLOAT, 2, 1, 4)
        .node(node("Squeeze", "sq", List.of("X"), List.of("Y"))).build());
    // the axis of a recurrent node's Y that is squeezed must be its num_directions axis, of size 1
    assertEquals("bad.onnx: node 'sq' (Squeeze) input 0 'Y' (data): expected size 1 at axis 3, got shape [?, 1, ?, 2]",
        refusal(validLstm().longs("axes", 3).node(node("Squeeze", "sq", List.of("Y", "axes"), List.of("Z"))).build()));
  }

  @Test
  void domainsAndStoredTensors() {
    OnnxMl.NodeProto custom = node("Attention", "att", List.of("X"), List.of("Y")).toBuilder().setDomain("com.microsoft").build();
    assertEquals("bad.onnx: node 'att' (Attention) is in domain 'com.microsoft', which rnnx does not run; expected the default"
        + " ONNX domain (ai.onnx) or ai.onnx.ml", refusal(new BadGraphs().input("X", FLOAT, 2).node(custom).build()));
    assertEquals("bad.onnx: initializer 'W' (float32 [2, 3]): expected 24 raw_data bytes, got 20",
        refusal(new BadGraphs().init(BadGraphs.tensor("W", FLOAT, 2, 3).setRawData(ByteString.copyFrom(new byte[20])).build())
            .input("X", FLOAT, 2).node(node("Identity", "id", List.of("X"), List.of("Y"))).build()));
    assertEquals("bad.onnx: initializer 'W' (float32 [2, 3]): expected 6 float_data values, got 5",
        refusal(new BadGraphs().init(BadGraphs.tensor("W", FLOAT, 2, 3).addAllFloatData(List.of(1f, 2f, 3f, 4f, 5f)).build())
            .input("X", FLOAT, 2).node(node("Identity", "id", List.of("X"), List.of("Y"))).build()));
    assertEquals("bad.onnx: initializer 'W': expected no negative axis, got dims [2, -3]",
        refusal(new BadGraphs().init(BadGraphs.tensor("W", FLOAT, 2, -3).build())
            .input("X", FLOAT, 2).node(node("Identity", "id", List.of("X"), List.of("Y"))).build()));
  }

  @Test
  void checksInsideSubgraphs() {
    BadGraphs body = new BadGraphs().input("X", FLOAT, 2, 3).longs("s", 4, 2)
        .node(node("Reshape", "inner", List.of("X", "s"), List.of("Y")));
    OnnxMl.AttributeProto branch = OnnxMl.AttributeProto.newBuilder().setName("then_branch")
        .setType(OnnxMl.AttributeProto.AttributeType.GRAPH).setG(body.build().getGraph()).build();
    assertTrue(refusal(new BadGraphs().input("c", 9).node(node("If", "if", List.of("c"), List.of("Z"), branch)).build())
        .startsWith("bad.onnx: node 'inner' (Reshape) input 1 's' (shape)"));
  }

  @Test
  void theOrtBackendRefusesBeforeOpeningASession(@TempDir Path dir) throws IOException {
    Path bad = dir.resolve("bad.onnx");
    Files.write(bad, lstm(null).init("W", FLOAT, 8, 3).init("R", FLOAT, 1, 8, 2).init("B", FLOAT, 1, 16).build().toByteArray());
    // OnnxInterface.read is what DjlModel (RnnxModel.load, djl-ort) reads a file with before DJL opens it
    KernelAssumptionException e = assertThrows(KernelAssumptionException.class, () -> OnnxInterface.read(bad));
    assertEquals(bad + ": node 'lstm' (LSTM) input 1 'W' (W): expected rank 3, got shape [8, 3]", e.getMessage());
    assertFalse(List.of(e.getStackTrace()).stream().anyMatch(f -> f.getClassName().startsWith("ai.onnxruntime")));
  }
}
