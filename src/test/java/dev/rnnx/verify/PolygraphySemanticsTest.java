package dev.rnnx.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The comparison follows Polygraphy's {@code CompareFunc.simple} (read in
 * tools/Polygraphy/polygraphy/comparator/compare.py): relative error against the second (reference)
 * output with 2.22e-16 in place of 0, elementwise mismatches when both errors exceed (NaN always
 * does), statistics checked as "both exceed", infinities unequal unless asked, NumPy's quantile.
 * Values here are computed by hand.
 */
class PolygraphySemanticsTest {

  private static ElementwiseComparison cmp(float[] r, float[] c, Criterion k) {
    return ElementwiseComparison.compare("c", "ref", "x", "o", FloatTensor.of(r, r.length), FloatTensor.of(c, c.length), k, false);
  }

  private static final Criterion DEF = Criterion.DEFAULT;

  @Test
  void relativeErrorAgainstZeroUsesPolygraphysEpsilon() {
    ElementwiseComparison c = cmp(new float[] {0f}, new float[] {1e-6f}, DEF);
    assertTrue(c.passed(), "abs 1e-6 <= atol 1e-5 passes whatever the relative error");
    assertEquals(1e-6 / ErrorStats.EPSILON, c.stats().maxRel(), 1e-6 / ErrorStats.EPSILON * 1e-6);
    assertEquals(0, c.maxRelErr(), "the legacy max_rel_err skips zero references");
    assertFalse(cmp(new float[] {0f}, new float[] {2e-5f}, DEF).passed(), "abs 2e-5 > atol and an enormous relative error");
  }

  @Test
  void nanAlwaysFailsAndInfinitiesCompareUnequalByDefault() {
    assertFalse(cmp(new float[] {Float.NaN}, new float[] {Float.NaN}, DEF).passed(), "NaN - NaN is NaN: a mismatch");
    float inf = Float.POSITIVE_INFINITY;
    ElementwiseComparison infs = cmp(new float[] {inf, 1f}, new float[] {inf, 1f}, DEF);
    assertFalse(infs.passed(), "inf - inf is NaN unless infinities compare equal");
    assertTrue(infs.problem().contains("[0]"), infs.problem());
    Criterion equalInf = new Criterion(1e-5, 1e-5, ErrorStat.ELEMWISE, 0.99, true);
    assertTrue(cmp(new float[] {inf, 1f}, new float[] {inf, 1f}, equalInf).passed());
    assertFalse(cmp(new float[] {inf}, new float[] {Float.NEGATIVE_INFINITY}, equalInf).passed());
    assertFalse(cmp(new float[] {1f}, new float[] {inf}, equalInf).passed());
  }

  @Test
  void statisticsAreCheckedAsBothToleranceExceeded() {
    // reference all 1, errors 0, 0, 0, 0.1: mean 0.025, median 0, max 0.1, 0.5-quantile 0
    float[] r = {1, 1, 1, 1};
    float[] c = {1, 1, 1, 1.1f};
    double e = (double) 1.1f - 1;
    Criterion mean = new Criterion(0.03, 0.03, ErrorStat.MEAN, 0.99, false);
    ElementwiseComparison m = cmp(r, c, mean);
    assertEquals(e / 4, m.stats().meanAbs(), 1e-12);
    assertTrue(m.passed(), "mean 0.025 <= 0.03");
    assertFalse(cmp(r, c, mean.withTolerances(0.02, 0.02)).passed(), "mean 0.025 > 0.02 on both");
    assertTrue(cmp(r, c, mean.withTolerances(0.02, 0.03)).passed(), "fails only when both exceed");
    assertTrue(cmp(r, c, new Criterion(1e-9, 1e-9, ErrorStat.MEDIAN, 0.99, false)).passed(), "median error is 0");
    assertFalse(cmp(r, c, new Criterion(0.05, 0.05, ErrorStat.MAX, 0.99, false)).passed());
    // NumPy's linear quantile: q = 0.9 of (0, 0, 0, e) sits at position 2.7: 0.7 e
    ElementwiseComparison q = cmp(r, c, new Criterion(0.08, 0.08, ErrorStat.QUANTILE, 0.9, false));
    assertEquals(0.7 * e, q.stats().quantileAbs(), 1e-12);
    assertTrue(q.passed(), "0.07 <= 0.08");
    assertEquals(1, m.failing(), "the elementwise count is kept whatever the statistic");
    assertThrows(IllegalArgumentException.class, () -> new Criterion(1e-5, 1e-5, ErrorStat.QUANTILE, 1.5, false));
    assertEquals(ErrorStat.MEDIAN, ErrorStat.parse("Median"));
    assertThrows(IllegalArgumentException.class, () -> ErrorStat.parse("p99"));
  }

