package dev.rnnx.spec;

import java.util.List;
import java.util.Map;

/**
 * A text corpus for a {@link Word2Vec} model: generated ({@link GrammarCorpusTask}, whose words
 * fall into known classes) or read from a file ({@link TextCorpusTask}).
 */
public sealed interface CorpusTask extends DataSpec permits GrammarCorpusTask, TextCorpusTask {

  /** Word ids 0 … this − 1, the first four {@link SpecialTokens}. */
  int vocabulary();

  /** The semantic classes and their words, the truth {@code most_similar} is judged against; empty when unknown. */
  default Map<String, List<String>> classes() {
    return Map.of();
  }

  /** The words whose nearest neighbours a run reports: by default the first word of each class. */
  default List<String> queries() {
    return classes().values().stream().map(words -> words.get(0)).toList();
  }
}
