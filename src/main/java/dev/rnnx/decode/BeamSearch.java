package dev.rnnx.decode;

import dev.rnnx.spec.SpecialTokens;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * rnnx's reference beam search for one source sequence: a pure function of the decoder-step
 * outputs, so that any backend's {@code decoder_step} form can be searched with exactly this
 * algorithm and compared hypothesis by hypothesis ({@link #search} takes the step as a
 * {@link Decoder}; {@link FormDecoder} adapts a form).
 *
 * <p>The definition (GNMT's length penalty, Wu et al. 2016, with a fixed-width beam):
 *
 * <ol>
 *   <li>The beam starts with one live hypothesis: no tokens, log-probability 0, about to read BOS.
 *   <li>At step {@code t = 1, 2, …}: every live hypothesis (in beam order) reads its last token (BOS
 *       at step 1) and yields {@code log p(w)} for every target id w. The candidates are all
 *       (hypothesis, w) pairs scored by the hypothesis's log-probability plus {@code log p(w)}. The
 *       {@code width} best candidates are kept: higher log-probability first, ties broken by the
 *       lower beam position, then the lower token id.
 *   <li>A kept candidate whose token is EOS is finished; so is every kept candidate at step
 *       {@code max_length}. The others form the next beam, in the order kept.
 *   <li>The search stops after a step that leaves no live hypothesis or that brings the finished
 *       count to {@code width} (or more).
 *   <li>A finished hypothesis of {@code len} tokens (EOS included) scores
 *       {@code logprob / lp(len)}, {@code lp(len) = ((5 + len) / 6)^α}; α = 0 ranks by the plain
 *       log-probability. The best is the highest score, ties going to the one finished first.
 * </ol>
 *
 * With width 1 this is greedy decoding: the one kept candidate is the argmax of the summed
 * log-probabilities, ties to the lowest id, and the search stops at EOS or {@code max_length}.
 * ({@link Greedy} takes the argmax of each step's own log-probabilities, as the exported greedy
 * decoders do; the two differ only where float rounding of the sums merges two near-equal
 * candidates.)
 */
public final class BeamSearch {

  private BeamSearch() {}

  /**
   * A search's outcome.
   *
   * @param finished every finished hypothesis, in the order they finished
   * @param best the highest-scoring one
   */
  public record Result(List<Hypothesis> finished, Hypothesis best) {

    /** Copies the list. */
    public Result {
      finished = List.copyOf(finished);
    }
  }

  /** GNMT's length penalty {@code ((5 + length) / 6)^alpha}. */
  public static double lengthPenalty(int length, double alpha) {
    return Math.pow((5.0 + length) / 6.0, alpha);
  }

  /**
   * Searches with {@code options}: its maximum length (0: {@code limit}) capped at {@code limit}.
   *
   * @param limit the model's longest output, EOS included
   */
  public static <S> Result search(Decoder<S> decoder, SearchOptions options, int limit) {
    return search(decoder, options.beamWidth(), options.lengthPenalty(), options.maxLength(limit), options.endToken());
  }

  /**
   * Searches.
   *
   * @param width the beam width, at least 1
   * @param alpha the length-penalty exponent, finite and at least 0
   * @param maxLength the most tokens a hypothesis holds, EOS included
   * @throws IllegalArgumentException for a width or maximum length below 1 or a bad alpha
   */
  public static <S> Result search(Decoder<S> decoder, int width, double alpha, int maxLength) {
    return search(decoder, width, alpha, maxLength, SpecialTokens.EOS);
  }

  /**
   * Searches with another end token: a hypothesis finishes when it produces {@code endToken}.
   *
   * @throws IllegalArgumentException for a width or maximum length below 1, a bad alpha or a negative end token
   */
  public static <S> Result search(Decoder<S> decoder, int width, double alpha, int maxLength, int endToken) {
    return searchAll(BatchDecoder.oneByOne(decoder), width, alpha, maxLength, endToken).get(0);
  }

  /**
   * Searches every source of a batch at once, with {@code options} ({@link #search(Decoder,
   * SearchOptions, int)}): each step is one call of {@code decoder} over the live hypotheses of
   * every source whose search goes on. Each source's search is the one {@link #search} runs on it
   * alone, so the results are the same given the same log-probabilities.
   *
   * @return one result per source, in source order
   */
  public static <S> List<Result> searchAll(BatchDecoder<S> decoder, SearchOptions options, int limit) {
    return searchAll(decoder, options.beamWidth(), options.lengthPenalty(), options.maxLength(limit), options.endToken());
  }

  private static <S> List<Result> searchAll(BatchDecoder<S> decoder, int width, double alpha, int maxLength, int endToken) {
    if (endToken < 0) {
      throw new IllegalArgumentException("end token " + endToken + " must be a token id >= 0");
    }
    if (width < 1 || maxLength < 1) {
      throw new IllegalArgumentException("beam width " + width + " and max length " + maxLength + " must be at least 1");
    }
    if (!(alpha >= 0) || Double.isInfinite(alpha)) {
      throw new IllegalArgumentException("length-penalty alpha is " + alpha + ", expected a finite number >= 0");
    }
    record Live<S>(int[] tokens, double logProb, S state, int last) {}
    record Candidate(int beam, int token, double logProb) {}
    int n = decoder.sources();
    List<List<Live<S>>> live = new ArrayList<>();
    List<List<Hypothesis>> finished = new ArrayList<>();
    for (int s = 0; s < n; s++) {
      live.add(new ArrayList<>(List.of(new Live<>(new int[0], 0.0, decoder.start(s), SpecialTokens.BOS))));
      finished.add(new ArrayList<>());
    }
    Comparator<Candidate> order = Comparator.comparingDouble(Candidate::logProb).reversed()
        .thenComparingInt(Candidate::beam).thenComparingInt(Candidate::token);
    for (int t = 1; t <= maxLength; t++) {
      List<Integer> rowSources = new ArrayList<>();
      List<S> states = new ArrayList<>();
      List<Integer> tokens = new ArrayList<>();
      for (int s = 0; s < n; s++) {
        if (finished.get(s).size() < width) {
          for (Live<S> h : live.get(s)) {
            rowSources.add(s);
            states.add(h.state());
            tokens.add(h.last());
          }
        }
      }
      if (states.isEmpty()) {
        break;
      }
      List<Step<S>> steps = decoder.step(rowSources.stream().mapToInt(Integer::intValue).toArray(), states,
          tokens.stream().mapToInt(Integer::intValue).toArray());
      int row = 0;
      for (int s = 0; s < n; s++) {
        List<Live<S>> beam = live.get(s);
        List<Hypothesis> done = finished.get(s);
        if (done.size() >= width || beam.isEmpty()) {
          continue;
        }
        List<Candidate> candidates = new ArrayList<>();
        for (int b = 0; b < beam.size(); b++) {
          double[] lp = steps.get(row + b).logProbs();
          for (int w = 0; w < lp.length; w++) {
            candidates.add(new Candidate(b, w, beam.get(b).logProb() + lp[w]));
          }
        }
        candidates.sort(order);
        List<Live<S>> next = new ArrayList<>();
        for (Candidate c : candidates.subList(0, Math.min(width, candidates.size()))) {
          Live<S> h = beam.get(c.beam());
          int[] produced = Arrays.copyOf(h.tokens(), t);
          produced[t - 1] = c.token();
          if (c.token() == endToken || t == maxLength) {
            done.add(new Hypothesis(produced, c.logProb(), c.logProb() / lengthPenalty(t, alpha), done.size()));
          } else {
            next.add(new Live<>(produced, c.logProb(), steps.get(row + c.beam()).state(), c.token()));
          }
        }
        row += beam.size();
        live.set(s, next);
      }
    }
    List<Result> results = new ArrayList<>(n);
    for (List<Hypothesis> done : finished) {
      Hypothesis best = done.get(0);
      for (Hypothesis h : done) {
        if (h.score() > best.score()) {
          best = h;
        }
      }
      results.add(new Result(done, best));
    }
    return results;
  }
}
