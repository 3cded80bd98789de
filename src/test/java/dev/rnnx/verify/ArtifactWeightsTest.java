package dev.rnnx.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.pipeline.EngineBackends;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The weight comparison of {@code verify --onnx F --saved-model D}: both artifacts lifted into the
 * canonical layout and compared parameter by parameter ({@link ArtifactWeights}), through the Java
 * API ({@link Verification#verifyArtifacts}) and directly.
 */
class ArtifactWeightsTest {

  @Test
  void anRnnxPairWithOneGateBlockOfTheRecurrenceScaledNamesLayerParameterAndGate(@TempDir Path dir) throws Exception {
    Path onnx = ArtifactPairs.sineLstm(dir);
    Path savedModel = dir.resolve("saved_model");
    // ONNX block 2 of i, o, f, c is the forget gate: canonical block f of i, f, c, o
    Path broken = ArtifactPairs.scaleGateBlock(onnx, dir.resolve("broken.onnx"), 2, 1.01f);

    WeightComparison w = ArtifactWeights.compare(broken, savedModel);
    assertEquals(WeightComparison.DIFFER, w.status(), w.describe());
    assertEquals(5, w.compared());
    assertEquals(1, w.differing());
    WeightComparison.FirstDifference f = w.first();
    assertEquals("lstm", f.layer());
    assertEquals("recurrent_kernel", f.parameter());
    assertEquals("f", f.gateBlock());
    assertEquals("i, f, c, o", f.gateOrder());
    assertEquals(0, f.unit());
    // recurrent_kernel is [20, 80]: the first scaled value is row 0, column 20 (block f, unit 0)
    assertArrayEquals(new long[] {0, 20}, f.index());
    assertEquals(f.savedModelValue() * 1.01f, f.onnxValue(), 1e-7);
    assertEquals(400, f.differingValues()); // 20 × 20 values of one gate block, none of them zero
    assertEquals(0.01 * f.savedModelValue(), f.onnxValue() - f.savedModelValue(), 1e-6);
    assertTrue(w.describe().startsWith("weights differ: 1 of 5 parameters; first differing: layer 'lstm', parameter"
        + " recurrent_kernel, gate block f (canonical order i, f, c, o), unit 0, element [0, 20]: "), w.describe());
    assertTrue(w.onnxSide().startsWith("lifted by the ONNX importer"), w.onnxSide());
    assertEquals("lifted through its recorded rnnx recipe", w.savedModelSide());

    // the intact pair: the same bits on both sides
    WeightComparison same = ArtifactWeights.compare(onnx, savedModel);
    assertEquals(WeightComparison.IDENTICAL, same.status(), same.describe());
    assertEquals(0, same.differing());
    assertEquals(0.0, same.maxAbsDiff());
    assertNull(same.first());
    assertTrue(same.describe().startsWith("weights identical: all 5 parameters equal bit for bit"), same.describe());
  }

  @Test
  void theJavaApiCarriesTheComparisonIntoTheReportAndReportJson(@TempDir Path dir) throws Exception {
    Path onnx = ArtifactPairs.sineLstm(dir);
    Path broken = ArtifactPairs.scaleGateBlock(onnx, dir.resolve("broken.onnx"), 1, 1.01f); // o
    VerifyOptions options = VerifyOptions.builder().backends(List.of("djl-ort")).isolate(false).build();
    VerifyReport r = Verification.verifyArtifacts(broken, dir.resolve("saved_model"), options, EngineBackends.INSTANCE);
    assertEquals("o", r.weights().first().gateBlock());
    assertEquals("recurrent_kernel", r.weights().first().parameter());
    assertTrue(r.text().replace("\n  ", " ").contains("weights differ: 1 of 5 parameters; first differing: layer 'lstm', parameter"
        + " recurrent_kernel, gate block o (canonical order i, f, c, o), unit 0"), r.text());
    assertTrue(r.text().lines().allMatch(l -> l.length() <= 100), r.text());
    @SuppressWarnings("unchecked")
    java.util.Map<String, Object> json = (java.util.Map<String, Object>) VerifyReports.toJson(r).get("weights");
    assertEquals("differ", json.get("status"));
    assertEquals(1, json.get("differing"));
    @SuppressWarnings("unchecked")
    java.util.Map<String, Object> first = (java.util.Map<String, Object>) json.get("first");
    assertEquals("o", first.get("gate_block"));
    assertEquals(0, first.get("unit"));
    String html = HtmlReport.render(r);
    assertTrue(html.contains("<b class=fail>Weights differ.</b>"), html);
    assertTrue(html.contains("<tr><th class=l>gate block</th><td class=l>o (canonical order i, f, c, o), unit 0</td></tr>"),
        html);
  }

  @Test
  void aSideThatCannotBeLiftedIsSaidInOneLineAndNothingThrows(@TempDir Path dir) throws Exception {
    Path onnx = ArtifactPairs.sineLstm(dir);
    Path notSavedModel = Files.createDirectories(dir.resolve("empty"));
    WeightComparison w = ArtifactWeights.compare(onnx, notSavedModel);
    assertEquals(WeightComparison.NOT_COMPARED, w.status());
    assertEquals("not lifted: " + notSavedModel.resolve("saved_model.pb") + ": no such file, expected a SavedModel's"
        + " saved_model.pb", w.savedModelSide());
    assertTrue(w.describe().startsWith("weights not compared: ONNX file: lifted by the ONNX importer"), w.describe());
    assertEquals(1, w.describe().lines().count());

    Path corrupt = Files.createDirectories(dir.resolve("corrupt").resolve("variables"));
    Files.write(corrupt.resolve("variables.index"), new byte[] {1, 2, 3});
    WeightComparison c = ArtifactWeights.compare(onnx, corrupt.getParent());
    assertEquals(WeightComparison.NOT_COMPARED, c.status());
    assertTrue(c.savedModelSide().startsWith("not lifted: " + corrupt.resolve("variables.index") + ": not a TensorFlow"
        + " checkpoint index"), c.savedModelSide());
    Files.write(corrupt.resolve("variables.index"), new byte[64]);
    Files.write(corrupt.getParent().resolve("saved_model.pb"), new byte[] {(byte) 0xff, (byte) 0xff, 1});
    c = ArtifactWeights.compare(onnx, corrupt.getParent());
    assertEquals("not lifted: " + corrupt.resolve("variables.index") + ": not a TensorFlow checkpoint index (no table"
        + " magic number)", c.savedModelSide());
    Files.delete(corrupt.resolve("variables.index"));
    c = ArtifactWeights.compare(onnx, corrupt.getParent());
    assertTrue(c.savedModelSide().startsWith("not lifted: " + corrupt.getParent().resolve("saved_model.pb") + ": not a"
        + " SavedModel proto ("), c.savedModelSide());

    Path garbage = Files.writeString(dir.resolve("garbage.onnx"), "not a model");
    WeightComparison g = ArtifactWeights.compare(garbage, dir.resolve("saved_model"));
    assertEquals(WeightComparison.NOT_COMPARED, g.status());
    assertTrue(g.onnxSide().startsWith("not lifted: "), g.onnxSide());
    assertEquals("lifted through its recorded rnnx recipe", g.savedModelSide());
  }

  @Test
  void aTorchGruLiftedFromBothFilesNamesItsGateInGruOrder(@TempDir Path dir) throws Exception {
    Path gru = Path.of("src/test/fixtures/torch/gru_opset17/model.onnx");
    // ONNX block 1 of z, r, h is r, in the canonical order too
    Path broken = ArtifactPairs.scaleGateBlock(gru, dir.resolve("broken.onnx"), 1, 1.01f);
    dev.rnnx.imports.ImportedModel a = new dev.rnnx.imports.onnx.OnnxImporter().read(broken);
    dev.rnnx.imports.ImportedModel b = new dev.rnnx.imports.onnx.OnnxImporter().read(gru);
    WeightComparison w = ArtifactWeights.compare(a, b, "broken", "intact");
    assertEquals(WeightComparison.DIFFER, w.status(), w.describe());
    assertEquals("recurrent_kernel", w.first().parameter());
    assertEquals("r", w.first().gateBlock());
    assertEquals("z, r, h", w.first().gateOrder());
    assertEquals(4, w.first().index()[1]); // GRU(3, 4): block r starts at column 4
    assertEquals(WeightComparison.IDENTICAL, ArtifactWeights.compare(b, b, "intact", "intact").status());
  }

  @Test
  void aTorchBidirectionalLstmNamesTheDirectionWithTheParameter(@TempDir Path dir) throws Exception {
    Path bilstm = Path.of("src/test/fixtures/torch/bilstm_opset17/model.onnx");
    Path broken = ArtifactPairs.scaleGateBlock(bilstm, dir.resolve("broken.onnx"), 3, 1.01f); // ONNX c: canonical c
    dev.rnnx.imports.ImportedModel a = new dev.rnnx.imports.onnx.OnnxImporter().read(broken);
    dev.rnnx.imports.ImportedModel b = new dev.rnnx.imports.onnx.OnnxImporter().read(bilstm);
    WeightComparison w = ArtifactWeights.compare(a, b, "broken", "intact");
    assertEquals(WeightComparison.DIFFER, w.status(), w.describe());
    assertEquals(2, w.differing(), w.describe()); // both directions' recurrent_kernel
    assertEquals("forward/recurrent_kernel", w.first().parameter());
    assertEquals("c", w.first().gateBlock());
  }
}
