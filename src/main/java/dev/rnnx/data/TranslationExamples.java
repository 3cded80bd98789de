package dev.rnnx.data;

import dev.rnnx.spec.LongTensor;
import java.util.List;

/**
 * Source and target token sequences for a seq2seq model, padded with PAD. Targets end with EOS
 * ({@code target_lengths} counts it); the decoder's teacher-forcing input is BOS followed by the
 * target without its last step.
 *
 * @param source source ids [N, S]
 * @param sourceLengths source lengths [N], each 1 … S
 * @param target target ids [N, T], EOS included
 * @param targetLengths target lengths [N], EOS included
 * @param sourceText the source strings, by example
 * @param targetText the target strings (without EOS), by example
 */
public record TranslationExamples(LongTensor source, LongTensor sourceLengths, LongTensor target, LongTensor targetLengths,
    List<String> sourceText, List<String> targetText) {

  /** Checks that every part holds the same number of examples. */
  public TranslationExamples {
    long n = source.dim(0);
    if (source.rank() != 2 || target.rank() != 2 || sourceLengths.dim(0) != n || target.dim(0) != n
        || targetLengths.dim(0) != n || sourceText.size() != n || targetText.size() != n) {
      throw new IllegalArgumentException("translation examples disagree on their count: source " + source.shapeString()
          + ", target " + target.shapeString() + ", " + sourceText.size() + " texts");
    }
    sourceText = List.copyOf(sourceText);
    targetText = List.copyOf(targetText);
  }

  /** The number of examples. */
  public int size() {
    return (int) source.dim(0);
  }
}
