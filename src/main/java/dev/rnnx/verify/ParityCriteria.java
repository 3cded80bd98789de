package dev.rnnx.verify;

import dev.rnnx.spec.Tolerances;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The criterion of every output: one default and any per-output overrides, as Polygraphy's
 * per-output {@code atol}/{@code rtol}/{@code check_error_stat} dictionaries.
 *
 * @param defaults the criterion of outputs not listed
 * @param perOutput overrides by output name
 */
public record ParityCriteria(Criterion defaults, Map<String, Criterion> perOutput) {

  /** Copies the map, keeping its order. */
  public ParityCriteria {
    if (defaults == null) {
      throw new IllegalArgumentException("default criterion is missing");
    }
    perOutput = Collections.unmodifiableMap(new LinkedHashMap<>(perOutput));
  }

  /** One criterion for every output. */
  public static ParityCriteria of(Criterion criterion) {
    return new ParityCriteria(criterion, Map.of());
  }

  /** Polygraphy's elementwise rule with these tolerances for every output. */
  public static ParityCriteria of(Tolerances tolerances) {
    return of(Criterion.of(tolerances));
  }

  /** The criterion of one output. */
  public Criterion forOutput(String output) {
    return perOutput.getOrDefault(output, defaults);
  }

  /** The same criteria with one output's criterion replaced. */
  public ParityCriteria with(String output, Criterion criterion) {
    Map<String, Criterion> m = new LinkedHashMap<>(perOutput);
    m.put(output, criterion);
    return new ParityCriteria(defaults, m);
  }
}
