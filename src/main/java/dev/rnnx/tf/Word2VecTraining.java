package dev.rnnx.tf;

import dev.rnnx.data.Corpus;
import dev.rnnx.data.Vocabulary;
import dev.rnnx.spec.CorpusTask;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Loss;
import dev.rnnx.spec.Recipe;
import dev.rnnx.spec.SpecialTokens;
import dev.rnnx.spec.Word2Vec;
import dev.rnnx.weights.Weights;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Squeeze;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * The {@link Trainer} plug-in of a {@link Word2Vec} model (Mikolov et al., 2013) on a corpus. The
 * examples are {@link Word2VecExamples}'; CBOW's hidden vector is the mean of the neighbours'
 * embeddings. An epoch is one pass over the examples.
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
final class Word2VecTraining implements TrainingTask {

  /** The stream of the negative samples. */
  static final long NEGATIVES = 3;

  private final Recipe recipe;
  private final Word2Vec model;
  private final Corpus corpus;
  private final Word2VecExamples examples;
  private final long negativeSeed;
  private final Map<String, List<String>> classes;
  private Placeholder<TInt64> inputs;
  private Placeholder<TFloat32> mask;
  private Placeholder<TInt64> targets;
  private Placeholder<TInt64> negatives;

  /**
   * @throws IllegalArgumentException when the corpus holds ids outside the vocabulary or yields no example
   */
  Word2VecTraining(Recipe recipe, Word2Vec model, Corpus corpus) {
    this.recipe = recipe;
    this.model = model;
    this.corpus = corpus;
    this.examples = Word2VecExamples.of(model, corpus);
    this.negativeSeed = Seeds.derive(recipe.seed(), NEGATIVES);
    this.classes = recipe.data() instanceof CorpusTask c ? c.classes() : Map.of();
  }

  @Override
  public Word2Vec model() {
    return model;
  }

  @Override
  public String fingerprint() {
    long[] flat = corpus.sentences().stream().flatMapToInt(Arrays::stream).asLongStream().toArray();
    long[] lengths = corpus.sentences().stream().mapToLong(s -> s.length).toArray();
    return TrainingLoop.fingerprint("word2vec|" + model + "|" + TrainingLoop.settings(recipe.training(), recipe.seed()) + "|"
        + TrainingLoop.crc(flat, lengths));
  }

  @Override
  public int trainSize() {
    return examples.size();
  }

  @Override
  public int validationSize() {
    return 0;
  }

  @Override
  public boolean metrics() {
    return false;
  }

  private boolean sampled() {
    return model.objective() == Word2Vec.Objective.NEGATIVE_SAMPLING;
  }

  @Override
  public void inputs(Ops tf) {
    inputs = tf.withName("inputs").placeholder(TInt64.class, Placeholder.shape(org.tensorflow.ndarray.Shape.of(-1, examples.width())));
    mask = tf.withName("mask").placeholder(TFloat32.class, Placeholder.shape(org.tensorflow.ndarray.Shape.of(-1, examples.width())));
    targets = tf.withName("targets").placeholder(TInt64.class, Placeholder.shape(org.tensorflow.ndarray.Shape.of(-1)));
    negatives = sampled() ? tf.withName("negatives").placeholder(TInt64.class,
        Placeholder.shape(org.tensorflow.ndarray.Shape.of(-1, model.negatives()))) : null;
  }

