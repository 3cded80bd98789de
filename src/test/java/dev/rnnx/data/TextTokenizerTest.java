package dev.rnnx.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rnnx.spec.ParallelTextTask.Tokenizer;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextTokenizerTest {

  @Test
  void charSplitsCodePointsAndJoinsWithNothing() {
    TextTokenizer t = new TextTokenizer(Tokenizer.CHAR, true);
    assertEquals(List.of("猫", " ", "a", "𠮷"), t.tokens("猫 A𠮷"));
    assertEquals("猫 a", t.join(List.of("猫", " ", "a")));
  }

  @Test
  void whitespaceSplitsOnRunsAndJoinsWithSpaces() {
    TextTokenizer t = new TextTokenizer(Tokenizer.WHITESPACE, false);
    assertEquals(List.of("a", "B"), t.tokens("  a \t B "));
    assertEquals(List.of(), t.tokens("   "));
    assertEquals("a B", t.join(List.of("a", "B")));
  }

  @Test
  void kuromojiSplitsRawJapaneseIntoMorphemesAndJoinsWithoutSpaces() {
    TextTokenizer t = new TextTokenizer(Tokenizer.KUROMOJI, false);
    List<String> tokens = t.tokens("私は東京の学校へ行きます。");
    assertEquals(List.of("私", "は", "東京", "の", "学校", "へ", "行き", "ます", "。"), tokens);
    assertEquals("私は東京の学校へ行きます。", t.join(tokens));
    // white space is no token; Latin words meeting Latin words get their space back
    List<String> mixed = t.tokens("Hello world です");
    assertEquals(List.of("Hello", "world", "です"), mixed);
    assertEquals("Hello worldです", t.join(mixed));
  }
}
