package dev.rnnx.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import dev.rnnx.onnx.OnnxInterface;
import dev.rnnx.onnx.OnnxModels;
import java.nio.file.Path;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Localisation in an ONNX graph rnnx did not write: PyTorch's own export of an LSTM tagger
 * ({@code torch_lstm/torch_lstm.onnx}, made by {@code make_fixture.py} beside it), whose LSTM
 * recurrence weights R are scaled by 1.01 in a copy. Against the pure-Java evaluation of the
 * original, the copy fails, and the locator names the LSTM node, the first step where its state
 * departs (t=1: the initial state is zero, so R does not act at t=0) and the gates.
 */
class LocaliseAnyGraphTest {

  static final Path FIXTURE = Path.of("src/test/resources/dev/rnnx/verify/torch_lstm/torch_lstm.onnx");

  static OnnxMl.NodeProto lstm(OnnxMl.ModelProto m) {
    return m.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("LSTM")).findFirst().orElseThrow();
  }

  @Test
  void torchLstmWithRecurrenceWeightsScaledIsCaughtAndLocalisedToNodeStepAndGate(@TempDir Path dir) throws Exception {
    OnnxMl.ModelProto original = OnnxModels.read(FIXTURE);
    OnnxMl.NodeProto node = lstm(original);
    Path tampered = CorruptRecurrentWeight.scaleRecurrence(FIXTURE, dir.resolve("tampered.onnx"), 1.01f);
    List<ParityCase> cases = ParityInputs.forGraph(OnnxInterface.of(original), 0);
    try (OnnxReferenceBackend reference = new OnnxReferenceBackend(FIXTURE);
        OnnxReferenceBackend candidate = new OnnxReferenceBackend(tampered)) {
      ParityResult p = ParityVerifier.verify(reference, List.of(candidate), cases, ParityCriteria.of(Criterion.DEFAULT));
      assertEquals(Verdict.FAILED, p.verdict());
      ElementwiseComparison first = p.comparisons().stream().filter(c -> !c.passed()).findFirst().orElseThrow();
      ParityCase pc = cases.stream().filter(c -> c.name().equals(first.caseName())).findFirst().orElseThrow();
      Divergence d = GraphDivergenceLocator.locate(reference, candidate, pc, Criterion.DEFAULT);
      assertEquals("/lstm/LSTM", node.getName(), "torch.onnx's name for the node");
      assertEquals("/lstm/LSTM", d.layer(), d.message());
      assertEquals("/lstm/LSTM_output_0", d.value(), d.message());
      assertEquals(0, d.sequence(), d.message());
      assertEquals(1, d.step(), d.message());
      assertEquals(8, d.length(), d.message());
      assertEquals(List.of("i", "f", "c", "o"), d.gateNames(), "R feeds every gate: " + d.message());
      assertTrue(d.stepErrors()[0] == 0 && d.stepErrors()[1] > 1e-5, "zero initial state: R acts from t=1");
      assertTrue(d.message().contains("gate i first in canonical order"), d.message());
    }
  }

  @Test
  void theIntactExportAgreesValueByValue() {
    List<ParityCase> cases = ParityInputs.forGraph(OnnxInterface.of(OnnxModels.read(FIXTURE)), 0);
    try (OnnxReferenceBackend reference = new OnnxReferenceBackend(FIXTURE);
        OnnxReferenceBackend candidate = new OnnxReferenceBackend(FIXTURE)) {
      ParityResult p = ParityVerifier.verify(reference, List.of(candidate), cases, ParityCriteria.of(Criterion.DEFAULT));
      assertTrue(p.passed());
      assertEquals(Verdict.UNVERIFIED, p.verdict(), "the evaluator agreeing with itself is a consistency check");
      Divergence d = GraphDivergenceLocator.locate(reference, candidate, cases.get(1), Criterion.DEFAULT);
      assertNull(d.layer(), d.message());
      assertEquals("ref-onnx (" + cases.get(1).name() + "): every traced value is within tolerance", d.message());
    }
  }

  /**
   * A runtime that computes the file's LSTM differently: it runs the file like the evaluator, but
   * its LSTM's Y is off by 1e-3 from step 2 on (as a kernel bug would be), and so is everything after.
   */
  private record SkewedRuntime(Path file) implements OnnxFileBackend {
    @Override
    public String name() {
      return "skewed-ort";
    }

    @Override
    public Map<String, FloatTensor> run(Map<String, ? extends Tensor> inputs) {
      try (OnnxReferenceBackend exact = new OnnxReferenceBackend(file)) {
        Map<String, FloatTensor> out = new LinkedHashMap<>(exact.run(inputs));
        FloatTensor y = out.get("/lstm/LSTM_output_0");
        if (y != null) {
          float[] v = y.data().clone();
          int perStep = v.length / (int) y.dim(0);
          for (int i = 2 * perStep; i < v.length; i++) {
            v[i] += 1e-3f;
          }
          out.put("/lstm/LSTM_output_0", new FloatTensor(y.shape(), v));
        }
        return out;
      }
    }

    @Override
    public Path onnxFile() {
      return file;
    }

    @Override
    public Backend reopen(Path otherOnnx) {
      return new SkewedRuntime(otherOnnx);
    }
  }

  @Test
  void aRuntimeThatComputesTheNodeDifferentlyIsToldFromAFileThatDiffers() {
    List<ParityCase> cases = ParityInputs.forGraph(OnnxInterface.of(OnnxModels.read(FIXTURE)), 0);
    try (OnnxReferenceBackend reference = new OnnxReferenceBackend(FIXTURE)) {
      Divergence d = GraphDivergenceLocator.locate(reference, new SkewedRuntime(FIXTURE), cases.get(1), Criterion.DEFAULT);
      assertEquals("/lstm/LSTM", d.layer(), d.message());
      assertEquals(2, d.step(), d.message());
      assertEquals(List.of(), d.gateNames(), "the file's weights are the reference's: " + d.message());
      assertTrue(d.message().endsWith("every gate agrees: the candidate's runtime computes the node differently from the"
          + " file's semantics"), d.message());
    }
  }
}
