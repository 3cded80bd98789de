package dev.rnnx.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The slice of the fuzz campaign that runs in the default build: at least 500 mutants over every
 * surface, fixed seed, in one restartable child JVM. Fails on any death, hang, out-of-memory,
 * stack trace or wrong answer; the full campaign is {@link FuzzCampaignTest}.
 */
class FuzzSliceTest {

  @Test
  void noMutantKillsHangsOrFoolsRnnx(@TempDir Path work) throws IOException {
    List<Path> before = hsErrFiles();
    FuzzCampaign slice = new FuzzCampaign(400, 150, 100, 50, 40);
    FuzzTally tally = slice.run(work, 14, 60, System.out::println);
    System.out.println(tally.table());
    assertTrue(tally.runs() >= 700, "mutants run: " + tally.runs());
    assertEquals(List.of(), tally.failures().stream().map(FuzzTally.Failure::toString).toList());
    assertEquals(before, hsErrFiles(), "no hs_err file left in the working directory");
  }

  static List<Path> hsErrFiles() throws IOException {
    try (Stream<Path> s = Files.list(Path.of("."))) {
      return s.filter(p -> p.getFileName().toString().startsWith("hs_err")).sorted().toList();
    }
  }
}
