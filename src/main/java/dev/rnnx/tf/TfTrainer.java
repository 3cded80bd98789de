package dev.rnnx.tf;

import dev.rnnx.data.Dataset;
import dev.rnnx.data.Split;
import dev.rnnx.spec.Activation;
import dev.rnnx.spec.Dense;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Layer;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.ParameterSpec;
import dev.rnnx.spec.Recipe;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.Shape;
import dev.rnnx.spec.TimeDistributed;
import dev.rnnx.spec.TrainingSpec;
import dev.rnnx.weights.Weights;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * Trains a recipe's model with TensorFlow Java. The graph is unrolled over the recipe's training
 * length, with the parameters as variables in the canonical layout, initialised from
 * {@link InitialWeights} with a seed derived from the recipe's. Every epoch shuffles the examples
 * with a generator seeded from the recipe seed and the epoch number alone, so a run resumed from a
 * checkpoint sees exactly the batches an uninterrupted one would; the last, smaller batch of an
 * epoch is kept. Variable updates wait for every gradient and sessions use a fixed thread count, so
 * a seed gives the same weights on every run on one machine.
 *
 * <p>Models whose layers take initial states as inputs are trained from zero states. With a
 * {@code lengths} input, datasets without lengths are fed their full length.
 */
public final class TfTrainer {

  /** Examples per session run when evaluating a set. */
  static final int EVAL_CHUNK = 1024;

  private TfTrainer() {}

  /** The weights training starts from: the recipe's initializers, drawn deterministically from its seed. */
  public static Weights initialWeights(Recipe recipe) {
    return InitialWeights.generate(recipe.sequential(), Seeds.derive(recipe.seed(), Seeds.INITIAL_WEIGHTS));
  }

  /**
   * Trains {@code recipe.sequential()} on {@code data}.
   *
   * @param listener progress callbacks, {@link TrainingListener#NONE} for none
   * @throws IllegalArgumentException when the data does not fit the model or the recipe
   * @throws IllegalStateException when the loss stops being finite
   */
  public static TrainingResult train(Recipe recipe, Split data, TrainingListener listener) {
    return train(recipe, data, TrainingOptions.builder().listener(listener).build());
  }

  /**
   * Trains {@code recipe.sequential()} on {@code data} with evaluation, early stopping and checkpoints
   * as {@code options} say.
   *
   * @throws IllegalArgumentException when the data does not fit the model or the recipe, or the
   *     checkpoint to resume from was written for another model, recipe or data
   * @throws IllegalStateException when the loss stops being finite
   * @throws UncheckedIOException when a checkpoint cannot be written
   */
  public static TrainingResult train(Recipe recipe, Split data, TrainingOptions options) {
    long started = System.nanoTime();
    Sequential model = recipe.sequential();
    TrainingSpec training = recipe.training();
    int length = recipe.trainingLength();
    long[] targetShape = targetShape(model, length);
    checkData("training", data.train(), model, length, targetShape);
    checkData("validation", data.validation(), model, length, targetShape);
    if (data.train().size() == 0) {
      throw new IllegalArgumentException("recipe '" + recipe.name() + "' has no training examples");
    }
    String fingerprint = fingerprint(recipe, data);
    Checkpoints.State resumed = TrainingLoop.resumed(options, fingerprint);
    for (Layer layer : model.layers()) {
      if (layer instanceof dev.rnnx.spec.PositionalEncoding pe) {
        PositionalEncodingBuilder.check(pe, length);
      }
    }
    Weights initial = initialWeights(recipe);
    try (TrainingGraph g = new TrainingGraph(model, training, length, targetShape, initial, data)) {
      return new TrainingLoop(recipe.seed(), training, options, g, fingerprint, started).run(resumed);
    }
  }

  /** The target shape of one batch: the model output with the batch axis dynamic and the time axis fixed. */
  private static long[] targetShape(Sequential model, int length) {
    int[] dims = model.outputs().get(0).shape().dims();
    long[] shape = new long[dims.length];
    shape[0] = -1;
    for (int i = 1; i < dims.length; i++) {
      shape[i] = dims[i] == Shape.DYNAMIC ? length : dims[i];
    }
    return shape;
  }

