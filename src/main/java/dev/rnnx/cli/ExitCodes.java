package dev.rnnx.cli;

/** The CLI's exit codes, one per kind of outcome. */
public final class ExitCodes {

  /** The command succeeded; for commands that verify, parity held. */
  public static final int OK = 0;
  /** Parity did not hold. */
  public static final int MISMATCH = 1;
  /** Bad input: a malformed recipe, a missing path, a file of the wrong kind, a wrong tensor. */
  public static final int BAD_INPUT = 2;
  /** A failure inside rnnx or a native engine, or running out of memory (one line, no stack trace). */
  public static final int INTERNAL = 3;
  /**
   * {@code verify}: nothing failed, but some case or output had no independent reference (only
   * backends on the reference's own engine compared it, e.g. an ONNX file the pure-Java evaluator
   * cannot run): unverified, never a pass.
   */
  public static final int UNVERIFIED = 4;

  private ExitCodes() {}
}
