package dev.rnnx.tf;

/**
 * Independent random streams derived from one recipe seed, so that the data generator, the
 * initial weights and the shuffling never share a {@link java.util.Random} sequence.
 */
final class Seeds {

  /** Stream of the initial weights. */
  static final long INITIAL_WEIGHTS = 1;
  /** Stream of the per-epoch shuffling. */
  static final long SHUFFLE = 2;

  private Seeds() {}

  /** SplitMix64's finaliser applied to the seed and stream number. */
  static long derive(long seed, long stream) {
    long z = seed + stream * 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
