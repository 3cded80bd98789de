package dev.rnnx.djl;

import java.util.List;

/**
 * The result of generating text from text.
 *
 * @param text the best hypothesis as text (without EOS)
 * @param tokens its target ids, EOS included when produced
 * @param score its score under the search's length penalty
 * @param unknownTokens source tokens outside the vocabulary, read as {@code <unk>}
 * @param inputTokens the source tokens read, unknown ones included
 * @param alternatives every finished hypothesis as text, best first
 */
public record Generation(String text, int[] tokens, double score, int unknownTokens, int inputTokens,
    List<String> alternatives) {}
