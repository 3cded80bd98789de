package dev.rnnx.spark;

import dev.rnnx.djl.RunFolder;
import dev.rnnx.djl.Sequence;
import dev.rnnx.djl.ServingPredictor;
import dev.rnnx.ref.ReferenceModel;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.Recipe;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.Tensor;
import dev.rnnx.verify.Criterion;
import dev.rnnx.verify.ElementwiseComparison;
import dev.rnnx.verify.ParityInputs;
import dev.rnnx.weights.Safetensors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.api.java.function.ReduceFunction;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;

/**
 * {@code rnnx verify RUN --spark MASTER --cases N}: the served model (ONNX Runtime through {@link
 * ModelCache}, one sequence per request as {@code predict --spark} scores them) against the float64
 * reference of the run's weights, over {@code N} cases generated on the executors by verify's
 * {@link ParityInputs} (chunks of {@value #CHUNK} cases, each seeded by the run's seed and its
 * chunk number, lengths cycling through 1, half the training length, the training length and the
 * export limit). Each case is judged by verify's {@link ElementwiseComparison} under the recipe's
 * tolerances; each partition's {@link ErrorSummary} is merged on the driver.
 */
public final class SparkParity {

  /** Cases generated together (one reference call, one engine call per chunk). */
  static final int CHUNK = 64;

  private SparkParity() {}

  /**
   * Runs the parity job.
   *
   * @throws IllegalArgumentException for a missing or non-sequential run folder (before the job), or fewer than 1 case
   */
  public static ErrorSummary run(SparkSession spark, Path runDir, long cases, Long seed, int poolSize) {
    if (cases < 1 || cases > 1L << 40) {
      throw new IllegalArgumentException("--cases is " + cases + ", expected 1 … 2^40");
    }
    Recipe recipe = RunFolder.open(runDir).recipe();
    if (!(recipe.model() instanceof Sequential)) {
      throw new IllegalArgumentException(runDir + " holds a " + recipe.model().kind()
          + " model; verify --spark checks sequential models");
    }
    long chunks = (cases + CHUNK - 1) / CHUNK;
    int partitions = (int) Math.max(1, Math.min(chunks, 4L * spark.sparkContext().defaultParallelism()));
    Job job = new Job(runDir.toAbsolutePath().normalize().toString(), poolSize, cases,
        seed != null ? seed : recipe.seed());
    return spark.range(0, chunks, 1, partitions)
        .mapPartitions(job, Encoders.javaSerialization(ErrorSummary.class))
        .reduce((ReduceFunction<ErrorSummary>) (a, b) -> a.merge(b));
  }

  /** One partition's chunks: generate, serve, compare, summarise. */
  private record Job(String runDir, int poolSize, long cases, long seed) implements MapPartitionsFunction<Long, ErrorSummary> {

    @Override
    public Iterator<ErrorSummary> call(Iterator<Long> chunks) {
      ModelCache.Loaded m = ModelCache.get(runDir, poolSize);
      Sequential spec = m.sequential();
      ReferenceModel reference = new ReferenceModel(spec, Safetensors.read(Path.of(runDir, "weights.safetensors")).weights());
      ServingPredictor<Sequence, FloatTensor> served = m.model().regression();
      Criterion criterion = Criterion.of(m.recipe().tolerances());
      int training = m.recipe().trainingLength();
      int[] lengths = {1, Math.max(1, training / 2), training, m.recipe().export().maxSequenceLength()};
      ErrorSummary summary = new ErrorSummary();
      while (chunks.hasNext()) {
        long chunk = chunks.next();
        int rows = (int) Math.min(CHUNK, cases - chunk * CHUNK);
        int length = lengths[(int) (chunk % lengths.length)];
        Map<String, Tensor> inputs = ParityInputs.inputs(spec, rows, length, new Random(seed * 1_000_003L + chunk), 1.0);
        FloatTensor expected = reference.run(inputs).get("output");
        List<Sequence> sequences = sequences(spec, inputs, rows, length);
        List<FloatTensor> actual = served.predictAll(sequences);
        for (int b = 0; b < rows; b++) {
          FloatTensor want = row(expected, b, actual.get(b));
          ElementwiseComparison c = ElementwiseComparison.compare("case " + (chunk * CHUNK + b), "ref", "spark-djl-ort",
              "output", want, actual.get(b), criterion, false);
          summary.add(c, want, actual.get(b));
        }
      }
      return List.of(summary).iterator();
    }
  }

  /** Each row of the generated batch as its own sequence, cut to its length where the model reads lengths. */
  static List<Sequence> sequences(Sequential spec, Map<String, Tensor> inputs, int rows, int length) {
    Tensor x = inputs.get(Sequential.INPUT);
    Tensor lens = inputs.get(Sequential.LENGTHS);
    int features = spec.input().tokens() ? 1 : spec.inputFeatures();
    List<Sequence> out = new ArrayList<>(rows);
    for (int b = 0; b < rows; b++) {
      int len = lens == null ? length : (int) ((LongTensor) lens).data()[b];
      int from = b * length * features;
      if (x instanceof LongTensor ids) {
        out.add(Sequence.ofTokens(Arrays.copyOfRange(ids.data(), from, from + len)));
      } else {
        float[] v = Arrays.copyOfRange(((FloatTensor) x).data(), from, from + len * features);
        out.add(new Sequence(FloatTensor.of(v, len, features)));
      }
    }
    return out;
  }

  /** Row {@code b} of the reference's batched output, in the served answer's shape (a per-step output cut to its length). */
  static FloatTensor row(FloatTensor batched, int b, FloatTensor like) {
    int perRow = batched.size() / Math.toIntExact(batched.shape()[0]);
    int from = b * perRow;
    return FloatTensor.of(Arrays.copyOfRange(batched.data(), from, from + like.size()), like.shape());
  }
}
