package dev.rnnx.spec;

import java.util.List;
import java.util.Map;

/** A text corpus for a {@link Word2Vec} model, whose words fall into known classes. */
public sealed interface CorpusTask extends DataSpec permits GrammarCorpusTask {

  /** Word ids 0 … this − 1, the first four {@link SpecialTokens}. */
  int vocabulary();

  /** The words, by id (the special tokens included as {@code <pad>}, {@code <bos>}, {@code <eos>}, {@code <unk>}). */
  List<String> words();

  /** The semantic classes and their words, the truth {@code most_similar} is judged against. */
  Map<String, List<String>> classes();
}
