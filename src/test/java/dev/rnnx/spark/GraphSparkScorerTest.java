package dev.rnnx.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.djl.RnnxModel;
import dev.rnnx.imports.ModelImports;
import dev.rnnx.pipeline.ImportRun;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Tensor;
import dev.rnnx.weights.Safetensors;
import dev.rnnx.weights.Weights;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * Scoring a {@code Dataset<Row>} in {@code local[2]} with an imported two-input, two-output Keras
 * graph ({@code models/keras/graph_two_inputs_keras2.h5}): a column per input ({@code input_a}
 * {@code [time][3]}, {@code input_b} {@code [time][2]}, each row with its own lengths), a column per
 * output appended ({@code classes [3]}, {@code per_step [time_b][2]}), every row equal to the same
 * inputs sent alone to {@link RnnxModel}; missing or clashing columns refused before any job, a
 * row of the wrong shape failing the job naming row and column; {@code verify --spark} judging every
 * case, and failing a folder whose weights differ from its exports.
 */
class GraphSparkScorerTest {

  @TempDir static Path tmp;
  static Path run;
  static SparkSession spark;

  static final StructType ROWS = new StructType().add("id", DataTypes.LongType)
      .add("input_a", DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.DoubleType)))
      .add("input_b", DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.DoubleType)));

  @BeforeAll
  static void start() throws Exception {
    run = tmp.resolve("graph");
    ImportRun.write(ModelImports.read(Path.of("models", "keras", "graph_two_inputs_keras2.h5")), run, 12, 17,
        new PrintStream(OutputStream.nullOutputStream()));
    spark = SparkJobs.session("local[2]");
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
    }
  }

  static List<List<Double>> steps(Random r, int length, int features) {
    List<List<Double>> steps = new ArrayList<>();
    for (int t = 0; t < length; t++) {
      List<Double> step = new ArrayList<>();
      for (int f = 0; f < features; f++) {
        step.add(r.nextGaussian());
      }
      steps.add(step);
    }
    return steps;
  }

  static List<Row> rows(int n, long seed) {
    Random r = new Random(seed);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(RowFactory.create((long) i, steps(r, 1 + r.nextInt(3), 3), steps(r, 1 + r.nextInt(3), 2)));
    }
    return rows;
  }

  static FloatTensor tensor(List<List<Double>> steps) {
    int f = steps.get(0).size();
    float[] v = new float[steps.size() * f];
    for (int t = 0; t < steps.size(); t++) {
      for (int k = 0; k < f; k++) {
        v[t * f + k] = (float) (double) steps.get(t).get(k);
      }
    }
    return FloatTensor.of(v, 1, steps.size(), f);
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyRowHasAColumnPerOutputEqualToTheSingleRequestAnswer() {
    List<Row> in = rows(90, 7);
    Dataset<Row> rows = spark.createDataFrame(in, ROWS).repartition(3);
    Dataset<Row> scored = SparkScorer.builder(run).optBatchSize(8).build().score(rows);
    assertEquals(List.of("id", "input_a", "input_b", "classes", "per_step"), List.of(scored.schema().fieldNames()));
    List<Row> out = scored.collectAsList();
    assertEquals(90, out.size());
    try (RnnxModel single = RnnxModel.builder(run).optPoolSize(1).build()) {
      for (Row row : out) {
        Row source = in.get((int) row.getLong(0));
        Map<String, Tensor> request = Map.of("input_a", tensor((List<List<Double>>) source.get(1)),
            "input_b", tensor((List<List<Double>>) source.get(2)));
        Map<String, FloatTensor> want = single.tensors().predict(request);
        List<Float> classes = row.getList(3);
        assertEquals(3, classes.size());
        for (int k = 0; k < 3; k++) {
          assertEquals(want.get("classes").data()[k], classes.get(k), 1e-6f, "row " + row.getLong(0));
        }
        List<scala.collection.Seq<Float>> perStep = row.getList(4);
        assertEquals(((List<?>) source.get(2)).size(), perStep.size(), "per_step follows input_b's steps");
        for (int t = 0; t < perStep.size(); t++) {
          for (int k = 0; k < 2; k++) {
            assertEquals(want.get("per_step").data()[t * 2 + k], perStep.get(t).apply(k), 1e-6f, "row " + row.getLong(0));
          }
        }
      }
    }
  }

  @Test
  void missingOrClashingColumnsAreRefusedBeforeAnyJobAndABadRowFailsTheJobNamingIt() {
    int jobs = spark.sparkContext().statusTracker().getJobIdsForGroup(null).length;
    Dataset<Row> noB = spark.createDataFrame(rows(3, 1), ROWS).drop("input_b");
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> SparkScorer.builder(run).build().score(noB));
    assertEquals("no column 'input_b' in the input, expected an array of steps of 2 numbers (array<array<float>>) for graph input"
        + " 'input_b' (one column per input: [input_a, input_b]); its columns are [id, input_a]", missing.getMessage());
    Dataset<Row> clash = spark.createDataFrame(rows(3, 1), ROWS).withColumnRenamed("id", "classes");
    IllegalArgumentException taken = assertThrows(IllegalArgumentException.class, () -> SparkScorer.builder(run).build().score(clash));
    assertEquals("the input has a column 'classes' already, where graph output 'classes' goes", taken.getMessage());
    assertEquals(jobs, spark.sparkContext().statusTracker().getJobIdsForGroup(null).length, "a job ran");

    List<Row> in = rows(10, 2);
    in.set(6, RowFactory.create(6L, in.get(6).get(1), List.of(List.of(0.1, 0.2, 0.3))));
    Dataset<Row> bad = spark.createDataFrame(in, ROWS).coalesce(1);
    Exception failed = assertThrows(Exception.class, () -> SparkScorer.builder(run).build().score(bad).count());
    assertEquals("row 6 of partition 0 (id 6): column 'input_b' has 3 features at step 0, expected 2",
        SparkJobs.userError(failed).getMessage());
  }

  @Test
  void predictWritesAColumnPerOutputFromJsonLines() throws Exception {
    Path jsonl = tmp.resolve("rows.jsonl");
    StringBuilder sb = new StringBuilder();
    for (Row r : rows(20, 3)) {
      sb.append("{\"id\": ").append(r.getLong(0)).append(", \"input_a\": ").append(r.get(1)).append(", \"input_b\": ")
          .append(r.get(2)).append("}\n");
    }
    Files.writeString(jsonl, sb);
    Path out = tmp.resolve("scored.parquet");
    StringWriter text = new StringWriter();
    assertEquals(0, SparkJobs.prediction(run, "local[2]", jsonl, out).run(spark, new PrintWriter(text, true)));
    assertEquals("wrote " + out + " (20 rows)", text.toString().strip());
    List<Row> back = spark.read().parquet(out.toString()).orderBy("id").collectAsList();
    assertEquals(20, back.size());
    assertEquals(List.of("id", "input_a", "input_b", "classes", "per_step"), List.of(back.get(0).schema().fieldNames()));
    double sum = 0;
    for (Object p : back.get(0).getList(3)) {
      sum += (Float) p;
    }
    assertEquals(1.0, sum, 1e-5, "softmax classes sum to 1");
  }

  @Test
  void verifyOnSparkJudgesEveryCaseOfAGraphAndFailsWhenTheWeightsDoNotMatchTheExports() throws Exception {
    ErrorSummary summary = SparkParity.run(spark, run, 200, 5L, 2);
    assertEquals(200, summary.cases());
    assertEquals(0, summary.failingCases(), summary.text());
    // per case: classes (3) + per_step (the length × 2), the lengths cycling through 1, 6, 12 and 100
    assertTrue(summary.elements() > 200 * 5 && summary.maxAbs() < 1e-5, summary.text());

    Path other = tmp.resolve("graph-other-weights");
    try (var files = Files.walk(run)) { // the same folder, then its weights moved away from its exports
      for (Path f : files.toList()) {
        Files.copy(f, other.resolve(run.relativize(f).toString()));
      }
    }
    Path weights = other.resolve("weights.safetensors");
    Safetensors.Contents contents = Safetensors.read(weights);
    Map<String, FloatTensor> moved = new LinkedHashMap<>();
    contents.weights().tensors().forEach((k, v) -> {
      float[] d = v.data().clone();
      for (int i = 0; i < d.length; i++) {
        d[i] += 0.01f;
      }
      moved.put(k, new FloatTensor(v.shape(), d));
    });
    Safetensors.write(weights, new Weights(moved), contents.metadata());
    ErrorSummary failing = SparkParity.run(spark, other, 64, 5L, 1);
    assertEquals(64, failing.failingCases(), failing.text());
    assertTrue(failing.firstFailure().startsWith("case 0: "), failing.firstFailure());
  }
}
