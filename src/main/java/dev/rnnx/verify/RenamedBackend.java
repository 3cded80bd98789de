package dev.rnnx.verify;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A candidate whose input and output names differ from the reference's: inputs are renamed from
 * the reference's names to the artifact's before each run, outputs back after it. Outputs with no
 * counterpart are dropped.
 */
final class RenamedBackend implements Backend {

  private final Backend inner;
  private final Map<String, String> toArtifact;
  private final Map<String, String> toReference = new HashMap<>();

  /** @param toArtifact reference name to artifact name, inputs and outputs alike */
  RenamedBackend(Backend inner, Map<String, String> toArtifact) {
    this.inner = inner;
    this.toArtifact = Map.copyOf(toArtifact);
    toArtifact.forEach((r, a) -> toReference.put(a, r));
  }

  @Override
  public String name() {
    return inner.name();
  }

  @Override
  public Map<String, FloatTensor> run(Map<String, ? extends Tensor> inputs) {
    Map<String, Tensor> renamed = new LinkedHashMap<>();
    inputs.forEach((k, v) -> renamed.put(toArtifact.getOrDefault(k, k), v));
    Map<String, FloatTensor> out = new LinkedHashMap<>();
    inner.run(renamed).forEach((k, v) -> out.put(toReference.getOrDefault(k, k), v));
    return out;
  }

  @Override
  public void close() {
    inner.close();
  }

  /**
   * Matches reference names to artifact names: an explicit mapping first, then the same name, then
   * a unique match ignoring case and a TensorFlow {@code :0} suffix.
   *
   * @param what "input" or "output", for messages
   * @param problems receives one line per reference name with no counterpart
   * @return reference name to artifact name, for every matched name
   */
  static Map<String, String> match(String what, List<String> reference, List<String> artifact, Map<String, String> explicit,
      String artifactLabel, List<String> problems) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String r : reference) {
      String a = explicit.get(r);
      if (a != null) {
        if (!artifact.contains(a)) {
          problems.add("--map " + r + "=" + a + ": " + artifactLabel + " has no " + what + " '" + a + "'; its " + what
              + "s are " + artifact);
        } else {
          m.put(r, a);
        }
        continue;
      }
      if (artifact.contains(r)) {
        m.put(r, r);
        continue;
      }
      List<String> loose = new ArrayList<>();
      for (String x : artifact) {
        if (normal(x).equals(normal(r))) {
          loose.add(x);
        }
      }
      if (loose.size() == 1) {
        m.put(r, loose.get(0));
      } else {
        problems.add("reference " + what + " '" + r + "' has no counterpart in " + artifactLabel + " (its " + what + "s are "
            + artifact + "); name one with --map " + r + "=NAME");
      }
    }
    return m;
  }

  private static String normal(String s) {
    String t = s.endsWith(":0") ? s.substring(0, s.length() - 2) : s;
    return t.toLowerCase(Locale.ROOT);
  }
}
