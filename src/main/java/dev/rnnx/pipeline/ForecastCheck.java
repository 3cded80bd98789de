package dev.rnnx.pipeline;

import dev.rnnx.data.Dataset;
import dev.rnnx.data.ForecastScores;
import dev.rnnx.data.SeriesWindows;
import dev.rnnx.ref.DoubleTensor;
import dev.rnnx.ref.ReferenceForms;
import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.Sequential;
import dev.rnnx.weights.Weights;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/**
 * The test-part check of a forecaster trained on a series file: the trained model's predictions
 * on the test windows (the reference forward, raw units in and out through its normalisation
 * layers) scored against persistence and seasonal naive ({@link SeriesWindows#score}).
 */
final class ForecastCheck {

  private ForecastCheck() {}

  /** Scores the model on the series' test windows. */
  static ForecastScores check(Sequential model, Weights weights, SeriesWindows series) {
    Dataset test = series.test();
    Map<String, DoubleTensor> out = ReferenceForms.of(model, weights).get(ModelForm.MODEL).forward(test.inputs());
    double[] y = out.values().iterator().next().data();
    float[] predictions = new float[y.length];
    for (int i = 0; i < y.length; i++) {
      predictions[i] = (float) y[i];
    }
    return series.score(predictions);
  }

  /** One line per horizon and target: the model's MAE and RMSE beside each baseline's. */
  static void log(ForecastScores scores, PrintStream log) {
    log.println("test errors in raw units, MAE / RMSE:");
    log.printf(Locale.ROOT, "  %3s %-10s %5s  %-15s   %-15s   %s%n", "h", "target", "n", "model", "persistence", "seasonal naive");
    for (ForecastScores.Row r : scores.rows()) {
      log.printf(Locale.ROOT, "  %3d %-10s %5d  %.4f / %.4f   %.4f / %.4f   %s%n", r.horizon(), r.target(), r.points(), r.modelMae(),
          r.modelRmse(), r.persistenceMae(), r.persistenceRmse(),
          Double.isNaN(r.seasonalMae()) ? "-" : String.format(Locale.ROOT, "%.4f / %.4f", r.seasonalMae(), r.seasonalRmse()));
    }
    log.println("the model " + (scores.beatsBaselines() ? "beats" : "does NOT beat") + " every baseline at every horizon");
  }
}
