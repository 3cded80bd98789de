package dev.rnnx.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.rnnx.djl.DjlModel;
import dev.rnnx.onnx.OnnxExporter;
import dev.rnnx.ref.BeamSearch;
import dev.rnnx.ref.ReferenceForm;
import dev.rnnx.ref.ReferenceForms;
import dev.rnnx.ref.RefSeq2Seq;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.ModelSpec;
import dev.rnnx.spec.Seq2Seq;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.Tensor;
import dev.rnnx.tf.TfForm;
import dev.rnnx.tf.TfForms;
import dev.rnnx.weights.Provenance;
import dev.rnnx.weights.Weights;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One way of running a {@link BenchModel} at one batch size, ready to be timed: everything but the
 * call itself (export, loading, session creation, input generation) happens when it is opened.
 * Each call starts from Java arrays and ends with Java arrays, as a JVM application's would: the
 * copies into and out of native memory are part of what is timed.
 *
 * <ul>
 *   <li>{@code ort}: ONNX Runtime's Java API directly, 2 intra-op threads, 1 inter-op thread, all
 *       graph optimisations; the seq2seq model runs its {@code greedy_decoder} form (ONNX Loop).
 *   <li>{@code djl-ort}: {@link DjlModel} on DJL's OnnxRuntime engine with the same thread counts;
 *       the seq2seq model runs the {@code encoder} once and the {@code decoder_step} form under
 *       {@link BeamSearch} with width 1 (greedy), one source at a time, as rnnx serves it.
 *   <li>{@code djl-tf}: {@link DjlModel} on DJL's TensorFlow engine (SavedModel), 2 intra-op and 1
 *       inter-op threads; seq2seq as {@code djl-ort}.
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

  /**
   * Opens a path.
   *
   * @param path one of {@link #PATHS}
   */
  public static BenchPath open(String path, BenchModel model, int batch) {
    if (batch < 1) {
      throw new IllegalArgumentException("batch must be at least 1, got " + batch);
    }
    return switch (path.toLowerCase(Locale.ROOT)) {
      case "ort" -> new Ort(model, batch);
      case "djl-ort" -> new Djl(model, batch, DjlModel.ONNX_RUNTIME);
      case "djl-tf" -> new Djl(model, batch, DjlModel.TENSORFLOW);
      case "tf-java" -> new TfJava(model, batch);
      case "ref" -> new Ref(model, batch);
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
      return OnnxExporter.writeForms(OnnxExporter.exportForms(spec, model.weights(), OPSET, provenance(spec)), folder());
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
      try (Stream<Path> walk = Files.walk(folder)) {
        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
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

  static String mainOutput(BenchModel model) {
    return model == BenchModel.SEQ2SEQ ? "tokens" : ((Sequential) model.spec()).outputs().get(0).name();
  }

  /** Raw ONNX Runtime Java API. */
  static final class Ort extends BenchPath {
    private final OrtEnvironment env;
    private final OrtSession session;
    private final String output;

    Ort(BenchModel model, int batch) {
      super(model, batch);
      Path file = exportOnnx().get(model.form());
      env = OrtEnvironment.getEnvironment();
      try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
        options.setIntraOpNumThreads(THREADS);
        options.setInterOpNumThreads(1);
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        String profile = System.getProperty("rnnx.bench.ort_profile");
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
        session.close();
      } catch (OrtException e) {
        throw new IllegalStateException(e);
      } finally {
        super.close();
      }
    }
  }

  /** {@link DjlModel} on one of DJL's engines. */
  static final class Djl extends BenchPath {
    private final DjlModel main;
    private final DjlModel decoderStep;
    private final String output;

    Djl(BenchModel model, int batch, String engine) {
      super(model, batch);
      ModelSpec spec = model.spec();
      Map<String, Path> artifacts;
      if (engine.equals(DjlModel.ONNX_RUNTIME)) {
        artifacts = exportOnnx();
      } else {
        tensorFlowThreads();
        artifacts = exportSavedModels();
      }
      String first = model == BenchModel.SEQ2SEQ ? ModelForm.ENCODER : ModelForm.MODEL;
      Sequential sequential = spec instanceof Sequential s ? s : null;
      main = load(engine, artifacts.get(first), sequential);
      try {
        decoderStep = model == BenchModel.SEQ2SEQ ? load(engine, artifacts.get(ModelForm.DECODER_STEP), null) : null;
      } catch (RuntimeException e) {
        main.close();
        throw e;
      }
      output = mainOutput(model);
    }

    private static DjlModel load(String engine, Path artifact, Sequential spec) {
      if (engine.equals(DjlModel.ONNX_RUNTIME)) {
        return DjlModel.loadOnnx(artifact, spec, Map.of("intraOpNumThreads", String.valueOf(THREADS), "interOpNumThreads", "1"));
      }
      return DjlModel.loadSavedModel(artifact, spec);
    }

    private Map<String, Path> exportSavedModels() {
      ModelSpec spec = model.spec();
      Path dir = folder().resolve("saved_model");
      try (TfForms forms = TfForms.build(spec, model.weights())) {
        forms.exportSavedModels(dir, provenance(spec));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Map<String, Path> out = new LinkedHashMap<>();
      if (spec instanceof Sequential) {
        out.put(ModelForm.MODEL, dir);
      } else {
        spec.forms().forEach(f -> out.put(f.name(), dir.resolve(f.name())));
      }
      return out;
    }

    @Override
    public Object run() {
      if (decoderStep == null) {
        return floats(main.run(inputs), output);
      }
      Map<String, FloatTensor> encoded = main.run(inputs);
      long[] tokens = new long[batch * BenchModel.DECODE];
      for (int b = 0; b < batch; b++) {
        BeamSearch.Result r = BeamSearch.search(new StepDecoder(encoded, b), 1, 0, BenchModel.DECODE);
        long[] row = r.best().padded(BenchModel.DECODE);
        System.arraycopy(row, 0, tokens, b * BenchModel.DECODE, BenchModel.DECODE);
      }
      return tokens;
    }

    /** One source's greedy decoder over the {@code decoder_step} form, batch 1. */
    private final class StepDecoder implements BeamSearch.Decoder<FloatTensor[]> {
      private final FloatTensor[] start;

      StepDecoder(Map<String, FloatTensor> encoded, int b) {
        start = new FloatTensor[] {row(encoded.get("state_h"), b), row(encoded.get("state_c"), b)};
      }

      private FloatTensor row(FloatTensor t, int b) {
        int h = (int) t.shape()[1];
        return FloatTensor.of(Arrays.copyOfRange(t.data(), b * h, (b + 1) * h), 1, h);
      }

      @Override
      public FloatTensor[] start() {
        return start;
      }

      @Override
      public BeamSearch.Step<FloatTensor[]> step(FloatTensor[] state, int token) {
        Map<String, Tensor> in = new LinkedHashMap<>();
        in.put("token", LongTensor.of(new long[] {token}, 1));
        in.put("state_h", state[0]);
        in.put("state_c", state[1]);
        Map<String, FloatTensor> out = decoderStep.run(in);
        float[] lp = floats(out, "log_probs");
        double[] logProbs = new double[lp.length];
        for (int i = 0; i < lp.length; i++) {
          logProbs[i] = lp[i];
        }
        return new BeamSearch.Step<>(logProbs, new FloatTensor[] {state(out, "state_h"), state(out, "state_c")});
      }

      private FloatTensor state(Map<String, FloatTensor> out, String name) {
        FloatTensor t = out.get(OnnxExporter.RENAMED_OUTPUT_PREFIX + name);
        return t != null ? t : out.get(name);
      }
    }

    @Override
    public void close() {
      try {
        main.close();
        if (decoderStep != null) {
          decoderStep.close();
        }
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
      if (model != BenchModel.SEQ2SEQ) {
        return out;
      }
      long[] tokens = new long[out.length];
      for (int i = 0; i < out.length; i++) {
        tokens[i] = (long) out[i];
      }
      return tokens;
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
}
