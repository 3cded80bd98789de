package dev.rnnx.tensorio;

import ai.onnx.proto.OnnxMl.TensorProto;
import java.io.IOException;
import java.math.BigInteger;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One golden input/output set in ONNX's test layout: {@code <model dir>/test_data_set_N/input_K.pb}
 * and {@code output_K.pb}, one serialized {@code TensorProto} per graph input and output, in graph
 * order, each named after its graph value.
 *
 * @param inputs the inputs by name, in graph order
 * @param outputs the expected outputs by name, in graph order
 */
public record TestDataSet(Map<String, TypedTensor> inputs, Map<String, TypedTensor> outputs) {

  /** Copies both maps, keeping their order. */
  public TestDataSet {
    inputs = Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
    outputs = Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
  }

  /**
   * Writes this set as {@code modelDir/test_data_set_<index>/}, replacing the {@code .pb} files of a
   * set already there.
   *
   * @return the set's folder
   * @throws UncheckedIOException when a file cannot be written
   */
  public Path write(Path modelDir, int index) {
    Path dir = modelDir.resolve("test_data_set_" + index);
    try {
      if (Files.isDirectory(dir)) {
        try (Stream<Path> old = Files.list(dir)) {
          for (Path p : old.filter(p -> p.getFileName().toString().endsWith(".pb")).collect(Collectors.toList())) {
            Files.delete(p);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clear " + dir, e);
    }
    writeAll(dir, "input_", inputs);
    writeAll(dir, "output_", outputs);
    return dir;
  }

  /**
   * Writes tensors as {@code <prefix>K.pb} files in a folder ({@code input_0.pb}, {@code input_1.pb},
   * ... for {@code "input_"}), in the map's order, each named after its key.
   *
   * @throws UncheckedIOException when a file cannot be written
   */
  public static void writeAll(Path dir, String prefix, Map<String, ? extends TypedTensor> values) {
    int k = 0;
    for (Map.Entry<String, ? extends TypedTensor> e : values.entrySet()) {
      TensorProtoCodec.write(dir.resolve(prefix + k++ + ".pb"), e.getValue(), e.getKey());
    }
  }

  /**
   * Reads one set folder. Tensors are keyed by their stored names; an unnamed tensor is keyed by its
   * file name without {@code .pb} ({@code input_0}).
   *
   * @throws IllegalArgumentException when a file is not a valid tensor (naming it) or names repeat
   */
  public static TestDataSet read(Path setDir) {
    return new TestDataSet(readAll(setDir, "input_"), readAll(setDir, "output_"));
  }

  /**
   * Reads the {@code <prefix>K.pb} files of a folder, from {@code K = 0} up to the first missing one,
   * keyed by their stored names (an unnamed tensor by its file name without {@code .pb}).
   *
   * @throws IllegalArgumentException when a file is not a valid tensor (naming it) or names repeat
   */
  public static Map<String, TypedTensor> readAll(Path dir, String prefix) {
    Map<String, TypedTensor> values = new LinkedHashMap<>();
    for (int k = 0; Files.exists(dir.resolve(prefix + k + ".pb")); k++) {
      Path file = dir.resolve(prefix + k + ".pb");
      TensorProto t = TensorProtoCodec.readProto(file);
      String name = t.getName().isEmpty() ? prefix + k : t.getName();
      if (values.put(name, TensorProtoCodec.decode(t, file)) != null) {
        throw new IllegalArgumentException("tensor name " + name + " appears twice in " + dir);
      }
    }
    return values;
  }

  /**
   * The {@code test_data_set_*} folders of a model folder, in numeric order.
   *
   * @throws UncheckedIOException when the folder cannot be listed
   */
  public static List<Path> find(Path modelDir) {
    try (Stream<Path> s = Files.list(modelDir)) {
      List<Path> sets = new ArrayList<>(s.filter(p -> Files.isDirectory(p)
          && p.getFileName().toString().matches("test_data_set_\\d+")).collect(Collectors.toList()));
      sets.sort(Comparator.comparing(TestDataSet::index));
      return sets;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + modelDir, e);
    }
  }

  private static BigInteger index(Path set) {
    return new BigInteger(set.getFileName().toString().substring("test_data_set_".length()));
  }
}
