package dev.rnnx.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link OnnxExporter#write} is atomic: the model or nothing, never a temporary file left behind. */
class OnnxExporterWriteTest {

  @TempDir
  Path dir;

  private List<String> listing() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void writesTheModelAndNoTemporaryFile() throws Exception {
    OnnxMl.ModelProto m = TinyModels.relu().build();
    Path file = dir.resolve("sub/model.onnx");
    OnnxExporter.write(m, file);
    assertArrayEquals(m.toByteArray(), Files.readAllBytes(file));
    assertEquals(List.of("sub"), listing());
    try (Stream<Path> s = Files.list(file.getParent())) {
      assertEquals(List.of("model.onnx"), s.map(p -> p.getFileName().toString()).toList());
    }
  }

  @Test
  void replacesAnExistingFile() throws Exception {
    Path file = Files.writeString(dir.resolve("model.onnx"), "old");
    OnnxMl.ModelProto m = TinyModels.relu().build();
    OnnxExporter.write(m, file);
    assertEquals(m, OnnxModels.read(file));
    assertEquals(List.of("model.onnx"), listing());
  }

  @Test
  void checkerFailureWritesNothingAndKeepsTheOldFile() throws Exception {
    Path file = Files.writeString(dir.resolve("model.onnx"), "old");
    OnnxMl.ModelProto.Builder broken = TinyModels.relu();
    broken.getGraphBuilder().getNodeBuilder(0).setInput(0, "missing");
    assertThrows(OnnxExportException.class, () -> OnnxExporter.write(broken.build(), file));
    assertEquals("old", Files.readString(file));
    assertEquals(List.of("model.onnx"), listing());
  }

  @Test
  void ioFailureLeavesNoFile() throws Exception {
    Path notAFolder = Files.writeString(dir.resolve("plain"), "x");
    assertThrows(IOException.class, () -> OnnxExporter.write(TinyModels.relu().build(), notAFolder.resolve("model.onnx")));
    assertEquals(List.of("plain"), listing());
  }

  @Test
  void refusesToReplaceAFolder() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("model.onnx"));
    Files.writeString(folder.resolve("keep.txt"), "keep");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> OnnxExporter.write(TinyModels.relu().build(), folder));
    assertEquals(folder + ": is a folder, expected the path of an ONNX model file to write", e.getMessage());
    assertTrue(Files.exists(folder.resolve("keep.txt")));
  }
}
