package dev.rnnx.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.djl.RnnxModel;
import dev.rnnx.djl.Sequence;
import dev.rnnx.djl.ServingPredictor;
import dev.rnnx.djl.ServingRuns;
import dev.rnnx.spec.FloatTensor;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scoring a {@code Dataset<Row>} in {@code local[2]} with a sine-lstm run folder (seeded weights):
 * every row's output equals the answer of the same sequence sent alone to {@link RnnxModel}; the
 * model loads once in the JVM for all tasks; bad rows fail the job naming the row and the column; a
 * missing run folder fails before any job. One Spark session for the class.
 */
class SparkScorerTest {

  @TempDir static Path tmp;
  static Path run;
  static SparkSession spark;

  static final StructType SERIES = new StructType().add("id", DataTypes.LongType)
      .add("input", DataTypes.createArrayType(DataTypes.DoubleType));

  @BeforeAll
  static void start() throws Exception {
    run = ServingRuns.zoo(tmp.resolve("sine-lstm"), "sine-lstm");
    spark = SparkJobs.session("local[2]");
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
    }
  }

  static List<Row> series(int n, long seed) {
    Random r = new Random(seed);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int length = 1 + r.nextInt(40);
      double[] xs = new double[length];
      for (int t = 0; t < length; t++) {
        xs[t] = Math.sin(0.3 * (t + i)) + 0.05 * r.nextGaussian();
      }
      rows.add(RowFactory.create((long) i, toList(xs)));
    }
    return rows;
  }

  static List<Double> toList(double[] xs) {
    List<Double> l = new ArrayList<>();
    for (double x : xs) {
      l.add(x);
    }
    return l;
  }

  @SuppressWarnings("unchecked")
  static List<Double> values(Row row) {
    return (List<Double>) row.get(1);
  }

  static Sequence sequenceOf(List<Double> xs) {
    float[] v = new float[xs.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (double) xs.get(i);
    }
    return Sequence.ofFeatures(v, 1);
  }

  @Test
  void everyRowEqualsTheSingleRequestAnswer() {
    List<Row> in = series(240, 7);
    Dataset<Row> rows = spark.createDataFrame(in, SERIES).repartition(4);
    List<Row> out = SparkScorer.builder(run).optBatchSize(32).build().score(rows).collectAsList();
    assertEquals(240, out.size());
    assertEquals(1, ModelCache.loads(), "the model loads once per JVM, whatever the number of tasks");
    int exact = 0;
    try (RnnxModel single = RnnxModel.builder(run).optPoolSize(1).build()) {
      ServingPredictor<Sequence, FloatTensor> p = single.regression();
      for (Row row : out) {
        long id = row.getLong(0);
        FloatTensor want = p.predict(sequenceOf(values(in.get((int) id))));
        List<Float> got = row.getList(2);
        assertEquals(want.size(), got.size(), "row " + id);
        for (int i = 0; i < got.size(); i++) {
          assertEquals(want.data()[i], got.get(i), 1e-6f, "row " + id);
          exact += want.data()[i] == got.get(i) ? 1 : 0;
        }
      }
    }
    System.out.printf("spark scoring: %d of 240 rows bit-for-bit equal to the single request%n", exact);
  }

  @Test
  void aRowOfTheWrongShapeFailsTheJobNamingRowAndColumn() {
    StructType steps = new StructType().add("id", DataTypes.LongType)
        .add("input", DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.FloatType)));
    List<Row> in = new ArrayList<>();
    for (long i = 0; i < 20; i++) {
      List<List<Float>> xs = List.of(List.of(0.1f), List.of(i == 13 ? 0.2f : 0.3f));
      in.add(RowFactory.create(i, i == 13 ? List.of(List.of(0.1f, 0.2f)) : xs));
    }
    Dataset<Row> rows = spark.createDataFrame(in, steps).coalesce(2);
    Exception failed = assertThrows(Exception.class, () -> SparkScorer.builder(run).build().score(rows).count());
    String message = SparkJobs.userError(failed).getMessage();
    assertTrue(message.matches("row \\d+ of partition \\d \\(id 13\\): column 'input' has 2 features at step 0, expected 1"),
        message);
  }

  @Test
  void aColumnOfTheWrongTypeFailsTheJobNamingRowAndColumn() {
    StructType text = new StructType().add("id", DataTypes.LongType).add("input", DataTypes.StringType);
    Dataset<Row> rows = spark.createDataFrame(List.of(RowFactory.create(4L, "0.1 0.2")), text);
    Exception failed = assertThrows(Exception.class, () -> SparkScorer.builder(run).build().score(rows).count());
    assertEquals("row 0 of partition 0 (id 4): column 'input' holds a string (0.1 0.2), expected an array of steps of 1"
        + " number (array<array<float>>, or array<float> for one feature)", SparkJobs.userError(failed).getMessage());
  }

  @Test
  void aMissingColumnOrRunFolderFailsBeforeAnyJob() {
    int jobs = spark.sparkContext().statusTracker().getJobIdsForGroup(null).length;
    Path missing = tmp.resolve("no-such-run");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SparkScorer.builder(missing).build());
    assertEquals("run folder " + missing + " does not exist, expected the output folder of 'rnnx run'", e.getMessage());
    Dataset<Row> rows = spark.createDataFrame(series(3, 1), SERIES).withColumnRenamed("input", "x");
    IllegalArgumentException column = assertThrows(IllegalArgumentException.class,
        () -> SparkScorer.builder(run).build().score(rows));
    assertTrue(column.getMessage().startsWith("no column 'input' in the input"), column.getMessage());
    assertEquals(jobs, spark.sparkContext().statusTracker().getJobIdsForGroup(null).length, "a job ran");
  }

  @Test
  void predictWritesParquetFromJsonLinesOrParquetAndNothingOnBadInput() throws Exception {
    Path jsonl = tmp.resolve("series.jsonl");
    StringBuilder sb = new StringBuilder();
    for (Row r : series(50, 3)) {
      sb.append("{\"id\": ").append(r.getLong(0)).append(", \"input\": ").append(values(r)).append("}\n");
    }
    Files.writeString(jsonl, sb);
    Path out = tmp.resolve("scored.parquet");
    StringWriter text = new StringWriter();
    assertEquals(0, SparkJobs.prediction(run, "local[2]", jsonl, out).run(spark, new PrintWriter(text, true)));
    assertEquals("wrote " + out + " (50 rows)", text.toString().strip());
    List<Row> back = spark.read().parquet(out.toString()).orderBy("id").collectAsList();
    assertEquals(50, back.size());
    assertEquals(3, back.get(0).length());
    Path parquet = tmp.resolve("series.parquet");
    spark.createDataFrame(series(30, 4), SERIES).write().parquet(parquet.toString());
    Path fromParquet = tmp.resolve("scored-from-parquet.parquet");
    SparkJobs.prediction(run, "local[2]", parquet, fromParquet).run(spark, new PrintWriter(new StringWriter()));
    List<Row> scored = spark.read().parquet(fromParquet.toString()).orderBy("id").collectAsList();
    assertEquals(30, scored.size());
    assertEquals(List.of("id", "input", "output"), List.of(scored.get(0).schema().fieldNames()));
    IllegalArgumentException again = assertThrows(IllegalArgumentException.class,
        () -> SparkJobs.prediction(run, "local[2]", jsonl, out));
    assertEquals("--output " + out + " exists; give a new path (nothing is overwritten)", again.getMessage());
    Files.writeString(jsonl, "{\"id\": 1, \"input\": [0.1, \"x\"]}\n");
    Path bad = tmp.resolve("bad.parquet");
    IllegalArgumentException row = assertThrows(IllegalArgumentException.class,
        () -> SparkJobs.prediction(run, "local[2]", jsonl, bad).run(spark, new PrintWriter(new StringWriter())));
    assertTrue(row.getMessage().startsWith("row 0 of partition 0 (id 1): column 'input' holds a string"), row.getMessage());
    assertFalse(Files.exists(bad), "a failed job left its output");
    try (var left = Files.list(tmp)) {
      assertEquals(List.of(), left.filter(p -> p.getFileName().toString().contains(".partial-")).toList());
    }
  }
}
