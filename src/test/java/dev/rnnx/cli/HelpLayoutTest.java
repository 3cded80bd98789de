package dev.rnnx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import org.junit.jupiter.api.Test;

/** The help text at 80 columns: no line wider, no file name or option broken across lines, no jargon. */
class HelpLayoutTest {

  /** A word with a '.', '/', '-' or '*' inside it: a file name, a path, an option or a recipe name. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_<>*]+(?:[./*-][A-Za-z0-9_<>*]+)+");

  private static List<CommandLine> commands() {
    List<CommandLine> all = new ArrayList<>();
    CommandLine root = Main.commandLine();
    all.add(root);
    all.addAll(root.getSubcommands().values());
    return all;
  }

  private static List<String> texts(CommandSpec spec) {
    List<String> texts = new ArrayList<>(List.of(spec.usageMessage().description()));
    texts.addAll(List.of(spec.usageMessage().header()));
    Stream.concat(spec.options().stream(), spec.positionalParameters().stream())
        .map(ArgSpec::description).forEach(d -> texts.addAll(List.of(d)));
    return texts;
  }

  @Test
  void everyLineFitsEightyColumnsAndNoNameIsBroken() {
    for (CommandLine cl : commands()) {
      String help = cl.getUsageMessage(CommandLine.Help.Ansi.OFF);
      for (String line : help.lines().toList()) {
        assertTrue(line.length() <= HelpLayout.WIDTH, cl.getCommandName() + ": " + line.length() + " columns: " + line);
      }
      for (String text : texts(cl.getCommandSpec())) {
        Matcher m = NAME.matcher(text.replace("${DEFAULT-VALUE}", ""));
        while (m.find()) {
          assertTrue(help.contains(m.group()), cl.getCommandName() + ": '" + m.group() + "' is broken across lines:\n" + help);
        }
      }
    }
  }

  @Test
  void theCommandListShowsOneLineEach() {
    String help = Main.commandLine().getUsageMessage(CommandLine.Help.Ansi.OFF);
    assertTrue(help.contains("  experiment  Reproduce an experiment: binary-addition, seq2seq or tanaka.\n"), help);
    assertTrue(help.contains("  run         Train a recipe, export it, verify parity and write the report.\n"), help);
    assertFalse(help.contains("results.md"), "the command list shows headers, not whole descriptions");
  }

  @Test
  void experimentHelpNamesTheFilesWholeAndExplainsTheSeeds() {
    String help = Main.commandLine().getSubcommands().get("experiment").getUsageMessage(CommandLine.Help.Ansi.OFF);
    assertTrue(help.contains("results.json, results.md"), help);
    assertTrue(help.contains("models/dates-attention.yaml"), help);
    assertTrue(help.contains("NumPy prototypes rnnx\ngrew from (the seed projects)"), help);
    assertFalse(help.contains("seeds'"), help);
    assertFalse(help.toLowerCase(java.util.Locale.ROOT).contains("seed 00"), help);
  }

  @Test
  void wrapBreaksAtSpacesOnly() {
    assertEquals(List.of("writes", "results.md and", "models/dates-*.yaml"), HelpLayout.wrap("writes results.md and models/dates-*.yaml", 14));
    assertEquals(List.of("a-very-long-name.yaml", "b"), HelpLayout.wrap("a-very-long-name.yaml b", 5));
  }
}