  @Test
  void requiredTolerancesAloneAndWithTheOther() {
    // reference (1, 100), candidate (1.001, 100.05): abs (1e-3, 5e-2), rel (1e-3, 5e-4)
    float[] r = {1, 100};
    float[] c = {1.001f, 100.05f};
    double a0 = (double) 1.001f - 1;
    double a1 = (double) 100.05f - 100;
    Criterion k = new Criterion(2e-3, 6e-4, ErrorStat.ELEMWISE, 0.99, false);
    ElementwiseComparison x = cmp(r, c, k);
    assertEquals(a1, x.stats().requiredAtol(), 1e-12, "atol alone must cover the largest absolute error");
    assertEquals(a0, x.stats().requiredRtol(), 1e-9, "rtol alone must cover the largest relative error");
    // with rtol 6e-4, only element 0 (rel 1e-3) needs atol: 1e-3; with atol 2e-3, only element 1 (abs 5e-2) needs rtol: 5e-4
    assertEquals(a0, x.stats().requiredAtolAtRtol(), 1e-12);
    assertEquals(a1 / 100, x.stats().requiredRtolAtAtol(), 1e-12);
    assertTrue(x.passed(), "each element is within one tolerance");
  }

  @Test
  void ulpCosineAndClassifierAgreement() {
    float one = 1f;
    assertEquals(1, ErrorStats.ulpDistance(one, Math.nextUp(one)));
    assertEquals(2, ErrorStats.ulpDistance(Math.nextDown(0f), Math.nextUp(0f)), "across zero, -0 and +0 are one point");
    assertEquals(0, ErrorStats.ulpDistance(0f, -0f));
    assertEquals(-1, ErrorStats.ulpDistance(Float.NaN, 1f));
    ElementwiseComparison c = cmp(new float[] {1, 0}, new float[] {0, 1}, DEF);
    assertEquals(0, c.stats().cosine(), 1e-12);
    // two sequences of three steps over three classes; sequence 1 disagrees at step 2
    float[] r = {0.7f, 0.2f, 0.1f, 0.1f, 0.8f, 0.1f, 0.2f, 0.3f, 0.5f, 0.6f, 0.3f, 0.1f, 0.3f, 0.3f, 0.4f, 0.1f, 0.1f, 0.8f};
    float[] k = r.clone();
    k[15] = 0.5f;
    k[16] = 0.45f;
    k[17] = 0.05f;
    ElementwiseComparison t = ElementwiseComparison.compare("c", "ref", "x", "o", new FloatTensor(new long[] {2, 3, 3}, r),
        new FloatTensor(new long[] {2, 3, 3}, k), DEF, true);
    assertEquals(5 / 6.0, t.stats().argmaxAgreement(), 1e-12);
    assertEquals(2, t.stats().topK());
    assertEquals(5 / 6.0, t.stats().topKAgreement(), 1e-12);
    assertEquals(0.5, t.stats().sequenceAgreement(), 1e-12);
    assertArrayEquals(new double[] {0, 0, 0.75}, round(t.stats().perStep()));
  }

  private static double[] round(double[] v) {
    double[] o = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      o[i] = Math.round(v[i] * 1e6) / 1e6;
    }
    return o;
  }

  @Test
  void perOutputCriteriaNonFiniteValuesAndClassifierDetectionInTheVerifier() {
    Backend ref = fixed("ref", new float[] {0.2f, 0.8f}, new float[] {1f, 2f});
    Backend cand = fixed("cand", new float[] {0.2f, 0.8f}, new float[] {1.001f, Float.NaN});
    ParityCriteria criteria = ParityCriteria.of(Criterion.DEFAULT).with("logits", Criterion.DEFAULT.withTolerances(1e-2, 0));
    ParityResult r = ParityVerifier.verify(ref, List.of(cand), List.of(new ParityCase("one", Map.of())), criteria);
    assertEquals(1, r.nonFinite().size());
    NonFiniteValue v = r.nonFinite().get(0);
    assertEquals("cand one logits[0, 1] = NaN", v.describe());
    assertTrue(r.table().contains("non-finite: cand one logits[0, 1] = NaN"), r.table());
    PairSummary probs = r.summaries().get(0);
    assertEquals("probs", probs.output());
    assertEquals(1.0, probs.argmaxAgreement(), "probability rows are detected as a classifier's");
    assertEquals(1e-2, r.comparisons().get(1).criterion().atol());
    assertFalse(r.summaries().get(1).passed(), "the NaN fails despite the looser per-output atol");
  }

  private static Backend fixed(String name, float[] probs, float[] logits) {
    return new Backend() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Map<String, FloatTensor> run(Map<String, ? extends Tensor> inputs) {
        Map<String, FloatTensor> out = new java.util.LinkedHashMap<>();
        out.put("probs", FloatTensor.of(probs, 1, 2));
        out.put("logits", FloatTensor.of(logits, 1, 2));
        return out;
      }
    };
  }
}
