package dev.rnnx.tf;

import dev.rnnx.data.Corpus;
import dev.rnnx.data.Vocabulary;
import dev.rnnx.spec.CorpusTask;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Loss;
import dev.rnnx.spec.ParameterSpec;
import dev.rnnx.spec.Recipe;
import dev.rnnx.spec.SpecialTokens;
import dev.rnnx.spec.TrainingSpec;
import dev.rnnx.spec.Word2Vec;
import dev.rnnx.weights.Weights;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Squeeze;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Trains a {@link Word2Vec} model (Mikolov et al., 2013) on a corpus.
 *
 * <p>Examples: the special ids (PAD, BOS, EOS, UNK) are removed from every sentence first, as
 * word2vec drops words outside its vocabulary; then, with a fixed window w (no random shrinking),
 * skip-gram makes one example (centre → context word) per ordered pair of positions at most w
 * apart, CBOW one example per position with at least one neighbour (its up to 2w neighbours →
 * the centre word), whose hidden vector is the mean of the neighbours' embeddings. An epoch is
 * one pass over the examples, shuffled as in {@link TfTrainer}.
 *
 * <p>Objectives: with the full softmax, the logits {@code h · contextᵀ + context_bias} and
 * categorical cross-entropy against the predicted word; with negative sampling,
 * {@code −log σ(h · c_w) − Σ_k log σ(−h · c_{n_k})} per example, the k negatives drawn in Java
 * for each minibatch from the corpus's unigram distribution raised to the 3/4 power (a negative
 * may equal the true word, as in word2vec), from a generator seeded by the recipe seed, the epoch
 * and the step, so a resumed run draws the same ones. The loss is averaged over the minibatch's
 * examples.
 *
 * <p>Starting values, as word2vec's: embeddings U(±0.5/D), context vectors and biases zero. There
 * is no validation set (the validation loss is NaN). When the recipe's corpus task names word
 * classes, every epoch reports {@code nearest_same_class}: the fraction of class words whose
 * nearest other word (cosine similarity, special ids excluded) belongs to the same class.
 */
public final class TfWord2Vec {

  /** The stream of the negative samples. */
  static final long NEGATIVES = 3;

  private TfWord2Vec() {}

  /** The weights training starts from, drawn from the recipe's seed. */
  public static Weights initialWeights(Recipe recipe) {
    return InitialWeights.generate(recipe.model(), Seeds.derive(recipe.seed(), Seeds.INITIAL_WEIGHTS));
  }

  /**
   * Trains the recipe's word2vec model on {@code corpus}.
   *
   * @throws IllegalArgumentException when the recipe holds another model kind, the corpus holds ids
   *     outside the vocabulary or yields no example, or the checkpoint does not fit
   * @throws IllegalStateException when the loss stops being finite
   */
  public static TrainingResult train(Recipe recipe, Corpus corpus, TrainingOptions options) {
    long started = System.nanoTime();
    if (!(recipe.model() instanceof Word2Vec model)) {
      throw new IllegalArgumentException("recipe '" + recipe.name() + "' holds a " + recipe.model().kind() + " model, expected word2vec");
    }
    Examples examples = Examples.of(model, corpus);
    Map<String, List<String>> classes = recipe.data() instanceof CorpusTask c ? c.classes() : Map.of();
    long[] flat = corpus.sentences().stream().flatMapToInt(Arrays::stream).asLongStream().toArray();
    long[] lengths = corpus.sentences().stream().mapToLong(s -> s.length).toArray();
    String fingerprint = TrainingLoop.fingerprint("word2vec|" + model + "|" + TrainingLoop.settings(recipe.training(), recipe.seed())
        + "|" + TrainingLoop.crc(flat, lengths));
    Checkpoints.State resumed = TrainingLoop.resumed(options, fingerprint);
    try (TrainingGraph g = new TrainingGraph(model, recipe.training(), initialWeights(recipe), examples,
        Seeds.derive(recipe.seed(), NEGATIVES), classes, corpus.vocabulary())) {
      return new TrainingLoop(recipe.seed(), recipe.training(), options, g, fingerprint, started).run(resumed);
    }
  }

