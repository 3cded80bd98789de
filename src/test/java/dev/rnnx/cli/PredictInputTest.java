package dev.rnnx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rnnx.djl.TinyMath;
import dev.rnnx.djl.TinyOnnx;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.tensorio.InputFiles;
import dev.rnnx.tensorio.InputFilesTest;
import dev.rnnx.tensorio.TensorProtoCodec;
import dev.rnnx.tensorio.TypedTensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rnnx predict MODEL --input FILE}: JSON, {@code .npy} and {@code .pb} inputs give the
 * model's outputs (checked against plain Java), {@code --output} writes them atomically, and every
 * bad input exits 2 with one clear line and nothing written.
 */
class PredictInputTest {

  @TempDir static Path dir;
  static Path onnx;
  static final FloatTensor X = TinyMath.input(2, 4, 7);

  @BeforeAll
  static void model() throws Exception {
    onnx = TinyOnnx.write(dir.resolve("tiny.onnx"), false);
  }

  private static void assertTinyOutputs(JsonNode outputs) {
    JsonNode out = outputs.get("output");
    assertEquals("[2,4,2]", out.get("shape").toString());
    float[] data = new float[out.get("data").size()];
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) out.get("data").get(i).asDouble();
    }
    assertTrue(TinyMath.maxAbsDiff(TinyMath.output(X), data) < 1e-6);
    assertTrue(outputs.has("state_h"));
  }

  private static byte[] floatBytes(float[] v) {
    ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : v) {
      b.putFloat(f);
    }
    return b.array();
  }

  @Test
  void jsonInputPrintsOutputsAsJson() throws Exception {
    Path in = Files.writeString(dir.resolve("x.json"), InputFiles.toJson(Map.of("input", X)));
    CliRun o = CliRun.of("predict", onnx.toString(), "--input", in.toString());
    assertEquals(ExitCodes.OK, o.code(), o.err());
    assertTinyOutputs(new ObjectMapper().readTree(o.out()));
  }

  @Test
  void npyInputToTheOnlyInputWithOutputFile() throws Exception {
    Path in = Files.write(dir.resolve("features.npy"), InputFilesTest.npy("<f4", X.shape(), floatBytes(X.data())));
    Path out = dir.resolve("out").resolve("y.json");
    CliRun o = CliRun.of("predict", onnx.toString(), "--input", in.toString(), "--output", out.toString());
    assertEquals(ExitCodes.OK, o.code(), o.err());
    assertTinyOutputs(new ObjectMapper().readTree(out.toFile()));
    try (Stream<Path> s = Files.list(out.getParent())) {
      assertEquals(List.of("y.json"), s.map(p -> p.getFileName().toString()).toList(), "no temporary file left");
    }
  }

  @Test
  void tensorProtoInput() throws Exception {
    Path in = dir.resolve("input_0.pb");
    TensorProtoCodec.write(in, TypedTensor.of(X), "input");
    CliRun o = CliRun.of("predict", onnx.toString(), "--input", in.toString());
    assertEquals(ExitCodes.OK, o.code(), o.err());
    assertTinyOutputs(new ObjectMapper().readTree(o.out()));
  }

  private static void badInput(String json, String... mentions) throws Exception {
    Path in = Files.writeString(Files.createTempFile(dir, "bad", ".json"), json);
    Path out = dir.resolve("never.json");
    CliRun o = CliRun.of("predict", onnx.toString(), "--input", in.toString(), "--output", out.toString());
    assertEquals(ExitCodes.BAD_INPUT, o.code(), o.err() + o.out());
    for (String m : mentions) {
      assertTrue(o.err().contains(m.replace("FILE", in.toString())), o.err());
    }
    assertFalse(Files.exists(out), "nothing is written on bad input");
  }

  @Test
  void badInputsExitTwo() throws Exception {
    badInput("{\"input\": [[0.5, 1.5, 2.5]]}", "FILE: input 'input' must be float32 [batch, time, 3], got float32 [1, 3]");
    badInput("{\"input\": [[[1, 2, 3]]]}", "FILE: input 'input' must be float32 [batch, time, 3], got int64 [1, 1, 3]");
    badInput("{\"input\": {\"shape\": [0, 4, 3], \"data\": [], \"dtype\": \"float32\"}}", "FILE: input 'input' must be float32 [batch, time, 3], got float32 [0, 4, 3]: batch is empty");
    badInput("{\"input\": [[[0.5, 1.5]]]}", "FILE: input 'input' must be float32 [batch, time, 3], got float32 [1, 1, 2]");
    badInput("{\"inputs\": [[[0.5, 1.5, 2.5]]], \"other\": [1.0]}", "FILE: unknown input 'inputs', expected inputs [input]");
    // one key for a model of one input is refused when it names no input, not fed to it silently
    badInput("{\"x\": [[[0.5, 1.5, 2.5]]]}", "FILE: unknown input 'x', expected inputs [input]",
        "FILE: input 'input' is missing");
    badInput("{\"input\": [[[0.5, 1.5, 2.5]], [[1.0]]]}", "ragged");
    badInput("{not json", "not valid JSON");
    Path nan = Files.write(dir.resolve("nan.npy"), InputFilesTest.npy("<f4", new long[] {1, 1, 3}, floatBytes(new float[] {1, Float.NaN, 2})));
    CliRun o = CliRun.of("predict", onnx.toString(), "--input", nan.toString());
    assertEquals(ExitCodes.BAD_INPUT, o.code(), o.err());
    assertTrue(o.err().contains(nan + ": input 'input' holds NaN at [0, 0, 1], expected finite values"), o.err());
    o = CliRun.of("predict", onnx.toString(), "--input", dir.resolve("missing.json").toString());
    assertEquals(ExitCodes.BAD_INPUT, o.code(), o.err());
  }
}
