package dev.rnnx.data;

import dev.rnnx.spec.GrammarCorpusTask;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The {@link GrammarCorpusTask}: each sentence picks one of {@link GrammarCorpusTask#TEMPLATES}
 * uniformly, then fills every {@code <class>} slot, left to right and independently, with a word of
 * that class drawn uniformly. Word ids are {@link GrammarCorpusTask#words()}' positions (the four
 * special tokens first); sentences hold no special tokens. One {@link SplittableRandom} seeded with
 * the recipe seed draws everything.
 */
public final class GrammarCorpus {

  private GrammarCorpus() {}

  /** The task's sentences, deterministically from {@code seed}. */
  public static Corpus generate(GrammarCorpusTask task, long seed) {
    Vocabulary vocabulary = Vocabulary.ofTokensById(task.words());
    SplittableRandom random = new SplittableRandom(seed);
    List<int[]> sentences = new ArrayList<>();
    for (int i = 0; i < task.sentences(); i++) {
      String template = GrammarCorpusTask.TEMPLATES.get(random.nextInt(GrammarCorpusTask.TEMPLATES.size()));
      List<String> words = new ArrayList<>();
      for (String slot : template.split(" ")) {
        if (slot.startsWith("<") && slot.endsWith(">")) {
          List<String> members = task.classes().get(slot.substring(1, slot.length() - 1));
          if (members == null) {
            throw new IllegalStateException("template slot " + slot + " names no class of " + task.classes().keySet());
          }
          words.add(members.get(random.nextInt(members.size())));
        } else {
          words.add(slot);
        }
      }
      Vocabulary.Encoded encoded = vocabulary.encode(words);
      if (encoded.unknown() > 0) {
        throw new IllegalStateException("template '" + template + "' uses a word outside the vocabulary: " + words);
      }
      sentences.add(encoded.ids());
    }
    return new Corpus(sentences, vocabulary);
  }
}
