package dev.rnnx.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.SpecialTokens;
import dev.rnnx.spec.TaggedTextTask;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaggedTextTest {

  private static TaggedTextTask task(Path dir, int tags, int maxLength, boolean truncate) {
    return new TaggedTextTask(dir.resolve("train.txt").toString(), dir.resolve("dev.txt").toString(), true, 1, 20, tags,
        maxLength, truncate, false);
  }

  @Test
  void tokensBecomeIdsTagsOneHotPerStepAndTheReportCountsWhatWasLeftOut(@TempDir Path dir) throws Exception {
    // tabs or spaces between the fields; blank lines (several, or trailing) between sentences
    Files.writeString(dir.resolve("train.txt"), "The\tDET\ndog  NOUN\nbarks\tVERB\n\n\nA DET\ncat NOUN\n\n"
        + "the DET\nbig ADJ\nbig ADJ\ndog NOUN\n");
    Files.writeString(dir.resolve("dev.txt"), "the DET\nowl NOUN\n\nthe DET\nowl INTJ\n");
    TaggedText t = TaggedText.read(task(dir, 5, 3, false));
    // tags most frequent first: DET 3, NOUN 3 (ties in code-point order), ADJ 2, VERB 1
    assertEquals(List.of("DET", "NOUN", "ADJ", "VERB"), t.tags());
    Dataset train = t.split().train();
    assertEquals(2, train.size(), "the four-token sentence is over max_length 3");
    // tokens lower-cased; vocabulary from every training sentence: big, dog, the 2 each (ties in code-point order),
    // then a, barks, cat once: ids 4 … 9
    assertArrayEquals(new long[] {6, 5, 8, 7, 9, SpecialTokens.PAD}, ((LongTensor) train.x()).data());
    assertArrayEquals(new long[] {3, 2}, train.lengths().data());
    assertArrayEquals(new float[] {
        1, 0, 0, 0, 0, /**/ 0, 1, 0, 0, 0, /**/ 0, 0, 0, 1, 0,
        1, 0, 0, 0, 0, /**/ 0, 1, 0, 0, 0, /**/ 0, 0, 0, 0, 0}, train.y().data(), "padded steps have no tag");
    Map<?, ?> training = (Map<?, ?>) t.statistics().get("training");
    assertEquals(3, training.get("sentences_read"));
    assertEquals(1, training.get("dropped_too_long"));
    assertEquals(1 - 5 / 6.0, (double) training.get("padding_fraction"), 1e-12);
    Map<?, ?> validation = (Map<?, ?>) t.statistics().get("validation");
    assertEquals(1, validation.get("dropped_unknown_tag"), "INTJ never occurs in training");
    assertEquals(0.5, (double) validation.get("oov_rate"), 1e-12, "owl is unknown");
    assertEquals(4, ((Map<?, ?>) t.statistics().get("tag_vocabulary")).get("size"));
    assertEquals(3, TaggedText.read(task(dir, 5, 3, true)).split().train().size(), "truncated instead");
  }

  @Test
  void badInputIsNamedByFileAndLine(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("dev.txt"), "a X\n");
    Files.writeString(dir.resolve("train.txt"), "a X\nb X\n\nc\td Y\n");
    assertEquals("train.txt:4: expected a token and its tag (2 fields separated by a tab or spaces), got 3 field(s)",
        assertThrows(DataException.class, () -> TaggedText.read(task(dir, 2, 5, false))).getMessage());
    Files.writeString(dir.resolve("train.txt"), "a X\nb Y\nc Z\n");
    assertEquals("train.txt: holds 3 distinct tags but data.tags is 2 (the model's output width); raise data.tags and the"
        + " last layer's units to at least 3", assertThrows(DataException.class, () -> TaggedText.read(task(dir, 2, 5, false))).getMessage());
    Files.writeString(dir.resolve("train.txt"), "");
    assertEquals(dir.resolve("train.txt") + ": file is empty",
        assertThrows(DataException.class, () -> TaggedText.read(task(dir, 2, 5, false))).getMessage());
    Files.writeString(dir.resolve("train.txt"), "\n\n");
    assertEquals("train.txt: holds no sentence (only blank lines)",
        assertThrows(DataException.class, () -> TaggedText.read(task(dir, 2, 5, false))).getMessage());
    Files.write(dir.resolve("train.txt"), new byte[] {'a', ' ', 'X', '\n', 'b', (byte) 0xff, ' ', 'X', '\n'});
    assertEquals(dir.resolve("train.txt") + ":2: invalid UTF-8 at byte offset 5 of the file (byte 2 of the line)",
        assertThrows(DataException.class, () -> TaggedText.read(task(dir, 2, 5, false))).getMessage());
  }
}
