package dev.rnnx.tf;

import dev.rnnx.data.TranslationExamples;
import dev.rnnx.data.TranslationSplit;
import dev.rnnx.spec.Activation;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.ParameterSpec;
import dev.rnnx.spec.Recipe;
import dev.rnnx.spec.Seq2Seq;
import dev.rnnx.spec.SpecialTokens;
import dev.rnnx.spec.TrainingSpec;
import dev.rnnx.weights.Weights;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * Trains a {@link Seq2Seq} model with teacher forcing. The decoder reads BOS followed by the
 * target without its last step and is scored by categorical cross-entropy of its next-token
 * distribution against the target ({@code y_1 … y_n, EOS}), over the target's length only
 * (EOS counts; PAD after it does not), averaged over those tokens. Per epoch: the training loss,
 * the validation loss, token accuracy ({@code accuracy}, argmax against the target at every
 * counted position) and exact sequence match ({@code exact_match}, every counted position right),
 * both teacher-forced, on the training minibatches and the validation set ({@code val_…}), and the
 * epoch's wall time. The RNN parts unroll over the data's padded source and target widths (at
 * most the model's maximum lengths); sources are masked by their lengths.
 *
 * <p>Initial weights, shuffling, checkpoints and resumption work as in {@link TfTrainer}, so a
 * seed gives the same weights on every run on one machine.
 */
public final class TfSeq2Seq {

  private TfSeq2Seq() {}

  /** The weights training starts from ({@link InitialWeights}), drawn from the recipe's seed. */
  public static Weights initialWeights(Recipe recipe) {
    return InitialWeights.generate(recipe.model(), Seeds.derive(recipe.seed(), Seeds.INITIAL_WEIGHTS));
  }

  /**
   * Trains the recipe's seq2seq model.
   *
   * @throws IllegalArgumentException when the recipe holds another model kind, the data do not fit
   *     the model, or the checkpoint to resume from was written for other training
   * @throws IllegalStateException when the loss stops being finite
   */
  public static TrainingResult train(Recipe recipe, TranslationSplit data, TrainingOptions options) {
    long started = System.nanoTime();
    if (!(recipe.model() instanceof Seq2Seq model)) {
      throw new IllegalArgumentException("recipe '" + recipe.name() + "' holds a " + recipe.model().kind() + " model, expected seq2seq");
    }
    if (data.train().size() == 0) {
      throw new IllegalArgumentException("recipe '" + recipe.name() + "' has no training examples");
    }
    int sourceSteps = Math.max(width(data.train().source()), width(data.validation().source()));
    int targetSteps = Math.max(width(data.train().target()), width(data.validation().target()));
    Examples train = new Examples("training", data.train(), model, sourceSteps, targetSteps);
    Examples validation = new Examples("validation", data.validation(), model, sourceSteps, targetSteps);
    String fingerprint = TrainingLoop.fingerprint("seq2seq|" + model + "|" + TrainingLoop.settings(recipe.training(), recipe.seed())
        + "|" + train.crc() + "|" + validation.crc());
    Checkpoints.State resumed = TrainingLoop.resumed(options, fingerprint);
    try (TrainingGraph g = new TrainingGraph(model, recipe.training(), initialWeights(recipe), train, validation)) {
      return new TrainingLoop(recipe.seed(), recipe.training(), options, g, fingerprint, started).run(resumed);
    }
  }

  private static int width(LongTensor t) {
    return (int) t.dim(1);
  }

  /** One set's examples, padded with PAD to common widths and checked against the model. */
  static final class Examples {
    final int size;
    final int sourceSteps;
    final int targetSteps;
    final long[] source;
    final int[] sourceLengths;
    final long[] target;
    final int[] targetLengths;

    Examples(String which, TranslationExamples set, Seq2Seq model, int sourceSteps, int targetSteps) {
      this.size = set.size();
      this.sourceSteps = sourceSteps;
      this.targetSteps = targetSteps;
      if (sourceSteps > model.maxSourceLength() || targetSteps > model.maxTargetLength()) {
        throw new IllegalArgumentException(which + " examples have sources of " + sourceSteps + " and targets of " + targetSteps
            + " steps, model '" + model.name() + "' accepts at most " + model.maxSourceLength() + " and " + model.maxTargetLength());
      }
      source = pad(set.source(), sourceSteps);
      target = pad(set.target(), targetSteps);
      sourceLengths = set.sourceLengths().toIntArray();
      targetLengths = set.targetLengths().toIntArray();
      check(which + " sources", source, model.sourceVocabulary());
      check(which + " targets", target, model.targetVocabulary());
      for (int i = 0; i < size; i++) {
        if (sourceLengths[i] < 1 || sourceLengths[i] > set.source().dim(1)) {
          throw new IllegalArgumentException(which + " example " + i + " has source length " + sourceLengths[i] + ", expected 1 … "
              + set.source().dim(1));
        }
        if (targetLengths[i] < 1 || targetLengths[i] > set.target().dim(1)) {
          throw new IllegalArgumentException(which + " example " + i + " has target length " + targetLengths[i] + ", expected 1 … "
              + set.target().dim(1));
        }
      }
    }

    private static long[] pad(LongTensor t, int steps) {
      int n = (int) t.dim(0);
      int w = (int) t.dim(1);
      long[] out = new long[n * steps];
      for (int i = 0; i < n; i++) {
        System.arraycopy(t.data(), i * w, out, i * steps, w);
      }
      return out;
    }

    private static void check(String what, long[] ids, int vocabulary) {
      for (int i = 0; i < ids.length; i++) {
        if (ids[i] < 0 || ids[i] >= vocabulary) {
          throw new IllegalArgumentException(what + " hold token id " + ids[i] + " at flat index " + i + ", expected 0 … "
              + (vocabulary - 1));
        }
      }
    }

    long crc() {
      return TrainingLoop.crc(source, target, Arrays.stream(sourceLengths).asLongStream().toArray(),
          Arrays.stream(targetLengths).asLongStream().toArray());
    }
  }

  /** The teacher-forced training graph and its session. */
  static final class TrainingGraph implements TrainingLoop.Session, AutoCloseable {
    final Graph graph = new Graph();
    final Ops tf = Ops.create(graph);
    final Seq2Seq model;
    final Examples train;
    final Examples validation;
    final Placeholder<TInt64> source;
    final Placeholder<TInt32> sourceLengths;
    final Placeholder<TInt64> target;
    final Placeholder<TInt32> targetLengths;
    final Map<String, Variable<TFloat32>> parameters = new LinkedHashMap<>();
    final TfLosses.Parts parts;
    final Op minimize;
    final VariableStore variables;
    final Session session;
    private final Map<Integer, Feed> feeds = new LinkedHashMap<>();
    private final List<Feed> validationChunks = new ArrayList<>();

    TrainingGraph(Seq2Seq model, TrainingSpec training, Weights initial, Examples train, Examples validation) {
      this.model = model;
      this.train = train;
      this.validation = validation;
      int s = train.sourceSteps;
      int t = train.targetSteps;
      int v = model.targetVocabulary();
      Session opened = null;
      try {
        source = tf.withName("source").placeholder(TInt64.class, Placeholder.shape(org.tensorflow.ndarray.Shape.of(-1, s)));
        sourceLengths = tf.withName("source_lengths").placeholder(TInt32.class, Placeholder.shape(org.tensorflow.ndarray.Shape.of(-1)));
        target = tf.withName("target").placeholder(TInt64.class, Placeholder.shape(org.tensorflow.ndarray.Shape.of(-1, t)));
        targetLengths = tf.withName("target_lengths").placeholder(TInt32.class, Placeholder.shape(org.tensorflow.ndarray.Shape.of(-1)));
        for (ParameterSpec p : model.parameters()) {
          parameters.put(p.name(), TfNames.variable(tf, p.name()).variable(TfTensors.constant(tf, initial.get(p.name()))));
        }
        Seq2SeqGraph g = new Seq2SeqGraph(model, tf, TfParameters.of(parameters));
        Operand<TInt32> batch = AttentionOps.size(tf, target, 0);
        Operand<TInt64> bos = tf.fill(tf.stack(List.of(batch, tf.constant(1))), tf.constant((long) SpecialTokens.BOS));
        Operand<TInt64> shifted = tf.slice(target, tf.constant(new int[] {0, 0}), tf.constant(new int[] {-1, t - 1}));
        Operand<TInt64> decoderInput = tf.concat(List.of(bos, shifted), tf.constant(1));
        Operand<TFloat32> logits = tf.reshape(g.logits(g.encode(source, sourceLengths, s), decoderInput, t),
            tf.constant(new int[] {-1, t, v}));
        Operand<TFloat32> y = tf.oneHot(target, tf.constant(v), tf.constant(1f), tf.constant(0f));
        Operand<TInt32> steps = tf.expandDims(tf.range(tf.constant(0), tf.constant(t), tf.constant(1)), tf.constant(0));
        Operand<TFloat32> mask = tf.dtypes.cast(tf.math.less(steps, tf.expandDims(targetLengths, tf.constant(1))), TFloat32.class);
        parts = TfLosses.build(tf, training.loss(), logits, logits, y, mask, Activation.SOFTMAX, true);
        minimize = TfOptimizers.minimize(graph, tf, training.optimizer(), training.learningRate(), training.clipping(), parts.loss(),
            "train");
        variables = new VariableStore(graph, tf);
        opened = TfSessions.open(graph);
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
      return train.size;
    }

    @Override
    public boolean metrics() {
      return true;
    }

    @Override
    public TrainingLoop.Step step(int epoch, int step, int[] order, int from, int size) {
      Feed feed = feeds.computeIfAbsent(size, n -> new Feed(this, n));
      feed.fill(train, order, from);
      Session.Runner runner = feed.feed(this, session.runner()).fetch(parts.loss()).addTarget(minimize)
          .fetch(parts.correct()).fetch(parts.counted()).fetch(parts.exact());
      try (Result r = runner.run()) {
        return new TrainingLoop.Step(((TFloat32) r.get(0)).getFloat(), new TrainingLoop.Sums(0, 0, ((TFloat32) r.get(1)).getFloat(),
            ((TFloat32) r.get(2)).getFloat(), ((TFloat32) r.get(3)).getFloat(), size));
      }
    }

    @Override
    public TrainingLoop.Sums evaluate() {
      if (validationChunks.isEmpty() && validation.size > 0) {
        int[] identity = new int[validation.size];
        Arrays.setAll(identity, i -> i);
        for (int from = 0; from < identity.length; from += TfTrainer.EVAL_CHUNK) {
          Feed chunk = new Feed(this, Math.min(TfTrainer.EVAL_CHUNK, identity.length - from));
          chunk.fill(validation, identity, from);
          validationChunks.add(chunk);
        }
      }
      TrainingLoop.Sums sums = TrainingLoop.Sums.ZERO;
      for (Feed chunk : validationChunks) {
        Session.Runner runner = chunk.feed(this, session.runner()).fetch(parts.lossSum()).fetch(parts.lossCount())
            .fetch(parts.correct()).fetch(parts.counted()).fetch(parts.exact());
        try (Result r = runner.run()) {
          sums = sums.plus(new TrainingLoop.Sums(((TFloat32) r.get(0)).getFloat(), ((TFloat32) r.get(1)).getFloat(),
              ((TFloat32) r.get(2)).getFloat(), ((TFloat32) r.get(3)).getFloat(), ((TFloat32) r.get(4)).getFloat(), chunk.size));
        }
      }
      return sums;
    }

    @Override
    public Weights readVariables() {
      return variables.read(session);
    }

    @Override
    public void restore(Weights values, String source) {
      variables.restore(session, values, source);
    }

    @Override
    public Weights readParameters() {
      Session.Runner runner = session.runner();
      List<String> names = new ArrayList<>(parameters.keySet());
      names.forEach(name -> runner.fetch(parameters.get(name)));
      Map<String, dev.rnnx.spec.FloatTensor> tensors = new LinkedHashMap<>();
      try (Result result = runner.run()) {
        for (int i = 0; i < names.size(); i++) {
          tensors.put(names.get(i), TfTensors.fromNative((TFloat32) result.get(i)));
        }
      }
      return new Weights(tensors);
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

  /** Native feed tensors of one batch size, reused for every batch of that size. */
  static final class Feed implements AutoCloseable {
    final int size;
    final TInt64 source;
    final TInt32 sourceLengths;
    final TInt64 target;
    final TInt32 targetLengths;
    private final long[] s;
    private final int[] sl;
    private final long[] t;
    private final int[] tl;

    Feed(TrainingGraph g, int size) {
      this.size = size;
      int sw = g.train.sourceSteps;
      int tw = g.train.targetSteps;
      s = new long[size * sw];
      t = new long[size * tw];
      sl = new int[size];
      tl = new int[size];
      source = TInt64.tensorOf(org.tensorflow.ndarray.Shape.of(size, sw));
      target = TInt64.tensorOf(org.tensorflow.ndarray.Shape.of(size, tw));
      sourceLengths = TInt32.tensorOf(org.tensorflow.ndarray.Shape.of(size));
      targetLengths = TInt32.tensorOf(org.tensorflow.ndarray.Shape.of(size));
    }

    void fill(Examples set, int[] rows, int from) {
      int sw = set.sourceSteps;
      int tw = set.targetSteps;
      for (int i = 0; i < size; i++) {
        int r = rows[from + i];
        System.arraycopy(set.source, r * sw, s, i * sw, sw);
        System.arraycopy(set.target, r * tw, t, i * tw, tw);
        sl[i] = set.sourceLengths[r];
        tl[i] = set.targetLengths[r];
      }
      source.copyFrom(DataBuffers.of(s, true, false));
      target.copyFrom(DataBuffers.of(t, true, false));
      sourceLengths.copyFrom(DataBuffers.of(sl, true, false));
      targetLengths.copyFrom(DataBuffers.of(tl, true, false));
    }

    Session.Runner feed(TrainingGraph g, Session.Runner runner) {
      return runner.feed(g.source, source).feed(g.sourceLengths, sourceLengths).feed(g.target, target)
          .feed(g.targetLengths, targetLengths);
    }

    @Override
    public void close() {
      source.close();
      sourceLengths.close();
      target.close();
      targetLengths.close();
    }
  }
}
