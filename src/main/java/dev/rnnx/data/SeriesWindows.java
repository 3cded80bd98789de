package dev.rnnx.data;

import dev.rnnx.spec.CsvSeriesTask;
import dev.rnnx.spec.CsvSeriesTask.MissingValues;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Layer;
import dev.rnnx.spec.Normalization;
import dev.rnnx.spec.Recipe;
import dev.rnnx.spec.Sequential;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link CsvSeriesTask}'s series cut into windows, split in time order into training,
 * validation and test parts (a window, inputs and targets, lies wholly inside one part; nothing is
 * shuffled across a boundary), with the normalisation constants fitted on the training rows only,
 * and the naive forecasts the model is judged against ({@link ForecastScores}).
 *
 * <p>Values stay in raw units: the model's own {@code normalization} layers map them
 * ({@code spec.Normalization}), so its exported graphs take and return raw units.
 */
public final class SeriesWindows {

  private final CsvSeriesTask task;
  private final SeriesTable table;
  private final double[][] features;
  private final double[][] targets;
  private final boolean[][] observed;
  private final int trainEnd;
  private final int validationEnd;
  private final int[][] starts = new int[3][];
  private final int[] dropped = new int[3];
  private final int missingValues;
  private final int interpolated;

  private SeriesWindows(CsvSeriesTask task, SeriesTable table) {
    this.task = task;
    this.table = table;
    int n = table.rows();
    features = new double[task.features().size()][];
    targets = new double[task.targets().size()][];
    observed = new boolean[targets.length][n];
    int missing = 0;
    for (String c : table.columns().keySet()) {
      for (double v : table.column(c)) {
        missing += Double.isNaN(v) ? 1 : 0;
      }
    }
    missingValues = missing;
    if (missing > 0 && task.missing() == MissingValues.REFUSE) {
      refuseFirstGap();
    }
    int filled = 0;
    for (int f = 0; f < features.length; f++) {
      features[f] = table.column(task.features().get(f)).clone();
      filled += task.missing() == MissingValues.INTERPOLATE ? interpolate(features[f]) : 0;
    }
    for (int t = 0; t < targets.length; t++) {
      double[] raw = table.column(task.targets().get(t));
      for (int r = 0; r < n; r++) {
        observed[t][r] = !Double.isNaN(raw[r]);
      }
      int i = task.features().indexOf(task.targets().get(t));
      targets[t] = i >= 0 ? features[i] : raw.clone();
      filled += i < 0 && task.missing() == MissingValues.INTERPOLATE ? interpolate(targets[t]) : 0;
    }
    interpolated = filled;
    trainEnd = (int) Math.round(n * (1 - task.validationFraction() - task.testFraction()));
    validationEnd = (int) Math.round(n * (1 - task.testFraction()));
    int span = task.window() + task.horizon();
    if (span > trainEnd) {
      throw new DataException(table.file() + ": a window of " + task.window() + " rows plus a horizon of " + task.horizon()
          + " is longer than the training part (" + trainEnd + " of " + n + " rows)");
    }
    int[] bounds = {0, trainEnd, validationEnd, n};
    for (int part = 0; part < 3; part++) {
      List<Integer> s = new ArrayList<>();
      for (int start = bounds[part]; start + span <= bounds[part + 1]; start += task.stride()) {
        if (complete(start, span)) {
          s.add(start);
        } else {
          dropped[part]++;
        }
      }
      if (s.isEmpty()) {
        throw new DataException(table.file() + ": the " + PARTS[part] + " part (rows " + bounds[part] + " to " + bounds[part + 1]
            + ") holds no complete window of " + span + " rows (window " + task.window() + " + horizon " + task.horizon() + ")");
      }
      starts[part] = s.stream().mapToInt(Integer::intValue).toArray();
    }
  }

  private static final String[] PARTS = {"training", "validation", "test"};

  /**
   * Reads the task's file and cuts it into windows.
   *
   * @throws DataException for bad rows, gaps without a policy, or a window longer than a part
   */
  public static SeriesWindows read(CsvSeriesTask task) {
    List<String> columns = new ArrayList<>(task.features());
    task.targets().stream().filter(t -> !columns.contains(t)).forEach(columns::add);
    return new SeriesWindows(task, SeriesTable.read(Path.of(task.file()), columns, task.time()));
  }

  private void refuseFirstGap() {
    for (int r = 0; r < table.rows(); r++) {
      for (String c : table.columns().keySet()) {
        if (Double.isNaN(table.column(c)[r])) {
          throw DataException.at(table.file(), table.lines()[r], "column '" + c + "' is empty (a missing value; "
              + missingValues + " in all): declare data.missing: drop or interpolate");
        }
      }
    }
  }

  /** Fills interior gaps linearly; returns how many values it filled. Gaps at either end stay. */
  static int interpolate(double[] v) {
    int filled = 0;
    int last = -1;
    for (int i = 0; i < v.length; i++) {
      if (Double.isNaN(v[i])) {
        continue;
      }
      if (last >= 0 && i - last > 1) {
        for (int j = last + 1; j < i; j++) {
          v[j] = v[last] + (v[i] - v[last]) * (j - last) / (i - last);
          filled++;
        }
      }
      last = i;
    }
    return filled;
  }

