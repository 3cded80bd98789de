package dev.rnnx.verify;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Tensor;
import dev.rnnx.tensorio.TestDataSet;
import dev.rnnx.tensorio.TypedTensor;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * The child-process side of {@link ProcessBackend}: opens one backend from a {@link BackendSpec}
 * given as arguments, through a {@link BackendOpener} (whose {@link BackendOpener#workerMain()}
 * calls {@link #run}), then serves requests from its standard input until {@code QUIT} or the end
 * of input.
 *
 * <p>Protocol (one line each way per request; tensors travel as files in ONNX's
 * {@code test_data_set} layout, one {@code TensorProto} per file, each named after its tensor):
 * the parent writes {@code input_K.pb} into a folder and sends {@code RUN <folder>}; the worker
 * runs the backend and writes {@code output_K.pb} there, then answers {@code @@rnnx DONE}, or
 * {@code @@rnnx FAIL <kind> <message>} when the backend threw. At start it answers
 * {@code @@rnnx READY <name>} or {@code @@rnnx FAIL …}. Only lines starting with {@code @@rnnx}
 * belong to the protocol: anything else a native library prints on standard output is ignored (the
 * worker itself sends {@code System.out} to standard error).
 */
public final class BackendWorker {

  /** The prefix of every protocol line. */
  static final String PREFIX = "@@rnnx ";

  private BackendWorker() {}

  /**
   * Runs the worker and exits the process; the arguments are {@link BackendSpec#toArgs()}.
   *
   * @param opener opens the backend the arguments name
   */
  public static void run(String[] args, BackendOpener opener) throws Exception {
    PrintStream protocol = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    System.setOut(System.err);
    Backend backend;
    try {
      BackendSpec spec = BackendSpec.fromArgs(args, 0);
      backend = spec.kind() == BackendKind.REF_ONNX ? new OnnxReferenceBackend(spec.onnx()) : opener.open(spec);
    } catch (RuntimeException | LinkageError e) {
      protocol.println(PREFIX + "FAIL " + kind(e) + " " + oneLine(e));
      System.exit(2);
      return;
    }
    protocol.println(PREFIX + "READY " + backend.name());
    serve(backend, protocol);
    backend.close();
    System.exit(0);
  }

  /** Serves requests for an open backend until {@code QUIT} or the end of input. */
  static void serve(Backend backend, PrintStream protocol) throws Exception {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      if (line.equals("QUIT")) {
        return;
      }
      if (!line.startsWith("RUN ")) {
        protocol.println(PREFIX + "FAIL IllegalStateException unknown request '" + line + "'");
        continue;
      }
      Path dir = Path.of(line.substring(4));
      try {
        Map<String, FloatTensor> outputs = backend.run(readInputs(dir));
        TestDataSet.writeAll(dir, "output_", TypedTensor.ofAll(outputs));
        protocol.println(PREFIX + "DONE");
      } catch (RuntimeException e) {
        protocol.println(PREFIX + "FAIL " + kind(e) + " " + oneLine(e));
      }
    }
  }

  /** The {@code input_K.pb} tensors of a request folder, by name. */
  static Map<String, Tensor> readInputs(Path dir) {
    return TypedTensor.toTensors(TestDataSet.readAll(dir, "input_"));
  }

  private static String kind(Throwable e) {
    return e instanceof IllegalArgumentException ? "IllegalArgumentException" : e.getClass().getSimpleName();
  }

  private static String oneLine(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
    return m.replace('\n', ' ').replace('\r', ' ');
  }
}
