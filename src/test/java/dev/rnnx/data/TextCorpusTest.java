package dev.rnnx.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rnnx.spec.ParallelTextTask.Tokenizer;
import dev.rnnx.spec.TextCorpusTask;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextCorpusTest {

  private static final Path TANAKA_JA = Path.of("models/data/tanaka-enja/train.ja.gz");

  @Test
  void wordsOutsideTheVocabularyAreLeftOutAndSentencesCut(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("c.txt"), "The cat sat\nthe dog sat down\nthe\nrare words only\nthe cat the dog the cat\n");
    TextCorpus t = TextCorpus.read(new TextCorpusTask(dir.resolve("c.txt").toString(), Tokenizer.WHITESPACE, true, 2, 20, 0, 4,
        List.of("Cat")), 1);
    // the 6, cat 3, dog 2, sat 2 (ties in code-point order): ids 4, 5, 6, 7
    assertEquals(List.of("<pad>", "<bos>", "<eos>", "<unk>", "the", "cat", "dog", "sat"), t.corpus().vocabulary().tokens());
    assertEquals(3, t.corpus().sentences().size(), "'the' alone and 'rare words only' keep under two words");
    assertArrayEquals(new int[] {4, 5, 7}, t.corpus().sentences().get(0));
    assertArrayEquals(new int[] {4, 6, 7}, t.corpus().sentences().get(1), "down is out of the vocabulary");
    assertArrayEquals(new int[] {4, 5, 4, 6}, t.corpus().sentences().get(2), "cut at max_length 4");
    Map<?, ?> training = (Map<?, ?>) t.statistics().get("training");
    assertEquals(5, training.get("lines_read"));
    assertEquals(2, training.get("dropped_under_two_words"));
    assertEquals(1, training.get("truncated"));
    assertEquals(4 / 17.0, (double) training.get("oov_rate"), 1e-12, "down, rare, words, only");
  }

  @Test
  void rawJapaneseIsSplitByKuromojiAndTheJavaApiGivesTheSameCorpus(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("ja.txt"), "猫が寝ている。\n犬が寝ている。\n");
    TextCorpusTask task = new TextCorpusTask(dir.resolve("ja.txt").toString(), Tokenizer.KUROMOJI, false, 2, 20, 0, 16, List.of("寝"));
    TextCorpus t = TextCorpus.read(task, 3);
    // 猫 and 犬 occur once each (under min_count 2): が 寝 て いる 。 are left
    assertEquals(List.of("<pad>", "<bos>", "<eos>", "<unk>", "。", "いる", "が", "て", "寝"), t.corpus().vocabulary().tokens());
    assertArrayEquals(new int[] {6, 8, 7, 5, 4}, t.corpus().sentences().get(0));
    assertEquals(2, t.corpus().sentences().size());
    assertEquals(t.corpus().sentences().size(), TaskData.corpus(task, 3).sentences().size());
    assertArrayEquals(t.corpus().sentences().get(1), TaskData.corpus(task, 3).sentences().get(1));
  }

  @Test
  void badInputIsRefusedBeforeTraining(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("c.txt"), "a b\na c\n");
    String file = dir.resolve("c.txt").toString();
    assertEquals("c.txt: data.queries word 'z' is not in the vocabulary (it occurs fewer than min_count 1 times, or is not among"
        + " the 16 most frequent words)", assertThrows(DataException.class,
        () -> TextCorpus.read(new TextCorpusTask(file, Tokenizer.WHITESPACE, false, 1, 20, 0, 8, List.of("z")), 1)).getMessage());
    assertEquals("c.txt: no token occurs 3 times or more (3 distinct tokens): the text vocabulary would be empty; lower data.min_count",
        assertThrows(DataException.class,
            () -> TextCorpus.read(new TextCorpusTask(file, Tokenizer.WHITESPACE, false, 3, 20, 0, 8, List.of()), 1)).getMessage());
    Files.writeString(dir.resolve("c.txt"), "a\nb\n");
    assertEquals("c.txt: no sentence keeps two words or more in the vocabulary: word2vec has no context to learn from",
        assertThrows(DataException.class,
            () -> TextCorpus.read(new TextCorpusTask(file, Tokenizer.WHITESPACE, false, 1, 20, 0, 8, List.of()), 1)).getMessage());
  }

  @Test
  void subsamplingOnATanakaSliceThinsTheFrequentWordsAndRepeatsWithTheSeed(@TempDir Path dir) throws Exception {
    List<String> slice = TextLines.read(TANAKA_JA).subList(0, 2000);
    Files.write(dir.resolve("ja.txt"), slice);
    String file = dir.resolve("ja.txt").toString();
    TextCorpus all = TextCorpus.read(new TextCorpusTask(file, Tokenizer.WHITESPACE, false, 2, 1000, 0, 64, List.of("先生")), 5);
    TextCorpus sub = TextCorpus.read(new TextCorpusTask(file, Tokenizer.WHITESPACE, false, 2, 1000, 1e-3, 64, List.of("先生")), 5);
    Vocabulary v = all.corpus().vocabulary();
    assertEquals("。", v.token(4), "the full stop is the most frequent token");
    long stopsBefore = count(all, 4);
    long stopsAfter = count(sub, 4);
    long total = (Long) ((Map<?, ?>) all.statistics().get("training")).get("words_before_subsampling");
    double keep = Subsampling.keepProbability(stopsBefore, total, 1e-3);
    assertEquals(keep * stopsBefore, stopsAfter, 4 * Math.sqrt(stopsBefore * keep * (1 - keep)));
    int teacher = v.id("先生");
    assertEquals(count(all, teacher), count(sub, teacher), 0.1 * count(all, teacher), "a rarer word is mostly kept");
    assertEquals(sub.corpus().words(),
        TextCorpus.read(new TextCorpusTask(file, Tokenizer.WHITESPACE, false, 2, 1000, 1e-3, 64, List.of()), 5).corpus().words());
  }

  private static long count(TextCorpus c, int id) {
    return c.corpus().sentences().stream().flatMapToInt(java.util.Arrays::stream).filter(i -> i == id).count();
  }
}
