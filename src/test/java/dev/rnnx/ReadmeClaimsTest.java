package dev.rnnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.rnnx.cli.Main;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every figure README.md states is registered in {@code docs/claims.yaml} with where it is
 * regenerated or checked, and that place exists (and, for a file, states it).
 *
 * <p>A <em>figure</em> is, in README.md's text outside fenced code blocks and inline code spans:
 * a number followed by a unit ({@code %}, {@code ms}, {@code s}, {@code minutes}, {@code KB},
 * {@code MB}, {@code GB}, {@code ×}); a number in e-notation ({@code 2.4e-7}); a decimal number
 * ({@code 0.0035}, {@code 1.00}); or a number with thousands separators ({@code 1,567}). Plain
 * small integers (layer widths, {@code LSTM(20)}) are settings, not figures.
 *
 * <p>A registry entry is {@code figure} (the text exactly as README.md writes it, unit included),
 * one source, and optionally {@code as} (how the source states it, when README.md rounds it):
 * {@code card} or {@code file} (a committed file that must contain {@code as}, or the figure's
 * number), {@code test} (a test class that checks it, which must exist), or {@code command} (the
 * command that regenerates it: {@code ./rnnx <subcommand> …} with an existing subcommand,
 * {@code mvn …}, or an existing script).
 */
class ReadmeClaimsTest {

  private static final Pattern FIGURE = Pattern.compile(
      "(?<![\\w.,])(\\d{1,3}(?:,\\d{3})+|\\d+(?:\\.\\d+)?(?:e[-+]?\\d+)?)(\\s?(?:%|ms|s|minutes|KB|MB|GB|×))?(?![\\w.]*\\w)");

  private record Entry(String figure, String as, String card, String file, String test, String command) {}

  /** The figures of a Markdown text, by the definition above, in order of appearance, without repeats. */
  static List<String> figures(String markdown) {
    String text = markdown.replaceAll("(?s)```.*?```", "").replaceAll("`[^`\n]*`", "");
    Set<String> found = new LinkedHashSet<>();
    Matcher m = FIGURE.matcher(text);
    while (m.find()) {
      String number = m.group(1);
      boolean unit = m.group(2) != null;
      if (unit || number.contains(".") || number.contains(",") || number.contains("e")) {
        found.add(m.group());
      }
    }
    return new ArrayList<>(found);
  }

  private static List<Entry> registry() throws IOException {
    List<Map<String, String>> raw = new ObjectMapper(new YAMLFactory())
        .readValue(Path.of("docs/claims.yaml").toFile(), new TypeReference<List<Map<String, String>>>() {});
    return raw.stream().map(e -> new Entry(e.get("figure"), e.get("as"), e.get("card"), e.get("file"), e.get("test"),
        e.get("command"))).toList();
  }

  @Test
  void theExtractionFindsUnitsExponentsDecimalsAndThousandsButNotSettings() {
    assertEquals(List.of("8 s", "91.8 %", "2.4e-7", "0.0035", "1,567", "12 minutes", "0.29", "0.30"),
        figures("about 8 s; 91.8 % exact; worst 2.4e-7, MSE 0.0035 (1,567 tests), 12 minutes, 0.29–0.30;"
            + " LSTM(20) → Dense(1), seed 001, `lr 0.5`, dates-rnn.yaml\n```\n3.5 s\n```\n"));
  }

  @Test
  void everyFigureInTheReadmeIsRegistered() throws IOException {
    Set<String> registered = new TreeSet<>();
    registry().forEach(e -> registered.add(e.figure()));
    List<String> missing = figures(Files.readString(Path.of("README.md"))).stream()
        .filter(f -> !registered.contains(f)).toList();
    assertTrue(missing.isEmpty(), "README.md figures with no entry in docs/claims.yaml: " + missing);
  }

  @Test
  void everyEntryNamesAFigureOfTheReadmeAndASourceThatHoldsIt() throws IOException {
    List<String> readme = figures(Files.readString(Path.of("README.md")));
    Set<String> commands = Main.commandLine().getSubcommands().keySet();
    for (Entry e : registry()) {
      assertTrue(readme.contains(e.figure()), "docs/claims.yaml: '" + e.figure() + "' is not in README.md any more");
      long sources = java.util.stream.Stream.of(e.card(), e.file(), e.test(), e.command()).filter(s -> s != null).count();
      assertEquals(1, sources, "docs/claims.yaml: '" + e.figure() + "' needs exactly one of card, file, test, command");
      String stated = e.as() != null ? e.as() : e.figure().replaceAll("\\s?(%|ms|s|minutes|KB|MB|GB|×)$", "");
      String path = e.card() != null ? e.card() : e.file();
      if (path != null) {
        assertTrue(Files.isRegularFile(Path.of(path)), "docs/claims.yaml: '" + e.figure() + "': no file " + path);
        assertTrue(Files.readString(Path.of(path)).contains(stated),
            "docs/claims.yaml: '" + e.figure() + "': " + path + " does not state '" + stated + "'");
      } else if (e.test() != null) {
        Path source = Path.of("src/test/java", e.test().replace('.', '/') + ".java");
        assertTrue(Files.isRegularFile(source), "docs/claims.yaml: '" + e.figure() + "': no test " + source);
      } else {
        String[] words = e.command().split(" ");
        boolean exists = words[0].equals("./rnnx") ? words.length > 1 && commands.contains(words[1])
            : words[0].equals("mvn") ? Files.isRegularFile(Path.of("pom.xml")) : Files.isExecutable(Path.of(words[0]));
        assertTrue(exists, "docs/claims.yaml: '" + e.figure() + "': no such command " + e.command());
      }
    }
  }
}
