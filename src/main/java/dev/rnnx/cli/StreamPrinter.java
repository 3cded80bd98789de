package dev.rnnx.cli;

import dev.rnnx.djl.RnnxModel;
import dev.rnnx.djl.StreamSession;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.Tensor;
import dev.rnnx.tensorio.InputFiles;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code rnnx predict RUN_DIR --input FILE --stream --chunk N}: each row of the file's
 * {@code input} fed through its own streaming session ({@link RnnxModel#openStream()}) in chunks of
 * N steps, one JSON line per chunk: {@code {"row": r, "steps": [from, to], "output": {...}}}.
 */
final class StreamPrinter {

  private StreamPrinter() {}

  static void print(Path runDir, String engine, Map<String, Tensor> inputs, int chunk, PrintWriter out) {
    if (chunk < 1) {
      throw new IllegalArgumentException("--chunk is " + chunk + ", expected at least 1 step");
    }
    Tensor x = inputs.size() == 1 ? inputs.values().iterator().next() : inputs.get(Sequential.INPUT);
    if (x == null) {
      throw new IllegalArgumentException("--stream reads one input, '" + Sequential.INPUT + "'; the file holds " + inputs.keySet());
    }
    if (x.rank() < 2) {
      throw new IllegalArgumentException("--stream: input '" + Sequential.INPUT + "' is " + x.shapeString()
          + ", expected [rows, steps, features] or token ids [rows, steps]");
    }
    RnnxModel.Builder builder = RnnxModel.builder(runDir).optPoolSize(1).optWarmUp(false);
    if (engine != null) {
      builder.optEngine(engine);
    }
    try (RnnxModel model = builder.build()) {
      int rows = Math.toIntExact(x.dim(0));
      long steps = x.dim(1);
      for (int r = 0; r < rows; r++) {
        try (StreamSession s = model.openStream()) {
          for (long from = 0; from < steps; from += chunk) {
            long to = Math.min(steps, from + chunk);
            FloatTensor y = s.feed(slice(x, r, from, to));
            Map<String, Tensor> named = new LinkedHashMap<>();
            named.put("output", y);
            out.println("{\"row\": " + r + ", \"steps\": [" + from + ", " + to + "], \"output\": "
                + InputFiles.toJson(named).replaceAll("\\s+", " ").trim() + "}");
          }
        }
      }
    }
  }

  /** Steps {@code [from, to)} of row {@code r}. */
  private static Tensor slice(Tensor x, int r, long from, long to) {
    long[] shape = x.shape();
    int perStep = Math.toIntExact(Arrays.stream(shape).skip(2).reduce(1, (a, b) -> a * b));
    int begin = Math.toIntExact((r * shape[1] + from) * perStep);
    int end = Math.toIntExact((r * shape[1] + to) * perStep);
    if (x instanceof FloatTensor f) {
      long[] chunkShape = shape.length > 2 ? new long[] {to - from, shape[2]} : new long[] {to - from, 1};
      return FloatTensor.of(Arrays.copyOfRange(f.data(), begin, end), chunkShape);
    }
    return LongTensor.of(Arrays.copyOfRange(((LongTensor) x).data(), begin, end), to - from);
  }
}
