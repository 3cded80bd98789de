package dev.rnnx.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JMH's JSON becomes the tables of docs/PERFORMANCE.md: rows, derived figures, ratios, and the generated part replaced. */
class PerformanceTableTest {

  @TempDir
  Path dir;

  private static String sample(String path, int batch, double p50, double mean) {
    return """
        {"benchmark": "dev.rnnx.bench.InferenceBenchmark.infer", "mode": "sample", "forks": 1,
         "warmupIterations": 3, "warmupTime": "1 s", "measurementIterations": 4, "measurementTime": "1 s",
         "params": {"batch": "%d", "model": "lstm", "path": "%s", "spinning": "true"},
         "primaryMetric": {"score": %s, "scoreError": 0.1, "scoreUnit": "ms/op",
           "scorePercentiles": {"50.0": %s, "90.0": %s, "99.0": %s},
           "rawDataHistogram": [[[[%s, 7], [%s, 3]]]]}}
        """.formatted(batch, path, mean, p50, p50 * 1.5, p50 * 2, p50, p50 * 2);
  }

  private Path json(String... entries) throws IOException {
    Path file = dir.resolve("result.json");
    Files.writeString(file, "[" + String.join(",", entries) + "]");
    return file;
  }

  @Test
  void inferenceRowsAndRatios() throws IOException {
    List<JmhResult> results = JmhResult.read(json(sample("ort", 32, 10.0, 10.0), sample("djl-ort", 32, 10.5, 11.0),
        sample("tf-java", 32, 20.0, 20.0)));
    assertEquals(10, results.get(0).samples());
    assertEquals(10.0, results.get(0).percentile(50));
    String md = new PerformanceTable(results, 2, 3.7).markdown();
    // 32 sequences × 32.768 MFLOP in 10 ms = 104.9 GFLOP/s, 44.3% of 236.8
    assertTrue(md.contains("| lstm | 32 | ort | 10.0 | 15.0 | 20.0 | 10.0 | 3200 | 104.9 | 44.3% | 10 |"), md);
    assertTrue(md.contains("| lstm | 32 | 1.05 | +500 | 0.50 | – | – |"), md);
  }

  @Test
  void replacesOnlyTheGeneratedPart() throws IOException {
    Path doc = dir.resolve("PERFORMANCE.md");
    Files.writeString(doc, "# kept\n" + PerformanceTable.BEGIN + "\nold\n" + PerformanceTable.END + "\nalso kept\n");
    new PerformanceTable(JmhResult.read(json(sample("ort", 1, 1.0, 1.0))), 2, 3.7).machine("cores: 2").writeInto(doc);
    String text = Files.readString(doc);
    assertTrue(text.startsWith("# kept\n" + PerformanceTable.BEGIN), text);
    assertTrue(text.endsWith(PerformanceTable.END + "\nalso kept\n"), text);
    assertTrue(!text.contains("old") && text.contains("cores: 2") && text.contains("| lstm | 1 | ort |"), text);
  }

  @Test
  void refusesThroughputResultsAndDocsWithoutMarkers() throws IOException {
    Path file = json(sample("ort", 1, 1.0, 1.0).replace("ms/op", "ops/ms"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JmhResult.read(file));
    assertTrue(e.getMessage().contains("ops/ms"), e.getMessage());
    Path doc = dir.resolve("plain.md");
    Files.writeString(doc, "# no markers\n");
    PerformanceTable table = new PerformanceTable(JmhResult.read(json(sample("ort", 1, 1.0, 1.0))), 2, 3.7);
    assertThrows(IllegalArgumentException.class, () -> table.writeInto(doc));
  }
}
