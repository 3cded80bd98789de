package dev.rnnx.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rnnx.spec.LabeledTextTask;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.ParallelTextTask.Tokenizer;
import dev.rnnx.spec.SpecialTokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabeledTextTest {

  private static LabeledTextTask task(Path dir, int maxLength, boolean truncate) {
    return new LabeledTextTask(dir.resolve("train.tsv").toString(), dir.resolve("dev.tsv").toString(), List.of("neg", "pos"),
        Tokenizer.WHITESPACE, true, 1, 20, maxLength, truncate);
  }

  @Test
  void labelsBecomeOneHotTextsIdsWithLengthsAndTheReportCountsWhatWasLeftOut(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("train.tsv"), "pos\tGood film\nneg\tbad film\n\nneg\tbad bad long boring film\n");
    Files.writeString(dir.resolve("dev.tsv"), "pos\tgood plot\n");
    LabeledText t = LabeledText.read(task(dir, 3, false));
    Dataset train = t.split().train();
    assertEquals(2, train.size(), "the five-token text is over max_length 3");
    // vocabulary from every training line, the dropped one included: bad 3, film 3, then boring, good, long (ties in code-point order)
    assertArrayEquals(new long[] {7, 5, SpecialTokens.PAD, 4, 5, SpecialTokens.PAD}, ((LongTensor) train.x()).data());
    assertArrayEquals(new long[] {2, 2}, train.lengths().data());
    assertArrayEquals(new float[] {0, 1, 1, 0}, train.y().data());
    Map<?, ?> training = (Map<?, ?>) t.statistics().get("training");
    assertEquals(1, training.get("dropped_too_long"));
    assertEquals(1 - 4 / 6.0, (double) training.get("padding_fraction"), 1e-12);
    assertEquals(0.5, (double) ((Map<?, ?>) t.statistics().get("validation")).get("oov_rate"), 1e-12, "plot is unknown");
    assertEquals(3, LabeledText.read(task(dir, 3, true)).split().train().size(), "truncated instead");
  }

  @Test
  void aLineWithoutATabAndAnUnknownLabelAreNamedByLine(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("dev.tsv"), "pos\tgood\n");
    Files.writeString(dir.resolve("train.tsv"), "pos\tgood\nneg bad\n");
    assertEquals("train.tsv:2: expected a label, a tab and the text, got no tab",
        assertThrows(DataException.class, () -> LabeledText.read(task(dir, 3, false))).getMessage());
    Files.writeString(dir.resolve("train.tsv"), "pos\tgood\nmeh\tso so\n");
    assertEquals("train.tsv:2: label 'meh' is not one of data.labels [neg, pos]",
        assertThrows(DataException.class, () -> LabeledText.read(task(dir, 3, false))).getMessage());
  }
}
