package dev.rnnx.fuzz;

import java.nio.file.Path;
import java.util.List;

/**
 * One mutant to run: the CLI arguments that feed it to rnnx, and for an ONNX model run through
 * {@code predict}, what the pure-Java evaluator needs to judge an exit-0 answer.
 *
 * @param surface which surface the mutant attacks ({@code onnx}, {@code inputs}, {@code recipes}, {@code run-folders})
 * @param id its number within the campaign
 * @param mutation what was changed, for the report
 * @param args the {@code rnnx} arguments
 * @param oracleModel the model the evaluator runs, or {@code null}
 * @param oracleInputs the inputs file the evaluator reads, or {@code null}
 * @param outputFile where {@code predict --output} writes the answer, or {@code null}
 */
record FuzzCase(String surface, int id, String mutation, List<String> args, Path oracleModel, Path oracleInputs,
    Path outputFile) {

  /** A case judged only by its exit code and output. */
  static FuzzCase of(String surface, int id, String mutation, String... args) {
    return new FuzzCase(surface, id, mutation, List.of(args), null, null, null);
  }
}
