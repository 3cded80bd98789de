package dev.rnnx.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.djl.RnnxModel;
import dev.rnnx.djl.Sequence;
import dev.rnnx.djl.ServingRuns;
import dev.rnnx.ref.ReferenceModel;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Recipe;
import dev.rnnx.spec.RecipeCodec;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.Tensor;
import dev.rnnx.tf.InitialWeights;
import dev.rnnx.verify.Criterion;
import dev.rnnx.verify.ElementwiseComparison;
import dev.rnnx.verify.ParityInputs;
import dev.rnnx.weights.Safetensors;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code verify --spark}'s job in {@code local[2]}: the statistics merged across partitions equal
 * those of the same cases computed in one loop here, and a run whose ONNX model does not match its
 * weights fails.
 */
class SparkParityTest {

  @TempDir static Path tmp;
  static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = SparkJobs.session("local[2]");
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
    }
  }

  @Test
  void mergedStatisticsEqualOneLoopOverTheSameCases() throws Exception {
    Path run = ServingRuns.zoo(tmp.resolve("sine-lstm"), "sine-lstm");
    int cases = 300; // 5 chunks, the last one short, over every length
    ErrorSummary spark = SparkParity.run(SparkParityTest.spark, run, cases, 5L, 2);
    Recipe recipe = RecipeCodec.read(Path.of("models", "sine-lstm.yaml"));
    Sequential spec = recipe.sequential();
    ReferenceModel reference = new ReferenceModel(spec, Safetensors.read(run.resolve("weights.safetensors")).weights());
    ErrorSummary local = new ErrorSummary();
    int[] lengths = {1, recipe.trainingLength() / 2, recipe.trainingLength(), recipe.export().maxSequenceLength()};
    try (RnnxModel model = RnnxModel.builder(run).optPoolSize(1).build()) {
      for (int chunk = 0; chunk * SparkParity.CHUNK < cases; chunk++) {
        int rows = Math.min(SparkParity.CHUNK, cases - chunk * SparkParity.CHUNK);
        int length = lengths[chunk % 4];
        Map<String, Tensor> in = ParityInputs.inputs(spec, rows, length, new Random(5L * 1_000_003L + chunk), 1.0);
        FloatTensor want = reference.run(in).get("output");
        List<Sequence> seqs = SparkParity.sequences(spec, in, rows, length);
        for (int b = 0; b < rows; b++) {
          FloatTensor got = model.regression().predict(seqs.get(b));
          FloatTensor ref = SparkParity.row(want, b, got);
          local.add(ElementwiseComparison.compare("case", "ref", "x", "output", ref, got, Criterion.of(recipe.tolerances()),
              false), ref, got);
        }
      }
    }
    assertEquals(cases, spark.cases());
    assertEquals(local.elements(), spark.elements());
    assertEquals(0, spark.failingCases());
    assertTrue(spark.passed());
    assertEquals(local.maxAbs(), spark.maxAbs(), 1e-12);
    assertEquals(local.meanAbs(), spark.meanAbs(), 1e-12);
    for (double q : new double[] {0.5, 0.9, 0.99}) {
      assertEquals(local.quantile(q), spark.quantile(q), 1e-15, "q" + q);
    }
    assertTrue(spark.maxAbs() > 0 && spark.maxAbs() < 1e-5, "max abs error " + spark.maxAbs());
    assertTrue(spark.text().contains("cases 300 (0 failing)"), spark.text());
  }

  @Test
  void aModelThatDoesNotMatchItsWeightsFails() throws Exception {
    Path run = ServingRuns.zoo(tmp.resolve("mismatch"), "sine-lstm");
    Path weights = run.resolve("weights.safetensors");
    Safetensors.Contents contents = Safetensors.read(weights);
    Sequential spec = RecipeCodec.read(Path.of("models", "sine-lstm.yaml")).sequential();
    Safetensors.write(weights, InitialWeights.generate(spec, 4242), contents.metadata());
    ErrorSummary s = SparkParity.run(spark, run, 100, null, 2);
    assertFalse(s.passed());
    assertEquals(100, s.cases());
    assertTrue(s.failingCases() > 50, s.text());
    assertTrue(s.firstFailure().startsWith("case "), s.firstFailure());
  }
}
