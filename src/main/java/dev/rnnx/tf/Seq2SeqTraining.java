package dev.rnnx.tf;

import dev.rnnx.data.BatchOrder;
import dev.rnnx.data.TranslationExamples;
import dev.rnnx.data.TranslationSplit;
import dev.rnnx.spec.Activation;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.ParallelTextTask;
import dev.rnnx.spec.Recipe;
import dev.rnnx.spec.Seq2Seq;
import dev.rnnx.spec.SpecialTokens;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * The {@link Trainer} plug-in of a {@link Seq2Seq} model: teacher forcing. The decoder reads BOS
 * followed by the target without its last step and is scored by categorical cross-entropy of its
 * next-token distribution against the target ({@code y_1 … y_n, EOS}), over the target's length
 * only (EOS counts; PAD after it does not), averaged over those tokens. Per epoch: the training
 * loss, the validation loss, token accuracy ({@code accuracy}, argmax against the target at every
 * counted position) and exact sequence match ({@code exact_match}, every counted position right),
 * both teacher-forced, on the training minibatches and the validation set ({@code val_…}). The RNN
 * parts unroll over the data's padded source and target widths (at most the model's maximum
 * lengths); sources are masked by their lengths.
 */
final class Seq2SeqTraining implements TrainingTask {

  private final Recipe recipe;
  private final Seq2Seq model;
  private final Examples train;
  private final Examples validation;
  private Placeholder<TInt64> source;
  private Placeholder<TInt32> sourceLengths;
  private Placeholder<TInt64> target;
  private Placeholder<TInt32> targetLengths;

  /**
   * @throws IllegalArgumentException when the data do not fit the model
   */
  Seq2SeqTraining(Recipe recipe, Seq2Seq model, TranslationSplit data) {
    if (data.train().size() == 0) {
      throw new IllegalArgumentException("recipe '" + recipe.name() + "' has no training examples");
    }
    this.recipe = recipe;
    this.model = model;
    int sourceSteps = Math.max(width(data.train().source()), width(data.validation().source()));
    int targetSteps = Math.max(width(data.train().target()), width(data.validation().target()));
    train = new Examples("training", data.train(), model, sourceSteps, targetSteps);
    validation = new Examples("validation", data.validation(), model, sourceSteps, targetSteps);
  }

  private static int width(LongTensor t) {
    return (int) t.dim(1);
  }

  @Override
  public Seq2Seq model() {
    return model;
  }

  @Override
  public String fingerprint() {
    return TrainingLoop.fingerprint("seq2seq|" + model + "|" + TrainingLoop.settings(recipe.training(), recipe.seed()) + "|"
        + train.crc() + "|" + validation.crc() + (exampleLengths() == null ? "" : "|bucketed"));
  }

  @Override
  public int[] exampleLengths() {
    if (!(recipe.data() instanceof ParallelTextTask p) || !p.bucketed()) {
      return null;
    }
    return BatchOrder.pairKeys(train.sourceLengths, train.targetLengths);
  }

  @Override
  public int trainSize() {
    return train.size;
  }

  @Override
  public int validationSize() {
    return validation.size;
  }

  @Override
  public boolean metrics() {
    return true;
  }

  @Override
  public void inputs(Ops tf) {
    source = tf.withName("source").placeholder(TInt64.class, Placeholder.shape(org.tensorflow.ndarray.Shape.of(-1, train.sourceSteps)));
    sourceLengths = tf.withName("source_lengths").placeholder(TInt32.class, Placeholder.shape(org.tensorflow.ndarray.Shape.of(-1)));
    target = tf.withName("target").placeholder(TInt64.class, Placeholder.shape(org.tensorflow.ndarray.Shape.of(-1, train.targetSteps)));
    targetLengths = tf.withName("target_lengths").placeholder(TInt32.class, Placeholder.shape(org.tensorflow.ndarray.Shape.of(-1)));
  }

