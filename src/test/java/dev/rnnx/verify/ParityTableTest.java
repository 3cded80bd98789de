package dev.rnnx.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Tolerances;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The console table names candidates that fail a case identically on one line, not once each. */
class ParityTableTest {

  /** A backend that adds {@code offset} to its input. */
  private static Backend shifted(String name, float offset) {
    return new FormBackend(name, inputs -> {
      FloatTensor x = (FloatTensor) inputs.get("x");
      float[] y = x.data().clone();
      for (int i = 0; i < y.length; i++) {
        y[i] += offset;
      }
      return Map.of("y", new FloatTensor(x.shape(), y));
    }, null);
  }

  @Test
  void identicalFailuresShareOneLine() {
    List<ParityCase> cases = List.of(
        new ParityCase("one", Map.of("x", new FloatTensor(new long[] {1, 2}, new float[] {1, 2}))),
        new ParityCase("two", Map.of("x", new FloatTensor(new long[] {1, 3}, new float[] {1, 2, 3}))));
    ParityResult r = ParityVerifier.verify(shifted("ref", 0), List.of(shifted("a", 0.5f), shifted("b", 0.5f),
        shifted("c", 0), shifted("d", 0.25f)), cases, Tolerances.DEFAULT);
    List<String> lines = r.table().lines().filter(l -> l.contains("elements beyond")).toList();
    assertEquals(List.of(
        "  one a, b: output 'y', 2 of 2 elements beyond tolerance, max abs err 5.00e-01",
        "  one d: output 'y', 2 of 2 elements beyond tolerance, max abs err 2.50e-01",
        "  two a, b: output 'y', 3 of 3 elements beyond tolerance, max abs err 5.00e-01",
        "  two d: output 'y', 3 of 3 elements beyond tolerance, max abs err 2.50e-01"),
        lines.stream().sorted().toList());
    assertTrue(r.table().contains("parity FAILS (atol 1.0e-05, rtol 1.0e-05"), r.table());
  }
}
