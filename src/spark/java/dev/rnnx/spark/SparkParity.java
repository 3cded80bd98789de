package dev.rnnx.spark;

import dev.rnnx.djl.RunFolder;
import dev.rnnx.djl.Sequence;
import dev.rnnx.djl.ServingPredictor;
import dev.rnnx.ref.ReferenceForm;
import dev.rnnx.ref.ReferenceForms;
import dev.rnnx.ref.ReferenceModel;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Graph;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.ModelForm;
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
 * tolerances; each partition's {@link ErrorSummary} is merged on the driver. A graph model's case
 * is one row of every input, its outputs judged together ({@code GraphJob}).
 */
public final class SparkParity {

  /** Cases generated together (one reference call, one engine call per chunk). */
  static final int CHUNK = 64;

  private SparkParity() {}

  /**
   * Runs the parity job.
   *
   * @throws IllegalArgumentException for a missing run folder or one of another model kind (before the job), or fewer than 1 case
   */
  public static ErrorSummary run(SparkSession spark, Path runDir, long cases, Long seed, int poolSize) {
    if (cases < 1 || cases > 1L << 40) {
      throw new IllegalArgumentException("--cases is " + cases + ", expected 1 … 2^40");
    }
    Recipe recipe = RunFolder.open(runDir).recipe();
    if (!(recipe.model() instanceof Sequential) && !(recipe.model() instanceof Graph)) {
      throw new IllegalArgumentException(runDir + " holds a " + recipe.model().kind()
          + " model; verify --spark checks sequential and graph models");
    }
    long chunks = (cases + CHUNK - 1) / CHUNK;
    int partitions = (int) Math.max(1, Math.min(chunks, 4L * spark.sparkContext().defaultParallelism()));
    Job job = new Job(runDir.toAbsolutePath().normalize().toString(), poolSize, cases,
        seed != null ? seed : recipe.seed());
    MapPartitionsFunction<Long, ErrorSummary> work = recipe.model() instanceof Graph
        ? new GraphJob(job.runDir(), poolSize, cases, job.seed()) : job;
    return spark.range(0, chunks, 1, partitions)
        .mapPartitions(work, Encoders.javaSerialization(ErrorSummary.class))
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

  /**
   * A graph model's chunks: inputs for every graph input generated by {@link ParityInputs#forForm}
   * (each input at the chunk's length), served as one request of the chunk's rows (named tensors,
   * the path {@code predict --spark} takes for a graph), each case's outputs, flattened and joined
   * in the model's output order, compared with the reference's.
   */
  private record GraphJob(String runDir, int poolSize, long cases, long seed) implements MapPartitionsFunction<Long, ErrorSummary> {

    @Override
    public Iterator<ErrorSummary> call(Iterator<Long> chunks) {
      ModelCache.Loaded m = ModelCache.get(runDir, poolSize);
      Graph graph = (Graph) m.spec();
      ModelForm form = graph.forms().get(0);
      ReferenceForm reference = ReferenceForms.of(graph, Safetensors.read(Path.of(runDir, "weights.safetensors")).weights())
          .get(form.name());
      ServingPredictor<Map<String, ? extends Tensor>, Map<String, FloatTensor>> served = m.model().tensors();
      Criterion criterion = Criterion.of(m.recipe().tolerances());
      int training = m.recipe().trainingLength();
      int[] lengths = {1, Math.max(1, training / 2), training, m.recipe().export().maxSequenceLength()};
      String outputs = graph.outputs().toString();
      ErrorSummary summary = new ErrorSummary();
      while (chunks.hasNext()) {
        long chunk = chunks.next();
        int rows = (int) Math.min(CHUNK, cases - chunk * CHUNK);
        int length = lengths[(int) (chunk % lengths.length)];
        Map<String, Tensor> inputs = ParityInputs.forForm(graph, form, rows, length, new Random(seed * 1_000_003L + chunk));
        Map<String, FloatTensor> expected = reference.run(inputs);
        Map<String, FloatTensor> actual = served.predict(inputs);
        for (int b = 0; b < rows; b++) {
          FloatTensor want = joined(graph, expected, b);
          FloatTensor got = joined(graph, actual, b);
          ElementwiseComparison c = ElementwiseComparison.compare("case " + (chunk * CHUNK + b), "ref", "spark-djl-ort", outputs,
              want, got, criterion, false);
          summary.add(c, want, got);
        }
      }
      return List.of(summary).iterator();
    }
  }

  /** Row {@code b} of every output, flattened and joined in the model's output order. */
  static FloatTensor joined(Graph graph, Map<String, FloatTensor> outputs, int b) {
    int total = 0;
    for (String o : graph.outputs()) {
      FloatTensor t = outputs.get(o);
      total += t.size() / Math.toIntExact(t.shape()[0]);
    }
    float[] v = new float[total];
    int at = 0;
    for (String o : graph.outputs()) {
      FloatTensor t = outputs.get(o);
      int perRow = t.size() / Math.toIntExact(t.shape()[0]);
      System.arraycopy(t.data(), b * perRow, v, at, perRow);
      at += perRow;
    }
    return FloatTensor.of(v, total);
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
