package dev.rnnx.data;

import dev.rnnx.spec.SpecialTokens;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A vocabulary built from training sentences: the special tokens, then every token seen at least
 * {@code minCount} times, most frequent first (ties in code-point order), up to {@code size} ids in
 * all. Shared by the text data sources.
 */
final class TrainingVocabulary {

  private TrainingVocabulary() {}

  /**
   * Builds the vocabulary and records its figures under {@code side + "_vocabulary"} in {@code stats}.
   *
   * @param file the training file, named when no token reaches {@code minCount}
   * @throws DataException when the minimum count leaves the vocabulary empty
   */
  static Vocabulary build(Iterable<List<String>> sentences, int minCount, int size, String file, String side,
      Map<String, Object> stats) {
    Map<String, int[]> counts = new HashMap<>();
    for (List<String> sentence : sentences) {
      for (String t : sentence) {
        counts.computeIfAbsent(t, k -> new int[1])[0]++;
      }
    }
    List<Map.Entry<String, int[]>> kept = new ArrayList<>();
    for (Map.Entry<String, int[]> e : counts.entrySet()) {
      if (e.getValue()[0] >= minCount && !Vocabulary.SPECIALS.contains(e.getKey())) {
        kept.add(e);
      }
    }
    if (kept.isEmpty()) {
      throw new DataException(file + ": no token occurs " + minCount + " times or more (" + counts.size()
          + " distinct tokens): the " + side + " vocabulary would be empty; lower data.min_count");
    }
    kept.sort((a, b) -> a.getValue()[0] != b.getValue()[0] ? Integer.compare(b.getValue()[0], a.getValue()[0])
        : a.getKey().compareTo(b.getKey()));
    List<String> tokens = kept.stream().limit(size - SpecialTokens.FIRST_TEXT).map(Map.Entry::getKey).toList();
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("distinct_tokens", counts.size());
    v.put("tokens_at_min_count", kept.size());
    v.put("size", tokens.size() + SpecialTokens.FIRST_TEXT);
    v.put("model_size", size);
    stats.put(side + "_vocabulary", v);
    return new Vocabulary(tokens);
  }
}
