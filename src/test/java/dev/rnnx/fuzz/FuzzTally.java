package dev.rnnx.fuzz;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Per surface, how many mutants ran and what each did; the failures with their mutation and detail. */
final class FuzzTally {

  /** One failure: the mutant and what happened. */
  record Failure(String surface, int id, String mutation, Outcome outcome, int code, String detail) {

    @Override
    public String toString() {
      return surface + " #" + id + " [" + mutation + "]: " + outcome + " (exit " + code + ") " + detail;
    }
  }

  private final Map<String, EnumMap<Outcome, Integer>> counts = new LinkedHashMap<>();
  private final List<Failure> failures = new ArrayList<>();

  void add(FuzzCase c, FuzzHarness.Answer a) {
    counts.computeIfAbsent(c.surface(), s -> new EnumMap<>(Outcome.class)).merge(a.outcome(), 1, Integer::sum);
    if (a.outcome().failure()) {
      failures.add(new Failure(c.surface(), c.id(), c.mutation(), a.outcome(), a.code(), a.detail()));
    }
  }

  /** Every failure, in the order met. */
  List<Failure> failures() {
    return failures;
  }

  /** Mutants run on a surface. */
  int runs(String surface) {
    return counts.getOrDefault(surface, new EnumMap<>(Outcome.class)).values().stream().mapToInt(Integer::intValue).sum();
  }

  /** Mutants run in all. */
  int runs() {
    return counts.keySet().stream().mapToInt(this::runs).sum();
  }

  /** A Markdown table: a row per surface, a column per outcome. */
  String table() {
    StringBuilder b = new StringBuilder("| surface | runs |");
    for (Outcome o : Outcome.values()) {
      b.append(' ').append(o.name().toLowerCase().replace('_', '-')).append(" |");
    }
    b.append("\n|---|---:|").append("---:|".repeat(Outcome.values().length)).append('\n');
    counts.forEach((s, m) -> {
      b.append("| ").append(s).append(" | ").append(runs(s)).append(" |");
      for (Outcome o : Outcome.values()) {
        b.append(' ').append(m.getOrDefault(o, 0)).append(" |");
      }
      b.append('\n');
    });
    return b.toString();
  }
}
