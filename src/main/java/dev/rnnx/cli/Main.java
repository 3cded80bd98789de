package dev.rnnx.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** Entry point of the {@code rnnx} command. */
@Command(
    name = "rnnx",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Recurrent and attention models: train with TensorFlow Java, export to ONNX, verify parity, serve with DJL.",
    subcommands = {RunCommand.class, ExportCommand.class, VerifyCommand.class, PredictCommand.class, SummaryCommand.class, ExperimentCommand.class, CommandLine.HelpCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success; parity holds",
      "1:parity does not hold",
      "2:bad input (recipe, path, model file, tensor)",
      "3:internal or engine failure"
    })
public final class Main {

  /** Read by the {@code rnnx} launcher, which otherwise filters TensorFlow's native start-up lines from stderr. */
  @Option(names = "--verbose", scope = ScopeType.INHERIT,
      description = "Keep TensorFlow's native log lines on stderr (the rnnx launcher filters them out by default).")
  boolean verbose;

  /** Runs the CLI and exits with its code. */
  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line, for tests and embedding. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Main());
    cl.setExecutionExceptionHandler(Main::handle);
    HelpLayout.apply(cl);
    return cl;
  }

  private static int handle(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
    PrintWriter err = cl.getErr();
    if (e instanceof IllegalArgumentException) {
      err.println("rnnx: " + e.getMessage());
      return ExitCodes.BAD_INPUT;
    }
    err.println("rnnx: internal failure: " + e);
    e.printStackTrace(err);
    return ExitCodes.INTERNAL;
  }
}
