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
    subcommands = {RunCommand.class, ExportCommand.class, VerifyCommand.class, PredictCommand.class, ServeCommand.class, SummaryCommand.class, ExperimentCommand.class, CommandLine.HelpCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success; parity holds",
      "1:parity does not hold",
      "2:bad input (recipe, path, model file, tensor)",
      "3:internal or engine failure; out of memory (one line naming the heap setting)"
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
    cl.setExecutionStrategy(parsed -> {
      try {
        return new CommandLine.RunLast().execute(parsed);
      } catch (OutOfMemoryError e) {
        return outOfMemory(e, cl.getErr(), parsed);
      }
    });
    HelpLayout.apply(cl);
    return cl;
  }

  private static int handle(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
    PrintWriter err = cl.getErr();
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof OutOfMemoryError oom) {
        return outOfMemory(oom, err, parsed);
      }
    }
    if (e instanceof IllegalArgumentException) {
      err.println("rnnx: " + e.getMessage());
      return ExitCodes.BAD_INPUT;
    }
    err.println("rnnx: internal failure: " + e);
    e.printStackTrace(err);
    return ExitCodes.INTERNAL;
  }

  /**
   * Out of memory, exit {@link ExitCodes#INTERNAL}: one line saying what ran out (the JVM's heap,
   * with its size, or native memory) and the setting to change, never a stack trace.
   */
  static int outOfMemory(OutOfMemoryError e, PrintWriter err, CommandLine.ParseResult parsed) {
    err.println(outOfMemoryLine(e, commandName(parsed), Runtime.getRuntime().maxMemory()));
    err.flush();
    return ExitCodes.INTERNAL;
  }

  /** The one line {@link #outOfMemory} prints. */
  static String outOfMemoryLine(OutOfMemoryError e, String command, long maxHeap) {
    String what = e.getMessage() == null || e.getMessage().isBlank() ? "memory" : e.getMessage();
    return String.format(java.util.Locale.ROOT, "rnnx: %s ran out of memory (%s; the JVM's heap is at most %d MiB):"
        + " give it more with RNNX_JAVA_OPTS=-Xmx<size> (e.g. RNNX_JAVA_OPTS=-Xmx8g), or a smaller input or recipe",
        command, what, maxHeap >> 20);
  }

  /** {@code 'rnnx verify'}, or {@code 'rnnx'} before a subcommand was chosen. */
  private static String commandName(CommandLine.ParseResult parsed) {
    CommandLine.ParseResult p = parsed;
    while (p != null && p.subcommand() != null) {
      p = p.subcommand();
    }
    return "'" + (p == null ? "rnnx" : p.commandSpec().qualifiedName()) + "'";
  }
}
