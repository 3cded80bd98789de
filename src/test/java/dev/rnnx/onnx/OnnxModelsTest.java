package dev.rnnx.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading model files: good ones back equal, bad ones refused with the file and what was expected. */
class OnnxModelsTest {

  @TempDir
  Path dir;

  private IllegalArgumentException refused(Path file) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OnnxModels.read(file));
    System.out.println("read: " + e.getMessage());
    assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
    assertTrue(e.getMessage().contains("expected"), e.getMessage());
    return e;
  }

  @Test
  void readsBackWhatWasWritten() throws Exception {
    OnnxMl.ModelProto m = TinyModels.relu().build();
    Path file = dir.resolve("relu.onnx");
    OnnxExporter.write(m, file);
    assertEquals(m, OnnxModels.read(file));
  }

  @Test
  void missingFile() {
    Path file = dir.resolve("nope.onnx");
    assertEquals(file + ": file does not exist, expected an ONNX model file (.onnx)", refused(file).getMessage());
  }

  @Test
  void emptyFile() throws Exception {
    Path file = Files.createFile(dir.resolve("empty.onnx"));
    assertEquals(file + ": file is empty, expected an ONNX model file (.onnx)", refused(file).getMessage());
  }

  @Test
  void textFile() throws Exception {
    Path file = Files.writeString(dir.resolve("notes.onnx"), "this is a text file, not a model\nsecond line\n");
    assertTrue(refused(file).getMessage().contains("is not an ONNX model or is truncated"));
  }

  @Test
  void yamlFile() throws Exception {
    Path file = Files.writeString(dir.resolve("recipe.onnx"), "name: sine-lstm\nseed: 42\n");
    assertTrue(refused(file).getMessage().contains("is not an ONNX model or is truncated"));
  }

  @Test
  void truncatedFile() throws Exception {
    Path full = dir.resolve("full.onnx");
    OnnxExporter.write(OnnxExporter.export(OnnxExporterParityTest.sineLstm(),
        TestModels.randomWeights(OnnxExporterParityTest.sineLstm(), 1, 1.0), TestModels.provenance()).get("model"), full);
    byte[] bytes = Files.readAllBytes(full);
    for (int cut : new int[] {bytes.length / 2, bytes.length - 7, 10}) {
      Path file = Files.write(dir.resolve("cut" + cut + ".onnx"), Arrays.copyOf(bytes, cut));
      assertTrue(refused(file).getMessage().contains("is not an ONNX model or is truncated"));
    }
  }

  @Test
  void folder() {
    assertTrue(refused(dir).getMessage().contains("cannot be read"));
  }
}
