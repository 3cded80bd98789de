package dev.rnnx.verify;

import dev.rnnx.spec.Tensor;
import dev.rnnx.tensorio.InputFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One named set of inputs for a parity run, e.g. {@code batch7_len100}.
 *
 * @param name identifies the case in reports
 * @param inputs the model inputs by name (for inputs read from files, a
 *     {@link dev.rnnx.spec.SourcedInputs} that names each file in refusals)
 */
public record ParityCase(String name, Map<String, ? extends Tensor> inputs) {

  /**
   * The cases of a folder of user inputs ({@link InputFiles#read}).
   *
   * @throws IllegalArgumentException naming the file when one is missing or malformed
   */
  public static List<ParityCase> read(Path dir) {
    return InputFiles.read(dir).stream().map(c -> new ParityCase(c.name(), c.inputs())).toList();
  }
}