  private static void checkData(String which, Dataset set, Sequential model, int length, long[] targetShape) {
    long[] want = model.input().tokens() ? new long[] {set.size(), length} : new long[] {set.size(), length, model.inputFeatures()};
    boolean rightType = model.input().tokens() ? set.x() instanceof LongTensor : set.x() instanceof FloatTensor;
    if (!rightType || !Arrays.equals(set.x().shape(), want)) {
      throw new IllegalArgumentException(which + " inputs are " + (set.x() instanceof LongTensor ? "int64 " : "float32 ")
          + set.x().shapeString() + ", expected " + (model.input().tokens() ? "int64 token ids " : "float32 ")
          + Arrays.toString(want) + (model.input().tokens() ? " (examples, training length)" : " (examples, training length, input features)"));
    }
    if (set.x() instanceof FloatTensor f) {
      checkFinite(which + " inputs", f.data());
    }
    checkFinite(which + " targets", set.y().data());
    long[] target = targetShape.clone();
    target[0] = set.size();
    if (!Arrays.equals(set.y().shape(), target)) {
      throw new IllegalArgumentException(which + " targets have shape " + set.y().shapeString() + ", expected "
          + Arrays.toString(target) + " to match the model output " + model.outputs().get(0).shape());
    }
    if (set.lengths() != null) {
      if (!model.input().lengths()) {
        throw new IllegalArgumentException(which + " examples carry lengths but model '" + model.name()
            + "' takes no lengths input (input: {lengths: true})");
      }
      long[] l = set.lengths().data();
      for (int i = 0; i < l.length; i++) {
        if (l[i] < 1 || l[i] > length) {
          throw new IllegalArgumentException(which + " example " + i + " has length " + l[i] + ", expected 1 … " + length);
        }
      }
    }
    if (set.x() instanceof LongTensor ids) {
      int vocabulary = ((dev.rnnx.spec.Embedding) model.layers().get(0)).inputDim();
      for (int i = 0; i < ids.data().length; i++) {
        if (ids.data()[i] < 0 || ids.data()[i] >= vocabulary) {
          throw new IllegalArgumentException(which + " inputs hold token id " + ids.data()[i] + " at flat index " + i
              + ", expected 0 … " + (vocabulary - 1));
        }
      }
    }
  }

  private static void checkFinite(String what, float[] values) {
    for (int i = 0; i < values.length; i++) {
      if (!Float.isFinite(values[i])) {
        throw new IllegalArgumentException(what + " hold " + values[i] + " at flat index " + i + ", expected finite values");
      }
    }
  }

  /** What a checkpoint must match: the model, the training settings but the epoch count, the seed and the data. */
  static String fingerprint(Recipe recipe, Split data) {
    TrainingSpec t = recipe.training();
    String text = Checkpoints.FORMAT + "|" + recipe.sequential() + "|" + t.loss() + "|" + t.optimizer() + "|" + t.learningRate() + "|"
        + t.batchSize() + "|" + t.clipping() + "|" + t.accuracy() + "|" + recipe.seed() + "|" + recipe.trainingLength() + "|"
        + crc(data.train()) + "|" + crc(data.validation());
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static long crc(Dataset set) {
    CRC32 crc = new CRC32();
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8);
    if (set.x() instanceof FloatTensor f) {
      for (float v : f.data()) {
        crc.update(b.clear().putInt(Float.floatToIntBits(v)).array(), 0, 4);
      }
    } else {
      for (long v : ((LongTensor) set.x()).data()) {
        crc.update(b.clear().putLong(v).array(), 0, 8);
      }
    }
    for (float v : set.y().data()) {
      crc.update(b.clear().putInt(Float.floatToIntBits(v)).array(), 0, 4);
    }
    if (set.lengths() != null) {
      for (long v : set.lengths().data()) {
        crc.update(b.clear().putLong(v).array(), 0, 8);
      }
    }
    return crc.getValue();
  }

  /** The last layer's activation, which decides how accuracy is judged. */
  private static Activation outputActivation(Sequential model) {
    Layer last = model.layers().get(model.layers().size() - 1);
    return last instanceof Dense d ? d.activation() : last instanceof TimeDistributed t ? t.layer().activation() : null;
  }

