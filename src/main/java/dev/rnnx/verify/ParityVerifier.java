package dev.rnnx.verify;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Tolerances;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the same cases through a reference backend and every candidate, and compares each output.
 * A case the reference cannot run ({@link UnsupportedOperationException}: an operator or form it
 * does not support) is left unjudged with the reason ({@link ParityResult#unrunCases()}), not failed.
 * A candidate that throws (or whose child process dies, see {@link ProcessBackend}) is recorded as
 * failed and the others still run. Every output of every backend is scanned for NaN and infinity.
 *
 * <p>An output is treated as a classifier's (argmax, top-k and per-sequence agreement are added)
 * when the reference's first case holds probability rows there: a last axis of at least 2 whose
 * values are non-negative and sum to 1 within 1e-3 in every row.
 */
public final class ParityVerifier {

  private ParityVerifier() {}

  /** Compares every candidate with the reference on every case, Polygraphy's elementwise rule. */
  public static ParityResult verify(Backend reference, List<? extends Backend> candidates, List<ParityCase> cases, Tolerances tol) {
    return verify(reference, candidates, cases, ParityCriteria.of(tol));
  }

  /**
   * Compares every candidate with the reference on every case.
   *
   * @param reference the backend whose outputs are taken as truth
   * @param candidates the backends judged
   * @param criteria how each output is judged
   * @throws IllegalArgumentException when the reference refuses a case's inputs
   */
  public static ParityResult verify(Backend reference, List<? extends Backend> candidates, List<ParityCase> cases,
      ParityCriteria criteria) {
    return verify(reference, candidates, cases, criteria, null);
  }

  /**
   * Compares every candidate with the reference on every case, keeping the reference's outputs.
   *
   * @param referenceOutputs receives the reference's outputs of every case by case name, or {@code null}
   */
  public static ParityResult verify(Backend reference, List<? extends Backend> candidates, List<ParityCase> cases,
      ParityCriteria criteria, Map<String, Map<String, FloatTensor>> referenceOutputs) {
    List<ElementwiseComparison> comparisons = new ArrayList<>();
    Map<String, String> errors = new LinkedHashMap<>();
    Map<String, Double> seconds = new LinkedHashMap<>();
    List<NonFiniteValue> nonFinite = new ArrayList<>();
    Map<String, Boolean> classifier = new HashMap<>();
    Map<String, String> unrun = new LinkedHashMap<>();
    seconds.put(reference.name(), 0.0);
    candidates.forEach(c -> seconds.put(c.name(), 0.0));
    for (ParityCase pc : cases) {
      Map<String, FloatTensor> expected;
      try {
        expected = timed(reference, pc, seconds);
      } catch (IllegalArgumentException e) {
        throw e;
      } catch (UnsupportedOperationException e) {
        unrun.put(pc.name(), "the reference " + reference.name() + " cannot run it: " + e.getMessage());
        continue;
      } catch (RuntimeException e) {
        errors.putIfAbsent(reference.name(), pc.name() + ": " + e.getClass().getSimpleName() + ": " + e.getMessage());
        continue;
      }
      if (referenceOutputs != null) {
        referenceOutputs.put(pc.name(), expected);
      }
      nonFinite.addAll(NonFiniteValue.scan(reference.name(), pc.name(), expected));
      expected.forEach((name, t) -> classifier.computeIfAbsent(name, k -> isProbabilityRows(t)));
      for (Backend candidate : candidates) {
        if (errors.containsKey(candidate.name())) {
          continue;
        }
        Map<String, FloatTensor> actual;
        try {
          actual = timed(candidate, pc, seconds);
        } catch (RuntimeException e) {
          errors.put(candidate.name(), pc.name() + ": " + e.getClass().getSimpleName() + ": " + e.getMessage());
          continue;
        }
        nonFinite.addAll(NonFiniteValue.scan(candidate.name(), pc.name(), actual));
        for (Map.Entry<String, FloatTensor> out : expected.entrySet()) {
          comparisons.add(ElementwiseComparison.compare(pc.name(), reference.name(), candidate.name(), out.getKey(),
              out.getValue(), actual.get(out.getKey()), criteria.forOutput(out.getKey()),
              classifier.getOrDefault(out.getKey(), false)));
        }
      }
    }
    return new ParityResult(criteria.defaults().tolerances(), comparisons, errors, seconds, nonFinite, criteria, List.of(),
        unrun);
  }

  /** Whether every row along the last axis is a probability distribution. */
  static boolean isProbabilityRows(FloatTensor t) {
    if (t.rank() < 1 || t.dim(-1) < 2 || t.size() == 0) {
      return false;
    }
    int c = (int) t.dim(-1);
    float[] d = t.data();
    for (int row = 0; row < d.length / c; row++) {
      double sum = 0;
      for (int i = 0; i < c; i++) {
        float v = d[row * c + i];
        if (!(v >= 0)) {
          return false;
        }
        sum += v;
      }
      if (Math.abs(sum - 1) > 1e-3) {
        return false;
      }
    }
    return true;
  }

  private static Map<String, FloatTensor> timed(Backend b, ParityCase pc, Map<String, Double> seconds) {
    long start = System.nanoTime();
    try {
      return b.run(pc.inputs());
    } finally {
      seconds.merge(b.name(), (System.nanoTime() - start) / 1e9, Double::sum);
    }
  }
}
