package dev.rnnx.data;

import dev.rnnx.spec.SpecialTokens;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Corpus-level BLEU-4 (Papineni et al., 2002) on token lists, without smoothing:
 *
 * <ul>
 *   <li>for n = 1 … 4, the modified precision {@code p_n = Σ clipped matches / Σ hypothesis n-grams},
 *       both sums over the whole corpus; a hypothesis n-gram's count is clipped to the most times
 *       it occurs in any one of its references;
 *   <li>{@code c} the total hypothesis length, {@code r} the sum over sentences of the reference
 *       length closest to the hypothesis's (the shorter on a tie);
 *   <li>{@code BLEU = BP · exp(Σ_n ¼ · log p_n)}, {@code BP = 1} when {@code c > r}, else
 *       {@code exp(1 − r / c)}.
 * </ul>
 *
 * A corpus with no matching n-gram of some order (for example no hypothesis of four tokens or
 * more) scores 0: that is the standard, unsmoothed definition (NLTK returns the same, with a
 * warning; sentence-level smoothing is a different metric). Scores are in [0, 1].
 */
public final class Bleu {

  /** The longest n-gram counted. */
  public static final int MAX_ORDER = 4;

  private Bleu() {}

  /**
   * BLEU's sufficient statistics, which add up over sentences.
   *
   * @param matches clipped n-gram matches, n = 1 … 4 at index n − 1
   * @param totals hypothesis n-grams, n = 1 … 4
   * @param hypothesisLength total hypothesis tokens c
   * @param referenceLength total closest-reference tokens r
   */
  public record Statistics(long[] matches, long[] totals, long hypothesisLength, long referenceLength) {

    /** Copies the arrays. */
    public Statistics {
      matches = matches.clone();
      totals = totals.clone();
    }

    /** No sentences. */
    public static Statistics empty() {
      return new Statistics(new long[MAX_ORDER], new long[MAX_ORDER], 0, 0);
    }

    @Override
    public long[] matches() {
      return matches.clone();
    }

    @Override
    public long[] totals() {
      return totals.clone();
    }

    /** The statistics of both. */
    public Statistics plus(Statistics o) {
      long[] m = new long[MAX_ORDER];
      long[] t = new long[MAX_ORDER];
      for (int i = 0; i < MAX_ORDER; i++) {
        m[i] = matches[i] + o.matches[i];
        t[i] = totals[i] + o.totals[i];
      }
      return new Statistics(m, t, hypothesisLength + o.hypothesisLength, referenceLength + o.referenceLength);
    }

    /** The modified precision of order {@code n} (1 … 4); 0 when there is no hypothesis n-gram. */
    public double precision(int n) {
      return totals[n - 1] == 0 ? 0.0 : (double) matches[n - 1] / totals[n - 1];
    }

    /** {@code 1} when {@code c > r}, else {@code exp(1 − r/c)}; 0 for an empty hypothesis corpus. */
    public double brevityPenalty() {
      if (hypothesisLength == 0) {
        return 0.0;
      }
      return hypothesisLength > referenceLength ? 1.0 : Math.exp(1 - (double) referenceLength / hypothesisLength);
    }

    /** BLEU-4. */
    public double score() {
      double logSum = 0;
      for (int n = 1; n <= MAX_ORDER; n++) {
        double p = precision(n);
        if (p == 0) {
          return 0.0;
        }
        logSum += Math.log(p) / MAX_ORDER;
      }
      return brevityPenalty() * Math.exp(logSum);
    }
  }

