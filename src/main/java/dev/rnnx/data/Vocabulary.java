package dev.rnnx.data;

import dev.rnnx.spec.EditDistance;
import dev.rnnx.spec.SpecialTokens;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Token ids for a list of tokens (characters or words): the four {@link SpecialTokens} first
 * ({@code <pad>}, {@code <bos>}, {@code <eos>}, {@code <unk>}), then the tokens in order.
 * Encoding maps unknown tokens to {@code <unk>} and counts them.
 */
public final class Vocabulary {

  /** The names of the special tokens, by id. */
  public static final List<String> SPECIALS = List.of("<pad>", "<bos>", "<eos>", "<unk>");

  private final List<String> tokens;
  private final Map<String, Integer> ids = new HashMap<>();

  /** A vocabulary of the specials followed by {@code tokens} (which must be distinct and not specials). */
  public Vocabulary(List<String> tokens) {
    List<String> all = new ArrayList<>(SPECIALS);
    all.addAll(tokens);
    for (int i = 0; i < all.size(); i++) {
      if (ids.put(all.get(i), i) != null) {
        throw new IllegalArgumentException("token '" + all.get(i) + "' appears twice in the vocabulary");
      }
    }
    this.tokens = Collections.unmodifiableList(all);
  }

  /** A character vocabulary: one token per character of {@code alphabet}. */
  public static Vocabulary ofCharacters(String alphabet) {
    return new Vocabulary(alphabet.chars().mapToObj(c -> String.valueOf((char) c)).toList());
  }

  /**
   * A vocabulary from every token by id, the four specials first (as {@link
   * dev.rnnx.spec.GrammarCorpusTask#words()} lists them): ids are the list's positions.
   *
   * @throws IllegalArgumentException when the list does not start with {@link #SPECIALS}
   */
  public static Vocabulary ofTokensById(List<String> tokensById) {
    if (tokensById.size() < SPECIALS.size() || !tokensById.subList(0, SPECIALS.size()).equals(SPECIALS)) {
      throw new IllegalArgumentException("a vocabulary by id must start with " + SPECIALS + ", got "
          + tokensById.subList(0, Math.min(tokensById.size(), SPECIALS.size())));
    }
    return new Vocabulary(tokensById.subList(SPECIALS.size(), tokensById.size()));
  }

  /** The number of ids, specials included. */
  public int size() {
    return tokens.size();
  }

  /** Every token by id. */
  public List<String> tokens() {
    return tokens;
  }

  /** The id of a token, or {@link SpecialTokens#UNK}. */
  public int id(String token) {
    return ids.getOrDefault(token, SpecialTokens.UNK);
  }

  /**
   * Whether the vocabulary is lower case: no token but the specials holds an upper-case letter, so
   * the training text was lower case (dates, the word2vec corpora) and input is case-folded to match.
   */
  public boolean lowerCase() {
    return tokens.stream().skip(SPECIALS.size()).allMatch(t -> t.equals(t.toLowerCase(java.util.Locale.ROOT)));
  }

  /** {@code text} as the vocabulary reads it: lower-cased when the vocabulary is {@link #lowerCase()}. */
  public String normalise(String text) {
    return lowerCase() ? text.toLowerCase(java.util.Locale.ROOT) : text;
  }

  /**
   * Up to {@code n} known tokens nearest to {@code token} by edit distance (at most 2, and less
   * than half the token's length), nearest first, then by id (the corpus's frequency order).
   */
  public List<String> nearest(String token, int n) {
    int limit = Math.min(2, Math.max(1, (token.length() - 1) / 2));
    List<String> found = new ArrayList<>();
    for (int d = 1; d <= limit && found.size() < n; d++) {
      for (int i = SPECIALS.size(); i < tokens.size() && found.size() < n; i++) {
        if (Math.abs(token.length() - tokens.get(i).length()) <= d && EditDistance.of(token, tokens.get(i)) == d) {
          found.add(tokens.get(i));
        }
      }
    }
    return found;
  }

  /** Whether a token is known. */
  public boolean contains(String token) {
    return ids.containsKey(token);
  }

  /** The token of an id. */
  public String token(int id) {
    if (id < 0 || id >= tokens.size()) {
      throw new IllegalArgumentException("token id " + id + " is outside the vocabulary 0 … " + (tokens.size() - 1));
    }
    return tokens.get(id);
  }

  /**
   * The ids of a list of tokens, with how many were unknown.
   *
   * @param ids the ids, unknown tokens as {@link SpecialTokens#UNK}
   * @param unknown the number of unknown tokens
   */
  public record Encoded(int[] ids, int unknown) {}

  /** Encodes tokens. */
  public Encoded encode(List<String> text) {
    int[] out = new int[text.size()];
    int unknown = 0;
    for (int i = 0; i < out.length; i++) {
      out[i] = id(text.get(i));
      unknown += contains(text.get(i)) ? 0 : 1;
    }
    return new Encoded(out, unknown);
  }

  /** Encodes the characters of a string. */
  public Encoded encodeCharacters(String text) {
    return encode(text.chars().mapToObj(c -> String.valueOf((char) c)).toList());
  }

  /** Decodes ids up to the first EOS, skipping PAD and BOS, joining tokens with {@code separator}. */
  public String decode(long[] ids, String separator) {
    StringBuilder sb = new StringBuilder();
    for (long id : ids) {
      if (id == SpecialTokens.EOS) {
        break;
      }
      if (id == SpecialTokens.PAD || id == SpecialTokens.BOS) {
        continue;
      }
      if (sb.length() > 0) {
        sb.append(separator);
      }
      sb.append(token((int) id));
    }
    return sb.toString();
  }
}
