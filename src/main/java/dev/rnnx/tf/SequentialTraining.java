package dev.rnnx.tf;

import dev.rnnx.data.Dataset;
import dev.rnnx.data.Split;
import dev.rnnx.spec.Dense;
import dev.rnnx.spec.Embedding;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Layer;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.LabeledTextTask;
import dev.rnnx.spec.Recipe;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.Shape;
import dev.rnnx.spec.TaggedTextTask;
import dev.rnnx.spec.TrainingSpec;
import dev.rnnx.weights.Weights;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.CRC32;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * The {@link Trainer} plug-in of a Sequential model: the recipe's loss (with accuracy and exact
 * match when asked) on the model unrolled over the recipe's training length. Inputs are float
 * sequences or token ids; with a {@code lengths} input, steps past a sequence's length count for
 * nothing and datasets without lengths are fed their full length. Layers that take initial states
 * are trained from zero states. The session gets two inter-op threads where a layer has parallel
 * per-gate products ({@link TfSessions.Config#forTraining}).
 */
final class SequentialTraining implements TrainingTask {

  private final Sequential model;
  private final TrainingSpec training;
  private final long seed;
  private final int length;
  private final Split data;
  private final TfSessions.Config session;
  private final Recurrence.Replacement recurrence;
  private final long[] targetShape;
  private Placeholder<?> x;
  private Placeholder<TInt32> lengths;
  /** Batches of similar lengths ({@code labeled-text} or {@code tagged-text} with {@code batching: bucketed}). */
  private boolean bucketed;
  private Placeholder<TFloat32> y;

  /**
   * @throws IllegalArgumentException when the data do not fit the model or the recipe
   */
  SequentialTraining(Recipe recipe, Split data) {
    this(recipe.sequential(), recipe.training(), recipe.seed(), recipe.trainingLength(), data,
        TfSessions.Config.forTraining(recipe.sequential().layers()), null);
    if (data.train().size() == 0) {
      throw new IllegalArgumentException("recipe '" + recipe.name() + "' has no training examples");
    }
    bucketed = (recipe.data() instanceof LabeledTextTask l && l.bucketed() || recipe.data() instanceof TaggedTextTask g && g.bucketed())
        && data.train().lengths() != null;
  }

  /**
   * A task with explicit session settings and, for benchmarks, another build of the unrolled
   * recurrences.
   *
   * @param recurrence replaces the cell steps of the recurrent layers where it applies; null for none
   */
  SequentialTraining(Sequential model, TrainingSpec training, long seed, int length, Split data, TfSessions.Config session,
      Recurrence.Replacement recurrence) {
    this.model = model;
    this.training = training;
    this.seed = seed;
    this.length = length;
    this.data = data;
    this.session = session;
    this.recurrence = recurrence;
    this.targetShape = targetShape(model, length);
    checkData("training", data.train());
    checkData("validation", data.validation());
  }

  @Override
  public Sequential model() {
    return model;
  }

  @Override
  public String fingerprint() {
    return TrainingLoop.fingerprint(model + "|" + TrainingLoop.settings(training, seed) + "|" + length + "|" + crc(data.train()) + "|"
        + crc(data.validation()) + (bucketed ? "|bucketed" : ""));
  }

  @Override
  public int[] exampleLengths() {
    return bucketed ? data.train().lengths().toIntArray() : null;
  }

  @Override
  public int trainSize() {
    return data.train().size();
  }

  @Override
  public int validationSize() {
    return data.validation().size();
  }

  @Override
  public boolean metrics() {
    return training.accuracy();
  }

  @Override
  public TfSessions.Config session() {
    return session;
  }

  @Override
  public void inputs(Ops tf) {
    x = model.input().tokens()
        ? tf.withName("x").placeholder(TInt64.class, Placeholder.shape(org.tensorflow.ndarray.Shape.of(-1, length)))
        : tf.withName("x").placeholder(TFloat32.class, Placeholder.shape(org.tensorflow.ndarray.Shape.of(-1, length, model.inputFeatures())));
    lengths = model.input().lengths()
        ? tf.withName("lengths").placeholder(TInt32.class, Placeholder.shape(org.tensorflow.ndarray.Shape.of(-1))) : null;
    y = tf.withName("y").placeholder(TFloat32.class, Placeholder.shape(org.tensorflow.ndarray.Shape.of(targetShape)));
  }

  @Override
  @SuppressWarnings("unchecked")
  public TfLosses.Parts loss(Ops tf, TfParameters parameters) {
    // Keras masking: the unmasked steps compacted to the front, lengths = their count (as in serving, MaskCompaction)
    MaskCompaction compacted = model.input().masked() ? MaskCompaction.of(tf, x, model.input()) : null;
    Operand<?> fed = compacted != null ? compacted.x() : x;
    LayerContext ctx = LayerContext.unrolled(tf, parameters, length, compacted != null ? compacted.lengths() : lengths, Map.of())
        .replaceRecurrence(recurrence);
    Unrolled input = model.input().tokens() ? Unrolled.tokens((Operand<TInt64>) fed, length)
        : Unrolled.sequence((Operand<TFloat32>) fed, length);
    TfForward.Result forward = TfForward.unrolled(ctx, model, input, compacted);
    Unrolled out = forward.outputs().get(0);
    // a masked sequence output: Keras leaves the masked steps out of the loss (its output mask weights the loss)
    Operand<TFloat32> mask = out.sequence() && compacted != null ? compacted.keep(tf)
        : out.sequence() && lengths != null ? ctx.mask() : null;
    Operand<TFloat32> logits = forward.logits() == null ? null : forward.logits().tensor(tf);
    Layer last = model.layers().get(model.layers().size() - 1);
    Dense dense = TfLayers.builder(last.kind()).asDense(last);
    return TfLosses.build(tf, training.loss(), out.tensor(tf), logits, y, mask, dense == null ? null : dense.activation(), metrics());
  }

  @Override
  public Batch batch(int size) {
    return new Feed(size);
  }

  @Override
  public Weights trained(Weights parameters) {
    return parameters.checkFits(model);
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

  private void checkData(String which, Dataset set) {
    boolean tokens = model.input().tokens();
    long[] want = tokens ? new long[] {set.size(), length} : new long[] {set.size(), length, model.inputFeatures()};
    boolean rightType = tokens ? set.x() instanceof LongTensor : set.x() instanceof FloatTensor;
    if (!rightType || !Arrays.equals(set.x().shape(), want)) {
      throw new IllegalArgumentException(which + " inputs are " + (set.x() instanceof LongTensor ? "int64 " : "float32 ")
          + set.x().shapeString() + ", expected " + (tokens ? "int64 token ids " : "float32 ")
          + Arrays.toString(want) + (tokens ? " (examples, training length)" : " (examples, training length, input features)"));
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
      int vocabulary = ((Embedding) model.layers().get(0)).inputDim();
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

  /** A CRC-32 of a set's inputs, targets and lengths, for the fingerprint. */
  private static long crc(Dataset set) {
    CRC32 crc = new CRC32();
    BatchRows.update(crc, set.x());
    BatchRows.update(crc, set.y());
    if (set.lengths() != null) {
      BatchRows.update(crc, set.lengths());
    }
    return crc.getValue();
  }

  /**
   * Native feed tensors of one batch size: rows are copied into Java staging arrays, then into the
   * tensors' native memory.
   */
  private final class Feed implements Batch {
    private final int size;
    private final Tensor xs;
    private final TFloat32 ys;
    private final TInt32 ls;
    private final float[] xf;
    private final long[] xl;
    private final float[] yStage;
    private final int[] lStage;

    Feed(int size) {
      this.size = size;
      boolean tokens = model.input().tokens();
      int xRow = tokens ? length : length * model.inputFeatures();
      xl = tokens ? new long[size * xRow] : null;
      xf = tokens ? null : new float[size * xRow];
      xs = tokens ? TInt64.tensorOf(org.tensorflow.ndarray.Shape.of(size, length))
          : TFloat32.tensorOf(org.tensorflow.ndarray.Shape.of(size, length, model.inputFeatures()));
      long[] shape = targetShape.clone();
      shape[0] = size;
      ys = TFloat32.tensorOf(org.tensorflow.ndarray.Shape.of(shape));
      yStage = new float[Math.toIntExact(ys.shape().size())];
      boolean hasLengths = model.input().lengths();
      lStage = hasLengths ? new int[size] : null;
      ls = hasLengths ? TInt32.tensorOf(org.tensorflow.ndarray.Shape.of(size)) : null;
    }

    @Override
    public int size() {
      return size;
    }

    @Override
    public void fillTraining(int[] order, int from, int epoch, int step) {
      fill(data.train(), order, from);
    }

    @Override
    public void fillValidation(int[] rows, int from) {
      fill(data.validation(), rows, from);
    }

    /** Copies examples {@code rows[from … from+size)} of {@code set}. */
    private void fill(Dataset set, int[] rows, int from) {
      BatchRows.copy(set.x(), rows, from, size, xf != null ? xf : xl, xs);
      BatchRows.copy(set.y(), rows, from, size, yStage, ys);
      if (lStage != null) {
        for (int i = 0; i < size; i++) {
          lStage[i] = set.lengths() == null ? length : (int) set.lengths().data()[rows[from + i]];
        }
        ls.copyFrom(DataBuffers.of(lStage, true, false));
      }
    }

    @Override
    public Session.Runner feed(Session.Runner runner) {
      runner.feed(x, xs).feed(y, ys);
      if (ls != null) {
        runner.feed(lengths, ls);
      }
      return runner;
    }

    @Override
    public void close() {
      xs.close();
      ys.close();
      if (ls != null) {
        ls.close();
      }
    }
  }
}
