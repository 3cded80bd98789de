package dev.rnnx.verify;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.Tensor;
import dev.rnnx.tensorio.ElementType;
import dev.rnnx.tensorio.TestDataSet;
import dev.rnnx.tensorio.TypedTensor;
import dev.rnnx.weights.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The golden sets of a {@link VerifyReport}: each form's inputs and reference outputs in ONNX's
 * {@code test_data_set_N} layout beside a copy of its ONNX file, which ONNX tooling reads as is and
 * {@code rnnx verify --inputs} feeds back.
 */
public final class GoldenSets {

  private GoldenSets() {}

  /**
   * Writes the golden sets of every form, each in ONNX's layout: {@code test_data_set_N/} per case
   * (inputs with the form's declared element types, outputs the reference's float32 outputs) beside
   * a copy of the form's ONNX file as {@code model.onnx}; the form {@code model} directly in
   * {@code dir}, every other form in {@code dir/<form>/}.
   *
   * @return the golden folder
   */
  public static Path write(VerifyReport r, Path dir) throws IOException {
    for (FormReport f : r.forms()) {
      write(f, f.folder(dir));
    }
    return dir;
  }

  private static void write(FormReport r, Path dir) throws IOException {
    Files.createDirectories(dir);
    if (r.onnx() != null && Files.isRegularFile(r.onnx())) {
      AtomicFiles.write(dir.resolve("model.onnx"), Files.readAllBytes(r.onnx()));
    }
    int n = 0;
    for (ParityCase c : r.cases()) {
      Map<String, FloatTensor> outs = r.referenceOutputs().get(c.name());
      if (outs == null) {
        continue;
      }
      Map<String, TypedTensor> in = new LinkedHashMap<>();
      for (Map.Entry<String, ? extends Tensor> e : c.inputs().entrySet()) {
        ElementType type = r.inputTypes().getOrDefault(e.getKey(), e.getValue() instanceof FloatTensor ? ElementType.FLOAT
            : ElementType.INT64);
        in.put(e.getKey(), e.getValue() instanceof LongTensor l && type.isFloating()
            ? TypedTensor.of(new FloatTensor(l.shape(), toFloats(l.data())), type) : TypedTensor.of(e.getValue(), type));
      }
      new TestDataSet(in, TypedTensor.ofAll(outs)).write(dir, n++);
    }
  }

  private static float[] toFloats(long[] v) {
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      f[i] = v[i];
    }
    return f;
  }
}
