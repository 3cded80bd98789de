package dev.rnnx.fuzz;

import ai.onnx.proto.OnnxMl;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

/**
 * Mutants of a run folder of {@code rnnx run} (its {@code weights.safetensors} and
 * {@code model.onnx}; the SavedModel is left out): the safetensors header length, header JSON and
 * its recorded recipe, byte flips, truncation, extra bytes; the weights file replaced by a link
 * to {@code /dev/zero}, a FIFO, a folder, or missing; the ONNX file mutated by
 * {@link OnnxMutator} or missing.
 */
final class RunFolderMutator {

  private final Random random;
  private final OnnxMutator onnx;

  RunFolderMutator(long seed) {
    this.random = new Random(seed);
    this.onnx = new OnnxMutator(seed ^ 0x5DEECE66DL);
  }

  /** Writes a mutant of {@code base} into {@code dir} and says what was changed. */
  String mutate(Path base, Path dir) throws IOException {
    Files.createDirectories(dir);
    byte[] weights = Files.readAllBytes(base.resolve("weights.safetensors"));
    byte[] model = Files.readAllBytes(base.resolve("model.onnx"));
    Path w = dir.resolve("weights.safetensors");
    Path m = dir.resolve("model.onnx");
    String what;
    int how = random.nextInt(11);
    switch (how) {
      case 0 -> {
        long len = new long[] {0, 7, weights.length, 1L << 40, -1L, 100_000_000L}[random.nextInt(6)];
        for (int i = 0; i < 8; i++) {
          weights[i] = (byte) (len >>> (8 * i));
        }
        what = "safetensors header length " + len;
      }
      case 1, 2 -> {
        String header = new String(weights, 8, (int) headerLength(weights), StandardCharsets.UTF_8);
        String changed = header.replaceFirst(new String[] {"\"F32\"", "\\[\\d+", "\"data_offsets\":\\[\\d+", "units: \\d+",
            "\\\\\"units\\\\\":\\d+", "\"shape\":\\[\\d+,"}[random.nextInt(6)],
            new String[] {"\"F16\"", "[0", "\"data_offsets\":[999999", "units: 100000000", "\\\\\"units\\\\\":0",
                "\"shape\":[18446744073709551619,"}[random.nextInt(6)]);
        byte[] hb = changed.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[8 + hb.length + weights.length - 8 - (int) headerLength(weights)];
        long len = hb.length;
        for (int i = 0; i < 8; i++) {
          out[i] = (byte) (len >>> (8 * i));
        }
        System.arraycopy(hb, 0, out, 8, hb.length);
        System.arraycopy(weights, 8 + (int) headerLength(weights), out, 8 + hb.length, out.length - 8 - hb.length);
        weights = out;
        what = "safetensors header edited" + (changed.equals(header) ? " (no match)" : "");
      }
      case 3 -> {
        int at = random.nextInt(weights.length);
        weights[at] ^= (byte) (1 << random.nextInt(8));
        what = "weights byte " + at + " flipped";
      }
      case 4 -> {
        weights = Arrays.copyOf(weights, random.nextInt(weights.length));
        what = "weights truncated to " + weights.length;
      }
      case 5 -> {
        weights = Arrays.copyOf(weights, weights.length + 1 + random.nextInt(64));
        what = "weights with extra bytes";
      }
      case 6 -> {
        OnnxMutator.Mutant mm = onnx.mutate(OnnxMl.ModelProto.parseFrom(model));
        model = mm.model().toByteArray();
        what = "model.onnx: " + mm.mutation();
      }
      case 7 -> {
        Files.write(m, model);
        Files.createSymbolicLink(w, Path.of("/dev/zero"));
        return "weights.safetensors -> /dev/zero";
      }
      case 8 -> {
        Files.write(m, model);
        if (random.nextBoolean()) {
          try {
            new ProcessBuilder("mkfifo", w.toString()).start().waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return "weights.safetensors is a FIFO";
        }
        Files.createDirectories(w);
        return "weights.safetensors is a folder";
      }
      case 9 -> {
        Files.write(w, weights);
        return "model.onnx missing";
      }
      default -> {
        Files.write(m, model);
        return "weights.safetensors missing";
      }
    }
    Files.write(w, weights);
    Files.write(m, model);
    return what;
  }

  private static long headerLength(byte[] b) {
    long n = 0;
    for (int i = 7; i >= 0; i--) {
      n = (n << 8) | (b[i] & 0xFF);
    }
    return n;
  }
}
