package dev.rnnx.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.rnnx.djl.DjlModel;
import dev.rnnx.djl.OrtOptions;
import dev.rnnx.djl.RnnxModel;
import dev.rnnx.djl.ServingPredictor;
import dev.rnnx.onnx.OnnxExporter;
import dev.rnnx.ref.ReferenceForm;
import dev.rnnx.ref.ReferenceForms;
import dev.rnnx.ref.RefSeq2Seq;
import dev.rnnx.ref.onnx.OnnxEvaluator;
import dev.rnnx.ref.onnx.Value;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.ModelSpec;
import dev.rnnx.spec.Seq2Seq;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.Tensor;
import dev.rnnx.tf.TfForm;
import dev.rnnx.tf.TfForms;
import dev.rnnx.weights.AtomicFiles;
import dev.rnnx.weights.Provenance;
import dev.rnnx.weights.Weights;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One way of running a {@link BenchModel} at one batch size, ready to be timed: everything but the
 * call itself (export, loading, session creation, input generation) happens when it is opened.
 * Each call starts from Java arrays and ends with Java arrays, as a JVM application's would: the
 * copies into and out of native memory are part of what is timed.
 *
 * <ul>
 *   <li>{@code ort}: ONNX Runtime's Java API directly, 2 intra-op threads, 1 inter-op thread, all
 *       graph optimisations; the seq2seq model runs its {@code greedy_decoder} form (ONNX Loop).
 *   <li>{@code djl-ort}: rnnx's serving API ({@link RnnxModel}) on DJL's OnnxRuntime engine with the same thread counts
 *       and form (DJL's engine default, spinning intra-op threads).
 *   <li>{@code djl-tf}: {@link DjlModel} on DJL's TensorFlow engine (SavedModel of the same form,
 *       whileLoop for seq2seq), 2 intra-op and 1 inter-op threads.
 *   <li>{@code tf-java}: the live TensorFlow Java session of {@link TfForms}, 2 intra-op and 1
 *       inter-op threads; the seq2seq model runs its {@code greedy_decoder} form (whileLoop).
 *   <li>{@code ref}: the pure-Java double-precision reference; seq2seq through
 *       {@link RefSeq2Seq#greedy}.
 * </ul>
 *
 * ONNX Runtime's process-wide environment cannot be shared by the raw API and DJL's engine
 * (DESIGN.md), so a JVM opens either {@code ort} or {@code djl-ort}, not both: JMH runs every
 * parameter combination in its own fork.
 */
public abstract class BenchPath implements AutoCloseable {

  /** The paths, in table order. */
  public static final List<String> PATHS = List.of("ort", "djl-ort", "djl-tf", "tf-java", "ref");

  /** Intra-op threads of every native path. */
  public static final int THREADS = 2;

  /** The ONNX opset the benchmarks export at (Sequential models: the exporter's default). */
  static final int OPSET = 17;

  final BenchModel model;
  final int batch;
  final Map<String, Tensor> inputs;
  private Path folder;

  BenchPath(BenchModel model, int batch) {
    this.model = model;
    this.batch = batch;
    this.inputs = model.inputs(batch);
  }

  /** Opens a path with ONNX Runtime's default spinning thread pool. */
  public static BenchPath open(String path, BenchModel model, int batch) {
    return open(path, model, batch, true);
  }

  /**
   * Opens a path.
   *
   * @param path one of {@link #PATHS}
   * @param ortSpinning whether the {@code ort} path's intra-op threads spin while waiting for work
   *     (ONNX Runtime's default; {@code session.intra_op.allow_spinning}). DJL 0.36 offers no way to
   *     change it, so the other paths ignore it.
   */
  public static BenchPath open(String path, BenchModel model, int batch, boolean ortSpinning) {
    if (batch < 1) {
      throw new IllegalArgumentException("batch must be at least 1, got " + batch);
    }
    return switch (path.toLowerCase(Locale.ROOT)) {
      case "ort" -> new Ort(model, batch, ortSpinning);
      case "djl-ort" -> new Djl(model, batch, DjlModel.ONNX_RUNTIME, ortSpinning);
      case "djl-tf" -> new Djl(model, batch, DjlModel.TENSORFLOW, false);
      case "tf-java" -> new TfJava(model, batch);
      case "ref" -> new Ref(model, batch);
      case "ref-onnx" -> new RefOnnx(model, batch);
      default -> throw new IllegalArgumentException("unknown path '" + path + "', expected one of " + PATHS);
    };
  }

  /** Runs one call and returns its main output (for the benchmark to consume). */
  public abstract Object run();

  /** The main output of one call as floats, for checking that the paths agree. */
  public float[] output() {
    Object o = run();
    if (o instanceof float[] f) {
      return f;
    }
    long[] l = (long[]) o;
    float[] f = new float[l.length];
    for (int i = 0; i < l.length; i++) {
      f[i] = l[i];
    }
    return f;
  }

  /** A temporary folder for this path's artifacts, deleted on {@link #close()}. */
  Path folder() {
    if (folder == null) {
      try {
        folder = Files.createTempDirectory("rnnx-bench-" + model.id() + "-");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return folder;
  }

  /** Exports every ONNX form of the model into {@link #folder()}: {@code <form>.onnx}. */
  Map<String, Path> exportOnnx() {
    ModelSpec spec = model.spec();
    try {
      return OnnxExporter.write(OnnxExporter.export(spec, model.weights(), OPSET, provenance(spec)), folder());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Provenance provenance(ModelSpec spec) {
    return new Provenance(spec.name(), "", BenchModel.SEED, Map.of(), Map.of());
  }

  /** Sets the thread counts of DJL's TensorFlow engine and of rnnx's TF sessions, before either starts. */
  static void tensorFlowThreads() {
    System.setProperty("ai.djl.tensorflow.num_intraop_threads", String.valueOf(THREADS));
    System.setProperty("ai.djl.tensorflow.num_interop_threads", "1");
    System.setProperty("rnnx.tf.intra_op_threads", String.valueOf(THREADS));
    System.setProperty("rnnx.tf.inter_op_threads", "1");
  }

  @Override
  public void close() {
    if (folder != null) {
      try {
        AtomicFiles.deleteTree(folder);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  static float[] floats(Map<String, FloatTensor> out, String name) {
    FloatTensor t = out.get(name);
    if (t == null) {
      throw new IllegalStateException("no output '" + name + "' among " + out.keySet());
    }
    return t.data();
  }

  /** Token ids that a backend returned as floats. */
  static long[] tokens(float[] ids) {
    long[] out = new long[ids.length];
    for (int i = 0; i < ids.length; i++) {
      out[i] = (long) ids[i];
    }
    return out;
  }

  static String mainOutput(BenchModel model) {
    return model == BenchModel.SEQ2SEQ ? "tokens" : ((Sequential) model.spec()).outputs().get(0).name();
  }

  /**
   * System property: a file-name prefix for ONNX Runtime's per-node profile of the {@code ort}
   * path (a diagnostic, docs/PERFORMANCE.md); the file is written when the path closes.
   */
  public static final String PROFILE_PROPERTY = "rnnx.bench.ort_profile";

  /** Raw ONNX Runtime Java API. */
  static final class Ort extends BenchPath {
    private final OrtEnvironment env;
    private final OrtSession session;
    private final String output;

    Ort(BenchModel model, int batch, boolean spinning) {
      super(model, batch);
      Path file = exportOnnx().get(model.form());
      env = OrtEnvironment.getEnvironment();
      try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
        options.setIntraOpNumThreads(THREADS);
        options.addConfigEntry("session.intra_op.allow_spinning", spinning ? "1" : "0");
        options.setInterOpNumThreads(1);
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        String profile = System.getProperty(PROFILE_PROPERTY);
        if (profile != null) {
          options.enableProfiling(profile);
        }
        session = env.createSession(file.toString(), options);
      } catch (OrtException e) {
        throw new IllegalStateException("ONNX Runtime could not load " + file + ": " + e.getMessage(), e);
      }
      output = mainOutput(model);
    }

    @Override
    public Object run() {
      Map<String, OnnxTensor> feeds = new HashMap<>();
      try {
        for (Map.Entry<String, Tensor> e : inputs.entrySet()) {
          feeds.put(e.getKey(), tensor(e.getKey(), e.getValue()));
        }
        try (OrtSession.Result result = session.run(feeds)) {
          OnnxValue v = result.get(output).orElseThrow();
          OnnxTensor t = (OnnxTensor) v;
          if (model == BenchModel.SEQ2SEQ) {
            LongBuffer b = t.getLongBuffer();
            long[] out = new long[b.remaining()];
            b.get(out);
            return out;
          }
          FloatBuffer b = t.getFloatBuffer();
          float[] out = new float[b.remaining()];
          b.get(out);
          return out;
        }
      } catch (OrtException e) {
        throw new IllegalStateException(e);
      } finally {
        feeds.values().forEach(OnnxTensor::close);
      }
    }

    private OnnxTensor tensor(String name, Tensor t) throws OrtException {
      if (t instanceof FloatTensor f) {
        return OnnxTensor.createTensor(env, FloatBuffer.wrap(f.data()), f.shape());
      }
      LongTensor l = (LongTensor) t;
      if (name.equals("source_lengths")) {
        return OnnxTensor.createTensor(env, IntBuffer.wrap(l.toIntArray()), l.shape());
      }
      return OnnxTensor.createTensor(env, LongBuffer.wrap(l.data()), l.shape());
    }

    @Override
    public void close() {
      try {
        if (System.getProperty(PROFILE_PROPERTY) != null) {
          System.err.println("ONNX Runtime profile: " + session.endProfiling());
        }
        session.close();
      } catch (OrtException e) {
        throw new IllegalStateException(e);
      } finally {
        super.close();
      }
    }
  }

  /**
   * rnnx's serving API ({@link RnnxModel}, one pooled predictor, warmed up, no batching) on one of
   * DJL's engines, running the same form as the other paths: what a service built on rnnx runs.
   */
  static final class Djl extends BenchPath {
    private final RnnxModel served;
    private final ServingPredictor<Map<String, ? extends Tensor>, Map<String, FloatTensor>> predictor;
    private final String output;

    Djl(BenchModel model, int batch, String engine, boolean spinning) {
      super(model, batch);
      if (engine.equals(DjlModel.ONNX_RUNTIME)) {
        served = RnnxModel.builder(exportOnnx().get(model.form()))
            .optOrtOptions(new OrtOptions(THREADS, 1, spinning, "ALL_OPT"))
            .optPoolSize(1)
            .build();
      } else {
        tensorFlowThreads();
        served = RnnxModel.builder(exportSavedModel()).optEngine(engine).optPoolSize(1).build();
      }
      predictor = served.tensors();
      output = mainOutput(model);
    }

    /** The SavedModel of the benchmark form: the model's own, or the seq2seq form's sub-folder. */
    private Path exportSavedModel() {
      ModelSpec spec = model.spec();
      Path dir = folder().resolve("saved_model");
      try (TfForms forms = TfForms.build(spec, model.weights())) {
        forms.exportSavedModels(dir, provenance(spec));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return spec instanceof Sequential ? dir : dir.resolve(model.form());
    }

    @Override
    public Object run() {
      float[] out = floats(predictor.predict(inputs), output);
      return model == BenchModel.SEQ2SEQ ? tokens(out) : out;
    }

    @Override
    public void close() {
      try {
        served.close();
      } finally {
        super.close();
      }
    }
  }

  /** The live TensorFlow Java session. */
  static final class TfJava extends BenchPath {
    private final TfForms forms;
    private final TfForm form;
    private final String output;

    TfJava(BenchModel model, int batch) {
      super(model, batch);
      tensorFlowThreads();
      forms = TfForms.build(model.spec(), model.weights());
      form = forms.form(model.form());
      output = mainOutput(model);
    }

    @Override
    public Object run() {
      float[] out = floats(form.run(inputs), output);
      return model == BenchModel.SEQ2SEQ ? tokens(out) : out;
    }

    @Override
    public void close() {
      try {
        forms.close();
      } finally {
        super.close();
      }
    }
  }

  /** The pure-Java double-precision reference. */
  static final class Ref extends BenchPath {
    private final ReferenceForm form;
    private final RefSeq2Seq seq2seq;

    Ref(BenchModel model, int batch) {
      super(model, batch);
      Weights weights = model.weights();
      if (model == BenchModel.SEQ2SEQ) {
        seq2seq = new RefSeq2Seq((Seq2Seq) model.spec(), weights);
        form = null;
      } else {
        seq2seq = null;
        form = ReferenceForms.form(model.spec(), weights, ModelForm.MODEL);
      }
    }

    @Override
    public Object run() {
      if (seq2seq != null) {
        double[] t = seq2seq.greedy((LongTensor) inputs.get("source"), (LongTensor) inputs.get("source_lengths")).data();
        long[] tokens = new long[t.length];
        for (int i = 0; i < t.length; i++) {
          tokens[i] = (long) t[i];
        }
        return tokens;
      }
      double[] d = form.forward(inputs).values().iterator().next().data();
      float[] out = new float[d.length];
      for (int i = 0; i < d.length; i++) {
        out[i] = (float) d[i];
      }
      return out;
    }
  }

  /**
   * rnnx's pure-Java ONNX evaluator (the oracle of {@code verify --onnx}) on the model's exported
   * ONNX form: not one of {@link #PATHS}, opened by name ({@code ref-onnx}) from ReferenceBenchmark.
   */
  static final class RefOnnx extends BenchPath {
    private final OnnxEvaluator evaluator;
    private final Map<String, Value> feeds = new HashMap<>();
    private final String output;

    RefOnnx(BenchModel model, int batch) {
      super(model, batch);
      evaluator = OnnxEvaluator.load(exportOnnx().get(model.form()));
      for (Map.Entry<String, Tensor> e : inputs.entrySet()) {
        Tensor t = e.getValue();
        if (t instanceof FloatTensor f) {
          feeds.put(e.getKey(), Value.ofFloats(f.shape(), f.data()));
        } else if (e.getKey().equals("source_lengths")) {
          feeds.put(e.getKey(), Value.ofInt32(t.shape(), ((LongTensor) t).toIntArray()));
        } else {
          feeds.put(e.getKey(), Value.ofInt64(t.shape(), ((LongTensor) t).data()));
        }
      }
      output = mainOutput(model);
    }

    @Override
    public Object run() {
      Value v = evaluator.run(feeds).get(output);
      int n = v.size();
      if (model == BenchModel.SEQ2SEQ) {
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
          out[i] = v.getLong(i);
        }
        return out;
      }
      float[] out = new float[n];
      for (int i = 0; i < n; i++) {
        out[i] = (float) v.getDouble(i);
      }
      return out;
    }
  }
}