  /** The statistics of one hypothesis against its references (at least one). */
  public static <T> Statistics statistics(List<List<T>> references, List<T> hypothesis) {
    if (references.isEmpty()) {
      throw new IllegalArgumentException("a hypothesis needs at least one reference");
    }
    long[] matches = new long[MAX_ORDER];
    long[] totals = new long[MAX_ORDER];
    for (int n = 1; n <= MAX_ORDER; n++) {
      Map<List<T>, Integer> counts = ngrams(hypothesis, n);
      Map<List<T>, Integer> maxRef = new HashMap<>();
      for (List<T> ref : references) {
        ngrams(ref, n).forEach((g, c) -> maxRef.merge(g, c, Math::max));
      }
      for (Map.Entry<List<T>, Integer> e : counts.entrySet()) {
        matches[n - 1] += Math.min(e.getValue(), maxRef.getOrDefault(e.getKey(), 0));
        totals[n - 1] += e.getValue();
      }
    }
    int c = hypothesis.size();
    int closest = references.get(0).size();
    for (List<T> ref : references) {
      int r = ref.size();
      if (Math.abs(r - c) < Math.abs(closest - c) || (Math.abs(r - c) == Math.abs(closest - c) && r < closest)) {
        closest = r;
      }
    }
    return new Statistics(matches, totals, c, closest);
  }

  /**
   * Corpus BLEU-4 with several references per hypothesis.
   *
   * @param references per hypothesis, its references
   * @throws IllegalArgumentException when the counts differ or a hypothesis has no reference
   */
  public static <T> double corpus(List<List<List<T>>> references, List<List<T>> hypotheses) {
    if (references.size() != hypotheses.size()) {
      throw new IllegalArgumentException(hypotheses.size() + " hypotheses but " + references.size() + " reference sets");
    }
    Statistics s = Statistics.empty();
    for (int i = 0; i < hypotheses.size(); i++) {
      s = s.plus(statistics(references.get(i), hypotheses.get(i)));
    }
    return s.score();
  }

  /** Corpus BLEU-4 with one reference per hypothesis. */
  public static <T> double corpusSingle(List<List<T>> references, List<List<T>> hypotheses) {
    List<List<List<T>>> refs = new ArrayList<>();
    for (List<T> r : references) {
      refs.add(List.of(r));
    }
    return corpus(refs, hypotheses);
  }

  /** The fraction of hypotheses equal to their reference (0 for none). */
  public static <T> double exactMatch(List<List<T>> references, List<List<T>> hypotheses) {
    if (references.size() != hypotheses.size()) {
      throw new IllegalArgumentException(hypotheses.size() + " hypotheses but " + references.size() + " references");
    }
    if (hypotheses.isEmpty()) {
      return 0.0;
    }
    int same = 0;
    for (int i = 0; i < hypotheses.size(); i++) {
      same += references.get(i).equals(hypotheses.get(i)) ? 1 : 0;
    }
    return (double) same / hypotheses.size();
  }

  /**
   * The tokens of one row of ids {@code [from, to)} as BLEU reads them: up to (without) the first
   * EOS, skipping PAD and BOS.
   */
  public static List<Long> tokens(long[] ids, int from, int to) {
    List<Long> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      long id = ids[i];
      if (id == SpecialTokens.EOS) {
        break;
      }
      if (id != SpecialTokens.PAD && id != SpecialTokens.BOS) {
        out.add(id);
      }
    }
    return out;
  }

  /**
   * Every row of a greedy decoder's {@code tokens} output ({@code [rows, width]}, ids carried as
   * floats) as BLEU reads it ({@link #tokens}).
   */
  public static List<List<Long>> decodedRows(float[] tokens, int rows, int width) {
    List<List<Long>> out = new ArrayList<>(rows);
    long[] row = new long[width];
    for (int b = 0; b < rows; b++) {
      for (int i = 0; i < width; i++) {
        row[i] = Math.round(tokens[b * width + i]);
      }
      out.add(tokens(row, 0, width));
    }
    return out;
  }

  private static <T> Map<List<T>, Integer> ngrams(List<T> tokens, int n) {
    Map<List<T>, Integer> m = new HashMap<>();
    for (int i = 0; i + n <= tokens.size(); i++) {
      m.merge(List.copyOf(tokens.subList(i, i + n)), 1, Integer::sum);
    }
    return m;
  }
}
