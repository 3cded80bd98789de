package dev.rnnx.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The three-valued verdict: agreement of one engine with itself (ONNX Runtime at another level or
 * through another API) is a consistency check and never makes a pass; a case and output no other
 * engine judged is listed with its reason, in every report; a failure still fails.
 */
class VerdictTest {

  /** A backend named like a real kind that returns {@code output = input * scale}. */
  private record Scaled(String name, float scale) implements Backend {
    @Override
    public Map<String, FloatTensor> run(Map<String, ? extends Tensor> inputs) {
      float[] x = ((FloatTensor) inputs.get("x")).data().clone();
      for (int i = 0; i < x.length; i++) {
        x[i] *= scale;
      }
      return Map.of("y", FloatTensor.of(x, 1, x.length));
    }
  }

  private static final List<ParityCase> CASES = List.of(
      new ParityCase("c0", Map.of("x", FloatTensor.of(new float[] {1f, 2f, 3f}, 1, 3))),
      new ParityCase("c1", Map.of("x", FloatTensor.of(new float[] {-1f, 0.5f, 4f}, 1, 3))));

  private static VerifyReport report(Backend reference, List<Backend> candidates, String gap) {
    ParityResult p = ParityVerifier.verify(reference, candidates, CASES, ParityCriteria.of(Criterion.DEFAULT));
    FormReport f = new FormReport("model", p, CASES, Map.of(), Map.of(), null, List.of());
    return new VerifyReport(Map.of("kind", "artifacts", "onnx", "m.onnx"), List.of(f), "generated (seed 0)", List.of(),
        Map.of(), Map.of(), gap, null);
  }

  @Test
  void sameEngineAgreementIsUnverifiedAndEveryCaseOutputIsListed() {
    VerifyReport r = report(new Scaled("djl-ort", 1f), List.of(new Scaled("djl-ort-basic", 1f),
        new Scaled("djl-ort-disabled", 1f), new Scaled("ort", 1f)), "the pure-Java ONNX evaluator cannot run m.onnx: op"
            + " 'ScatterElements'");
    assertEquals(Verdict.UNVERIFIED, r.verdict());
    assertFalse(r.passed());
    List<Unjudged> u = r.unjudged();
    assertEquals(2, u.size(), "one per case and output");
    assertEquals("c0", u.get(0).caseName());
    assertEquals("y", u.get(0).output());
    assertEquals("only consistency checks: djl-ort-basic, djl-ort-disabled, ort against djl-ort, all on ONNX Runtime; no"
        + " independent reference", u.get(0).reason());
    String text = r.text();
    assertFalse(text.contains("parity holds"), text);
    assertTrue(text.contains("parity UNVERIFIED (no independent reference)"), text);
    assertTrue(text.contains("consistency checks, not parity (the same engine as the reference djl-ort, ONNX Runtime):"
        + " djl-ort-basic, djl-ort-disabled, ort"), text);
    assertEquals(3, text.lines().filter(l -> l.matches("djl-ort +\\S+ +y .* 2/2  consistent")).count(), text);
    assertTrue(text.contains("unverified: 2 case outputs left unjudged"), text);
    assertTrue(text.contains("  case 'c1', output 'y': only consistency checks"), text);
    assertTrue(text.contains("unjudged, so nothing is claimed for them\n  no independent reference: the pure-Java ONNX"
        + " evaluator cannot run m.onnx: op 'ScatterElements'\n"), text);

    Map<String, Object> json = VerifyReports.toJson(r);
    assertEquals("rnnx-verify-report/3", json.get("schema"));
    assertEquals("unverified", json.get("verdict"));
    assertEquals(false, json.get("passed"));
    assertEquals(2, ((List<?>) json.get("unjudged")).size());
    assertEquals(Map.of("model", List.of("djl-ort-basic", "djl-ort-disabled", "ort")), json.get("consistency_checks"));
    assertEquals("consistency", ((Map<?, ?>) ((List<?>) json.get("comparisons")).get(0)).get("check"));

    String junit = JunitReport.render(r);
    assertTrue(junit.contains("tests=\"6\" failures=\"0\" errors=\"0\" skipped=\"6\""), junit);
    assertTrue(junit.contains("<skipped message=\"unverified, a consistency check only: only consistency checks"), junit);
    assertFalse(junit.contains("<failure"), junit);

    String html = HtmlReport.render(r);
    assertTrue(html.contains("<p class=\"verdict warn\">parity UNVERIFIED (no independent reference)</p>"), html);
    assertTrue(html.contains("consistent (a consistency check, not parity)"), html);
    assertTrue(html.contains("<h2>Unverified: left unjudged (2)</h2>"), html);
    assertTrue(html.contains("No independent reference: the pure-Java ONNX evaluator cannot run m.onnx"), html);
  }

