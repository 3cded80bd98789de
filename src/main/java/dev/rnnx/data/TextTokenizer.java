package dev.rnnx.data;

import com.atilika.kuromoji.ipadic.Token;
import com.atilika.kuromoji.ipadic.Tokenizer;
import dev.rnnx.spec.ParallelTextTask;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How one side of a text corpus becomes tokens and how tokens become text again: the one splitter
 * that training ({@link ParallelText}, {@link LabeledText}) and inference ({@link VocabularyFile},
 * which {@code predict --text}, serving and the Java API use) share.
 *
 * <ul>
 *   <li>{@code whitespace}: runs of white space separate tokens; joined with spaces.
 *   <li>{@code char}: one token per code point, white space included; joined with nothing.
 *   <li>{@code kuromoji}: Japanese morphemes (kuromoji with IPADIC), white space left out; joined
 *       with nothing, except a space between two tokens that meet letter-or-digit to
 *       letter-or-digit outside the Japanese scripts (so {@code Hello world} survives).
 * </ul>
 *
 * @param kind the tokenizer
 * @param lowercase lower-case text before splitting
 */
public record TextTokenizer(ParallelTextTask.Tokenizer kind, boolean lowercase) {

  /** Requires a kind. */
  public TextTokenizer {
    if (kind == null) {
      throw new IllegalArgumentException("a tokenizer kind is required");
    }
  }

  /** The tokens of one line. */
  public List<String> tokens(String line) {
    String text = lowercase ? line.toLowerCase(Locale.ROOT) : line;
    return switch (kind) {
      case CHAR -> text.codePoints().mapToObj(Character::toString).toList();
      case WHITESPACE -> {
        String trimmed = text.strip();
        yield trimmed.isEmpty() ? List.of() : Arrays.asList(trimmed.split("\\s+"));
      }
      case KUROMOJI -> morphemes(text);
    };
  }

  /** Tokens joined back into text. */
  public String join(List<String> tokens) {
    return switch (kind) {
      case WHITESPACE -> String.join(" ", tokens);
      case CHAR -> String.join("", tokens);
      case KUROMOJI -> {
        StringBuilder sb = new StringBuilder();
        for (String t : tokens) {
          if (!sb.isEmpty() && !t.isEmpty() && latin(sb.codePointBefore(sb.length())) && latin(t.codePointAt(0))) {
            sb.append(' ');
          }
          sb.append(t);
        }
        yield sb.toString();
      }
    };
  }

  private static boolean latin(int codePoint) {
    if (!Character.isLetterOrDigit(codePoint)) {
      return false;
    }
    Character.UnicodeScript script = Character.UnicodeScript.of(codePoint);
    return script != Character.UnicodeScript.HAN && script != Character.UnicodeScript.HIRAGANA
        && script != Character.UnicodeScript.KATAKANA && Character.UnicodeBlock.of(codePoint) != Character.UnicodeBlock.HALFWIDTH_AND_FULLWIDTH_FORMS;
  }

  private static List<String> morphemes(String text) {
    List<String> out = new ArrayList<>();
    for (Token t : Kuromoji.TOKENIZER.tokenize(text)) {
      String surface = t.getSurface();
      if (!surface.isBlank()) {
        out.add(surface);
      }
    }
    return out;
  }

  /** The analyser, loaded once (its dictionary takes about half a second) and only when used. */
  private static final class Kuromoji {
    static final Tokenizer TOKENIZER = new Tokenizer();
  }
}
