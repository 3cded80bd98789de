package dev.rnnx.pipeline;

import dev.rnnx.verify.FormReport;
import dev.rnnx.verify.VerifyReport;

/**
 * A parity failure raised by {@link ParityAssertions}: JUnit 5 (like any test framework) reports an
 * {@link AssertionError} as a failed test. The message carries the parity table and, for each
 * failing ONNX candidate, the first diverging layer, step and gate.
 */
public final class ParityAssertionError extends AssertionError {

  private final transient VerifyReport report;

  ParityAssertionError(VerifyReport report) {
    super(message(report));
    this.report = report;
  }

  /** The whole verification, for further assertions or for writing the reports. */
  public VerifyReport report() {
    return report;
  }

  private static String message(VerifyReport r) {
    StringBuilder sb = new StringBuilder(r.verdict() == dev.rnnx.verify.Verdict.UNVERIFIED
        ? "parity is unverified: no independent reference judged every case" : "parity does not hold");
    for (FormReport f : r.forms()) {
      var divergences = f.parity().divergences();
      if (!divergences.isEmpty()) {
        sb.append(": ").append(divergences.get(0).message());
        break;
      } else if (!f.parity().backendErrors().isEmpty()) {
        var e = f.parity().backendErrors().entrySet().iterator().next();
        sb.append(": backend ").append(e.getKey()).append(" failed: ").append(e.getValue());
        break;
      }
    }
    return sb.append('\n').append(r.text()).toString();
  }
}
