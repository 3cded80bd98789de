package dev.rnnx.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A forecaster's test errors in raw units, per horizon (1 … H) and target: mean absolute error
 * and root mean squared error of the model, of persistence (the last value of the window) and of
 * the seasonal-naive forecast (the value one season before the target), over the same points.
 *
 * @param targets the target columns
 * @param rows one row per horizon and target
 */
public record ForecastScores(List<String> targets, List<Row> rows) {

  /**
   * One horizon of one target.
   *
   * @param horizon steps ahead, from 1
   * @param target the target column
   * @param points the number of test points scored
   * @param modelMae the model's MAE
   * @param modelRmse the model's RMSE
   * @param persistenceMae persistence's MAE
   * @param persistenceRmse persistence's RMSE
   * @param seasonalMae the seasonal-naive MAE, NaN without a season
   * @param seasonalRmse the seasonal-naive RMSE, NaN without a season
   */
  public record Row(int horizon, String target, int points, double modelMae, double modelRmse, double persistenceMae,
      double persistenceRmse, double seasonalMae, double seasonalRmse) {

    /** Whether the model's MAE and RMSE are below every baseline's. */
    public boolean beatsBaselines() {
      return modelMae < persistenceMae && modelRmse < persistenceRmse
          && (Double.isNaN(seasonalMae) || (modelMae < seasonalMae && modelRmse < seasonalRmse));
    }

    Map<String, Object> toJson() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("horizon", horizon);
      m.put("target", target);
      m.put("points", points);
      m.put("model_mae", modelMae);
      m.put("model_rmse", modelRmse);
      m.put("persistence_mae", persistenceMae);
      m.put("persistence_rmse", persistenceRmse);
      if (!Double.isNaN(seasonalMae)) {
        m.put("seasonal_naive_mae", seasonalMae);
        m.put("seasonal_naive_rmse", seasonalRmse);
      }
      return m;
    }
  }

  /** Whether the model beats every baseline at every horizon and target. */
  public boolean beatsBaselines() {
    return rows.stream().allMatch(Row::beatsBaselines);
  }

  /** The rows as JSON values. */
  public List<Map<String, Object>> toJson() {
    return rows.stream().map(Row::toJson).toList();
  }

  /** Accumulates errors point by point. */
  static final class Builder {
    private final List<String> targets;
    private final int horizon;
    private final boolean seasonal;
    private final double[][] sums;
    private final int[] counts;

    Builder(List<String> targets, int horizon, boolean seasonal) {
      this.targets = targets;
      this.horizon = horizon;
      this.seasonal = seasonal;
      sums = new double[horizon * targets.size()][6];
      counts = new int[horizon * targets.size()];
    }

    void add(int h, int target, double truth, double model, double persistence, double season) {
      int i = (h - 1) * targets.size() + target;
      double[] s = sums[i];
      double[] errors = {model - truth, persistence - truth, seasonal ? season - truth : 0};
      for (int e = 0; e < 3; e++) {
        s[2 * e] += Math.abs(errors[e]);
        s[2 * e + 1] += errors[e] * errors[e];
      }
      counts[i]++;
    }

    ForecastScores build() {
      List<Row> rows = new ArrayList<>();
      for (int h = 1; h <= horizon; h++) {
        for (int j = 0; j < targets.size(); j++) {
          int i = (h - 1) * targets.size() + j;
          int n = counts[i];
          double[] s = sums[i];
          rows.add(new Row(h, targets.get(j), n, s[0] / n, Math.sqrt(s[1] / n), s[2] / n, Math.sqrt(s[3] / n),
              seasonal ? s[4] / n : Double.NaN, seasonal ? Math.sqrt(s[5] / n) : Double.NaN));
        }
      }
      return new ForecastScores(targets, rows);
    }
  }
}