  @Override
  public TfLosses.Parts loss(Ops tf, TfParameters parameters) {
    Operand<TFloat32> embeddings = parameters.get("embeddings");
    Operand<TFloat32> context = parameters.get("context");
    Operand<TFloat32> words = tf.gather(embeddings, inputs, tf.constant(0)); // [B, width, D]
    Operand<TFloat32> h = model.architecture() == Word2Vec.Architecture.CBOW
        ? tf.math.div(tf.sum(tf.math.mul(words, tf.expandDims(mask, tf.constant(2))), tf.constant(1)),
            tf.expandDims(tf.sum(mask, tf.constant(1)), tf.constant(1)))
        : tf.squeeze(words, Squeeze.axis(List.of(1L)));
    if (!sampled()) {
      Operand<TFloat32> logits = tf.nn.biasAdd(tf.linalg.matMul(h, context, MatMul.transposeB(true)), parameters.get("context_bias"));
      Operand<TFloat32> y = tf.oneHot(targets, tf.constant(model.vocabulary()), tf.constant(1f), tf.constant(0f));
      return TfLosses.build(tf, Loss.CATEGORICAL_CROSSENTROPY, logits, logits, y, null, null, false);
    }
    Operand<TFloat32> positive = tf.sum(tf.math.mul(h, tf.gather(context, targets, tf.constant(0))), tf.constant(1)); // [B]
    Operand<TFloat32> sampledContext = tf.gather(context, negatives, tf.constant(0)); // [B, k, D]
    Operand<TFloat32> negative = tf.squeeze(AttentionOps.batchMatMul(tf, sampledContext, tf.expandDims(h, tf.constant(2)), false),
        Squeeze.axis(List.of(2L))); // [B, k]
    // −log σ(x) = softplus(−x); −log σ(−x) = softplus(x)
    Operand<TFloat32> perExample = tf.math.add(tf.math.softplus(tf.math.neg(positive)),
        tf.sum(tf.math.softplus(negative), tf.constant(1)));
    Operand<TFloat32> lossSum = tf.sum(perExample, tf.constant(0));
    Operand<TFloat32> lossCount = tf.dtypes.cast(AttentionOps.size(tf, targets, 0), TFloat32.class);
    return new TfLosses.Parts(tf.withName("loss").math.div(lossSum, lossCount), lossSum, lossCount, null, null, null);
  }

  @Override
  public Batch batch(int size) {
    return new Feed(size);
  }

  @Override
  public Map<String, Double> epochMetrics(Supplier<Weights> parameters) {
    if (classes.isEmpty()) {
      return Map.of();
    }
    return Map.of("nearest_same_class", nearestSameClass(parameters.get(), classes, corpus.vocabulary()));
  }

  /**
   * The fraction of class words (those in the vocabulary) whose nearest other word by cosine
   * similarity of the embeddings, special ids excluded, belongs to the same class; NaN without
   * classes.
   */
  static double nearestSameClass(Weights weights, Map<String, List<String>> classes, Vocabulary vocabulary) {
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

  /** Native feed tensors of one batch size. */
  private final class Feed implements Batch {
    private final int size;
    private final TInt64 inputTensor;
    private final TFloat32 maskTensor;
    private final TInt64 targetTensor;
    private final TInt64 negativeTensor;
    private final long[] in;
    private final float[] m;
    private final long[] t;
    private final long[] n;

    Feed(int size) {
      this.size = size;
      int width = examples.width();
      in = new long[size * width];
      m = new float[size * width];
      t = new long[size];
      n = sampled() ? new long[size * model.negatives()] : null;
      inputTensor = TInt64.tensorOf(org.tensorflow.ndarray.Shape.of(size, width));
      maskTensor = TFloat32.tensorOf(org.tensorflow.ndarray.Shape.of(size, width));
      targetTensor = TInt64.tensorOf(org.tensorflow.ndarray.Shape.of(size));
      negativeTensor = n == null ? null : TInt64.tensorOf(org.tensorflow.ndarray.Shape.of(size, model.negatives()));
    }

    @Override
    public int size() {
      return size;
    }

    @Override
    public void fillTraining(int[] rows, int from, int epoch, int step) {
      int width = examples.width();
      for (int i = 0; i < size; i++) {
        int r = rows[from + i];
        System.arraycopy(examples.inputs(), r * width, in, i * width, width);
        System.arraycopy(examples.mask(), r * width, m, i * width, width);
        t[i] = examples.targets()[r];
      }
      inputTensor.copyFrom(DataBuffers.of(in, true, false));
      maskTensor.copyFrom(DataBuffers.of(m, true, false));
      targetTensor.copyFrom(DataBuffers.of(t, true, false));
      if (n != null) {
        Random random = new Random(Seeds.derive(Seeds.derive(negativeSeed, epoch), step));
        for (int i = 0; i < n.length; i++) {
          n[i] = examples.negative(random);
        }
        negativeTensor.copyFrom(DataBuffers.of(n, true, false));
      }
    }

    @Override
    public void fillValidation(int[] rows, int from) {
      throw new IllegalStateException("word2vec training has no validation set");
    }

    @Override
    public Session.Runner feed(Session.Runner runner) {
      runner.feed(inputs, inputTensor).feed(mask, maskTensor).feed(targets, targetTensor);
      return negativeTensor == null ? runner : runner.feed(negatives, negativeTensor);
    }

    @Override
    public void close() {
      inputTensor.close();
      maskTensor.close();
      targetTensor.close();
      if (negativeTensor != null) {
        negativeTensor.close();
      }
    }
  }
}