  /**
   * The fraction of class words (those in the vocabulary) whose nearest other word by cosine
   * similarity of the embeddings, special ids excluded, belongs to the same class; NaN without
   * classes.
   */
  public static double nearestSameClass(Weights weights, Map<String, List<String>> classes, Vocabulary vocabulary) {
    FloatTensor table = weights.get("embeddings");
    int v = (int) table.dim(0);
    int d = (int) table.dim(1);
    double[][] unit = new double[v][d];
    for (int r = 0; r < v; r++) {
      double norm = 0;
      for (int j = 0; j < d; j++) {
        norm += (double) table.data()[r * d + j] * table.data()[r * d + j];
      }
      norm = Math.sqrt(norm);
      for (int j = 0; j < d && norm > 0; j++) {
        unit[r][j] = table.data()[r * d + j] / norm;
      }
    }
    Map<Integer, String> classOf = new LinkedHashMap<>();
    classes.forEach((name, words) -> words.forEach(w -> {
      if (vocabulary.contains(w) && vocabulary.id(w) < v) {
        classOf.put(vocabulary.id(w), name);
      }
    }));
    int right = 0;
    for (Map.Entry<Integer, String> e : classOf.entrySet()) {
      int q = e.getKey();
      int best = -1;
      double bestScore = Double.NEGATIVE_INFINITY;
      for (int c = SpecialTokens.FIRST_TEXT; c < v; c++) {
        if (c == q) {
          continue;
        }
        double s = 0;
        for (int j = 0; j < d; j++) {
          s += unit[q][j] * unit[c][j];
        }
        if (s > bestScore) {
          bestScore = s;
          best = c;
        }
      }
      right += e.getValue().equals(classOf.get(best)) ? 1 : 0;
    }
    return classOf.isEmpty() ? Double.NaN : right / (double) classOf.size();
  }

  /**
   * The training examples.
   *
   * @param inputs per example: the centre word (skip-gram, width 1) or the up to 2w neighbours
   *     padded with PAD (CBOW, width 2w)
   * @param mask per input slot: 1 for a word, 0 for padding (CBOW)
   * @param targets the word each example predicts
   * @param width input slots per example
   * @param sampling the cumulative unigram^0.75 distribution over ids, for negatives
   */
  record Examples(long[] inputs, float[] mask, long[] targets, int width, double[] sampling) {

    int size() {
      return targets.length;
    }

    static Examples of(Word2Vec model, Corpus corpus) {
      int w = model.window();
      boolean cbow = model.architecture() == Word2Vec.Architecture.CBOW;
      int width = cbow ? 2 * w : 1;
      List<long[]> inputs = new ArrayList<>();
      List<Long> targets = new ArrayList<>();
      long[] counts = new long[model.vocabulary()];
      for (int[] raw : corpus.sentences()) {
        int[] s = Arrays.stream(raw).filter(id -> {
          if (id < 0 || id >= model.vocabulary()) {
            throw new IllegalArgumentException("the corpus holds word id " + id + ", expected 0 … " + (model.vocabulary() - 1));
          }
          return id >= SpecialTokens.FIRST_TEXT;
        }).toArray();
        for (int id : s) {
          counts[id]++;
        }
        for (int i = 0; i < s.length; i++) {
          if (cbow) {
            long[] context = new long[width];
            int n = 0;
            for (int j = Math.max(0, i - w); j <= Math.min(s.length - 1, i + w); j++) {
              if (j != i) {
                context[n++] = s[j];
              }
            }
            if (n > 0) {
              inputs.add(withCount(context, n));
              targets.add((long) s[i]);
            }
          } else {
            for (int j = Math.max(0, i - w); j <= Math.min(s.length - 1, i + w); j++) {
              if (j != i) {
                inputs.add(new long[] {s[i]});
                targets.add((long) s[j]);
              }
            }
          }
        }
      }
      if (targets.isEmpty()) {
        throw new IllegalArgumentException("the corpus yields no training example: every sentence has fewer than two words");
      }
      long[] in = new long[targets.size() * width];
      float[] mask = new float[targets.size() * width];
      for (int e = 0; e < targets.size(); e++) {
        long[] row = inputs.get(e);
        int n = cbow ? (int) row[width] : 1;
        for (int k = 0; k < width; k++) {
          in[e * width + k] = row[k];
          mask[e * width + k] = k < n ? 1f : 0f;
        }
      }
      double[] cumulative = new double[model.vocabulary()];
      double total = 0;
      for (int id = 0; id < counts.length; id++) {
        total += Math.pow(counts[id], 0.75);
        cumulative[id] = total;
      }
      for (int id = 0; id < counts.length; id++) {
        cumulative[id] /= total;
      }
      return new Examples(in, mask, targets.stream().mapToLong(Long::longValue).toArray(), width, cumulative);
    }

