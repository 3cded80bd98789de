package dev.rnnx.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.spec.CsvSeriesTask;
import dev.rnnx.spec.CsvSeriesTask.MissingValues;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeriesWindowsTest {

  /** 40 rows: t = 0 … 39, a = t, b = 100 + 2t (a gap at the given rows of b). */
  private static Path csv(Path dir, int... gaps) throws Exception {
    StringBuilder sb = new StringBuilder("t,a,b\n");
    for (int t = 0; t < 40; t++) {
      final int row = t;
      boolean gap = java.util.Arrays.stream(gaps).anyMatch(g -> g == row);
      sb.append(t).append(',').append(t).append(',').append(gap ? "" : String.valueOf(100 + 2 * t)).append('\n');
    }
    Path f = dir.resolve("s.csv");
    Files.writeString(f, sb.toString());
    return f;
  }

  private static CsvSeriesTask task(Path f, int window, int horizon, int stride, MissingValues missing) {
    return new CsvSeriesTask(f.toString(), "t", List.of("a", "b"), List.of("b"), window, horizon, stride, 0.25, 0.25, missing, 0);
  }

  @Test
  void windowsTargetsAndAChronologicalSplitWithNoWindowAcrossABoundary(@TempDir Path dir) throws Exception {
    SeriesWindows w = SeriesWindows.read(task(csv(dir), 4, 2, 1, MissingValues.REFUSE));
    Split split = w.split();
    // rows: training 0-19, validation 20-29, test 30-39; a window spans 4 + 2 = 6 rows
    assertEquals(15, split.train().size());
    assertEquals(5, split.validation().size());
    assertEquals(5, w.test().size());
    float[] x = ((dev.rnnx.spec.FloatTensor) split.train().x()).data();
    assertArrayEquals(new float[] {0, 100, 1, 102, 2, 104, 3, 106}, java.util.Arrays.copyOf(x, 8), "rows 0-3, features a and b");
    assertArrayEquals(new float[] {108, 110}, java.util.Arrays.copyOf(split.train().y().data(), 2), "b at rows 4 and 5");
    assertEquals(20, ((dev.rnnx.spec.FloatTensor) split.validation().x()).data()[0], "the first validation window starts at its part's first row");
    float[] lastTrainTargets = split.train().y().data();
    assertEquals(100 + 2 * 19, lastTrainTargets[lastTrainTargets.length - 1], "the last training target is row 19");
    float[] testY = w.test().y().data();
    assertEquals(100 + 2 * 39, testY[testY.length - 1]);
  }

  @Test
  void normalisationIsFittedOnTheTrainingRowsOnly(@TempDir Path dir) throws Exception {
    SeriesWindows w = SeriesWindows.read(task(csv(dir), 4, 2, 1, MissingValues.REFUSE));
    double[][] f = w.featureMoments();
    assertEquals(9.5, f[0][0], 1e-12, "mean of a over rows 0-19");
    assertEquals(119, f[0][1], 1e-12);
    assertEquals((400 - 1) / 12.0, f[1][0], 1e-12, "population variance of 0 … 19");
    double[][] t = w.targetMoments();
    assertArrayEquals(new double[] {119, 119}, t[0], 1e-12, "the target's mean once per horizon");
    assertEquals(4 * (400 - 1) / 12.0, t[1][1], 1e-9);
  }

  @Test
  void strideSkipsRows(@TempDir Path dir) throws Exception {
    SeriesWindows w = SeriesWindows.read(task(csv(dir), 4, 2, 3, MissingValues.REFUSE));
    assertEquals(5, w.split().train().size(), "starts 0, 3, 6, 9, 12");
    assertEquals(9, ((dev.rnnx.spec.FloatTensor) w.split().train().x()).data()[3 * 8]);
  }

  @Test
  void gapsRefusedWithoutAPolicyDroppedOrInterpolatedWithOne(@TempDir Path dir) throws Exception {
    Path f = csv(dir, 10, 11);
    String message = assertThrows(DataException.class, () -> SeriesWindows.read(task(f, 4, 2, 1, MissingValues.REFUSE)))
        .getMessage();
    assertEquals("s.csv:12: column 'b' is empty (a missing value; 2 in all): declare data.missing: drop or interpolate", message);
    SeriesWindows dropped = SeriesWindows.read(task(f, 4, 2, 1, MissingValues.DROP));
    assertEquals(15 - 7, dropped.split().train().size(), "windows starting at rows 5 … 11 touch rows 10 or 11");
    @SuppressWarnings("unchecked")
    Map<String, Object> training = (Map<String, Object>) dropped.statistics().get("training");
    assertEquals(7, training.get("windows_dropped_for_gaps"));
    SeriesWindows filled = SeriesWindows.read(task(f, 4, 2, 1, MissingValues.INTERPOLATE));
    assertEquals(15, filled.split().train().size());
    assertEquals(2, filled.statistics().get("values_interpolated"));
    assertEquals(120f, ((dev.rnnx.spec.FloatTensor) filled.split().train().x()).data()[(10 - 3) * 8 + 3 * 2 + 1], "b at row 10, filled linearly");
  }

  @Test
  void aWindowLongerThanTheSeriesIsRefused(@TempDir Path dir) throws Exception {
    Path f = csv(dir);
    String message = assertThrows(DataException.class, () -> SeriesWindows.read(task(f, 30, 1, 1, MissingValues.REFUSE)))
        .getMessage();
    assertTrue(message.startsWith("s.csv: a window of 30 rows plus a horizon of 1 is longer than the training part (20 of 40 rows)"),
        message);
    message = assertThrows(DataException.class, () -> SeriesWindows.read(task(f, 9, 2, 1, MissingValues.REFUSE))).getMessage();
    assertTrue(message.contains("the validation part (rows 20 to 30) holds no complete window of 11 rows"), message);
  }

  @Test
  void scoresAgainstPersistenceAndSeasonalNaive(@TempDir Path dir) throws Exception {
    Path f = csv(dir);
    SeriesWindows w = SeriesWindows.read(new CsvSeriesTask(f.toString(), "", List.of("b"), List.of("b"), 4, 2, 1, 0.25, 0.25,
        MissingValues.REFUSE, 3));
    float[] truth = w.test().y().data();
    float[] predictions = truth.clone();
    predictions[0] += 1; // one error of 1 at horizon 1
    ForecastScores s = w.score(predictions);
    assertEquals(2, s.rows().size());
    ForecastScores.Row h1 = s.rows().get(0);
    assertEquals(5, h1.points());
    assertEquals(0.2, h1.modelMae(), 1e-6);
    assertEquals(Math.sqrt(0.2), h1.modelRmse(), 1e-6);
    assertEquals(2, h1.persistenceMae(), 1e-9, "b rises by 2 a row");
    assertEquals(6, h1.seasonalMae(), 1e-9, "three rows earlier");
    assertEquals(4, s.rows().get(1).persistenceMae(), 1e-9);
    assertEquals(6, s.rows().get(1).seasonalMae(), 1e-9);
    assertTrue(s.beatsBaselines());
  }
}
