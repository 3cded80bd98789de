package dev.rnnx.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * How the help text is laid out: {@value #WIDTH} columns, and every command's description wrapped
 * here, at spaces only. picocli's own wrapping breaks lines after any '.', '-' or '*' (Java's line
 * {@link java.text.BreakIterator}), which splits file names such as {@code results.md} or
 * {@code models/dates-*.yaml}; a description given as lines that already fit is never re-wrapped.
 * The list of commands in {@code rnnx --help} shows each command's one-line header.
 */
final class HelpLayout {

  /** The usage width: a standard terminal's. */
  static final int WIDTH = 80;

  private HelpLayout() {}

  /** Sets the width of {@code cl} and of every subcommand, and wraps their descriptions. */
  static void apply(CommandLine cl) {
    cl.setUsageHelpWidth(WIDTH);
    UsageMessageSpec usage = cl.getCommandSpec().usageMessage();
    usage.description(wrapParagraphs(usage.description(), WIDTH - 1));
    for (CommandLine sub : cl.getSubcommands().values()) {
      apply(sub);
    }
  }

  /** Each paragraph (one array element) wrapped to {@code width} at spaces; an empty paragraph becomes an empty line. */
  static String[] wrapParagraphs(String[] paragraphs, int width) {
    List<String> lines = new ArrayList<>();
    for (String p : paragraphs) {
      lines.addAll(wrap(p, width));
    }
    return lines.toArray(String[]::new);
  }

  /** {@code text} in lines of at most {@code width} characters, broken at spaces only (a longer word gets a line of its own). */
  static List<String> wrap(String text, int width) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : text.strip().split(" +")) {
      if (line.length() > 0 && line.length() + 1 + word.length() > width) {
        lines.add(line.toString());
        line.setLength(0);
      }
      line.append(line.length() > 0 ? " " : "").append(word);
    }
    lines.add(line.toString());
    return lines;
  }
}
