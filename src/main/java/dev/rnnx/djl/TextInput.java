package dev.rnnx.djl;

import java.util.List;

/**
 * A raw text made ready for a text classifier or tagger (a {@code labeled-text} or {@code
 * tagged-text} run): split by the run's recorded tokenizer and encoded with its training
 * vocabulary, as at training ({@link RnnxModel#textInput}).
 *
 * @param tokens the text's tokens, in order
 * @param sequence their ids (tokens outside the vocabulary as {@code <unk>})
 * @param unknown how many tokens are outside the vocabulary
 */
public record TextInput(List<String> tokens, Sequence sequence, int unknown) {

  /** Copies the tokens. */
  public TextInput {
    tokens = List.copyOf(tokens);
  }
}