  @Test
  void anotherEngineMakesItParityAndAFailureStillFails() {
    VerifyReport pass = report(new Scaled("djl-ort", 1f), List.of(new Scaled("djl-ort-basic", 1f),
        new Scaled("tf-saved-model", 1f)), null);
    assertEquals(Verdict.PASSED, pass.verdict());
    assertTrue(pass.unjudged().isEmpty());
    assertTrue(pass.text().contains("parity holds"), pass.text());
    assertTrue(pass.text().matches("(?s).*djl-ort +tf-saved-model +y .* 2/2  pass\n.*"), pass.text());

    VerifyReport fail = report(new Scaled("djl-ort", 1f), List.of(new Scaled("djl-ort-basic", 1.01f)), null);
    assertEquals(Verdict.FAILED, fail.verdict(), "a consistency check that fails is a failure");
    assertTrue(fail.text().contains("parity FAILS"), fail.text());

    VerifyReport ref = report(new Scaled("ref-onnx", 1f), List.of(new Scaled("djl-ort", 1f), new Scaled("ort", 1f)), null);
    assertEquals(Verdict.PASSED, ref.verdict(), "the pure-Java evaluator is another engine than ONNX Runtime");
    assertEquals(Verdict.UNVERIFIED, report(new Scaled("djl-tf", 1f), List.of(new Scaled("tf-saved-model", 1f)),
        "no ONNX file").verdict(), "two TensorFlow backends on one SavedModel");
  }

  @Test
  void aCaseTheReferenceCannotRunIsUnjudgedNotFailed() {
    Backend partial = new Backend() {
      @Override
      public String name() {
        return "ref-onnx";
      }

      @Override
      public Map<String, FloatTensor> run(Map<String, ? extends Tensor> inputs) {
        if (((FloatTensor) inputs.get("x")).data()[0] < 0) {
          throw new UnsupportedOperationException("node 'scatter' (ScatterElements) is not supported at opset 17");
        }
        return new Scaled("ref-onnx", 1f).run(inputs);
      }
    };
    VerifyReport r = report(partial, List.of(new Scaled("djl-ort", 1f)), null);
    assertEquals(Verdict.UNVERIFIED, r.verdict(), r.text());
    assertEquals(List.of(new Unjudged("model", "c1", "every output", "the reference ref-onnx cannot run it: node 'scatter'"
        + " (ScatterElements) is not supported at opset 17")), r.unjudged());
    assertEquals(Map.of(), r.forms().get(0).parity().backendErrors(), "not a backend failure");
    assertEquals(1, r.forms().get(0).parity().comparisons().size(), "c0 is judged");
    assertTrue(r.text().contains("  case 'c1', output 'every output': the reference ref-onnx cannot run it"), r.text());
    String junit = JunitReport.render(r);
    assertTrue(junit.contains("<testcase classname=\"rnnx.verify.reference\" name=\"c1\">\n      <skipped"
        + " message=\"unverified: the reference ref-onnx cannot run it: node &apos;scatter&apos;"), junit);
    assertTrue(junit.contains("tests=\"2\" failures=\"0\" errors=\"0\" skipped=\"1\""), junit);
    assertEquals(Verdict.FAILED, report(partial, List.of(new Scaled("djl-ort", 2f)), null).verdict(),
        "a failure on the cases it ran still fails");
  }
}