    /** The context with its word count appended. */
    private static long[] withCount(long[] context, int n) {
      long[] row = Arrays.copyOf(context, context.length + 1);
      row[context.length] = n;
      return row;
    }

    /** One draw from the unigram^0.75 distribution: the first id whose cumulative probability exceeds u ~ U[0, 1). */
    long negative(Random random) {
      double u = random.nextDouble();
      int lo = 0;
      int hi = sampling.length - 1; // sampling[hi] == 1 > u
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (sampling[mid] > u) {
          hi = mid;
        } else {
          lo = mid + 1;
        }
      }
      return lo;
    }
  }

  /** The training graph and its session. */
  static final class TrainingGraph implements TrainingLoop.Session, AutoCloseable {
    final Graph graph = new Graph();
    final Ops tf = Ops.create(graph);
    final Word2Vec model;
    final Examples examples;
    final long negativeSeed;
    final Map<String, List<String>> classes;
    final Vocabulary vocabulary;
    final Placeholder<TInt64> inputs;
    final Placeholder<TFloat32> mask;
    final Placeholder<TInt64> targets;
    final Placeholder<TInt64> negatives;
    final Map<String, Variable<TFloat32>> parameters = new LinkedHashMap<>();
    final TfLosses.Parts parts;
    final Op minimize;
    final VariableStore variables;
    final Session session;
    private final Map<Integer, Feed> feeds = new LinkedHashMap<>();

    TrainingGraph(Word2Vec model, TrainingSpec training, Weights initial, Examples examples, long negativeSeed,
        Map<String, List<String>> classes, Vocabulary vocabulary) {
      this.model = model;
      this.examples = examples;
      this.negativeSeed = negativeSeed;
      this.classes = classes;
      this.vocabulary = vocabulary;
      boolean cbow = model.architecture() == Word2Vec.Architecture.CBOW;
      boolean sampled = model.objective() == Word2Vec.Objective.NEGATIVE_SAMPLING;
      int v = model.vocabulary();
      Session opened = null;
      try {
        inputs = tf.withName("inputs").placeholder(TInt64.class, Placeholder.shape(org.tensorflow.ndarray.Shape.of(-1, examples.width())));
        mask = tf.withName("mask").placeholder(TFloat32.class, Placeholder.shape(org.tensorflow.ndarray.Shape.of(-1, examples.width())));
        targets = tf.withName("targets").placeholder(TInt64.class, Placeholder.shape(org.tensorflow.ndarray.Shape.of(-1)));
        negatives = sampled ? tf.withName("negatives").placeholder(TInt64.class,
            Placeholder.shape(org.tensorflow.ndarray.Shape.of(-1, model.negatives()))) : null;
        for (ParameterSpec p : model.parameters()) {
          parameters.put(p.name(), TfNames.variable(tf, p.name()).variable(TfTensors.constant(tf, initial.get(p.name()))));
        }
        Operand<TFloat32> embeddings = parameters.get("embeddings");
        Operand<TFloat32> context = parameters.get("context");
        Operand<TFloat32> words = tf.gather(embeddings, inputs, tf.constant(0)); // [B, width, D]
        Operand<TFloat32> h = cbow
            ? tf.math.div(tf.sum(tf.math.mul(words, tf.expandDims(mask, tf.constant(2))), tf.constant(1)),
                tf.expandDims(tf.sum(mask, tf.constant(1)), tf.constant(1)))
            : tf.squeeze(words, Squeeze.axis(List.of(1L)));
        if (!sampled) {
          Operand<TFloat32> logits = tf.nn.biasAdd(tf.linalg.matMul(h, context, MatMul.transposeB(true)), parameters.get("context_bias"));
          Operand<TFloat32> y = tf.oneHot(targets, tf.constant(v), tf.constant(1f), tf.constant(0f));
          parts = TfLosses.build(tf, Loss.CATEGORICAL_CROSSENTROPY, logits, logits, y, null, null, false);
        } else {
          Operand<TFloat32> positive = tf.sum(tf.math.mul(h, tf.gather(context, targets, tf.constant(0))), tf.constant(1)); // [B]
          Operand<TFloat32> sampledContext = tf.gather(context, negatives, tf.constant(0)); // [B, k, D]
          Operand<TFloat32> negative = tf.squeeze(AttentionOps.batchMatMul(tf, sampledContext, tf.expandDims(h, tf.constant(2)), false),
              Squeeze.axis(List.of(2L))); // [B, k]
          // −log σ(x) = softplus(−x); −log σ(−x) = softplus(x)
          Operand<TFloat32> perExample = tf.math.add(tf.math.softplus(tf.math.neg(positive)),
              tf.sum(tf.math.softplus(negative), tf.constant(1)));
          Operand<TFloat32> lossSum = tf.sum(perExample, tf.constant(0));
          Operand<TFloat32> lossCount = tf.dtypes.cast(AttentionOps.size(tf, targets, 0), TFloat32.class);
          parts = new TfLosses.Parts(tf.withName("loss").math.div(lossSum, lossCount), lossSum, lossCount, null, null, null);
        }
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
      return examples.size();
    }

    @Override
    public boolean metrics() {
      return false;
    }

    @Override
    public TrainingLoop.Step step(int epoch, int step, int[] order, int from, int size) {
      Feed feed = feeds.computeIfAbsent(size, n -> new Feed(this, n));
      feed.fill(order, from, new Random(Seeds.derive(Seeds.derive(negativeSeed, epoch), step)));
      try (Result r = feed.feed(this, session.runner()).fetch(parts.loss()).addTarget(minimize).run()) {
        return new TrainingLoop.Step(((TFloat32) r.get(0)).getFloat(), TrainingLoop.Sums.ZERO);
      }
    }

    @Override
    public TrainingLoop.Sums evaluate() {
      return TrainingLoop.Sums.ZERO;
    }

    @Override
    public Map<String, Double> epochMetrics() {
      if (classes.isEmpty()) {
        return Map.of();
      }
      return Map.of("nearest_same_class", nearestSameClass(readParameters(), classes, vocabulary));
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
      Map<String, FloatTensor> tensors = new LinkedHashMap<>();
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
      try {
        session.close();
      } finally {
        graph.close();
      }
    }
  }

  /** Native feed tensors of one batch size. */
  static final class Feed implements AutoCloseable {
    final TrainingGraph g;
    final int size;
    final TInt64 inputs;
    final TFloat32 mask;
    final TInt64 targets;
    final TInt64 negatives;
    private final long[] in;
    private final float[] m;
    private final long[] t;
    private final long[] n;

    Feed(TrainingGraph g, int size) {
      this.size = size;
      int width = g.examples.width();
      in = new long[size * width];
      m = new float[size * width];
      t = new long[size];
      n = g.negatives == null ? null : new long[size * g.model.negatives()];
      inputs = TInt64.tensorOf(org.tensorflow.ndarray.Shape.of(size, width));
      mask = TFloat32.tensorOf(org.tensorflow.ndarray.Shape.of(size, width));
      targets = TInt64.tensorOf(org.tensorflow.ndarray.Shape.of(size));
      negatives = n == null ? null : TInt64.tensorOf(org.tensorflow.ndarray.Shape.of(size, g.model.negatives()));
      this.g = g;
    }

    void fill(int[] rows, int from, Random random) {
      Examples e = g.examples;
      int width = e.width();
      for (int i = 0; i < size; i++) {
        int r = rows[from + i];
        System.arraycopy(e.inputs(), r * width, in, i * width, width);
        System.arraycopy(e.mask(), r * width, m, i * width, width);
        t[i] = e.targets()[r];
      }
      inputs.copyFrom(DataBuffers.of(in, true, false));
      mask.copyFrom(DataBuffers.of(m, true, false));
      targets.copyFrom(DataBuffers.of(t, true, false));
      if (n != null) {
        for (int i = 0; i < n.length; i++) {
          n[i] = e.negative(random);
        }
        negatives.copyFrom(DataBuffers.of(n, true, false));
      }
    }

    Session.Runner feed(TrainingGraph g, Session.Runner runner) {
      runner.feed(g.inputs, inputs).feed(g.mask, mask).feed(g.targets, targets);
      return negatives == null ? runner : runner.feed(g.negatives, negatives);
    }

    @Override
    public void close() {
      inputs.close();
      mask.close();
      targets.close();
      if (negatives != null) {
        negatives.close();
      }
    }
  }
}
