package dev.rnnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Holds the code to the package map of {@code docs/ARCHITECTURE.md}: its table "What may import
 * what" is read here, and every main source file's imports and fully qualified references are
 * checked against it. A forbidden import fails, a package missing from the table fails, and the
 * table cannot drift from the code because it is the rule.
 */
class ArchitectureTest {

  private static final Path DOC = Path.of("docs/ARCHITECTURE.md");
  private static final Path MAIN = Path.of("src/main/java/dev/rnnx");
  /** The Spark module's own source tree (target/rnnx-spark.jar), held to the same table. */
  private static final Path SPARK = Path.of("src/spark/java/dev/rnnx");
  private static final List<Path> ROOTS = List.of(MAIN, SPARK);
  private static final Pattern RNNX_REF = Pattern.compile("\\bdev\\.rnnx\\.([a-z0-9]+)\\.");
  private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?([\\w.]+)", Pattern.MULTILINE);
  private static final Pattern CODE_WORD = Pattern.compile("`([^`]+)`");

  /** One row of the table: the rnnx packages and the guarded libraries a package may use. */
  record Rule(Set<String> packages, Set<String> libraries) {}

  @Test
  void everyImportIsAllowedByTheMap() throws IOException {
    Map<String, Rule> rules = rules(Files.readString(DOC));
    Set<String> guarded = guardedLibraries(rules);
    List<String> violations = new ArrayList<>();
    for (Path root : ROOTS) {
      try (Stream<Path> files = Files.walk(root)) {
        for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
          String pkg = root.relativize(file).getName(0).toString();
          if (!rules.containsKey(pkg)) {
            violations.add(file + ": package '" + pkg + "' is not in " + DOC + "'s table");
            continue;
          }
          violations.addAll(violations(file.toString(), pkg, Files.readString(file), rules, guarded));
        }
      }
    }
    assertEquals(List.of(), violations, "imports the package map of " + DOC + " forbids");
  }

  @Test
  void everyPackageOfTheMapExists() throws IOException {
    Set<String> onDisk = new TreeSet<>();
    for (Path root : ROOTS) {
      try (Stream<Path> dirs = Files.list(root)) {
        dirs.filter(Files::isDirectory).forEach(d -> onDisk.add(d.getFileName().toString()));
      }
    }
    assertEquals(onDisk, new TreeSet<>(rules(Files.readString(DOC)).keySet()), "packages in the code and in " + DOC);
  }

  @Test
  void theCheckFindsAForbiddenImport() {
    Map<String, Rule> rules = Map.of(
        "spec", new Rule(Set.of(), Set.of()),
        "verify", new Rule(Set.of("spec"), Set.of()),
        "tf", new Rule(Set.of("spec", "verify"), Set.of("org.tensorflow")));
    Set<String> guarded = guardedLibraries(rules);
    String source = "package dev.rnnx.verify;\nimport dev.rnnx.spec.Tensor;\nimport org.tensorflow.Graph;\n"
        + "import java.util.List;\n/** {@link dev.rnnx.pipeline.Run} */\nclass X { dev.rnnx.tf.TfForms f; dev.rnnx.verify.Backend b;"
        + " String main = \"dev.rnnx.cli.Main\"; // dev.rnnx.data.X\n}\n";
    List<String> found = violations("X.java", "verify", source, rules, guarded);
    assertEquals(2, found.size(), found.toString());
    assertTrue(found.get(0).contains("org.tensorflow"), found.get(0));
    assertTrue(found.get(1).contains("dev.rnnx.tf"), found.get(1));
    assertEquals(List.of(), violations("Y.java", "tf", source.replace("verify;", "tf;"), rules, guarded));
  }

  /** The libraries some row names: only the packages naming them may use them. */
  private static Set<String> guardedLibraries(Map<String, Rule> rules) {
    Set<String> guarded = new TreeSet<>();
    rules.values().forEach(r -> guarded.addAll(r.libraries()));
    return guarded;
  }

  private static List<String> violations(String file, String pkg, String text, Map<String, Rule> rules, Set<String> guarded) {
    List<String> out = new ArrayList<>();
    String source = code(text);
    Rule rule = rules.get(pkg);
    Matcher imports = IMPORT.matcher(source);
    while (imports.find()) {
      String name = imports.group(1);
      for (String library : guarded) {
        if ((name + ".").startsWith(library + ".") && !rule.libraries().contains(library)) {
          out.add(file + ": imports " + name + " (" + library + " is for " + usersOf(library, rules) + ")");
        }
      }
    }
    Matcher refs = RNNX_REF.matcher(source);
    Set<String> seen = new TreeSet<>();
    while (refs.find()) {
      String target = refs.group(1);
      if (!target.equals(pkg) && !rule.packages().contains(target) && seen.add(target)) {
        out.add(file + ": uses dev.rnnx." + target + " (" + pkg + " may use " + rule.packages() + ")");
      }
    }
    return out;
  }

  /**
   * The source without comments and string literals: a Javadoc link or a class named by string
   * (a child process's main class) is no compile-time dependency.
   */
  static String code(String source) {
    String noStrings = source.replaceAll("\"(?:[^\"\\\\\\n]|\\\\.)*\"", "\"\"");
    return noStrings.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("//[^\\n]*", " ");
  }

  private static List<String> usersOf(String library, Map<String, Rule> rules) {
    return rules.entrySet().stream().filter(e -> e.getValue().libraries().contains(library)).map(Map.Entry::getKey).sorted().toList();
  }

  /** Reads the rows of the table under the heading "What may import what". */
  static Map<String, Rule> rules(String markdown) {
    int at = markdown.indexOf("## What may import what");
    if (at < 0) {
      throw new IllegalStateException(DOC + " has no section '## What may import what'");
    }
    Map<String, Rule> rules = new LinkedHashMap<>();
    boolean inTable = false;
    for (String line : markdown.substring(at).lines().skip(1).toList()) {
      if (line.startsWith("## ")) {
        break;
      }
      if (!line.startsWith("|")) {
        if (inTable) {
          break;
        }
        continue;
      }
      inTable = true;
      String[] cells = line.split("\\|");
      if (cells.length < 4 || cells[1].contains("---") || !cells[1].contains("`")) {
        continue;
      }
      List<String> name = words(cells[1]);
      rules.put(name.get(0), new Rule(new TreeSet<>(words(cells[2])), new TreeSet<>(words(cells[3]))));
    }
    if (rules.isEmpty()) {
      throw new IllegalStateException(DOC + ": the table under 'What may import what' has no rows");
    }
    return rules;
  }

  private static List<String> words(String cell) {
    List<String> out = new ArrayList<>();
    Matcher m = CODE_WORD.matcher(cell);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }
}
