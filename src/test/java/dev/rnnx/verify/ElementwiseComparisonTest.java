package dev.rnnx.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Tolerances;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ElementwiseComparisonTest {

  private static final Tolerances TOL = new Tolerances(1e-5, 1e-5);

  private static ElementwiseComparison cmp(float[] ref, float[] cand) {
    return ElementwiseComparison.compare("c", "ref", "x", "output",
        FloatTensor.of(ref, ref.length), FloatTensor.of(cand, cand.length), TOL);
  }

  @Test
  void anElementFailsOnlyWhenBothTolerancesAreExceeded() {
    // abs error 2e-5 > atol but relative 2e-5/10 = 2e-6 <= rtol: passes
    assertTrue(cmp(new float[] {10f}, new float[] {10.00002f}).passed());
    // abs error 5e-6 <= atol on a tiny value (relative 0.5): passes
    assertTrue(cmp(new float[] {1e-5f}, new float[] {1.5e-5f}).passed());
    // abs 1e-4 and relative 1e-4: fails
    ElementwiseComparison c = cmp(new float[] {1f, 2f}, new float[] {1.0001f, 2f});
    assertFalse(c.passed());
    assertEquals(1, c.failing());
    assertEquals(1e-4, c.maxAbsErr(), 1e-7);
    assertEquals(1e-4, c.maxRelErr(), 1e-7);
  }

  @Test
  void nanShapeAndMissingOutputsFail() {
    ElementwiseComparison nan = cmp(new float[] {1f}, new float[] {Float.NaN});
    assertFalse(nan.passed());
    assertTrue(nan.problem().contains("NaN"), nan.problem());
    ElementwiseComparison shape = ElementwiseComparison.compare("c", "ref", "x", "o",
        FloatTensor.zeros(2, 3), FloatTensor.zeros(3, 2), TOL);
    assertFalse(shape.passed());
    assertFalse(ElementwiseComparison.compare("c", "ref", "x", "o", FloatTensor.zeros(1), null, TOL).passed());
  }

  @Test
  void verifierSummarisesPairsAndSurvivesAFailingBackend() {
    Backend ref = backend("ref", 1f);
    Backend close = backend("close", 1.000001f);
    Backend far = backend("far", 1.1f);
    Backend broken = new FormBackend("broken", inputs -> {
      throw new IllegalStateException("engine exploded");
    }, null);
    List<ParityCase> cases = List.of(new ParityCase("a", Map.of()), new ParityCase("b", Map.of()));
    ParityResult r = ParityVerifier.verify(ref, List.of(close, far, broken), cases, TOL);
    assertFalse(r.passed());
    List<PairSummary> s = r.summaries();
    assertEquals(2, s.size());
    assertTrue(s.get(0).passed());
    assertEquals(2, s.get(0).cases());
    assertFalse(s.get(1).passed());
    assertEquals(0.1, s.get(1).maxAbsErr(), 1e-6);
    assertTrue(r.backendErrors().get("broken").contains("engine exploded"));
    assertTrue(r.table().contains("parity FAILS"), r.table());
    assertTrue(ParityVerifier.verify(ref, List.of(close), cases, TOL).passed());
  }

  private static Backend backend(String name, float value) {
    return new FormBackend(name, inputs -> Map.of("output", FloatTensor.of(new float[] {value, -value}, 2)), null);
  }
}
