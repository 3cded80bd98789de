package dev.rnnx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.onnx.OnnxExporter;
import dev.rnnx.ref.ReferenceForms;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.ParameterSpec;
import dev.rnnx.spec.Recipe;
import dev.rnnx.spec.RecipeCodec;
import dev.rnnx.spec.Tensor;
import dev.rnnx.tensorio.TestDataSet;
import dev.rnnx.tensorio.TypedTensor;
import dev.rnnx.weights.Provenance;
import dev.rnnx.weights.Safetensors;
import dev.rnnx.weights.Weights;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rnnx verify RUN_DIR --expected E}: recorded outputs judge every backend, in each of E's
 * formats (HDF5, .npz, .npy folders, test_data_set_N); outputs that differ fail (exit 1); a bad E
 * is refused with exit 2 naming the file.
 */
class VerifyExpectedTest {

  private static final String RECIPE = """
      name: expected-lstm
      seed: 3
      model:
        input: {features: 1}
        layers:
          - {type: lstm, units: 5}
          - {type: dense, units: 1, activation: tanh}
      data: {task: sine, window: 6, samples: 40}
      training: {loss: mse, optimizer: adam, learning_rate: 0.01, epochs: 1, batch_size: 8}
      """;

  @TempDir
  static Path shared;
  static Path run;
  static FloatTensor input;
  static FloatTensor output;

