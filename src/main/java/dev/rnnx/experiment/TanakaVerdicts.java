package dev.rnnx.experiment;

import java.util.List;
import java.util.Locale;

/**
 * Where the Tanaka experiment agrees with seed 001 and where it differs, each statement judged
 * from the measured numbers against the seed's: which model ranks first, the gap between them, the
 * shape of the validation-loss curves (the seed's RNN stalled while its Transformer kept falling),
 * the time per epoch (equal in the seed), and any model below BLEU 10 after 10 epochs.
 */
final class TanakaVerdicts {

  private TanakaVerdicts() {}

  static String of(TanakaExperiment.Outcome o, int epochs) {
    StringBuilder sb = new StringBuilder("## Where this run and seed 001 agree or differ\n\n");
    TanakaExperiment.ModelResult rnn = find(o.models(), "rnn");
    TanakaExperiment.ModelResult transformer = find(o.models(), "transformer");
    TanakaExperiment.ModelResult attention = find(o.models(), "attention");
    if (rnn == null || transformer == null || rnn.epochs().isEmpty() || transformer.epochs().isEmpty()) {
      return sb.append("- Not judged: the RNN and the Transformer have not both finished an epoch.\n").toString();
    }
    double r = last(rnn);
    double t = last(transformer);
    double seedR = TanakaReport.SEED_RNN_BLEU[9];
    double seedT = TanakaReport.SEED_TRANSFORMER_BLEU[9];
    sb.append(String.format(Locale.ROOT, "- **Ranking** (dev BLEU-4 after the last epoch): Transformer %.2f, RNN %.2f; seed 001"
        + " %.2f and %.2f. %s%n", t, r, seedT, seedR, t > r ? "Agrees: the Transformer ranks first."
        : t < r ? "Differs: the RNN ranks first." : "Differs: a tie."));
    sb.append(String.format(Locale.ROOT, "- **Gap**: Transformer − RNN = %+.2f BLEU points (ratio %s); seed 001 %+.2f (ratio %.2f).%n",
        t - r, r > 0 ? String.format(Locale.ROOT, "%.2f", t / r) : "undefined", seedT - seedR, seedT / seedR));
    sb.append(String.format(Locale.ROOT, "- **Levels**: RNN %+.2f and Transformer %+.2f points from the seed's.%n", r - seedR, t - seedT));
    sb.append("- **Validation loss**: ").append(shape("RNN", rnn)).append("; ").append(shape("Transformer", transformer))
        .append(". Seed 001: the RNN's stalled (lowest at epoch 8, 40.03, ending at 40.77), the Transformer's fell every epoch.\n");
    double ratio = transformer.meanEpochSeconds() / rnn.meanEpochSeconds();
    sb.append(String.format(Locale.ROOT, "- **Time per epoch**: Transformer / RNN = %.2f (%.0f s and %.0f s); seed 001: equal (0.3 min"
        + " each, on its own hardware). %s%n", ratio, transformer.meanEpochSeconds(), rnn.meanEpochSeconds(),
        Math.abs(ratio - 1) <= 0.25 ? "Agrees within 25 %." : "Differs by more than 25 %."));
    if (attention != null && !attention.epochs().isEmpty()) {
      sb.append(String.format(Locale.ROOT, "- **Attention** (not in seed 001): dev BLEU-4 %.2f, between the two: %s.%n", last(attention),
          last(attention) > r && last(attention) < t ? "yes" : "no"));
    }
    for (TanakaExperiment.ModelResult m : o.models()) {
      if (m.epochs().size() >= 10 && last(m) < 10) {
        sb.append(String.format(Locale.ROOT, "- **Check %s**: dev BLEU-4 %.2f after %d epochs, below 10: more likely a bug than a"
            + " result.%n", m.name(), last(m), m.epochs().size()));
      }
    }
    if (rnn.epochs().size() < epochs || transformer.epochs().size() < epochs) {
      sb.append(String.format(Locale.ROOT, "- Judged on %d and %d of %d epochs: the run is not finished.%n", rnn.epochs().size(),
          transformer.epochs().size(), epochs));
    }
    return sb.toString();
  }

  /** Whether a model's validation loss was lowest at its last epoch, or where it bottomed out. */
  private static String shape(String name, TanakaExperiment.ModelResult m) {
    int best = 0;
    List<TanakaEpoch> e = m.epochs();
    for (int i = 1; i < e.size(); i++) {
      if (e.get(i).validationLoss() < e.get(best).validationLoss()) {
        best = i;
      }
    }
    if (best == e.size() - 1) {
      return String.format(Locale.ROOT, "the %s's was lowest at its last epoch (%.3f)", name, e.get(best).validationLoss());
    }
    return String.format(Locale.ROOT, "the %s's was lowest at epoch %d (%.3f) and ended at %.3f", name, best + 1,
        e.get(best).validationLoss(), e.get(e.size() - 1).validationLoss());
  }

  private static double last(TanakaExperiment.ModelResult m) {
    return m.epochs().get(m.epochs().size() - 1).devBleu();
  }

  private static TanakaExperiment.ModelResult find(List<TanakaExperiment.ModelResult> models, String name) {
    return models.stream().filter(m -> m.name().equals(name)).findFirst().orElse(null);
  }
}
