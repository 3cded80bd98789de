package dev.rnnx.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.rnnx.data.Bleu;
import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.ParallelTextTask;
import dev.rnnx.spec.Recipe;
import dev.rnnx.spec.Seq2Seq;
import dev.rnnx.spec.StrictParsing;
import dev.rnnx.tf.TfForms;
import dev.rnnx.tf.Trainer;
import dev.rnnx.tf.TrainingOptions;
import dev.rnnx.tf.TrainingResult;
import dev.rnnx.weights.AtomicFiles;
import dev.rnnx.weights.Safetensors;
import dev.rnnx.weights.Weights;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Seed 001's comparison on seed 001's corpus: English to Japanese on the Tanaka corpus with an RNN
 * encoder-decoder without attention, one with attention and a Transformer
 * ({@code models/tanaka/*.yaml}), each trained the same number of epochs. After every epoch it
 * records the validation loss and the corpus BLEU-4 of the greedy translations of {@code dev}
 * (word level, on the corpus's own tokens); at the end, BLEU-4 on {@code test} and the test
 * translations in {@code hypotheses.txt}.
 *
 * <p>Resumable: every model keeps its state in {@code OUT/NAME/}: the training checkpoint
 * ({@code checkpoint/}), one {@code epoch-NN.json} per finished epoch, and at the end
 * {@code weights.safetensors}, {@code hypotheses.txt} and {@code test.json}, each written
 * atomically. A re-run skips what is on disk and continues from the last finished epoch; since
 * shuffling depends only on the seed and the epoch, it reaches the weights of an uninterrupted
 * run. Each epoch is one {@link Trainer#train} call resumed from the previous epoch's checkpoint.
 */
public final class TanakaExperiment {

  /** The models, in the order they train. */
  public static final List<String> MODELS = List.of("rnn", "attention", "transformer");

  static final ObjectMapper JSON = StrictParsing.configure(JsonMapper.builder()).build().enable(SerializationFeature.INDENT_OUTPUT);

  private TanakaExperiment() {}

  /**
   * One model's results.
   *
   * @param name the model's name in the experiment ({@link #MODELS})
   * @param recipe its recipe
   * @param parameters trainable scalars
   * @param epochs the finished epochs, in order
   * @param testBleu corpus BLEU-4 on {@code test}, in percent; NaN until every epoch is done
   * @param hypotheses the test translations file, or null until every epoch is done
   * @param weights the trained weights after the last finished epoch, or null before the first
   */
  public record ModelResult(String name, Recipe recipe, long parameters, List<TanakaEpoch> epochs, double testBleu, Path hypotheses,
      Weights weights) {

    /** The mean training wall time of an epoch. */
    public double meanEpochSeconds() {
      return epochs.stream().mapToDouble(TanakaEpoch::trainSeconds).average().orElse(Double.NaN);
    }

    /** The mean wall time of a dev BLEU pass. */
    public double meanBleuSeconds() {
      return epochs.stream().mapToDouble(TanakaEpoch::bleuSeconds).average().orElse(Double.NaN);
    }
  }

  /**
   * What a call produced.
   *
   * @param models every model's results so far, in {@link #MODELS} order
   * @param complete whether every model finished every epoch and its test
   * @param epochsTrained epochs trained by this call (the others were read from disk)
   * @param statistics what the corpus reader read and left out
   */
  public record Outcome(List<ModelResult> models, boolean complete, int epochsTrained, Map<String, Object> statistics) {}

  /**
   * Trains (or resumes) each model of {@code recipes} (keyed by their {@link #MODELS} name) as
   * {@code options} say.
   *
   * @throws IllegalArgumentException when a recipe is not a seq2seq recipe on {@code parallel-text},
   *     or the output folder holds a run of another recipe, slice or more epochs
   * @throws IOException when a file cannot be written
   */
  public static Outcome run(Map<String, Recipe> recipes, TanakaOptions options) throws IOException {
    for (Map.Entry<String, Recipe> e : recipes.entrySet()) {
      if (!(e.getValue().model() instanceof Seq2Seq) || !(e.getValue().data() instanceof ParallelTextTask)) {
        throw new IllegalArgumentException("recipe '" + e.getValue().name() + "' (" + e.getKey()
            + ") is not a seq2seq recipe on parallel-text data");
      }
    }
    for (boolean write : new boolean[] {false, true}) {
      for (Map.Entry<String, Recipe> e : recipes.entrySet()) {
        setup(options.out().resolve(e.getKey()), e.getValue(), options, write);
      }
    }
    Map<ParallelTextTask, TanakaCorpus> corpora = new HashMap<>();
    List<ModelResult> results = new ArrayList<>();
    int trained = 0;
    boolean complete = true;
    Map<String, Object> statistics = Map.of();
    for (Map.Entry<String, Recipe> e : recipes.entrySet()) {
      Recipe recipe = e.getValue();
      ParallelTextTask task = (ParallelTextTask) recipe.data();
      TanakaCorpus corpus = corpora.get(task);
      if (corpus == null) {
        corpus = TanakaCorpus.read(task, options.limitPairs(), options.out().resolve("slice-" + corpora.size()), options.testSource(),
            options.testTarget());
        corpora.put(task, corpus);
        options.log().printf(Locale.ROOT, "corpus: %,d training and %,d dev pairs, %,d test sentences%n",
            corpus.split().train().size(), corpus.split().validation().size(), corpus.testReferences().size());
      }
      statistics = corpus.statistics();
      ModelRun run = new ModelRun(e.getKey(), recipe, corpus, options);
      ModelResult result = run.resume(options.stopAfterEpochs() == 0 ? Integer.MAX_VALUE : options.stopAfterEpochs() - trained);
      trained += run.trained;
      results.add(result);
      if (result.hypotheses() == null) {
        complete = false;
        break;
      }
    }
    return new Outcome(results, complete && results.size() == recipes.size(), trained, statistics);
  }

  /**
   * Writes {@code results.json} (with the heap's limit and peak use), {@code comparison.md} and
   * {@code curves.png} into the output folder, and returns the comparison's Markdown.
   */
  public static String report(Outcome outcome, TanakaOptions options, double seconds) throws IOException {
    TanakaReport.write(options.out(), outcome, options, seconds);
    return TanakaReport.markdown(outcome, options);
  }

  /** Refuses a folder that trained another recipe or slice; with {@code write}, records what this one trains. */
  private static void setup(Path dir, Recipe recipe, TanakaOptions options, boolean write) throws IOException {
    if (Files.exists(dir.resolve(String.format(Locale.ROOT, "epoch-%02d.json", options.epochs() + 1)))) {
      throw new IllegalArgumentException(dir + " holds more than " + options.epochs() + " epochs: use another --out or --epochs"
          + " at least as large as before");
    }
    Path file = dir.resolve("setup.json");
    Map<String, Object> setup = new LinkedHashMap<>();
    setup.put("recipe", recipe.name());
    setup.put("recipe_sha256", sha256(dev.rnnx.spec.RecipeCodec.write(Seq2SeqExperiment.withEpochs(recipe, 1))));
    setup.put("limit_pairs", options.limitPairs());
    setup.put("dev_sentences", options.devSentences());
    setup.put("parameters", recipe.model().parameterCount());
    if (Files.exists(file)) {
      JsonNode old = StrictParsing.readJson(file);
      JsonNode now = JSON.readTree(JSON.writeValueAsBytes(setup));
      if (!now.equals(old)) {
        throw new IllegalArgumentException(file + " records another run (" + old + "), this one is " + now
            + ": use another --out");
      }
      return;
    }
    if (!write) {
      return;
    }
    Files.createDirectories(dir);
    AtomicFiles.write(file, JSON.writeValueAsBytes(setup));
  }

  private static String sha256(String text) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The process's CPU time per training step between the first and the last step of an epoch: on
   * a shared machine it estimates the wall time of a step on an idle one with one TensorFlow thread.
   */
  private static final class StepCpu implements dev.rnnx.tf.TrainingListener {
    private double first;
    private double last;
    private int steps;

    @Override
    public void onStep(int epoch, int step, int stepsPerEpoch, double batchLoss) {
      if (step == 1) {
        first = cpuSeconds();
        steps = 0;
      } else {
        last = cpuSeconds();
        steps = step - 1;
      }
    }

    @Override
    public void onEpoch(int epoch, double trainLoss, double validationLoss) {}

    double millisPerStep() {
      return steps == 0 ? Double.NaN : (last - first) * 1e3 / steps;
    }
  }

  /** CPU time of this process so far (every thread, TensorFlow's included), in seconds. */
  static double cpuSeconds() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime() / 1e9;
  }


  /** One model's resumable run in {@code OUT/NAME/}. */
  private static final class ModelRun {
    private final String name;
    private final Recipe recipe;
    private final Seq2Seq model;
    private final TanakaCorpus corpus;
    private final TanakaOptions options;
    private final Path dir;
    private final Path checkpoint;
    private int trained;
    private final StepCpu cpu = new StepCpu();

    ModelRun(String name, Recipe recipe, TanakaCorpus corpus, TanakaOptions options) {
      this.name = name;
      this.recipe = recipe;
      this.model = (Seq2Seq) recipe.model();
      this.corpus = corpus;
      this.options = options;
      this.dir = options.out().resolve(name);
      this.checkpoint = dir.resolve("checkpoint");
    }

    ModelResult resume(int budget) throws IOException {
      int n = options.epochs();
      List<TanakaEpoch> epochs = new ArrayList<>();
      Weights weights = null;
      for (int epoch = 1; epoch <= n; epoch++) {
        Path file = epochFile(epoch);
        if (Files.exists(file)) {
          epochs.add(JSON.treeToValue(StrictParsing.readJson(file), TanakaEpoch.class));
          continue;
        }
        if (trained >= budget) {
          return new ModelResult(name, recipe, model.parameterCount(), epochs, Double.NaN, null, weights);
        }
        double cpu0 = cpuSeconds();
        TrainingResult r = train(epoch);
        double cpu = cpuSeconds() - cpu0;
        trained++;
        weights = r.weights();
        long t0 = System.nanoTime();
        double bleuCpu = cpuSeconds();
        double bleu = devBleu(weights);
        bleuCpu = cpuSeconds() - bleuCpu;
        TanakaEpoch record = new TanakaEpoch(epoch, r.trainLoss().get(epoch - 1), r.validationLoss().get(epoch - 1), bleu,
            r.epochSeconds().get(epoch - 1), (System.nanoTime() - t0) / 1e9);
        AtomicFiles.write(file, JSON.writeValueAsBytes(record));
        epochs.add(record);
        options.log().printf(Locale.ROOT, "%-11s epoch %2d/%d: loss %.4f, val loss %.4f, dev BLEU-4 %5.2f; %.0f s training "
            + "(%.0f ms/step, %.0f ms of CPU/step; %.0f s of CPU with graph building), %.1f s dev BLEU (%.1f s of CPU)%n", name, epoch, n,
            record.trainLoss(), record.validationLoss(), bleu, record.trainSeconds(), r.stepMicros() / 1e3, this.cpu.millisPerStep(), cpu,
            record.bleuSeconds(), bleuCpu);
      }
      Path hypotheses = dir.resolve("hypotheses.txt");
      Path test = dir.resolve("test.json");
      Path weightsFile = dir.resolve("weights.safetensors");
      JsonNode done = Files.exists(test) ? StrictParsing.readJson(test) : null;
      if (done != null && done.path("epochs").asInt() == n && Files.exists(hypotheses) && Files.exists(weightsFile)) {
        return new ModelResult(name, recipe, model.parameterCount(), epochs, done.path("test_bleu").asDouble(), hypotheses,
            Safetensors.read(weightsFile).weights());
      }
      if (weights == null) {
        weights = train(n).weights(); // every epoch on disk: the checkpoint of the last, restored
      }
      List<List<String>> translations = new ArrayList<>();
      double bleu = bleu(weights, corpus.testReferences(), corpus.testSource(), corpus.testSourceLengths(), translations);
      StringBuilder text = new StringBuilder();
      for (List<String> line : translations) {
        text.append(String.join(" ", line)).append('\n');
      }
      Safetensors.write(weightsFile, weights, Map.of("recipe", recipe.name(), "epochs", Integer.toString(n)));
      AtomicFiles.writeString(hypotheses, text.toString());
      Map<String, Object> t = new LinkedHashMap<>();
      t.put("epochs", n);
      t.put("test_bleu", bleu);
      t.put("sentences", translations.size());
      AtomicFiles.write(test, JSON.writeValueAsBytes(t));
      options.log().printf(Locale.ROOT, "%-11s test BLEU-4 %.2f on %d sentences: %s%n", name, bleu, translations.size(), hypotheses);
      return new ModelResult(name, recipe, model.parameterCount(), epochs, bleu, hypotheses, weights);
    }

    /** Trains epoch {@code epoch} from the checkpoint of the one before (or restores it when it is already there). */
    private TrainingResult train(int epoch) {
      TrainingOptions.Builder b = TrainingOptions.builder().checkpointDir(checkpoint).listener(cpu);
      if (Files.exists(checkpoint.resolve("checkpoint.json"))) {
        b.resume(checkpoint);
      }
      return Trainer.train(Seq2SeqExperiment.withEpochs(recipe, epoch), corpus.split(), b.build());
    }

    /** Corpus BLEU-4 in percent on the first {@link TanakaOptions#devSentences()} dev pairs (all for 0). */
    private double devBleu(Weights weights) {
      dev.rnnx.spec.LongTensor source = corpus.split().validation().source();
      int all = (int) source.dim(0);
      int k = options.devSentences() == 0 ? all : Math.min(all, options.devSentences());
      int s = (int) source.dim(1);
      return bleu(weights, corpus.devReferences().subList(0, k),
          dev.rnnx.spec.LongTensor.of(java.util.Arrays.copyOf(source.data(), k * s), k, s),
          dev.rnnx.spec.LongTensor.of(java.util.Arrays.copyOf(corpus.split().validation().sourceLengths().data(), k), k), null);
    }

    /** Corpus BLEU-4 in percent of the greedy translations of {@code source}; the translations go into {@code out} when given. */
    private double bleu(Weights weights, List<List<String>> references, dev.rnnx.spec.LongTensor source,
        dev.rnnx.spec.LongTensor lengths, List<List<String>> out) {
      List<List<String>> hyps;
      try (TfForms forms = TfForms.build(model, weights)) {
        hyps = GreedyTranslations.of(forms.form(ModelForm.GREEDY_DECODER), model, source, lengths, corpus.split().targetVocabulary());
      }
      if (out != null) {
        out.addAll(hyps);
      }
      return 100 * Bleu.corpusSingle(references, hyps);
    }

    private Path epochFile(int epoch) {
      return dir.resolve(String.format(Locale.ROOT, "epoch-%02d.json", epoch));
    }
  }
}