  @BeforeAll
  static void runFolder() throws IOException {
    Recipe recipe = RecipeCodec.parse(RECIPE, "test");
    Random rnd = new Random(8);
    Map<String, FloatTensor> m = new LinkedHashMap<>();
    for (ParameterSpec p : recipe.model().parameters()) {
      float[] v = new float[(int) p.size()];
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) (rnd.nextGaussian() * 0.4);
      }
      m.put(p.name(), new FloatTensor(Arrays.stream(p.shape()).asLongStream().toArray(), v));
    }
    Weights w = new Weights(m);
    run = Files.createDirectories(shared.resolve("run"));
    Provenance prov = new Provenance(recipe.name(), RECIPE, recipe.seed(), Map.of(), Map.of());
    Safetensors.write(run.resolve("weights.safetensors"), w, prov.toMetadata());
    OnnxExporter.write(OnnxExporter.export(recipe.model(), w, 17, prov).get(ModelForm.MODEL), run.resolve("model.onnx"));
    float[] x = new float[3 * 7];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rnd.nextGaussian();
    }
    input = FloatTensor.of(x, 3, 7, 1);
    output = ReferenceForms.form(recipe.model(), w, ModelForm.MODEL).run(Map.of("input", input)).get("output");
  }

  private static CliRun verify(Path expected) {
    return CliRun.of("verify", run.toString(), "--expected", expected.toString(), "--backends", "ort", "--no-isolate",
        "--report", expected.resolveSibling(expected.getFileName() + "-report").toString());
  }

  @Test
  void everyFormatOfRecordedOutputsJudgesEveryBackend(@TempDir Path dir) throws IOException {
    Path sets = Files.createDirectories(dir.resolve("sets"));
    new TestDataSet(Map.of("x", TypedTensor.of(input)), Map.of("y", TypedTensor.of(output))).write(sets, 0);
    Path npyDir = Files.createDirectories(dir.resolve("npy"));
    writeNpy(Files.createDirectories(npyDir.resolve("inputs")).resolve("input.npy"), input);
    writeNpy(Files.createDirectories(npyDir.resolve("outputs")).resolve("output.npy"), output);
    Path npz = dir.resolve("expected.npz");
    try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(npz))) {
      z.putNextEntry(new ZipEntry("inputs/input.npy"));
      z.write(npy(input));
      z.putNextEntry(new ZipEntry("outputs/output.npy"));
      z.write(npy(output));
    }
    Path h5 = dir.resolve("expected.h5");
    try (WritableHdfFile f = HdfFile.write(h5)) {
      WritableGroup in = f.putGroup("inputs");
      in.putDataset("input", nested(input));
      WritableGroup out = f.putGroup("outputs");
      out.putDataset("output", nested(output));
    }
    for (Path e : new Path[] {sets, npyDir, npz, h5}) {
      CliRun r = verify(e);
      assertEquals(0, r.code(), e + "\n" + r.out() + r.err());
      assertTrue(r.out().matches("(?s).*\\bexpected +ref +output .*pass.*"), r.out());
      assertTrue(r.out().matches("(?s).*\\bexpected +ort +output .*pass.*"), r.out());
    }
  }

  @Test
  void outputsThatDifferFromTheRecordedOnesFail(@TempDir Path dir) throws IOException {
    float[] off = output.data().clone();
    off[1] += 1e-3f;
    Path sets = Files.createDirectories(dir.resolve("sets"));
    new TestDataSet(Map.of("input", TypedTensor.of(input)), Map.of("output", TypedTensor.of(new FloatTensor(output.shape(), off))))
        .write(sets, 0);
    CliRun r = verify(sets);
    assertEquals(ExitCodes.MISMATCH, r.code(), r.out() + r.err());
  }

  @Test
  void aBadExpectedFileIsRefusedNamingIt(@TempDir Path dir) throws IOException {
    Path missing = dir.resolve("nothing.h5");
    CliRun r = verify(missing);
    assertEquals(ExitCodes.BAD_INPUT, r.code());
    assertTrue(r.err().contains(missing.toString()) && r.err().contains("does not exist"), r.err());

    Path wrongName = Files.createDirectories(dir.resolve("wrong"));
    writeNpy(Files.createDirectories(wrongName.resolve("inputs")).resolve("features.npy"), input);
    writeNpy(Files.createDirectories(wrongName.resolve("outputs")).resolve("output.npy"), output);
    r = verify(wrongName);
    assertEquals(ExitCodes.BAD_INPUT, r.code());
    assertTrue(r.err().contains(wrongName.toString()) && r.err().contains("'features'"), r.err());

    Path wrongShape = Files.createDirectories(dir.resolve("shape"));
    writeNpy(Files.createDirectories(wrongShape.resolve("inputs")).resolve("input.npy"), input);
    writeNpy(Files.createDirectories(wrongShape.resolve("outputs")).resolve("output.npy"), FloatTensor.of(new float[3], 3));
    r = verify(wrongShape);
    assertEquals(ExitCodes.BAD_INPUT, r.code());
    assertTrue(r.err().contains(wrongShape.toString()) && r.err().contains("shape"), r.err());

    Path corrupt = dir.resolve("corrupt.h5");
    Files.writeString(corrupt, "not hdf5");
    r = verify(corrupt);
    assertEquals(ExitCodes.BAD_INPUT, r.code());
    assertTrue(r.err().contains(corrupt.toString()), r.err());
    assertTrue(!r.err().contains("\tat "), r.err());
  }

  private static Object nested(FloatTensor t) {
    long[] s = t.shape();
    float[][][] a = new float[(int) s[0]][(int) s[1]][];
    if (s.length == 2) {
      float[][] b = new float[(int) s[0]][(int) s[1]];
      for (int i = 0; i < s[0]; i++) {
        System.arraycopy(t.data(), (int) (i * s[1]), b[i], 0, (int) s[1]);
      }
      return b;
    }
    for (int i = 0; i < s[0]; i++) {
      for (int j = 0; j < s[1]; j++) {
        a[i][j] = Arrays.copyOfRange(t.data(), (int) ((i * s[1] + j) * s[2]), (int) ((i * s[1] + j + 1) * s[2]));
      }
    }
    return a;
  }

  private static void writeNpy(Path file, FloatTensor t) throws IOException {
    try (OutputStream o = Files.newOutputStream(file)) {
      o.write(npy(t));
    }
  }

  /** A float32 C-order .npy file (format 1.0). */
  private static byte[] npy(Tensor t) {
    FloatTensor f = (FloatTensor) t;
    String shape = Arrays.stream(f.shape()).mapToObj(Long::toString).reduce((a, b) -> a + ", " + b).orElse("")
        + (f.shape().length == 1 ? "," : "");
    StringBuilder h = new StringBuilder("{'descr': '<f4', 'fortran_order': False, 'shape': (" + shape + "), }");
    while ((10 + h.length() + 1) % 64 != 0) {
      h.append(' ');
    }
    h.append('\n');
    byte[] header = h.toString().getBytes(StandardCharsets.US_ASCII);
    ByteBuffer b = ByteBuffer.allocate(10 + header.length + 4 * f.size()).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
    b.putShort((short) header.length);
    b.put(header);
    for (float v : f.data()) {
      b.putFloat(v);
    }
    return b.array();
  }
}
