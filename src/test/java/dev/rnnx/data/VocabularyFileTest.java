package dev.rnnx.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.spec.ParallelTextTask;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training-source words a character-level run records, and how unseen input words are found. */
class VocabularyFileTest {

  @TempDir
  Path dir;

  private static VocabularyFile characters() {
    Vocabulary chars = Vocabulary.ofCharacters("abcdefghijklmnopqrstuvwxyz0123456789 ,");
    return new VocabularyFile(VocabularyFile.CHARACTERS, chars, chars);
  }

  @Test
  void sourceWordsAreDistinctSortedAndNormalised() {
    VocabularyFile v = characters().withSourceWords(List.of("7 March 1998", "march 7, 1998", "  1 may 2001 "));
    assertEquals(List.of("1", "1998", "2001", "7", "7,", "march", "may"), v.sourceWords());
    assertEquals(List.of("hello"), v.unseenWords("Hello"));
    assertEquals(List.of("june"), v.unseenWords("7 June 1998"));
    assertEquals(List.of(), v.unseenWords("MARCH 7, 1998"));
    assertEquals(List.of("7", "march", "1998"), v.words(" 7  March 1998 "));
  }

  @Test
  void withoutRecordedWordsNothingIsUnseen() {
    assertEquals(List.of(), characters().unseenWords("anything at all"));
  }

  @Test
  void theWordsSurviveTheFileAndOlderFilesStillRead() throws IOException {
    VocabularyFile v = characters().withSourceWords(List.of("7 march 1998"));
    v.write(dir);
    assertTrue(Files.readString(dir.resolve(VocabularyFile.NAME)).contains("\"source_words\""));
    VocabularyFile back = VocabularyFile.read(dir);
    assertEquals(v.sourceWords(), back.sourceWords());
    assertEquals(v.source().tokens(), back.source().tokens());

    characters().write(dir);
    assertTrue(!Files.readString(dir.resolve(VocabularyFile.NAME)).contains("source_words"));
    assertEquals(List.of(), VocabularyFile.read(dir).sourceWords());
  }

  @Test
  void malformedSourceWordsAreRefusedWithTheFile() throws IOException {
    Files.writeString(dir.resolve(VocabularyFile.NAME),
        "{\"tokenization\": \"characters\", \"source\": [\"<pad>\", \"<bos>\", \"<eos>\", \"<unk>\", \"a\"],"
            + " \"target\": [\"<pad>\", \"<bos>\", \"<eos>\", \"<unk>\", \"a\"], \"source_words\": 3}");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VocabularyFile.read(dir));
    assertEquals(dir.resolve(VocabularyFile.NAME) + ": \"source_words\" must be a list of words", e.getMessage());
  }

  @Test
  void duplicateKeysTrailingContentAndNonStringTokensAreRefused() throws IOException {
    Path file = dir.resolve(VocabularyFile.NAME);
    String table = "[\"<pad>\", \"<bos>\", \"<eos>\", \"<unk>\", \"a\"]";
    String good = "{\"tokenization\": \"characters\", \"source\": " + table + ", \"target\": " + table + "}";
    Files.writeString(file, good.replace("{\"tokenization\"", "{\"source\": [], \"tokenization\""));
    assertEquals(file + ": is not valid JSON: duplicate key 'source' at line 1, column 54, expected each key once",
        assertThrows(IllegalArgumentException.class, () -> VocabularyFile.read(dir)).getMessage());
    Files.writeString(file, good + " []");
    assertEquals(file + ": is not valid JSON: content after the root value at line 1, column " + (good.length() + 2)
        + ", expected the end of the file",
        assertThrows(IllegalArgumentException.class, () -> VocabularyFile.read(dir)).getMessage());
    Files.writeString(file, good.replace("\"a\"]}", "3]}"));
    assertEquals(file + ": \"target\"[4] is 3, expected a string",
        assertThrows(IllegalArgumentException.class, () -> VocabularyFile.read(dir)).getMessage());
  }

  @Test
  void recordedTokenizersSplitRawJapaneseInputAndSurviveTheFile() throws IOException {
    Vocabulary ja = Vocabulary.ofTokensById(List.of("<pad>", "<bos>", "<eos>", "<unk>", "猫", "が", "走る", "。"));
    Vocabulary en = Vocabulary.ofTokensById(List.of("<pad>", "<bos>", "<eos>", "<unk>", "the", "cat", "runs", "."));
    new VocabularyFile(VocabularyFile.WORDS, ja, en).withTokenizers(new TextTokenizer(ParallelTextTask.Tokenizer.KUROMOJI, false),
        new TextTokenizer(ParallelTextTask.Tokenizer.WHITESPACE, true)).write(dir);
    VocabularyFile back = VocabularyFile.read(dir);
    assertEquals(List.of("猫", "が", "走る", "。"), back.sourceTokens("猫が走る。"));
    assertEquals("the cat runs", back.join(new long[] {4, 5, 6, 2, 7}));
    assertEquals(List.of("猫が走る。"), new VocabularyFile(VocabularyFile.WORDS, ja, en).sourceTokens("猫が走る。"),
        "without a recorded tokenizer: split at spaces");
    Files.writeString(dir.resolve(VocabularyFile.NAME), Files.readString(dir.resolve(VocabularyFile.NAME))
        .replace("\"kuromoji\"", "\"mecab\""));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> VocabularyFile.read(dir)).getMessage()
        .contains("unknown tokenizer 'mecab'"));
  }
}