  /** The training graph and its session. */
  static final class TrainingGraph implements TrainingLoop.Session, AutoCloseable {
    final Graph graph = new Graph();
    final Ops tf = Ops.create(graph);
    final Sequential model;
    final boolean tokens;
    final boolean hasLengths;
    final boolean metrics;
    final int length;
    final long[] targetShape;
    final Placeholder<?> x;
    final Placeholder<TInt32> lengths;
    final Placeholder<TFloat32> y;
    final Map<String, Variable<TFloat32>> parameters = new LinkedHashMap<>();
    final TfLosses.Parts parts;
    final Op minimize;
    final List<GraphOperation> variables = new ArrayList<>();
    final List<Placeholder<TFloat32>> restoreValues = new ArrayList<>();
    final List<Op> restoreOps = new ArrayList<>();
    final Session session;
    private final Split data;
    private final Map<Integer, Feed> feeds = new LinkedHashMap<>();
    private final List<Feed> validationChunks = new ArrayList<>();

    TrainingGraph(Sequential model, TrainingSpec training, int length, long[] targetShape, Weights initial, Split data) {
      this(model, training, length, targetShape, initial, data, TfSessions.Config.forTraining(model.layers()), false);
    }

    /**
     * @param config the session's settings
     * @param fusedLstm whether LSTM layers that allow it run as one fused {@code BlockLSTMV2} op
     *     ({@link BlockLstm}) instead of unrolled cell steps
     */
    TrainingGraph(Sequential model, TrainingSpec training, int length, long[] targetShape, Weights initial, Split data,
        TfSessions.Config config, boolean fusedLstm) {
      this.data = data;
      this.model = model;
      this.tokens = model.input().tokens();
      this.hasLengths = model.input().lengths();
      this.metrics = training.accuracy();
      this.length = length;
      this.targetShape = targetShape;
      Session opened = null;
      try {
        x = tokens
            ? tf.withName("x").placeholder(TInt64.class, Placeholder.shape(org.tensorflow.ndarray.Shape.of(-1, length)))
            : tf.withName("x").placeholder(TFloat32.class,
                Placeholder.shape(org.tensorflow.ndarray.Shape.of(-1, length, model.inputFeatures())));
        lengths = hasLengths ? tf.withName("lengths").placeholder(TInt32.class,
            Placeholder.shape(org.tensorflow.ndarray.Shape.of(-1))) : null;
        y = tf.withName("y").placeholder(TFloat32.class, Placeholder.shape(org.tensorflow.ndarray.Shape.of(targetShape)));
        for (ParameterSpec p : model.parameters()) {
          parameters.put(p.name(), TfNames.variable(tf, p.name()).variable(TfTensors.constant(tf, initial.get(p.name()))));
        }
        LayerContext ctx = LayerContext.unrolled(tf, TfParameters.of(parameters), length, lengths, Map.of());
        ctx.fusedLstm(fusedLstm);
        @SuppressWarnings("unchecked")
        Unrolled input = tokens ? Unrolled.tokens((Operand<TInt64>) x, length) : Unrolled.sequence((Operand<TFloat32>) x, length);
        TfForward.Result forward = TfForward.unrolled(ctx, model, input);
        Unrolled out = forward.outputs().get(0);
        Operand<TFloat32> mask = out.sequence() && hasLengths ? ctx.mask() : null;
        Operand<TFloat32> logits = forward.logits() == null ? null : forward.logits().tensor(tf);
        parts = TfLosses.build(tf, training.loss(), out.tensor(tf), logits, y, mask, outputActivation(model), metrics);
        minimize = TfOptimizers.minimize(graph, tf, training.optimizer(), training.learningRate(), training.clipping(),
            parts.loss(), "train");
        var ops = graph.operations();
        while (ops.hasNext()) {
          GraphOperation op = ops.next();
          if (op.type().equals("VariableV2")) {
            variables.add(op);
          }
        }
        variables.sort((a, b) -> a.name().compareTo(b.name()));
        Ops restore = tf.withSubScope("restore");
        for (GraphOperation v : variables) {
          Output<TFloat32> ref = v.output(0);
          Placeholder<TFloat32> value = restore.placeholder(TFloat32.class);
          restoreValues.add(value);
          restoreOps.add(restore.assign(ref, value));
        }
        opened = TfSessions.open(graph, config);
        opened.initialize();
        session = opened;
      } catch (RuntimeException | Error e) {
        if (opened != null) {
          opened.close(); // a graph waits for its sessions to close
        }
        graph.close();
        throw e;
      }
    }

