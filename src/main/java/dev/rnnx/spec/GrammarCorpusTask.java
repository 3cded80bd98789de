package dev.rnnx.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A corpus generated from a small grammar whose content words fall into six semantic classes of
 * eight words each ({@link #CLASSES}); words of one class fill the same slots, so a good word2vec
 * model puts them near each other, and {@code most_similar} can be judged against the classes.
 * Sentences follow six templates, for example {@code the <person> <action> the <color> <food> in
 * the <place>} and {@code a <color> <animal> sleeps near the <place>}, with every slot drawn
 * uniformly. Ids: the four {@link SpecialTokens}, then {@link #words()} in order.
 *
 * @param sentences sentences generated
 */
public record GrammarCorpusTask(int sentences) implements CorpusTask {

  /** Recipe task name. */
  public static final String TASK = "grammar_corpus";

  /** The semantic classes and their words. */
  public static final Map<String, List<String>> CLASSES;
  /** The words outside the classes. */
  public static final List<String> FUNCTION_WORDS = List.of("the", "a", "and", "in", "near", "to", "sleeps", "play", "sees", "walk");
  /** The sentence templates; {@code <class>} marks a slot. */
  public static final List<String> TEMPLATES = List.of(
      "the <person> <action> the <color> <food> in the <place>",
      "a <color> <animal> sleeps near the <place>",
      "the <animal> and the <animal> play in the <place>",
      "the <person> sees a <color> <animal>",
      "<person> and <person> walk to the <place>",
      "the <animal> <action> the <food>");

  static {
    Map<String, List<String>> c = new LinkedHashMap<>();
    c.put("animal", List.of("cat", "dog", "horse", "cow", "sheep", "goat", "rabbit", "pig"));
    c.put("food", List.of("bread", "rice", "apple", "cheese", "soup", "cake", "pasta", "carrot"));
    c.put("color", List.of("red", "blue", "green", "yellow", "black", "white", "brown", "orange"));
    c.put("place", List.of("city", "village", "farm", "market", "school", "forest", "garden", "river"));
    c.put("person", List.of("teacher", "doctor", "farmer", "child", "baker", "student", "pilot", "nurse"));
    c.put("action", List.of("eats", "likes", "wants", "finds", "buys", "sells", "cooks", "hides"));
    CLASSES = java.util.Collections.unmodifiableMap(c);
  }

  /** Validates the settings. */
  public GrammarCorpusTask {
    if (sentences < 1) {
      throw new IllegalArgumentException("data.sentences is " + sentences + ", expected a positive integer");
    }
  }

  @Override
  public String task() {
    return TASK;
  }

  @Override
  public int sequenceLength() {
    return 10;
  }

  /** The words, by id (the special tokens included as {@code <pad>}, {@code <bos>}, {@code <eos>}, {@code <unk>}). */
  public List<String> words() {
    List<String> w = new ArrayList<>(List.of("<pad>", "<bos>", "<eos>", "<unk>"));
    CLASSES.values().forEach(w::addAll);
    w.addAll(FUNCTION_WORDS);
    return w;
  }

  @Override
  public int vocabulary() {
    return words().size();
  }

  @Override
  public Map<String, List<String>> classes() {
    return CLASSES;
  }
}
