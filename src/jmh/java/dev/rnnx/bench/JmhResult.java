package dev.rnnx.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One entry of JMH's JSON result file ({@code -rf json}): a benchmark method at one parameter
 * combination, with its score in milliseconds and, for {@code SampleTime}, its percentiles.
 *
 * @param benchmark the simple benchmark name, {@code InferenceBenchmark.infer}
 * @param mode JMH's short mode name: {@code sample}, {@code ss}, {@code thrpt}, {@code avgt}
 * @param params the JMH parameters
 * @param meanMs the score (mean time per call) in milliseconds
 * @param errorMs the score's 99.9% half-interval in milliseconds (NaN when JMH gives none)
 * @param percentilesMs percentile (0 … 100) to milliseconds; empty but for {@code sample}
 * @param samples the number of timed calls
 * @param fork the fork, warm-up and measurement settings as JMH prints them
 */
public record JmhResult(String benchmark, String mode, Map<String, String> params, double meanMs, double errorMs,
    Map<Double, Double> percentilesMs, long samples, String fork) {

  /** Reads every entry of a JMH JSON file, in file order. */
  public static List<JmhResult> read(Path file) throws IOException {
    JsonNode root = new ObjectMapper().readTree(file.toFile());
    if (!root.isArray()) {
      throw new IllegalArgumentException(file + " is not a JMH JSON result (expected an array, from -rf json)");
    }
    List<JmhResult> out = new ArrayList<>();
    for (JsonNode n : root) {
      out.add(of(n, file));
    }
    return out;
  }

  private static JmhResult of(JsonNode n, Path file) {
    String name = n.path("benchmark").asText();
    String simple = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
    JsonNode metric = n.path("primaryMetric");
    double scale = toMillis(metric.path("scoreUnit").asText(), file);
    Map<String, String> params = new LinkedHashMap<>();
    n.path("params").fields().forEachRemaining(e -> params.put(e.getKey(), e.getValue().asText()));
    Map<Double, Double> percentiles = new LinkedHashMap<>();
    metric.path("scorePercentiles").fields()
        .forEachRemaining(e -> percentiles.put(Double.parseDouble(e.getKey()), e.getValue().asDouble() * scale));
    long samples = 0;
    for (JsonNode fork : metric.path("rawDataHistogram")) {
      for (JsonNode iteration : fork) {
        for (JsonNode bucket : iteration) {
          samples += bucket.get(1).asLong();
        }
      }
    }
    if (samples == 0) {
      for (JsonNode fork : metric.path("rawData")) {
        samples += fork.size();
      }
    }
    String settings = String.format(java.util.Locale.ROOT, "%d fork(s), %d warm-up × %s, %d measurement × %s",
        n.path("forks").asInt(), n.path("warmupIterations").asInt(), n.path("warmupTime").asText(),
        n.path("measurementIterations").asInt(), n.path("measurementTime").asText());
    double error = metric.path("scoreError").asDouble(Double.NaN);
    return new JmhResult(simple, n.path("mode").asText(), params, metric.path("score").asDouble() * scale, error * scale,
        percentiles, samples, settings);
  }

  private static double toMillis(String unit, Path file) {
    return switch (unit) {
      case "s/op" -> 1e3;
      case "ms/op" -> 1;
      case "us/op" -> 1e-3;
      case "ns/op" -> 1e-6;
      default -> throw new IllegalArgumentException(file + ": score unit " + unit
          + " is not a time per call; expected s/op, ms/op, us/op or ns/op (SampleTime, SingleShotTime, AverageTime)");
    };
  }

  /** A percentile in milliseconds, NaN when JMH did not record it. */
  public double percentile(double p) {
    return percentilesMs.getOrDefault(p, Double.NaN);
  }

  /** A parameter, or {@code fallback} when the benchmark has no such parameter. */
  public String param(String name, String fallback) {
    return params.getOrDefault(name, fallback);
  }
}
