package dev.rnnx.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The full fuzz campaign, behind the Maven profile {@code fuzz}
 * ({@code mvn -Pfuzz test -Dtest=FuzzCampaignTest}, {@code -Drnnx.fuzz.onnx=N} for another size):
 * {@code N} ONNX mutants (one in 50 through {@code verify --onnx}), {@code N/5} input files,
 * {@code N/10} recipes and {@code N/20} run folders (one in 50 through {@code verify}). Writes the
 * counts to {@code target/fuzz-campaign.md} and fails on any death, hang, out-of-memory, stack
 * trace or wrong answer. Skipped when {@code rnnx.fuzz.onnx} is 0 or unset (the default build).
 */
public class FuzzCampaignTest {

  @Test
  void campaign(@TempDir Path work) throws IOException {
    int n = Integer.getInteger("rnnx.fuzz.onnx", 0);
    assumeTrue(n > 0, "the fuzz campaign runs with -Pfuzz or -Drnnx.fuzz.onnx=N");
    FuzzTally tally = run(work, n, Path.of("target/fuzz-campaign.md"));
    assertEquals(List.of(), tally.failures().stream().map(Object::toString).toList());
    assertEquals(List.of(), FuzzSliceTest.hsErrFiles(), "no hs_err file left in the working directory");
  }

  /** Outside Maven: {@code java -cp <test classpath> dev.rnnx.fuzz.FuzzCampaignTest N WORK_DIR REPORT.md}. */
  public static void main(String[] args) throws IOException {
    FuzzTally tally = run(Path.of(args[1]), Integer.parseInt(args[0]), Path.of(args[2]));
    System.exit(tally.failures().isEmpty() ? 0 : 1);
  }

  static FuzzTally run(Path work, int n, Path reportFile) throws IOException {
    long start = System.nanoTime();
    FuzzCampaign campaign = new FuzzCampaign(n, n / 5, n / 10, n / 20, 50);
    FuzzTally tally = campaign.run(work, 2026, 120, System.out::println);
    String report = "# fuzz campaign, seed 2026, " + n + " ONNX mutants, " + (System.nanoTime() - start) / 1_000_000_000L
        + " s\n\n" + tally.table() + "\nfailures:\n" + String.join("\n", tally.failures().stream().map(Object::toString).toList())
        + "\n";
    Files.createDirectories(reportFile.toAbsolutePath().getParent());
    Files.writeString(reportFile, report);
    System.out.println(report);
    return tally;
  }
}
