package dev.rnnx.bench;

import dev.rnnx.data.TaskData;
import dev.rnnx.data.TranslationExamples;
import dev.rnnx.decode.BeamSearch;
import dev.rnnx.decode.SearchOptions;
import dev.rnnx.djl.RnnxModel;
import dev.rnnx.djl.RunFolder;
import dev.rnnx.djl.Seq2SeqGenerator;
import dev.rnnx.spec.DatesTask;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Batched decoding (issue 16): translating the dates test set (the held-out examples of the run's
 * recipe, the first {@code sentences} of them) with beam width 4 through {@link RnnxModel} on DJL's
 * OnnxRuntime engine, one sentence and one hypothesis at a time ({@link Seq2SeqGenerator#search}:
 * one decoder call per live hypothesis per step) against {@code batch} sentences at a time ({@link
 * Seq2SeqGenerator#searchAll(List, SearchOptions, int)}: sentences ordered by length into batches,
 * one encoder call per batch, one decoder call per step for every live hypothesis of every
 * sentence). A Transformer run decodes with its key-value cache in both modes.
 * Setup decodes the set both ways and fails unless every sentence's best hypothesis has the same
 * tokens. The run folders are those of {@code ./rnnx run models/dates-attention.yaml} and
 * {@code models/dates-transformer.yaml}, under {@code -Drnnx.bench.runs} (default
 * {@code build/runs}). The score is the time for the whole set; sentences per second =
 * {@code sentences / score} (docs/SERVING.md).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "-Djava.awt.headless=true"})
public class BatchedDecodingBenchmark {

  @Param({"dates-attention", "dates-transformer"})
  public String model;

  /** {@code one-by-one} or {@code batched}. */
  @Param({"one-by-one", "batched"})
  public String mode;

  /** Sentences per batch when batched. */
  @Param({"32"})
  public int batch;

  /** Test sentences translated. */
  @Param({"500"})
  public int sentences;

  static final SearchOptions BEAM = new SearchOptions(4, 0.6, 0);

  private RnnxModel served;
  private Seq2SeqGenerator generator;
  private List<long[]> sources;

  @Setup(Level.Trial)
  public void setUp() {
    Path run = Path.of(System.getProperty("rnnx.bench.runs", "build/runs"), model);
    DatesTask task = (DatesTask) RunFolder.open(run).recipe().data();
    TranslationExamples test = TaskData.translation(task, RunFolder.open(run).recipe().seed()).validation();
    int n = Math.min(sentences, test.size());
    int width = (int) test.source().dim(1);
    sources = new ArrayList<>(n);
    for (int b = 0; b < n; b++) {
      sources.add(Arrays.copyOfRange(test.source().data(), b * width, b * width + (int) test.sourceLengths().data()[b]));
    }
    served = RnnxModel.builder(run).optPoolSize(1).build();
    generator = served.generator();
    List<BeamSearch.Result> alone = oneByOne();
    List<BeamSearch.Result> together = batched();
    for (int i = 0; i < n; i++) {
      if (!Arrays.equals(alone.get(i).best().tokens(), together.get(i).best().tokens())) {
        throw new IllegalStateException(model + ", sentence " + i + ": batched " + together.get(i).best() + " vs one by one "
            + alone.get(i).best());
      }
    }
    System.out.printf("%n%s: %d test sentences, beam 4, identical best hypotheses batched and one by one; cached: %s%n", model, n,
        generator.cached());
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    served.close();
  }

  private List<BeamSearch.Result> oneByOne() {
    List<BeamSearch.Result> out = new ArrayList<>(sources.size());
    for (long[] s : sources) {
      out.add(generator.search(s, BEAM));
    }
    return out;
  }

  private List<BeamSearch.Result> batched() {
    return generator.searchAll(sources, BEAM, batch);
  }

  /** Translates the test set. */
  @Benchmark
  public List<BeamSearch.Result> translate() {
    return mode.equals("batched") ? batched() : oneByOne();
  }
}
