package dev.rnnx.verify;

/**
 * A backend's child process died (a native abort, a segmentation fault, an out-of-memory kill) or
 * stopped answering. The parent JVM is unharmed; the verifier reports this as that backend's
 * failure and goes on with the others.
 */
public final class BackendCrashedException extends RuntimeException {

  private final int exitCode;

  /** @param exitCode the child's exit status, or -1 when it was killed for not answering */
  public BackendCrashedException(String message, int exitCode) {
    super(message);
    this.exitCode = exitCode;
  }

  /** The child's exit status (134 is SIGABRT, 139 SIGSEGV), or -1 when it was killed for not answering. */
  public int exitCode() {
    return exitCode;
  }
}
