package dev.rnnx.experiment;

import dev.rnnx.data.Bleu;
import dev.rnnx.data.Vocabulary;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.Seq2Seq;
import dev.rnnx.spec.SpecialTokens;
import dev.rnnx.spec.Tensor;
import dev.rnnx.tf.TfForm;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Greedy translations of a set of sources by a seq2seq model's {@code greedy_decoder} form, in
 * batches of {@link #BATCH} sentences (one session run each), as target tokens: up to the first
 * EOS, PAD and BOS left out, an id past the vocabulary's tokens read as {@code <unk>}.
 */
final class GreedyTranslations {

  /** Sentences per session run. */
  static final int BATCH = 250;

  private GreedyTranslations() {}

  /** The tokens of each source's translation, in order. */
  static List<List<String>> of(TfForm decoder, Seq2Seq model, LongTensor source, LongTensor sourceLengths, Vocabulary target) {
    int n = (int) source.dim(0);
    int s = (int) source.dim(1);
    int max = model.maxTargetLength();
    List<List<String>> out = new ArrayList<>(n);
    for (int from = 0; from < n; from += BATCH) {
      int size = Math.min(BATCH, n - from);
      LongTensor ids = LongTensor.of(Arrays.copyOfRange(source.data(), from * s, (from + size) * s), size, s);
      LongTensor lengths = LongTensor.of(Arrays.copyOfRange(sourceLengths.data(), from, from + size), size);
      Map<String, Tensor> in = Map.of("source", ids, "source_lengths", lengths);
      for (List<Long> row : Bleu.decodedRows(decoder.run(in).get("tokens").data(), size, max)) {
        List<String> words = new ArrayList<>();
        for (long id : row) {
          words.add(id < target.size() ? target.token((int) id) : target.token(SpecialTokens.UNK));
        }
        out.add(words);
      }
    }
    return out;
  }
}
