package dev.rnnx.tf;

import dev.rnnx.data.Dataset;
import dev.rnnx.spec.Activation;
import dev.rnnx.spec.Clipping;
import dev.rnnx.spec.Dense;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Loss;
import dev.rnnx.spec.Lstm;
import dev.rnnx.spec.ModelInput;
import dev.rnnx.spec.OptimizerKind;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.TrainingSpec;
import dev.rnnx.weights.Weights;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Split;
import org.tensorflow.op.core.Unstack;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * The training-speed study of issue 5: one training step (forward, backward, Adam) of an LSTM with
 * I=64, H=256, T=50, a dense head on the last output and a mean-squared-error loss, at batch 32,
 * built in several ways so that each lever's gain can be measured on its own.
 *
 * <ul>
 *   <li>{@code naive}: the graph a first TF Java port builds: per step and per gate two matrix
 *       products ({@code x_t·W_g}, {@code h·U_g}), broadcasting {@code Add}s for the sums and the
 *       bias, one variable per gate; in a session with TensorFlow's default thread counts (one
 *       intra-op thread per core), as such a port opens it.
 *   <li>{@code naive-1thread}: the same graph with rnnx's session settings (1 intra-op, 1 inter-op
 *       thread), the baseline of every lever below.
 *   <li>{@code fused-matmul}: one {@code [x_t; h]·W} product per step for all four gates, split
 *       after (fewer, larger ops).
 *   <li>{@code hoisted}: {@code fused-matmul}, with the input projection of every step taken out of
 *       the recurrence as one {@code [B·T, I]·[I, 4H]} product; per step only {@code h·U}.
 *   <li>{@code addn}: {@code hoisted}, with {@code AddN} and {@code BiasAdd} instead of
 *       broadcasting {@code Add} (their gradients need no shape bookkeeping).
 *   <li>{@code hoisted-gates}: the input projection hoisted, but per step one {@code h·U_g} product
 *       per gate, four independent ops another inter-op thread can run side by side;
 *       {@code hoisted-gates-2x2} and {@code naive-2x2} with 2 intra-op and 2 inter-op threads.
 *   <li>{@code rnnx}: rnnx's own training graph ({@link Trainer}), which is {@code addn} plus
 *       rnnx's losses and gated optimiser, with one recurrent product per gate at this width
 *       ({@code Cell.LstmCell}), in the session rnnx trains it with
 *       ({@link TfSessions.Config#forTraining}: 1 intra-op, 2 inter-op threads).
 *   <li>{@code rnnx-1thread}: the same graph with 1 intra-op and 1 inter-op thread.
 *   <li>{@code rnnx-2threads}, {@code rnnx-inter2}, {@code rnnx-2x2}, {@code rnnx-no-rewrites}: the
 *       same graph with 2 intra-op threads, 2 inter-op threads, both, or Grappler's optional
 *       rewrites off.
 *   <li>{@code block-lstm}: rnnx's graph with the recurrence replaced by TensorFlow's fused
 *       {@code BlockLSTM} kernel (all steps and gates in one op; its gradient {@code BlockLSTMGrad}
 *       registered as a custom gradient), see {@link BlockLstm}.
 * </ul>
 *
 * Every variant but {@code naive} and those named for their thread counts opens its session with
 * rnnx's default settings (1 intra-op and 1 inter-op thread); every one trains with rnnx's gated
 * Adam. oneDNN is switched with the environment
 * variable {@code TF_ENABLE_ONEDNN_OPTS} (0 or 1), read once when TensorFlow loads.
 *
 * <p>Benchmark code (src/jmh, run by {@code TrainingBenchmark}), never in the main jar. It sits in
 * package {@code dev.rnnx.tf} because it builds rnnx's own training graph ({@link TrainingGraph},
 * {@link SequentialTraining}) and session settings, which are package-private.
 */
public final class TrainingSpeed {

  /** Input features. */
  public static final int I = 64;
  /** Hidden units. */
  public static final int H = 256;
  /** Time steps. */
  public static final int T = 50;
  /** Batch size. */
  public static final int B = 32;

  /** The variants, in the order the study reports them. */
  public static final List<String> VARIANTS = List.of("naive", "naive-1thread", "naive-2x2", "fused-matmul", "hoisted",
      "addn", "hoisted-gates", "hoisted-gates-2x2", "rnnx", "rnnx-1thread", "rnnx-2threads", "rnnx-inter2", "rnnx-2x2", "rnnx-no-rewrites",
      "block-lstm", "block-lstm-2threads");

  private TrainingSpeed() {}

  /** The forward FLOPs of one step: {@code B·T·8H(I+H)} (the dense head's are negligible). */
  public static long forwardFlops() {
    return (long) B * T * 8L * H * (I + H);
  }

  /** The FLOPs of one training step, counted as 3× the forward FLOPs. */
  public static long stepFlops() {
    return 3 * forwardFlops();
  }

  /** One ready-to-run training step. */
  public interface Step extends AutoCloseable {

    /** A runner of one step, fed and with the loss fetched. */
    Session.Runner runner();

    /** Runs one step and returns the loss before the update. */
    default float run() {
      try (Result r = runner().run()) {
        return ((TFloat32) r.get(0)).getFloat();
      }
    }

    /** Operations in the graph. */
    int graphOps();

    @Override
    void close();
  }

  /**
   * Opens a variant.
   *
   * @param variant one of {@link #VARIANTS}
   */
  public static Step open(String variant) {
    return switch (variant.toLowerCase(Locale.ROOT)) {
      case "naive" -> new Handmade(Handmade.Kind.NAIVE, new TfSessions.Config(0, 0, true));
      case "naive-1thread" -> new Handmade(Handmade.Kind.NAIVE, new TfSessions.Config(1, 1, true));
      case "fused-matmul" -> new Handmade(Handmade.Kind.FUSED_MATMUL, new TfSessions.Config(1, 1, true));
      case "hoisted" -> new Handmade(Handmade.Kind.HOISTED, new TfSessions.Config(1, 1, true));
      case "addn" -> new Handmade(Handmade.Kind.ADDN, new TfSessions.Config(1, 1, true));
      case "hoisted-gates" -> new Handmade(Handmade.Kind.HOISTED_GATES, new TfSessions.Config(1, 1, true));
      case "hoisted-gates-2x2" -> new Handmade(Handmade.Kind.HOISTED_GATES, new TfSessions.Config(2, 2, true));
      case "naive-2x2" -> new Handmade(Handmade.Kind.NAIVE, new TfSessions.Config(2, 2, true));
      case "rnnx" -> new Rnnx(TfSessions.Config.forTraining(model().layers()), false);
      case "rnnx-1thread" -> new Rnnx(new TfSessions.Config(1, 1, true), false);
      case "rnnx-2threads" -> new Rnnx(new TfSessions.Config(2, 1, true), false);
      case "rnnx-inter2" -> new Rnnx(new TfSessions.Config(1, 2, true), false);
      case "rnnx-2x2" -> new Rnnx(new TfSessions.Config(2, 2, true), false);
      case "rnnx-no-rewrites" -> new Rnnx(new TfSessions.Config(1, 1, false), false);
      case "block-lstm" -> new Rnnx(new TfSessions.Config(1, 1, true), true);
      case "block-lstm-2threads" -> new Rnnx(new TfSessions.Config(2, 1, true), true);
      default -> throw new IllegalArgumentException("unknown variant '" + variant + "', expected one of " + VARIANTS);
    };
  }

  /** The model every variant trains: LSTM(256) over 50 steps of 64 features, then Dense(1). */
  static Sequential model() {
    return new Sequential("speed-lstm", ModelInput.ofFeatures(I),
        List.of(Lstm.of("lstm", H, false), new Dense("dense", 1, Activation.LINEAR, true)));
  }

  /** Seeded inputs {@code [B, T, I]} and targets {@code [B, 1]}. */
  static Dataset batch() {
    Random random = new Random(5);
    float[] x = new float[B * T * I];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) random.nextGaussian();
    }
    float[] y = new float[B];
    for (int i = 0; i < y.length; i++) {
      y[i] = (float) random.nextGaussian();
    }
    return new Dataset(FloatTensor.of(x, B, T, I), FloatTensor.of(y, B, 1), null);
  }

  /** rnnx's own training graph, optionally with the fused BlockLSTM recurrence. */
  static final class Rnnx implements Step {
    private final TrainingGraph g;
    private final TrainingTask.Batch batch;

    Rnnx(TfSessions.Config config, boolean block) {
      g = graph(config, block);
      int[] order = new int[B];
      Arrays.setAll(order, i -> i);
      batch = g.task.batch(B);
      batch.fillTraining(order, 0, 1, 1);
    }

    /** The training graph of {@link #model()} on {@link #batch()} (no validation examples), Adam, MSE. */
    static TrainingGraph graph(TfSessions.Config config, boolean block) {
      Dataset train = batch();
      Dataset validation = new Dataset(FloatTensor.zeros(0, T, I), FloatTensor.zeros(0, 1), null);
      TrainingSpec training = new TrainingSpec(Loss.MSE, OptimizerKind.ADAM, 1e-3, 1, B, Clipping.NONE, false);
      Sequential model = model();
      Weights initial = InitialWeights.generate(model, 5);
      return new TrainingGraph(new SequentialTraining(model, training, 5, T, new dev.rnnx.data.Split(train, validation), config,
          block ? BlockLstm.FUSED : null), training, initial);
    }

    @Override
    public Session.Runner runner() {
      return g.stepRunner(batch);
    }

    @Override
    public int graphOps() {
      return count(g.graph);
    }

    @Override
    public void close() {
      batch.close();
      g.close();
    }
  }

  static int count(Graph graph) {
    int n = 0;
    var ops = graph.operations();
    while (ops.hasNext()) {
      ops.next();
      n++;
    }
    return n;
  }

  /** The hand-built graphs of the first four levers. */
  static final class Handmade implements Step {

    enum Kind { NAIVE, FUSED_MATMUL, HOISTED, ADDN, HOISTED_GATES }

    private final Graph graph = new Graph();
    private final Session session;
    private final Operand<TFloat32> loss;
    private final Op minimize;
    private final Placeholder<TFloat32> x;
    private final Placeholder<TFloat32> y;
    private final TFloat32 xs;
    private final TFloat32 ys;

    Handmade(Kind kind, TfSessions.Config config) {
      Ops tf = Ops.create(graph);
      Random random = new Random(5);
      x = tf.withName("x").placeholder(TFloat32.class, Placeholder.shape(org.tensorflow.ndarray.Shape.of(-1, T, I)));
      y = tf.withName("y").placeholder(TFloat32.class, Placeholder.shape(org.tensorflow.ndarray.Shape.of(-1, 1)));
      List<Operand<TFloat32>> steps = new ArrayList<>(tf.unstack(x, (long) T, Unstack.axis(1L)).output());
      Operand<TFloat32> h = tf.zeros(tf.constant(new int[] {B, H}), TFloat32.class);
      Operand<TFloat32> c = h;
      switch (kind) {
        case NAIVE -> {
          List<Variable<TFloat32>> w = new ArrayList<>();
          List<Variable<TFloat32>> u = new ArrayList<>();
          List<Variable<TFloat32>> b = new ArrayList<>();
          for (String gate : Lstm.GATES) {
            w.add(variable(tf, "w_" + gate, random, I, H));
            u.add(variable(tf, "u_" + gate, random, H, H));
            b.add(variable(tf, "b_" + gate, random, H));
          }
          for (int t = 0; t < T; t++) {
            List<Operand<TFloat32>> z = new ArrayList<>();
            for (int k = 0; k < 4; k++) {
              z.add(tf.math.add(tf.math.add(tf.linalg.matMul(steps.get(t), w.get(k)), tf.linalg.matMul(h, u.get(k))), b.get(k)));
            }
            Operand<TFloat32>[] next = cell(tf, z, c, false);
            h = next[0];
            c = next[1];
          }
        }
        case FUSED_MATMUL -> {
          Variable<TFloat32> w = variable(tf, "w", random, I + H, 4 * H);
          Variable<TFloat32> b = variable(tf, "b", random, 4 * H);
          for (int t = 0; t < T; t++) {
            Operand<TFloat32> xh = tf.concat(List.of(steps.get(t), h), tf.constant(1));
            Operand<TFloat32> z = tf.math.add(tf.linalg.matMul(xh, w), b);
            Operand<TFloat32>[] next = cell(tf, split(tf, z), c, false);
            h = next[0];
            c = next[1];
          }
        }
        case HOISTED, ADDN -> {
          boolean addn = kind == Kind.ADDN;
          Variable<TFloat32> w = variable(tf, "w", random, I, 4 * H);
          Variable<TFloat32> u = variable(tf, "u", random, H, 4 * H);
          Variable<TFloat32> b = variable(tf, "b", random, 4 * H);
          Operand<TFloat32> flat = tf.reshape(x, tf.constant(new int[] {-1, I}));
          Operand<TFloat32> projected = addn ? tf.nn.biasAdd(tf.linalg.matMul(flat, w), b) : tf.math.add(tf.linalg.matMul(flat, w), b);
          List<Operand<TFloat32>> xw = new ArrayList<>(tf.unstack(tf.reshape(projected, tf.constant(new int[] {-1, T, 4 * H})),
              (long) T, Unstack.axis(1L)).output());
          for (int t = 0; t < T; t++) {
            Operand<TFloat32> hu = tf.linalg.matMul(h, u);
            Operand<TFloat32> z = addn ? tf.math.addN(List.of(xw.get(t), hu)) : tf.math.add(xw.get(t), hu);
            Operand<TFloat32>[] next = cell(tf, split(tf, z), c, addn);
            h = next[0];
            c = next[1];
          }
        }
        case HOISTED_GATES -> {
          List<List<Operand<TFloat32>>> xw = new ArrayList<>();
          List<Variable<TFloat32>> u = new ArrayList<>();
          Operand<TFloat32> flat = tf.reshape(x, tf.constant(new int[] {-1, I}));
          for (String gate : Lstm.GATES) {
            Variable<TFloat32> w = variable(tf, "w_" + gate, random, I, H);
            Variable<TFloat32> b = variable(tf, "b_" + gate, random, H);
            u.add(variable(tf, "u_" + gate, random, H, H));
            Operand<TFloat32> projected = tf.reshape(tf.nn.biasAdd(tf.linalg.matMul(flat, w), b), tf.constant(new int[] {-1, T, H}));
            xw.add(new ArrayList<>(tf.unstack(projected, (long) T, Unstack.axis(1L)).output()));
          }
          for (int t = 0; t < T; t++) {
            List<Operand<TFloat32>> z = new ArrayList<>();
            for (int k = 0; k < 4; k++) {
              z.add(tf.math.addN(List.of(xw.get(k).get(t), tf.linalg.matMul(h, u.get(k)))));
            }
            Operand<TFloat32>[] next = cell(tf, z, c, true);
            h = next[0];
            c = next[1];
          }
        }
        default -> throw new IllegalStateException();
      }
      Variable<TFloat32> wd = variable(tf, "dense_w", random, H, 1);
      Variable<TFloat32> bd = variable(tf, "dense_b", random, 1);
      Operand<TFloat32> prediction = tf.math.add(tf.linalg.matMul(h, wd), bd);
      loss = tf.math.mean(tf.math.square(tf.math.sub(prediction, y)), tf.constant(new int[] {0, 1}));
      minimize = TfOptimizers.minimize(graph, tf, OptimizerKind.ADAM, 1e-3, Clipping.NONE, loss, "train");
      Session opened = null;
      try {
        opened = TfSessions.open(graph, config);
        opened.initialize();
      } catch (RuntimeException e) {
        if (opened != null) {
          opened.close();
        }
        graph.close();
        throw e;
      }
      session = opened;
      Dataset data = batch();
      xs = TfTensors.toNative((FloatTensor) data.x());
      ys = TfTensors.toNative(data.y());
    }

    private static List<Operand<TFloat32>> split(Ops tf, Operand<TFloat32> z) {
      Split<TFloat32> s = tf.split(tf.constant(1), z, 4L);
      return new ArrayList<>(s.output());
    }

    /** Gates i, f, c, o → {h, c}. */
    @SuppressWarnings("unchecked")
    private static Operand<TFloat32>[] cell(Ops tf, List<Operand<TFloat32>> z, Operand<TFloat32> c, boolean addn) {
      Operand<TFloat32> i = tf.math.sigmoid(z.get(0));
      Operand<TFloat32> f = tf.math.sigmoid(z.get(1));
      Operand<TFloat32> candidate = tf.math.tanh(z.get(2));
      Operand<TFloat32> o = tf.math.sigmoid(z.get(3));
      Operand<TFloat32> a = tf.math.mul(f, c);
      Operand<TFloat32> d = tf.math.mul(i, candidate);
      Operand<TFloat32> cNext = addn ? tf.math.addN(List.of(a, d)) : tf.math.add(a, d);
      return new Operand[] {tf.math.mul(o, tf.math.tanh(cNext)), cNext};
    }

    private static Variable<TFloat32> variable(Ops tf, String name, Random random, int... shape) {
      int n = Arrays.stream(shape).reduce(1, (p, q) -> p * q);
      float[] v = new float[n];
      double scale = shape.length == 1 ? 0 : Math.sqrt(6.0 / (shape[0] + shape[shape.length - 1]));
      for (int k = 0; k < n; k++) {
        v[k] = (float) ((2 * random.nextDouble() - 1) * scale);
      }
      long[] dims = Arrays.stream(shape).asLongStream().toArray();
      return tf.withName(name).variable(TfTensors.constant(tf, FloatTensor.of(v, dims)));
    }

    @Override
    public Session.Runner runner() {
      return session.runner().feed(x, xs).feed(y, ys).fetch(loss).addTarget(minimize);
    }

    @Override
    public int graphOps() {
      return count(graph);
    }

    @Override
    public void close() {
      xs.close();
      ys.close();
      try {
        session.close();
      } finally {
        graph.close();
      }
    }
  }

  /**
   * Where one step's time goes: the kernel time of each op type over {@code runs} traced steps
   * (TensorFlow's step stats, {@code FULL_TRACE}), in microseconds per step, largest first, and the
   * number of kernels executed per step under {@code "(kernels)"}.
   */
  public static java.util.LinkedHashMap<String, Double> profile(Step step, int runs) {
    java.util.Map<String, Double> micros = new java.util.HashMap<>();
    org.tensorflow.proto.RunOptions trace = org.tensorflow.proto.RunOptions.newBuilder()
        .setTraceLevel(org.tensorflow.proto.RunOptions.TraceLevel.FULL_TRACE).build();
    long kernels = 0;
    for (int r = 0; r < runs; r++) {
      try (Result result = step.runner().setOptions(trace).runAndFetchMetadata()) {
        for (var device : result.getMetadata().orElseThrow().getStepStats().getDevStatsList()) {
          for (var node : device.getNodeStatsList()) {
            String label = node.getTimelineLabel();
            int eq = label.indexOf(" = ");
            int paren = label.indexOf('(', Math.max(eq, 0));
            String type = eq >= 0 && paren > eq ? label.substring(eq + 3, paren) : node.getNodeName();
            micros.merge(type, (node.getOpEndRelNanos() - node.getOpStartRelNanos()) / 1e3 / runs, Double::sum);
            kernels++;
          }
        }
      }
    }
    java.util.LinkedHashMap<String, Double> sorted = new java.util.LinkedHashMap<>();
    micros.entrySet().stream().sorted((a, b) -> Double.compare(b.getValue(), a.getValue()))
        .forEach(e -> sorted.put(e.getKey(), e.getValue()));
    sorted.put("(kernels)", (double) kernels / runs);
    return sorted;
  }

  /**
   * Times the variants named in {@code args} (all without arguments), interleaved: every variant
   * is opened and warmed up, then each round runs one step of every variant in turn, so a load that
   * changes during the study (a shared machine) weighs on all of them alike. Prints milliseconds
   * per step (median and mean over {@code -Dsteps=N} rounds, default 40), GFLOP/s at 3× the forward
   * FLOPs, the speed-up over the first variant named and the graph's op count. With
   * {@code -Dprofile=true} it also prints each variant's kernel time by op type.
   */
  public static void main(String[] args) {
    List<String> variants = args.length == 0 ? VARIANTS : List.of(args);
    int steps = Integer.getInteger("steps", 40);
    System.out.printf(Locale.ROOT, "TF_ENABLE_ONEDNN_OPTS=%s, %d interleaved rounds, %.3f GFLOP per step (3x forward)%n",
        System.getenv().getOrDefault("TF_ENABLE_ONEDNN_OPTS", "(unset)"), steps, stepFlops() / 1e9);
    List<Step> opened = new ArrayList<>();
    try {
      float[] first = new float[variants.size()];
      for (String v : variants) {
        Step step = open(v);
        opened.add(step);
        first[opened.size() - 1] = step.run();
        for (int i = 0; i < 5; i++) {
          step.run();
        }
      }
      double[][] ms = new double[variants.size()][steps];
      for (int i = 0; i < steps; i++) {
        for (int k = 0; k < opened.size(); k++) {
          long t0 = System.nanoTime();
          opened.get(k).run();
          ms[k][i] = (System.nanoTime() - t0) / 1e6;
        }
      }
      System.out.printf(Locale.ROOT, "%-20s %8s %10s %10s %9s %9s %10s%n", "variant", "ops", "median ms", "mean ms", "GFLOP/s",
          "speed-up", "first loss");
      double baseline = Double.NaN;
      for (int k = 0; k < opened.size(); k++) {
        double mean = Arrays.stream(ms[k]).average().orElse(Double.NaN);
        Arrays.sort(ms[k]);
        double median = ms[k][steps / 2];
        if (k == 0) {
          baseline = median;
        }
        System.out.printf(Locale.ROOT, "%-20s %8d %10.2f %10.2f %9.1f %8.2fx %10.6f%n", variants.get(k), opened.get(k).graphOps(),
            median, mean, stepFlops() / median / 1e6, baseline / median, first[k]);
        if (Boolean.getBoolean("profile")) {
          var p = profile(opened.get(k), 5);
          double total = p.entrySet().stream().filter(e -> !e.getKey().startsWith("(")).mapToDouble(e -> e.getValue()).sum();
          System.out.printf(Locale.ROOT, "  kernel time %.2f ms per step in %.0f kernels; by op type (ms):", total / 1e3,
              p.get("(kernels)"));
          p.entrySet().stream().filter(e -> !e.getKey().startsWith("(")).limit(12)
              .forEach(e -> System.out.printf(Locale.ROOT, " %s %.2f", e.getKey(), e.getValue() / 1e3));
          System.out.println();
        }
      }
    } finally {
      opened.forEach(Step::close);
    }
  }
}
