package dev.rnnx.spec;

/**
 * The reserved token ids every rnnx vocabulary starts with: padding, start and end of sequence,
 * and unknown. Text tokens start at {@link #FIRST_TEXT}.
 */
public final class SpecialTokens {

  /** Padding past a sequence's length. */
  public static final int PAD = 0;
  /** Start of a target sequence: the decoder's first input. */
  public static final int BOS = 1;
  /** End of a sequence: decoding stops when it is produced. */
  public static final int EOS = 2;
  /** A token outside the vocabulary. */
  public static final int UNK = 3;
  /** The first id of an ordinary token. */
  public static final int FIRST_TEXT = 4;

  private SpecialTokens() {}
}
