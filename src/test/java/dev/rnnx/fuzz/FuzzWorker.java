package dev.rnnx.fuzz;

import dev.rnnx.cli.Main;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Tensor;
import dev.rnnx.tensorio.InputFiles;
import dev.rnnx.verify.OnnxReferenceBackend;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * The child JVM of {@link FuzzHarness}: runs many mutants one after another through rnnx's CLI
 * in-process ({@link Main#commandLine()}), and answers one line per mutant on its standard output:
 * {@code @@fuzz <id> <exit code> <trace|oom|plain> <right|wrong|unjudged|-> <first line of stderr>}.
 *
 * <p>Requests are one line each: {@code <id> TAB <oracle model or -> TAB <oracle inputs or -> TAB
 * <output file or -> TAB <rnnx arguments, tab-separated>}. An exit-0 answer of an ONNX model is
 * judged against the pure-Java evaluator ({@link OnnxReferenceBackend}) when it can run the model.
 */
public final class FuzzWorker {

  static final String PREFIX = "@@fuzz ";

  private FuzzWorker() {}

  /** Serves requests until the end of input. */
  public static void main(String[] args) throws Exception {
    PrintStream protocol = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    System.setOut(System.err);
    protocol.println(PREFIX + "READY");
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      List<String> parts = Arrays.asList(line.split("\t", -1));
      String id = parts.get(0);
      Path model = path(parts.get(1));
      Path inputs = path(parts.get(2));
      Path output = path(parts.get(3));
      String[] cli = parts.subList(4, parts.size()).toArray(String[]::new);
      protocol.println(PREFIX + id + " " + runOne(cli, model, inputs, output));
    }
  }

  private static Path path(String s) {
    return s.equals("-") ? null : Path.of(s);
  }

  /** {@code <code> <trace|oom|plain> <judgement> <first stderr line>}. */
  static String runOne(String[] cli, Path model, Path inputs, Path output) {
    CommandLine cl = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code;
    try {
      code = cl.execute(cli);
    } catch (OutOfMemoryError e) {
      return "3 oom - " + oneLine("OutOfMemoryError escaped the CLI: " + e.getMessage());
    } catch (Throwable t) {
      StringWriter trace = new StringWriter();
      t.printStackTrace(new PrintWriter(trace));
      return "99 trace - " + oneLine("escaped the CLI: " + trace);
    }
    String e = err.toString();
    String o = out.toString();
    String shape = e.contains("\tat ") || o.contains("\tat ") || e.contains("Exception in thread") ? "trace"
        : e.contains("ran out of memory") ? "oom" : "plain";
    String judged = code == 0 && model != null ? judge(model, inputs, output) : "-";
    String first = e.lines().filter(l -> !l.isBlank()).findFirst().orElse("");
    return code + " " + shape + " " + judged + " " + oneLine(first);
  }

  /** Whether the answer {@code predict} wrote agrees with the pure-Java evaluator's. */
  static String judge(Path model, Path inputs, Path output) {
    Map<String, FloatTensor> expected;
    Map<String, Tensor> feeds;
    try (OnnxReferenceBackend ref = new OnnxReferenceBackend(model)) {
      feeds = InputFiles.readFile(inputs);
      expected = ref.run(feeds);
    } catch (RuntimeException | StackOverflowError e) {
      return "unjudged";
    }
    if (output == null || !Files.isRegularFile(output)) {
      return "unjudged";
    }
    Map<String, Tensor> got = InputFiles.readFile(output);
    if (!got.keySet().equals(expected.keySet())) {
      return "unjudged";
    }
    for (Map.Entry<String, FloatTensor> x : expected.entrySet()) {
      Tensor g = got.get(x.getKey());
      if (!(g instanceof FloatTensor gf) || !Arrays.equals(gf.shape(), x.getValue().shape())) {
        return "wrong";
      }
      float[] a = gf.data();
      float[] b = x.getValue().data();
      for (int i = 0; i < a.length; i++) {
        boolean bothNaN = Float.isNaN(a[i]) && Float.isNaN(b[i]);
        if (!bothNaN && !(Math.abs(a[i] - b[i]) <= 1e-3 + 1e-3 * Math.abs(b[i])) && a[i] != b[i]) {
          return "wrong";
        }
      }
    }
    return "right";
  }

  private static String oneLine(String s) {
    String t = s.replace('\n', ' ').replace('\r', ' ').replace('\t', ' ');
    return t.length() > 400 ? t.substring(0, 400) : t;
  }
}