  @Override
  public TfLosses.Parts loss(Ops tf, TfParameters parameters) {
    int t = train.targetSteps;
    int v = model.targetVocabulary();
    Seq2SeqGraph g = new Seq2SeqGraph(model, tf, parameters);
    Operand<TInt32> batch = AttentionOps.size(tf, target, 0);
    Operand<TInt64> bos = tf.fill(tf.stack(List.of(batch, tf.constant(1))), tf.constant((long) SpecialTokens.BOS));
    Operand<TInt64> shifted = tf.slice(target, tf.constant(new int[] {0, 0}), tf.constant(new int[] {-1, t - 1}));
    Operand<TInt64> decoderInput = tf.concat(List.of(bos, shifted), tf.constant(1));
    Operand<TFloat32> logits = tf.reshape(g.logits(g.encode(source, sourceLengths, train.sourceSteps), decoderInput, t),
        tf.constant(new int[] {-1, t, v}));
    Operand<TFloat32> y = tf.oneHot(target, tf.constant(v), tf.constant(1f), tf.constant(0f));
    Operand<TInt32> steps = tf.expandDims(tf.range(tf.constant(0), tf.constant(t), tf.constant(1)), tf.constant(0));
    Operand<TFloat32> mask = tf.dtypes.cast(tf.math.less(steps, tf.expandDims(targetLengths, tf.constant(1))), TFloat32.class);
    return TfLosses.build(tf, recipe.training().loss(), logits, logits, y, mask, Activation.SOFTMAX, true);
  }

  @Override
  public Batch batch(int size) {
    return new Feed(size);
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

  /** Native feed tensors of one batch size, reused for every batch of that size. */
  private final class Feed implements Batch {
    private final int size;
    private final TInt64 sourceTensor;
    private final TInt32 sourceLengthsTensor;
    private final TInt64 targetTensor;
    private final TInt32 targetLengthsTensor;
    private final long[] s;
    private final int[] sl;
    private final long[] t;
    private final int[] tl;

    Feed(int size) {
      this.size = size;
      int sw = train.sourceSteps;
      int tw = train.targetSteps;
      s = new long[size * sw];
      t = new long[size * tw];
      sl = new int[size];
      tl = new int[size];
      sourceTensor = TInt64.tensorOf(org.tensorflow.ndarray.Shape.of(size, sw));
      targetTensor = TInt64.tensorOf(org.tensorflow.ndarray.Shape.of(size, tw));
      sourceLengthsTensor = TInt32.tensorOf(org.tensorflow.ndarray.Shape.of(size));
      targetLengthsTensor = TInt32.tensorOf(org.tensorflow.ndarray.Shape.of(size));
    }

    @Override
    public int size() {
      return size;
    }

    @Override
    public void fillTraining(int[] order, int from, int epoch, int step) {
      fill(train, order, from);
    }

    @Override
    public void fillValidation(int[] rows, int from) {
      fill(validation, rows, from);
    }

    private void fill(Examples set, int[] rows, int from) {
      int sw = set.sourceSteps;
      int tw = set.targetSteps;
      for (int i = 0; i < size; i++) {
        int r = rows[from + i];
        System.arraycopy(set.source, r * sw, s, i * sw, sw);
        System.arraycopy(set.target, r * tw, t, i * tw, tw);
        sl[i] = set.sourceLengths[r];
        tl[i] = set.targetLengths[r];
      }
      sourceTensor.copyFrom(DataBuffers.of(s, true, false));
      targetTensor.copyFrom(DataBuffers.of(t, true, false));
      sourceLengthsTensor.copyFrom(DataBuffers.of(sl, true, false));
      targetLengthsTensor.copyFrom(DataBuffers.of(tl, true, false));
    }

    @Override
    public Session.Runner feed(Session.Runner runner) {
      return runner.feed(source, sourceTensor).feed(sourceLengths, sourceLengthsTensor).feed(target, targetTensor)
          .feed(targetLengths, targetLengthsTensor);
    }

    @Override
    public void close() {
      sourceTensor.close();
      sourceLengthsTensor.close();
      targetTensor.close();
      targetLengthsTensor.close();
    }
  }
}