    @Override
    public int trainSize() {
      return data.train().size();
    }

    @Override
    public boolean metrics() {
      return metrics;
    }

    @Override
    public TrainingLoop.Step step(int epoch, int step, int[] order, int from, int size) {
      Feed feed = feeds.computeIfAbsent(size, s -> new Feed(this, s));
      feed.fill(data.train(), order, from, length);
      Session.Runner runner = feed.feed(this, session.runner()).fetch(parts.loss()).addTarget(minimize);
      if (metrics) {
        runner.fetch(parts.correct()).fetch(parts.counted()).fetch(parts.exact());
      }
      try (Result result = runner.run()) {
        double batchLoss = ((TFloat32) result.get(0)).getFloat();
        TrainingLoop.Sums sums = metrics ? new TrainingLoop.Sums(0, 0, ((TFloat32) result.get(1)).getFloat(),
            ((TFloat32) result.get(2)).getFloat(), ((TFloat32) result.get(3)).getFloat(), size) : TrainingLoop.Sums.ZERO;
        return new TrainingLoop.Step(batchLoss, sums);
      }
    }

    /** The validation set's sums, one session run per chunk. */
    @Override
    public TrainingLoop.Sums evaluate() {
      if (validationChunks.isEmpty() && data.validation().size() > 0) {
        int[] identity = new int[data.validation().size()];
        Arrays.setAll(identity, i -> i);
        for (int from = 0; from < identity.length; from += EVAL_CHUNK) {
          Feed chunk = new Feed(this, Math.min(EVAL_CHUNK, identity.length - from));
          chunk.fill(data.validation(), identity, from, length);
          validationChunks.add(chunk);
        }
      }
      TrainingLoop.Sums sums = TrainingLoop.Sums.ZERO;
      for (Feed chunk : validationChunks) {
        Session.Runner runner = chunk.feed(this, session.runner()).fetch(parts.lossSum()).fetch(parts.lossCount());
        if (metrics) {
          runner.fetch(parts.correct()).fetch(parts.counted()).fetch(parts.exact());
        }
        try (Result r = runner.run()) {
          sums = sums.plus(new TrainingLoop.Sums(((TFloat32) r.get(0)).getFloat(), ((TFloat32) r.get(1)).getFloat(),
              metrics ? ((TFloat32) r.get(2)).getFloat() : 0, metrics ? ((TFloat32) r.get(3)).getFloat() : 0,
              metrics ? ((TFloat32) r.get(4)).getFloat() : 0, chunk.size));
        }
      }
      return sums;
    }

    /** Every variable's value, by op name. */
    @Override
    public Weights readVariables() {
      Session.Runner runner = session.runner();
      variables.forEach(v -> runner.fetch(v.output(0)));
      Map<String, FloatTensor> out = new LinkedHashMap<>();
      try (Result result = runner.run()) {
        for (int i = 0; i < variables.size(); i++) {
          out.put(variables.get(i).name(), TfTensors.fromNative((TFloat32) result.get(i)));
        }
      }
      return new Weights(out);
    }

    /** Sets every variable from a checkpoint, refusing one that lacks a variable or has another shape. */
    @Override
    public void restore(Weights values, String source) {
      List<String> problems = new ArrayList<>();
      for (GraphOperation v : variables) {
        if (!values.contains(v.name())) {
          problems.add("lacks variable '" + v.name() + "'");
        }
      }
      if (values.tensors().size() != variables.size()) {
        problems.add("holds " + values.tensors().size() + " variables, the graph " + variables.size());
      }
      if (!problems.isEmpty()) {
        throw new IllegalArgumentException("checkpoint " + source + " does not fit this graph: " + String.join("; ", problems));
      }
      List<TFloat32> feeds = new ArrayList<>();
      try {
        Session.Runner runner = session.runner();
        for (int i = 0; i < variables.size(); i++) {
          TFloat32 t = TfTensors.toNative(values.get(variables.get(i).name()));
          feeds.add(t);
          runner.feed(restoreValues.get(i), t).addTarget(restoreOps.get(i));
        }
        runner.run().close();
      } finally {
        feeds.forEach(TFloat32::close);
      }
    }

