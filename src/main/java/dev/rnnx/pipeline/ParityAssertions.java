package dev.rnnx.pipeline;

import dev.rnnx.spec.ModelSpec;
import dev.rnnx.verify.Criterion;
import dev.rnnx.verify.FormFiles;
import dev.rnnx.verify.ParityCriteria;
import dev.rnnx.verify.Verification;
import dev.rnnx.verify.VerifyOptions;
import dev.rnnx.verify.VerifyReport;
import dev.rnnx.weights.Weights;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parity as a test assertion, for users' own JUnit 5 suites:
 *
 * <pre>{@code
 * @Test
 * void exportedModelMatchesTensorFlow() {
 *   ParityAssertions.assertParity(Path.of("model.onnx"), Path.of("saved_model"),
 *       VerifyOptions.builder().tolerances(1e-5, 1e-5).map("input", "serving_default_input:0").build());
 * }
 * }</pre>
 *
 * <p>Each method runs a whole {@link Verification} with the engines ({@link EngineBackends}) and throws {@link ParityAssertionError} (an
 * {@link AssertionError}) when parity does not hold: its message starts with the first diverging
 * layer, step and gate, followed by the parity table. Bad input (a file that is not a model, inputs
 * that do not fit) is an {@link IllegalArgumentException}, as everywhere in rnnx.
 */
public final class ParityAssertions {

  private ParityAssertions() {}

  /**
   * Asserts that an ONNX file and a SavedModel (either may be {@code null}) compute the same outputs
   * as the pure-Java ONNX evaluator, on every native backend, each in its own child process.
   *
   * @return the verification, when parity holds
   * @throws ParityAssertionError when it does not
   */
  public static VerifyReport assertParity(Path onnx, Path savedModel, VerifyOptions options) {
    return check(Verification.verifyArtifacts(onnx, savedModel, options, EngineBackends.INSTANCE));
  }

  /** {@link #assertParity(Path, Path, VerifyOptions)} with every default. */
  public static VerifyReport assertParity(Path onnx, Path savedModel) {
    return assertParity(onnx, savedModel, VerifyOptions.defaults());
  }

  /**
   * Asserts parity of a folder written by {@code rnnx run} (its reference forward against
   * {@code tf-java}, {@code djl-ort} at three optimisation levels, {@code djl-tf} and {@code ort}).
   */
  public static VerifyReport assertRunParity(Path runDir, VerifyOptions options) {
    return check(Verification.verifyRun(runDir, options, EngineBackends.INSTANCE));
  }

  /**
   * Asserts that an rnnx model's exports compute what its reference forward computes (a model of
   * one form; {@link #assertRunParity} verifies every form of a run folder).
   *
   * @param onnx the exported ONNX file
   * @param savedModel the exported SavedModel, or {@code null} to leave out the SavedModel backends
   * @param trainingLength the sequence length T of generated inputs (lengths 1, T and 4T)
   */
  public static VerifyReport assertParity(ModelSpec model, Weights weights, Path onnx, Path savedModel, int trainingLength,
      VerifyOptions options) {
    VerifyOptions o = options;
    if (savedModel == null && options.backends() == null) {
      o = options.toBuilder().backends(java.util.List.of("tf-java", "djl-ort", "djl-ort-basic", "djl-ort-disabled", "ort"))
          .build();
    }
    Map<String, Object> subject = new LinkedHashMap<>();
    subject.put("kind", "model");
    subject.put("model", model.name());
    subject.put("onnx", String.valueOf(onnx));
    ParityCriteria criteria = o.criteria() != null ? o.criteria() : ParityCriteria.of(Criterion.DEFAULT);
    return check(Verification.verifyModel(model, weights, form -> new FormFiles(onnx, savedModel), trainingLength,
        o.seed() != null ? o.seed() : 0, null, criteria, o, subject, EngineBackends.INSTANCE));
  }

  /** Throws when a finished verification did not hold. */
  public static VerifyReport check(VerifyReport report) {
    if (!report.passed()) {
      throw new ParityAssertionError(report);
    }
    return report;
  }
}