  private boolean complete(int start, int span) {
    for (double[] f : features) {
      for (int r = start; r < start + task.window(); r++) {
        if (Double.isNaN(f[r])) {
          return false;
        }
      }
    }
    for (double[] t : targets) {
      for (int r = start + task.window(); r < start + span; r++) {
        if (Double.isNaN(t[r])) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * The recipe with its {@link Normalization} layers fitted on the training rows: a first,
   * non-inverted one gets the features' mean and variance, a last, inverted one the targets'.
   */
  public Recipe fitted(Recipe recipe) {
    Sequential model = recipe.sequential();
    List<Layer> layers = new ArrayList<>(model.layers());
    if (layers.get(0) instanceof Normalization first && !first.invert()) {
      double[][] m = featureMoments();
      layers.set(0, first.fit(m[0], m[1]));
    }
    int last = layers.size() - 1;
    if (layers.get(last) instanceof Normalization out && out.invert()) {
      double[][] m = targetMoments();
      layers.set(last, out.fit(m[0], m[1]));
    }
    return new Recipe(recipe.name(), recipe.description(), recipe.seed(), new Sequential(model.name(), model.input(), layers),
        recipe.data(), recipe.training(), recipe.export(), recipe.tolerances());
  }

  /** The training and validation windows, raw units. */
  public Split split() {
    return new Split(windows(0), windows(1));
  }

  /** The test windows, raw units. */
  public Dataset test() {
    return windows(2);
  }

  private Dataset windows(int part) {
    int[] s = starts[part];
    int w = task.window();
    int f = features.length;
    int h = task.horizon();
    int k = targets.length;
    float[] x = new float[s.length * w * f];
    float[] y = new float[s.length * h * k];
    for (int i = 0; i < s.length; i++) {
      for (int step = 0; step < w; step++) {
        for (int j = 0; j < f; j++) {
          x[(i * w + step) * f + j] = (float) features[j][s[i] + step];
        }
      }
      for (int a = 0; a < h; a++) {
        for (int j = 0; j < k; j++) {
          y[(i * h + a) * k + j] = (float) targets[j][s[i] + w + a];
        }
      }
    }
    return new Dataset(FloatTensor.of(x, s.length, w, f), FloatTensor.of(y, s.length, h * k));
  }

  /** Mean and variance (population) of each feature over the observed training rows: {@code [mean, variance]}. */
  public double[][] featureMoments() {
    return moments(features, trainEnd, 1);
  }

  /** Mean and variance of each target over the training rows, repeated per horizon to match the outputs. */
  public double[][] targetMoments() {
    return moments(targets, trainEnd, task.horizon());
  }

  private static double[][] moments(double[][] columns, int rows, int repeat) {
    int k = columns.length;
    double[] mean = new double[k * repeat];
    double[] var = new double[k * repeat];
    for (int j = 0; j < k; j++) {
      double sum = 0;
      int count = 0;
      for (int r = 0; r < rows; r++) {
        if (!Double.isNaN(columns[j][r])) {
          sum += columns[j][r];
          count++;
        }
      }
      double m = sum / count;
      double ss = 0;
      for (int r = 0; r < rows; r++) {
        if (!Double.isNaN(columns[j][r])) {
          ss += (columns[j][r] - m) * (columns[j][r] - m);
        }
      }
      for (int a = 0; a < repeat; a++) {
        mean[a * k + j] = m;
        var[a * k + j] = ss / count;
      }
    }
    return new double[][] {mean, var};
  }

  /**
   * Scores test predictions ({@code [test windows, horizon · targets]}, raw units) against the
   * truth and the naive forecasts, per horizon and target, on the targets that were observed
   * (not interpolated) and that every forecast covers.
   */
  public ForecastScores score(float[] predictions) {
    int[] s = starts[2];
    int h = task.horizon();
    int k = targets.length;
    if (predictions.length != s.length * h * k) {
      throw new IllegalArgumentException("expected " + s.length * h * k + " test predictions, got " + predictions.length);
    }
    ForecastScores.Builder b = new ForecastScores.Builder(task.targets(), h, task.season() > 0);
    for (int i = 0; i < s.length; i++) {
      int last = s[i] + task.window() - 1;
      for (int a = 1; a <= h; a++) {
        int row = last + a;
        for (int j = 0; j < k; j++) {
          double truth = targets[j][row];
          double persistence = targets[j][last];
          double seasonal = task.season() > 0 && row - task.season() >= 0 ? targets[j][row - task.season()] : Double.NaN;
          if (!observed[j][row] || Double.isNaN(persistence) || (task.season() > 0 && Double.isNaN(seasonal))) {
            continue;
          }
          b.add(a, j, truth, predictions[(i * h + a - 1) * k + j], persistence, seasonal);
        }
      }
    }
    return b.build();
  }

  /** What was read and left out, for {@code report.json}. */
  public Map<String, Object> statistics() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("file", table.file());
    m.put("rows_read", table.rows());
    m.put("missing_values", missingValues);
    m.put("missing_policy", task.missing().recipeName());
    m.put("values_interpolated", interpolated);
    int[] bounds = {0, trainEnd, validationEnd, table.rows()};
    for (int part = 0; part < 3; part++) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("rows", bounds[part + 1] - bounds[part]);
      if (table.timeText() != null) {
        p.put("from", table.timeText()[bounds[part]]);
        p.put("to", table.timeText()[bounds[part + 1] - 1]);
      }
      p.put("windows", starts[part].length);
      p.put("windows_dropped_for_gaps", dropped[part]);
      m.put(PARTS[part], p);
    }
    double[][] fm = featureMoments();
    m.put("feature_mean", Arrays.stream(fm[0]).boxed().toList());
    m.put("feature_variance", Arrays.stream(fm[1]).boxed().toList());
    return m;
  }
}