    /** The model's parameters, in the canonical order. */
    @Override
    public Weights readParameters() {
      Session.Runner runner = session.runner();
      List<String> names = model.parameters().stream().map(ParameterSpec::name).toList();
      names.forEach(name -> runner.fetch(parameters.get(name)));
      Map<String, FloatTensor> tensors = new LinkedHashMap<>();
      try (Result result = runner.run()) {
        for (int i = 0; i < names.size(); i++) {
          tensors.put(names.get(i), TfTensors.fromNative((TFloat32) result.get(i)));
        }
      }
      return new Weights(tensors).checkFits(model);
    }

    @Override
    public void close() {
      feeds.values().forEach(Feed::close);
      validationChunks.forEach(Feed::close);
      try {
        session.close();
      } finally {
        graph.close();
      }
    }
  }

  /**
   * Native feed tensors of one batch size, reused for every batch of that size: rows are copied
   * into Java staging arrays, then into the tensors' native memory.
   */
  static final class Feed implements AutoCloseable {
    final int size;
    final Tensor x;
    final TFloat32 y;
    final TInt32 lengths;
    private final float[] xf;
    private final long[] xl;
    private final float[] ys;
    private final int[] ls;

    Feed(TrainingGraph g, int size) {
      this.size = size;
      int xRow = g.tokens ? g.length : g.length * g.model.inputFeatures();
      if (g.tokens) {
        xl = new long[size * xRow];
        xf = null;
        x = TInt64.tensorOf(org.tensorflow.ndarray.Shape.of(size, g.length));
      } else {
        xf = new float[size * xRow];
        xl = null;
        x = TFloat32.tensorOf(org.tensorflow.ndarray.Shape.of(size, g.length, g.model.inputFeatures()));
      }
      long[] shape = g.targetShape.clone();
      shape[0] = size;
      y = TFloat32.tensorOf(org.tensorflow.ndarray.Shape.of(shape));
      ys = new float[Math.toIntExact(y.shape().size())];
      ls = g.hasLengths ? new int[size] : null;
      lengths = g.hasLengths ? TInt32.tensorOf(org.tensorflow.ndarray.Shape.of(size)) : null;
    }

    /** Copies examples {@code rows[from … from+size)} of {@code set}. */
    void fill(Dataset set, int[] rows, int from, int fullLength) {
      if (xf != null) {
        float[] src = ((FloatTensor) set.x()).data();
        int row = xf.length / size;
        for (int i = 0; i < size; i++) {
          System.arraycopy(src, rows[from + i] * row, xf, i * row, row);
        }
        ((TFloat32) x).copyFrom(DataBuffers.of(xf, true, false));
      } else {
        long[] src = ((LongTensor) set.x()).data();
        int row = xl.length / size;
        for (int i = 0; i < size; i++) {
          System.arraycopy(src, rows[from + i] * row, xl, i * row, row);
        }
        ((TInt64) x).copyFrom(DataBuffers.of(xl, true, false));
      }
      float[] ysrc = set.y().data();
      int yRow = ys.length / size;
      for (int i = 0; i < size; i++) {
        System.arraycopy(ysrc, rows[from + i] * yRow, ys, i * yRow, yRow);
      }
      y.copyFrom(DataBuffers.of(ys, true, false));
      if (ls != null) {
        for (int i = 0; i < size; i++) {
          ls[i] = set.lengths() == null ? fullLength : (int) set.lengths().data()[rows[from + i]];
        }
        lengths.copyFrom(DataBuffers.of(ls, true, false));
      }
    }

    Session.Runner feed(TrainingGraph g, Session.Runner runner) {
      runner.feed(g.x, x).feed(g.y, y);
      if (lengths != null) {
        runner.feed(g.lengths, lengths);
      }
      return runner;
    }

    @Override
    public void close() {
      x.close();
      y.close();
      if (lengths != null) {
        lengths.close();
      }
    }
  }
}
