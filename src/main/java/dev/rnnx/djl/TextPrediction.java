package dev.rnnx.djl;

import java.util.List;
import java.util.Map;

/**
 * What a text classifier or tagger says about a raw text ({@link RnnxModel#predictText}).
 *
 * @param tokens the text's tokens, as the run's tokenizer split it
 * @param unknown how many tokens are outside the training vocabulary
 * @param labels a classifier's labels and their probabilities, the likeliest first; empty for a tagger
 * @param tags a tagger's most probable tag per token; empty for a classifier
 */
public record TextPrediction(List<String> tokens, int unknown, Map<String, Double> labels, List<String> tags) {

  /** Copies the lists and the map (keeping its order). */
  public TextPrediction {
    tokens = List.copyOf(tokens);
    labels = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(labels));
    tags = List.copyOf(tags);
  }
}
