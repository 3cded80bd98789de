package dev.rnnx.djl;

import dev.rnnx.spec.InvalidInputException;
import ai.djl.modality.Classifications;
import dev.rnnx.data.VocabularyFile;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.InputContract;
import dev.rnnx.spec.LabeledTextTask;
import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.Recipe;
import dev.rnnx.spec.Seq2Seq;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.SpecialTokens;
import dev.rnnx.spec.TaggedTextTask;
import dev.rnnx.spec.Tensor;
import dev.rnnx.spec.Word2Vec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * A trained model ready to serve: rnnx's entry point for inference. It loads an artifact on the
 * DJL engine that fits it, keeps a pool of DJL predictors per model form (and, when asked, a
 * dynamic batcher), warms every predictor up, and hands out thread-safe task predictors.
 *
 * <p>What {@link #load} accepts, and the engine it picks:
 *
 * <ul>
 *   <li>a {@code .onnx} file: ONNX Runtime; served as named tensors ({@link Task#TENSORS});
 *   <li>a SavedModel folder ({@code saved_model.pb}): TensorFlow; named tensors;
 *   <li>a run folder of {@code rnnx run} ({@code weights.safetensors} with its recipe): ONNX Runtime
 *       on its {@code <form>.onnx} files, or TensorFlow on its SavedModels where it has no ONNX
 *       file; the recipe says the {@link Task}, and task predictors become available.
 * </ul>
 *
 * <p>{@link Builder#optEngine} overrides the choice. Serving an ONNX model never loads
 * TensorFlow's native library (nor any {@code org.tensorflow} class).
 *
 * <pre>{@code
 * try (RnnxModel model = RnnxModel.builder(Path.of("runs/sine-lstm"))
 *     .optBatching(BatchingOptions.DEFAULTS)     // merge concurrent requests
 *     .build()) {
 *   ServingPredictor<Sequence, FloatTensor> p = model.regression();
 *   FloatTensor next = p.predict(Sequence.ofFeatures(new float[][] {{0.1f}, {0.2f}, {0.3f}}));
 * } catch (InvalidInputException e) {
 *   // the request did not fit the model: e.problem(), e.input()
 * }
 * }</pre>
 *
 * <p>Every predictor it returns may be called from any number of threads; {@link #close} waits
 * for calls in flight, then releases every native resource.
 */
public final class RnnxModel implements AutoCloseable {

  /** The ONNX Runtime engine, for {@link Builder#optEngine}. */
  public static final String ONNX_RUNTIME = DjlModel.ONNX_RUNTIME;
  /** The TensorFlow engine, for {@link Builder#optEngine}. */
  public static final String TENSORFLOW = DjlModel.TENSORFLOW;

  private final Path source;
  private final String engine;
  private final Recipe recipe;
  private final Task task;
  private final VocabularyFile vocabulary;
  private final Map<String, FormRunner> runners;
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private boolean closed;
  private StreamLoader streamLoader;
  private StreamSessions streams;

  /** A model over loaded, warmed-up form runners ({@link ArtifactLoader}). */
  RnnxModel(Path source, String engine, Recipe recipe, VocabularyFile vocabulary, Map<String, FormRunner> runners) {
    this.source = source;
    this.engine = engine;
    this.recipe = recipe;
    this.task = recipe == null ? Task.TENSORS : Task.of(recipe);
    this.vocabulary = vocabulary;
    this.runners = runners;
  }

  /**
   * Loads an artifact with rnnx's defaults: the engine the artifact implies, {@link
   * OrtOptions#DEFAULTS}, a pool of {@link Builder#DEFAULT_POOL_SIZE} predictors per form, no
   * dynamic batching, warm-up on.
   *
   * @param path a {@code .onnx} file, a SavedModel folder or a run folder
   * @throws IllegalArgumentException when the path is none of those or its engine refuses it
   */
  public static RnnxModel load(Path path) {
    return builder(path).build();
  }

  /** A builder to load {@code path} with options. */
  public static Builder builder(Path path) {
    return new Builder(path);
  }

  /** Options for {@link RnnxModel}: required path; optional {@code optX}; {@link #build()} validates and loads. */
  public static final class Builder {

    /** Predictors per form by default: one engine call per core of a small serving machine. */
    public static final int DEFAULT_POOL_SIZE = 2;

    private final Path path;
    private String engine;
    private OrtOptions ortOptions = OrtOptions.DEFAULTS;
    private int poolSize = DEFAULT_POOL_SIZE;
    private BatchingOptions batching;
    private boolean warmUp = true;
    private StreamOptions streaming = StreamOptions.DEFAULTS;

    private Builder(Path path) {
      this.path = Objects.requireNonNull(path, "path");
    }

    /** {@code OnnxRuntime} or {@code TensorFlow} ({@code onnx} and {@code tf} too) instead of the artifact's own. */
    public Builder optEngine(String engine) {
      this.engine = engine;
      return this;
    }

    /** ONNX Runtime session options; {@link OrtOptions#ENGINE_DEFAULTS} leaves every choice to ORT. */
    public Builder optOrtOptions(OrtOptions options) {
      this.ortOptions = Objects.requireNonNull(options, "options");
      return this;
    }

    /** DJL predictors per form, i.e. engine calls that may run at once; at least 1. */
    public Builder optPoolSize(int size) {
      this.poolSize = size;
      return this;
    }

    /** Dynamic batching of concurrent requests; {@code null} (the default) for none. */
    public Builder optBatching(BatchingOptions options) {
      this.batching = options;
      return this;
    }

    /** Whether to run every pooled predictor once on load (default on). */
    public Builder optWarmUp(boolean on) {
      this.warmUp = on;
      return this;
    }

    /** Bounds on streaming sessions ({@link RnnxModel#openStream()}); {@link StreamOptions#DEFAULTS} by default. */
    public Builder optStreaming(StreamOptions options) {
      this.streaming = Objects.requireNonNull(options, "options");
      return this;
    }

    /**
     * Loads the model.
     *
     * @throws IllegalArgumentException for a bad option, a path that is no artifact, or an
     *     artifact its engine refuses
     */
    public RnnxModel build() {
      if (poolSize < 1 || poolSize > 256) {
        throw new IllegalArgumentException("pool size is " + poolSize + ", expected 1 … 256");
      }
      RnnxModel model = new ArtifactLoader(ortOptions, poolSize, batching, warmUp).load(path, engine);
      model.streamLoader = new StreamLoader(ortOptions, poolSize, batching, warmUp, streaming);
      return model;
    }

    /**
     * Loads an ONNX file from elsewhere in a child process ({@link IsolatedOnnxModel}): a native
     * crash on an untrusted model ends the child, not this JVM. Named tensors in and out only (no
     * task predictors, pool or batching); the engine is ONNX Runtime.
     *
     * @throws IllegalArgumentException when the path is not an ONNX file, or the file is refused
     */
    public IsolatedOnnxModel buildIsolated() {
      if (!Files.isRegularFile(path)) {
        throw new IllegalArgumentException(path + " is not an ONNX file; only a .onnx file runs isolated");
      }
      if (engine != null && !ArtifactLoader.engineName(engine).equals(ONNX_RUNTIME)) {
        throw new IllegalArgumentException("engine " + engine + " cannot run isolated; an isolated model runs on OnnxRuntime");
      }
      return IsolatedOnnxModel.open(path);
    }
  }

  /** The file or folder loaded. */
  public Path source() {
    return source;
  }

  /** DJL's name of the engine: {@value #ONNX_RUNTIME} or {@value #TENSORFLOW}. */
  public String engine() {
    return engine;
  }

  /** What the model does; {@link Task#TENSORS} for an artifact without a recipe. */
  public Task task() {
    return task;
  }

  /** The run's recipe, or {@code null} for a bare artifact. */
  public Recipe recipe() {
    return recipe;
  }

  /** The loaded forms, in load order. */
  public List<String> forms() {
    return List.copyOf(runners.keySet());
  }

  /** Input names of a form, in declared order. */
  public List<String> inputNames(String form) {
    return whileOpen(() -> runner(form).model().inputNames());
  }

  /** The main form: the one {@link #tensors()} serves ({@code model}, or a run's first form). */
  public String mainForm() {
    return runners.keySet().iterator().next();
  }

  /** What a form's requests are checked against: names, element types, axes, value rules. */
  public InputContract contract(String form) {
    return whileOpen(() -> runner(form).model().contract());
  }

  /** Output names of a form, in the order the engine returns them. */
  public List<String> outputNames(String form) {
    return whileOpen(() -> runner(form).model().outputNames());
  }

  /** Named tensors in and out on the main form ({@code model}, or a run's first form). */
  public ServingPredictor<Map<String, ? extends Tensor>, Map<String, FloatTensor>> tensors() {
    return tensors(mainForm());
  }

  /** Named tensors in and out on one form. */
  public ServingPredictor<Map<String, ? extends Tensor>, Map<String, FloatTensor>> tensors(String form) {
    FormRunner r = runner(form);
    return new ServingPredictor<>(this, r, new TensorsTranslator(r.translator()));
  }

  /** A sequence to the model's output: any sequential run. */
  public ServingPredictor<Sequence, FloatTensor> regression() {
    Sequential s = sequential("regression");
    FormRunner r = runner(ModelForm.MODEL);
    return new ServingPredictor<>(this, r, new RegressionTranslator(r.translator(), s));
  }

  /**
   * A sequence to its classes and probabilities, class names {@code "0"} … : a {@link
   * Task#CLASSIFICATION} run.
   */
  public ServingPredictor<Sequence, Classifications> classification() {
    Sequential s = sequential("classification");
    requireTask(Task.CLASSIFICATION);
    FormRunner r = runner(ModelForm.MODEL);
    return new ServingPredictor<>(this, r, new ClassificationTranslator(r.translator(), s, classNames(s)));
  }

  /** A sequence to the classes of each of its steps: a {@link Task#TAGGING} run. */
  public ServingPredictor<Sequence, Tagging> tagging() {
    Sequential s = sequential("tagging");
    requireTask(Task.TAGGING);
    FormRunner r = runner(ModelForm.MODEL);
    return new ServingPredictor<>(this, r, new TaggingTranslator(r.translator(), s, classNames(s)));
  }

  /** A word to its vector: a word2vec run ({@link Task#EMBEDDING}). */
  public ServingPredictor<String, float[]> embedding() {
    requireTask(Task.EMBEDDING);
    FormRunner r = runner(ModelForm.EMBEDDING);
    return new ServingPredictor<>(this, r, new EmbeddingTranslator(r.translator(), vocabulary));
  }

  /**
   * The nearest words of a word2vec run, served by this model's pooled {@code most_similar} form;
   * thread-safe.
   */
  public SimilarWords similarWords() {
    requireTask(Task.EMBEDDING);
    FormRunner r = runner(ModelForm.MOST_SIMILAR);
    return new SimilarWords((Word2Vec) recipe.model(), vocabulary, in -> whileOpen(() -> r.run(in)));
  }

  /**
   * Text to text for a seq2seq run ({@link Task#GENERATION}), greedy or beam search over this
   * model's pooled encoder and decoder-step forms; with the key-value cache when the run has the
   * Transformer's cached forms ({@link Seq2SeqGenerator#withoutCache()} for the plain step);
   * thread-safe.
   */
  public Seq2SeqGenerator generator() {
    requireTask(Task.GENERATION);
    FormRunner encoder = runner(ModelForm.ENCODER);
    FormRunner step = runner(ModelForm.DECODER_STEP);
    FormRunner cross = runners.get(ModelForm.DECODER_CROSS_CACHE);
    FormRunner cached = runners.get(ModelForm.DECODER_STEP_CACHED);
    return new Seq2SeqGenerator((Seq2Seq) recipe.model(), vocabulary, in -> whileOpen(() -> encoder.run(in)),
        in -> whileOpen(() -> step.run(in)), cross == null ? null : in -> whileOpen(() -> cross.run(in)),
        cached == null ? null : in -> whileOpen(() -> cached.run(in)));
  }

  private Sequential sequential(String what) {
    if (recipe == null || !(recipe.model() instanceof Sequential s)) {
      throw new IllegalStateException(what + " needs a sequential run folder; " + source + " is "
          + (recipe == null ? "a bare artifact: use tensors()" : "a " + recipe.model().kind() + " run"));
    }
    return s;
  }

  private void requireTask(Task wanted) {
    if (task != wanted) {
      throw new IllegalStateException(source + " is a " + task + " model, not " + wanted);
    }
  }

  /**
   * The class names: a labeled-text run's labels, a tagged-text run's tags (recorded as the target
   * side of {@code vocabulary.json}, after the special tokens; outputs past them keep their index),
   * otherwise {@code "0"} … .
   */
  private List<String> classNames(Sequential s) {
    int units = Math.toIntExact(s.outputs().get(0).shape().dim(-1));
    List<String> names = ClassificationTranslator.indexNames(units == 1 ? 2 : units);
    if (recipe.data() instanceof LabeledTextTask l && l.labels().size() == names.size()) {
      return l.labels();
    }
    if (recipe.data() instanceof TaggedTextTask && vocabulary != null) {
      List<String> tags = vocabulary.target().tokens().subList(SpecialTokens.FIRST_TEXT, vocabulary.target().size());
      for (int i = 0; i < tags.size() && i < names.size(); i++) {
        names.set(i, tags.get(i));
      }
    }
    return names;
  }

  /**
   * A raw text as a text classifier or tagger reads it (a {@code labeled-text} or {@code tagged-text}
   * run): split by the tokenizer its training recorded, encoded with its training vocabulary; feed
   * {@link TextInput#sequence()} to {@link #classification()} or {@link #tagging()}.
   *
   * @throws IllegalStateException when the run has no vocabulary (it was not trained on text)
   * @throws IllegalArgumentException when the text holds no token
   */
  public TextInput textInput(String text) {
    sequential("text input");
    if (vocabulary == null) {
      throw new IllegalStateException(source + " was not trained on text (no " + VocabularyFile.NAME + "): give tensors with --input");
    }
    List<String> tokens = vocabulary.sourceTokens(text);
    if (tokens.isEmpty()) {
      throw new IllegalArgumentException("the text holds no token to classify");
    }
    dev.rnnx.data.Vocabulary.Encoded e = vocabulary.source().encode(tokens);
    return new TextInput(tokens, Sequence.ofTokens(java.util.Arrays.stream(e.ids()).asLongStream().toArray()), e.unknown());
  }

  /**
   * A raw text through a text classifier ({@link Task#CLASSIFICATION}: every label with its
   * probability) or tagger ({@link Task#TAGGING}: a tag per token), tokenised as at training
   * ({@link #textInput}).
   */
  public TextPrediction predictText(String text) {
    TextInput in = textInput(text);
    if (task == Task.TAGGING) {
      return new TextPrediction(in.tokens(), in.unknown(), Map.of(), tagging().predict(in.sequence()).tags());
    }
    requireTask(Task.CLASSIFICATION);
    Map<String, Double> labels = new java.util.LinkedHashMap<>();
    List<Classifications.Classification> items = new ArrayList<>(classification().predict(in.sequence()).items());
    items.sort((a, b) -> Double.compare(b.getProbability(), a.getProbability()));
    for (Classifications.Classification c : items) {
      labels.put(c.getClassName(), c.getProbability());
    }
    return new TextPrediction(in.tokens(), in.unknown(), labels, List.of());
  }

  private FormRunner runner(String form) {
    FormRunner r = runners.get(form);
    if (r == null) {
      throw new IllegalArgumentException("no form '" + form + "' in " + source + "; it has " + runners.keySet());
    }
    return r;
  }

  /** Runs {@code call} unless the model is closed; {@link #close} waits for it. */
  <T> T whileOpen(Supplier<T> call) {
    lock.readLock().lock();
    try {
      if (closed) {
        throw new IllegalStateException("RnnxModel for " + source + " is closed");
      }
      return call.get();
    } finally {
      lock.readLock().unlock();
    }
  }

  // --- streaming: sessions that carry a recurrent model's state from one chunk to the next ---

  /**
   * Opens a streaming session: a sequence fed chunk by chunk, each recurrent layer's state carried
   * from one chunk to the next through the model's {@code stream} form ({@link
   * dev.rnnx.spec.StreamForm}). Sessions of many callers share engine calls through the dynamic
   * batcher (this model's {@link Builder#optBatching}, else {@link BatchingOptions#DEFAULTS}); the
   * stream form loads on the first call. Bounded by {@link Builder#optStreaming}.
   *
   * @throws IllegalArgumentException when the model cannot stream, with the reason (a bidirectional
   *     layer, attention, ... : a layer that needs the steps after a chunk), or is no run folder
   * @throws StreamLimitException at once when the session or state-memory limit is reached
   */
  public StreamSession openStream() {
    return whileOpen(() -> streams().open());
  }

  /**
   * Opens a session that goes on from a snapshot ({@link StreamSession#snapshot()}).
   *
   * @throws IllegalArgumentException when the snapshot is of another model or other weights
   * @throws StreamLimitException at once when a limit is reached
   */
  public StreamSession restoreStream(StreamSnapshot snapshot) {
    return whileOpen(() -> streams().restore(snapshot));
  }

  /** This model's streaming sessions (loads the stream form on the first call). */
  public StreamSessions streams() {
    return whileOpen(() -> {
      synchronized (runners) {
        if (streams == null) {
          StreamLoader loader = streamLoader != null ? streamLoader
              : new StreamLoader(OrtOptions.DEFAULTS, Builder.DEFAULT_POOL_SIZE, null, true, StreamOptions.DEFAULTS);
          streams = loader.load(source, recipe, engine);
        }
        return streams;
      }
    });
  }

  /** What the main form's dynamic batcher has done; {@link BatchingStats#NONE} without batching. */
  public BatchingStats batchingStats() {
    return runners.values().iterator().next().stats();
  }

  /** Waits for calls in flight, then stops the batchers and releases every predictor and engine model. Idempotent. */
  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      List<AutoCloseable> all = new ArrayList<>();
      synchronized (runners) {
        if (streams != null) {
          all.add(streams);
        }
      }
      all.addAll(runners.values());
      RuntimeException first = null;
      for (AutoCloseable r : all) {
        try {
          r.close();
        } catch (RuntimeException e) {
          first = first == null ? e : first;
        } catch (Exception e) {
          first = first == null ? new IllegalStateException(e) : first;
        }
      }
      if (first != null) {
        throw first;
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  @Override
  public String toString() {
    return "RnnxModel[" + engine + ", " + task + ", " + source + ", forms=" + runners.keySet() + "]";
  }

  /**
   * Generates the output text of every input text of a seq2seq run, {@code batchSize} texts per
   * batch: {@link Seq2SeqGenerator#generateAll} on {@link #generator()}.
   *
   * @return one generation per text, in input order
   * @throws IllegalArgumentException naming the first empty or too long text, or for a batch size below 1
   */
  public List<Generation> generateAll(List<String> texts, dev.rnnx.decode.SearchOptions options, int batchSize) {
    return generator().generateAll(texts, options, batchSize);
  }
}
