package dev.rnnx.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.djl.ForkedJvm;
import dev.rnnx.djl.TinyOnnx;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spark stays out of the core: {@code rnnx predict} without {@code --spark} and {@code rnnx
 * summary}, run in a fresh JVM with Spark on the classpath, load no Spark or Scala class; {@code
 * --spark} without Spark's libraries on the classpath says so in one line, exit 2.
 */
class CoreWithoutSparkTest {

  @TempDir Path tmp;

  private static List<String> sparkClasses(String output) {
    return output.lines().filter(l -> l.contains("[class,load]"))
        .filter(l -> l.contains(" org.apache.spark.") || l.contains(" scala.") || l.contains(" dev.rnnx.spark.")).toList();
  }

  @Test
  void otherCommandsLoadNoSparkClass() throws Exception {
    assertTrue(System.getProperty("java.class.path").contains("spark-sql_2.12"), "Spark is not on the test classpath");
    Path onnx = TinyOnnx.write(tmp.resolve("tiny.onnx"), false);
    Path in = Files.writeString(tmp.resolve("x.json"), "{\"input\": [[[0.1, 0.2, 0.3]]]}");
    ForkedJvm.Result predict = ForkedJvm.run(tmp, List.of("-verbose:class"), dev.rnnx.cli.Main.class,
        "predict", onnx.toString(), "--input", in.toString());
    assertEquals(0, predict.exitCode(), predict.output());
    assertTrue(predict.output().contains(" dev.rnnx.djl.RnnxModel "), "predict did not serve the model");
    assertEquals(List.of(), sparkClasses(predict.output()), "predict loaded Spark classes");
    ForkedJvm.Result summary = ForkedJvm.run(tmp, List.of("-verbose:class"), dev.rnnx.cli.Main.class,
        "summary", "models/sine-lstm.yaml");
    assertEquals(0, summary.exitCode(), summary.output());
    assertEquals(List.of(), sparkClasses(summary.output()), "summary loaded Spark classes");
  }

  @Test
  void sparkWithoutItsLibrariesSaysSoInOneLine() throws Exception {
    String core = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(e -> !e.contains("/org/apache/spark/") && !e.contains("/org/scala-lang/"))
        .collect(Collectors.joining(File.pathSeparator));
    ForkedJvm.Result r = ForkedJvm.run(tmp, List.of("-cp", core), dev.rnnx.cli.Main.class,
        "verify", tmp.toString(), "--spark", "local[1]", "--cases", "10");
    assertEquals(2, r.exitCode(), r.output());
    List<String> lines = r.output().lines().filter(l -> !l.isBlank()).toList();
    assertEquals(1, lines.size(), r.output());
    assertTrue(lines.get(0).startsWith("rnnx: --spark needs rnnx's Spark module and Spark's libraries on the classpath"),
        r.output());
  }
}
