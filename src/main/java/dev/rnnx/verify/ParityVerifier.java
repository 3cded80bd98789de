package dev.rnnx.verify;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Tolerances;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the same cases through a reference backend and every candidate, and compares each output.
 * A candidate that throws is recorded as failed and the others still run.
 */
public final class ParityVerifier {

  private ParityVerifier() {}

  /**
   * Compares every candidate with the reference on every case.
   *
   * @param reference the backend whose outputs are taken as truth
   * @param candidates the backends judged
   */
  public static ParityResult verify(Backend reference, List<? extends Backend> candidates, List<ParityCase> cases, Tolerances tol) {
    List<ElementwiseComparison> comparisons = new ArrayList<>();
    Map<String, String> errors = new LinkedHashMap<>();
    Map<String, Double> seconds = new LinkedHashMap<>();
    seconds.put(reference.name(), 0.0);
    candidates.forEach(c -> seconds.put(c.name(), 0.0));
    for (ParityCase pc : cases) {
      Map<String, FloatTensor> expected = timed(reference, pc, seconds);
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
        for (Map.Entry<String, FloatTensor> out : expected.entrySet()) {
          comparisons.add(ElementwiseComparison.compare(pc.name(), reference.name(), candidate.name(), out.getKey(),
              out.getValue(), actual.get(out.getKey()), tol));
        }
      }
    }
    return new ParityResult(tol, comparisons, errors, seconds);
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
