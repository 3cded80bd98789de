package dev.rnnx.spec;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A user's time series from a CSV file with a header row, cut into windows: each example reads
 * {@code window} rows of the {@code features} columns and predicts the {@code targets} columns
 * 1 … {@code horizon} rows after the window (targets {@code [N, horizon · targets]}, horizon-major).
 * Windows start every {@code stride} rows. The rows are split in time order into training,
 * validation and test parts (the last {@code testFraction} of the rows is the test part, the
 * {@code validationFraction} before it validation); a window lies wholly inside one part.
 *
 * @param file the CSV file, an absolute path (a recipe's relative path is resolved against the
 *     recipe's folder when it is read)
 * @param time the time column (dates or numbers, strictly increasing), or {@code ""} for none
 * @param features the input columns, in order
 * @param targets the predicted columns, in order
 * @param window input rows per example
 * @param horizon how many rows ahead are predicted (1 … horizon)
 * @param stride rows between the starts of consecutive windows
 * @param validationFraction share of the rows in the validation part
 * @param testFraction share of the rows in the test part (the last ones)
 * @param missing what to do with empty fields
 * @param season the seasonal period in rows for the seasonal-naive baseline, or 0 for none
 */
public record CsvSeriesTask(String file, String time, List<String> features, List<String> targets, int window, int horizon,
    int stride, double validationFraction, double testFraction, MissingValues missing, int season) implements SequenceTask {

  /** Recipe task name. */
  public static final String TASK = "csv";

  /** What a series does with an empty field. */
  public enum MissingValues {
    /** A gap is refused, naming its file, line and column. */
    REFUSE,
    /** Windows that touch a gap are left out (and counted). */
    DROP,
    /** Gaps between two values are filled linearly; windows touching a gap at either end are left out. */
    INTERPOLATE;

    /** The name in recipes. */
    public String recipeName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a recipe name. */
    public static MissingValues fromName(String name) {
      for (MissingValues m : values()) {
        if (m.recipeName().equals(name)) {
          return m;
        }
      }
      throw new IllegalArgumentException("unknown missing-value policy '" + name + "', expected one of [refuse, drop, interpolate]");
    }
  }

  /** Validates the settings. */
  public CsvSeriesTask {
    if (file == null || file.isBlank()) {
      throw new IllegalArgumentException("data.file is missing, expected the path of a CSV file");
    }
    time = time == null ? "" : time;
    features = List.copyOf(features);
    targets = List.copyOf(targets);
    if (features.isEmpty() || targets.isEmpty()) {
      throw new IllegalArgumentException("data.features and data.targets each need at least one column name");
    }
    checkUnique("features", features);
    checkUnique("targets", targets);
    if (!time.isEmpty() && (features.contains(time) || targets.contains(time))) {
      throw new IllegalArgumentException("data.time column '" + time + "' cannot also be a feature or a target");
    }
    if (window < 1 || horizon < 1 || stride < 1) {
      throw new IllegalArgumentException("data.window, data.horizon and data.stride are " + window + ", " + horizon + ", " + stride
          + ", expected positive integers");
    }
    if (!(validationFraction > 0 && testFraction > 0 && validationFraction + testFraction < 1)) {
      throw new IllegalArgumentException("data.validation_fraction " + validationFraction + " and data.test_fraction " + testFraction
          + " must be > 0 and leave a training part (sum < 1)");
    }
    if (missing == null) {
      missing = MissingValues.REFUSE;
    }
    if (season < 0) {
      throw new IllegalArgumentException("data.season is " + season + ", expected a number of rows >= 0 (0: no seasonal baseline)");
    }
  }

  private static void checkUnique(String field, List<String> names) {
    Set<String> seen = new HashSet<>();
    for (String n : names) {
      if (!seen.add(n)) {
        throw new IllegalArgumentException("data." + field + " names column '" + n + "' twice");
      }
    }
  }

  /** Predicted values per example: {@code horizon · targets}. */
  public int outputs() {
    return horizon * targets.size();
  }

  @Override
  public String task() {
    return TASK;
  }

  @Override
  public int sequenceLength() {
    return window;
  }

  @Override
  public ModelInput modelInput() {
    return ModelInput.ofFeatures(features.size());
  }

  @Override
  public Shape targetShape() {
    return Shape.of(Shape.DYNAMIC, outputs());
  }
}
