package dev.rnnx.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rnnx.spec.ParallelTextTask;
import dev.rnnx.spec.ParallelTextTask.Tokenizer;
import dev.rnnx.spec.SpecialTokens;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParallelTextTest {

  private static final String EN = "The cat sleeps .\nthe dog runs .\nthe cat runs far away today .\n";
  private static final String JA = "猫 が 寝 る 。\n犬 が 走 る 。\n猫 が 今日 遠く へ 走 る 。\n";

  private static Path write(Path dir, String name, String text) throws Exception {
    Path f = dir.resolve(name);
    if (name.endsWith(".gz")) {
      try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(f))) {
        out.write(text.getBytes(StandardCharsets.UTF_8));
      }
    } else {
      Files.writeString(f, text);
    }
    return f;
  }

  private static ParallelTextTask task(Path dir, int minCount, int maxSource, boolean truncate) {
    return new ParallelTextTask(dir.resolve("train.en.gz").toString(), dir.resolve("train.ja").toString(),
        dir.resolve("dev.en").toString(), dir.resolve("dev.ja").toString(), Tokenizer.WHITESPACE, true, false, minCount, 20, 30,
        maxSource, 10, truncate);
  }

  private static void files(Path dir) throws Exception {
    write(dir, "train.en.gz", EN);
    write(dir, "train.ja", JA);
    write(dir, "dev.en", "the bird runs .\n");
    write(dir, "dev.ja", "鳥 が 走 る 。\n");
  }

  @Test
  void vocabulariesFromTheTrainingFilesMostFrequentFirstAndTheValidationOovRate(@TempDir Path dir) throws Exception {
    files(dir);
    ParallelText p = ParallelText.read(task(dir, 2, 16, false));
    TranslationSplit s = p.split();
    // lower-cased source: the 3, . 3, cat 2, runs 2 (count >= 2), ties by token
    assertEquals(List.of("<pad>", "<bos>", "<eos>", "<unk>", ".", "the", "cat", "runs"), s.sourceVocabulary().tokens());
    assertEquals(List.of("<pad>", "<bos>", "<eos>", "<unk>", "。", "が", "る", "猫", "走"), s.targetVocabulary().tokens());
    assertEquals(3, s.train().size());
    long[] firstSource = java.util.Arrays.copyOf(s.train().source().data(), 4);
    assertArrayEquals(new long[] {5, 6, SpecialTokens.UNK, 4}, firstSource, "the cat <unk> .");
    assertEquals(6, s.train().targetLengths().data()[0], "five tokens and EOS");
    @SuppressWarnings("unchecked")
    Map<String, Object> validation = (Map<String, Object>) p.statistics().get("validation");
    assertEquals(2 / 9.0, (double) validation.get("oov_rate"), 1e-12, "bird and 鳥 are unknown: 2 of 9 tokens");
    Map<?, ?> training = (Map<?, ?>) p.statistics().get("training");
    assertEquals(36L, training.get("tokens"), "sources 4 + 4 + 7, targets with EOS 6 + 6 + 9");
    assertEquals(1 - 36 / 78.0, (double) training.get("padding_fraction"), 1e-12, "3 pairs x (16 + 10) id slots");
  }

  @Test
  void longPairsAreDroppedOrTruncatedAndCounted(@TempDir Path dir) throws Exception {
    files(dir);
    ParallelText dropped = ParallelText.read(task(dir, 1, 5, false));
    assertEquals(2, dropped.split().train().size());
    assertEquals(1, ((Map<?, ?>) dropped.statistics().get("training")).get("dropped_too_long"));
    ParallelText cut = ParallelText.read(task(dir, 1, 5, true));
    assertEquals(3, cut.split().train().size());
    assertEquals(1, ((Map<?, ?>) cut.statistics().get("training")).get("truncated"));
    assertEquals(5, cut.split().train().sourceLengths().data()[2]);
    assertEquals(9, cut.split().train().targetLengths().data()[2], "eight tokens and EOS, within max_target_length 10");
  }

  @Test
  void filesOfDifferentLengthsAndAVocabularyTheMinimumCountEmptiesAreRefused(@TempDir Path dir) throws Exception {
    files(dir);
    write(dir, "train.ja", JA + "余分 。\n");
    assertEquals("train.en.gz has 3 lines but train.ja has 4: parallel files must be aligned line by line",
        assertThrows(DataException.class, () -> ParallelText.read(task(dir, 1, 16, false))).getMessage());
    files(dir);
    assertEquals("train.en.gz: no token occurs 9 times or more (9 distinct tokens): the source vocabulary would be empty;"
        + " lower data.min_count", assertThrows(DataException.class, () -> ParallelText.read(task(dir, 9, 16, false))).getMessage());
  }

  @Test
  void rawJapaneseSplitsWithKuromojiPerSideAndATsvFileHoldsBothSides(@TempDir Path dir) throws Exception {
    write(dir, "train.tsv", "The cat sleeps.\t猫が寝ている。\nThe dog runs.\t犬が走る。\n");
    write(dir, "dev.tsv", "The cat runs.\t猫が走る。\n");
    ParallelTextTask t = new ParallelTextTask(dir.resolve("train.tsv").toString(), dir.resolve("train.tsv").toString(),
        dir.resolve("dev.tsv").toString(), dir.resolve("dev.tsv").toString(), Tokenizer.WHITESPACE, Tokenizer.KUROMOJI, true,
        false, 1, 20, 30, 8, 10, false, false);
    ParallelText p = ParallelText.read(t);
    TranslationSplit s = p.split();
    assertEquals(2, s.train().size());
    assertEquals(List.of("猫", "が", "寝", "て", "いる", "。"), p.targetTokenizer().tokens("猫が寝ている。"));
    assertEquals("猫が寝ている。", s.train().targetText().get(0), "kuromoji tokens join without spaces");
    assertEquals(List.of("the", "cat", "sleeps."), p.sourceTokenizer().tokens("The cat sleeps."));
    assertEquals(7, s.train().targetLengths().data()[0], "six morphemes and EOS");
    assertEquals(0.0, (double) ((Map<?, ?>) p.statistics().get("validation")).get("oov_rate"), 1e-12,
        "the cat runs. / 猫 が 走る 。: every token seen in training");
  }

  @Test
  void aTsvLineWithoutExactlyOneTabIsRefusedWithItsLine(@TempDir Path dir) throws Exception {
    write(dir, "train.tsv", "a b\tx y\nno tab here\n");
    write(dir, "dev.tsv", "a\tx\n");
    ParallelTextTask t = new ParallelTextTask(dir.resolve("train.tsv").toString(), dir.resolve("train.tsv").toString(),
        dir.resolve("dev.tsv").toString(), dir.resolve("dev.tsv").toString(), Tokenizer.WHITESPACE, false, false, 1, 20, 30, 8,
        10, false);
    assertEquals("train.tsv:2: expected a source, a tab and a target (2 tab-separated columns), got 1 column(s)",
        assertThrows(DataException.class, () -> ParallelText.read(t)).getMessage());
  }
}
