package dev.rnnx.fuzz;

import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Mutants of recipe YAML files: a number replaced (zero, negative, huge, out of 64 bits, a float
 * for an integer, a string), a key line dropped or duplicated, an unknown key, a value's type
 * changed, truncation, byte flips, deep nesting.
 */
final class RecipeMutator {

  private static final Pattern NUMBER = Pattern.compile("(?<=: )-?[0-9][0-9.e+-]*");
  private static final List<String> VALUES = List.of("0", "-1", "1000000000", "18446744073709551619", "1e3", "2.5",
      "\"ten\"", "[]", "{}", "null", "9223372036854775807", "2147483647", "1e309", ".nan");

  private final Random random;

  RecipeMutator(long seed) {
    this.random = new Random(seed);
  }

  /** A mutated recipe and what was changed. */
  record Mutant(String text, String mutation) {}

  Mutant mutate(String recipe) {
    String[] lines = recipe.split("\n", -1);
    int how = random.nextInt(8);
    switch (how) {
      case 0, 1, 2 -> {
        Matcher m = NUMBER.matcher(recipe);
        int count = 0;
        while (m.find()) {
          count++;
        }
        if (count > 0) {
          int pick = random.nextInt(count);
          m.reset();
          for (int i = 0; i <= pick; i++) {
            m.find();
          }
          String v = VALUES.get(random.nextInt(VALUES.size()));
          String line = recipe.substring(recipe.lastIndexOf('\n', m.start()) + 1, m.start()).strip();
          return new Mutant(recipe.substring(0, m.start()) + v + recipe.substring(m.end()), "'" + line + "' -> " + v);
        }
        return new Mutant(recipe, "unchanged");
      }
      case 3 -> {
        int at = random.nextInt(lines.length);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
          if (i != at) {
            b.append(lines[i]).append('\n');
          }
        }
        return new Mutant(b.toString(), "line dropped: " + lines[at].strip());
      }
      case 4 -> {
        int at = random.nextInt(lines.length);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
          b.append(lines[i]).append('\n');
          if (i == at) {
            b.append(lines[i]).append('\n');
          }
        }
        return new Mutant(b.toString(), "line duplicated: " + lines[at].strip());
      }
      case 5 -> {
        int cut = random.nextInt(recipe.length() + 1);
        return new Mutant(recipe.substring(0, cut), "truncated at " + cut);
      }
      case 6 -> {
        char[] c = recipe.toCharArray();
        int at = random.nextInt(c.length);
        c[at] = "{}[]:-\t\"'&*!|>%@`#,?\u0000".charAt(random.nextInt(21));
        return new Mutant(new String(c), "character " + at + " replaced");
      }
      default -> {
        String extra = List.of("unknown_key: 1\n", "model: {input: " + "[".repeat(2000) + "]".repeat(2000) + "}\n",
            "anchors: &a [*a]\n", "name: " + "x".repeat(100_000) + "\n").get(random.nextInt(4));
        return new Mutant(recipe + extra, "appended " + extra.substring(0, Math.min(30, extra.length())).strip());
      }
    }
  }
}
