package dev.rnnx.verify;

/**
 * The outcome of a verification, in three values: parity holds against an independent reference;
 * it fails somewhere; or every comparison that ran agrees but some case or output had no
 * independent reference (only backends on the reference's own engine judged it, or none did), so
 * nothing can be claimed for it ({@link Unjudged} lists each with its reason).
 */
public enum Verdict {
  /** Every comparison passed and every case and output was judged by an independent reference. */
  PASSED("passed", "parity holds"),
  /** A comparison failed, a backend failed or crashed, or a variant is over its budget. */
  FAILED("failed", "parity FAILS"),
  /** Nothing failed, but some case or output was left unjudged: no independent reference covered it. */
  UNVERIFIED("unverified", "parity UNVERIFIED (no independent reference)");

  private final String id;
  private final String headline;

  Verdict(String id, String headline) {
    this.id = id;
    this.headline = headline;
  }

  /** The value of {@code verdict} in report.json: {@code passed}, {@code failed} or {@code unverified}. */
  public String id() {
    return id;
  }

  /** The console's verdict words, e.g. {@code parity holds}. */
  public String headline() {
    return headline;
  }

  /** The worse of two verdicts: failed over unverified over passed. */
  public Verdict and(Verdict other) {
    return this == FAILED || other == FAILED ? FAILED : this == UNVERIFIED || other == UNVERIFIED ? UNVERIFIED : PASSED;
  }
}
