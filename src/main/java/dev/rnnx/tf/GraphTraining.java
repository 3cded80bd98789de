package dev.rnnx.tf;

import dev.rnnx.data.NamedArrays;
import dev.rnnx.spec.ArraysTask;
import dev.rnnx.spec.Graph;
import dev.rnnx.spec.GraphInput;
import dev.rnnx.spec.GraphNode;
import dev.rnnx.spec.Layer;
import dev.rnnx.spec.Loss;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.OutputLoss;
import dev.rnnx.spec.Recipe;
import dev.rnnx.spec.TrainingSpec;
import dev.rnnx.weights.Weights;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.CRC32;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TType;

/**
 * The {@link Trainer} plug-in of a {@link Graph} model ({@link ArraysTask}): one placeholder per
 * graph input and per output's targets, the graph unrolled with each input's own number of steps
 * ({@link GraphForward}), and the loss the weighted sum of each output's loss
 * ({@link ArraysTask#terms}): mean squared error, binary or categorical cross-entropy through
 * {@link TfLosses} (on the logits of a sigmoid or softmax dense output), sparse categorical
 * cross-entropy as categorical cross-entropy on one-hot class ids. Every output's term is a mean
 * over a fixed number of values per example, so the sum and its count add up exactly over
 * validation chunks: the summed loss is {@code Σ w·mean × B}, its count the batch size B.
 */
final class GraphTraining implements TrainingTask {

  private final Graph model;
  private final TrainingSpec training;
  private final long seed;
  private final NamedArrays.Split data;
  private final List<ArraysTask.Term> terms;
  private final Map<String, Placeholder<?>> placeholders = new LinkedHashMap<>();

  /**
   * @throws IllegalArgumentException when the recipe's data are not an arrays task or there are no training examples
   */
  GraphTraining(Recipe recipe, Graph model, NamedArrays.Split data) {
    if (!(recipe.data() instanceof ArraysTask task)) {
      throw new IllegalArgumentException("graph model '" + model.name() + "' trains on task '" + ArraysTask.TASK + "', got '"
          + recipe.data().task() + "'");
    }
    if (data.train().size() == 0) {
      throw new IllegalArgumentException("recipe '" + recipe.name() + "' has no training examples");
    }
    this.model = model;
    this.training = recipe.training();
    this.seed = recipe.seed();
    this.data = data;
    this.terms = task.terms(model, recipe.training().loss());
  }

  @Override
  public Graph model() {
    return model;
  }

  @Override
  public String fingerprint() {
    return TrainingLoop.fingerprint(model + "|" + TrainingLoop.settings(training, seed) + "|" + terms + "|" + crc(data.train()) + "|"
        + crc(data.validation()));
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
    return false;
  }

  @Override
  public TfSessions.Config session() {
    List<Layer> layers = model.nodes().stream().map(GraphNode::layer).filter(Objects::nonNull).toList();
    return TfSessions.Config.forTraining(layers);
  }

  @Override
  public void inputs(Ops tf) {
    NamedArrays train = data.train();
    for (var e : train.arrays().entrySet()) {
      long[] shape = e.getValue().shape().clone();
      shape[0] = -1;
      Class<? extends TType> type = e.getValue() instanceof LongTensor ? TInt64.class : TFloat32.class;
      placeholders.put(e.getKey(), tf.withName("feed_" + e.getKey()).placeholder(type,
          Placeholder.shape(org.tensorflow.ndarray.Shape.of(shape))));
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public TfLosses.Parts loss(Ops tf, TfParameters parameters) {
    Map<String, LayerContext> contexts = new LinkedHashMap<>();
    Map<String, Unrolled> inputs = new LinkedHashMap<>();
    TfParameters params = GraphForward.sharing(model, parameters);
    for (GraphInput in : model.inputs()) {
      int steps = (int) data.train().get(in.name()).shape()[1];
      contexts.put(in.name(), LayerContext.unrolled(tf, params, steps, null, Map.of()));
      Placeholder<?> x = placeholders.get(in.name());
      inputs.put(in.name(), in.input().tokens() ? Unrolled.tokens((Operand<TInt64>) x, steps)
          : Unrolled.sequence((Operand<TFloat32>) x, steps));
    }
    Map<String, GraphForward.Output> outputs = GraphForward.outputs(tf, model, contexts, inputs);
    Operand<TFloat32> examples = tf.dtypes.cast(tf.gather(tf.shape(placeholders.get(model.inputs().get(0).name())), tf.constant(0),
        tf.constant(0)), TFloat32.class);
    Operand<TFloat32> weightedMean = null;
    for (ArraysTask.Term term : terms) {
      GraphForward.Output out = outputs.get(term.output());
      Ops scope = tf.withSubScope("loss_" + term.output());
      Operand<TFloat32> y = term.loss().sparse()
          ? scope.oneHot((Operand<TInt64>) placeholders.get(term.output()), scope.constant((int) out.value().shape().get(-1)),
              scope.constant(1f), scope.constant(0f))
          : (Operand<TFloat32>) placeholders.get(term.output());
      TfLosses.Parts part = TfLosses.build(scope, loss(term.loss()), out.value(), out.logits(), y, null, out.activation(), false);
      Operand<TFloat32> mean = scope.math.mul(scope.constant((float) term.weight()), scope.math.div(part.lossSum(), part.lossCount()));
      weightedMean = weightedMean == null ? mean : tf.math.add(weightedMean, mean);
    }
    Operand<TFloat32> value = tf.withName("graph_loss").identity(weightedMean);
    return new TfLosses.Parts(value, tf.math.mul(weightedMean, examples), examples, null, null, null);
  }

  private static Loss loss(OutputLoss loss) {
    return switch (loss) {
      case MSE -> Loss.MSE;
      case BINARY_CROSSENTROPY -> Loss.BINARY_CROSSENTROPY;
      case CATEGORICAL_CROSSENTROPY, SPARSE_CATEGORICAL_CROSSENTROPY -> Loss.CATEGORICAL_CROSSENTROPY;
    };
  }

  @Override
  public Batch batch(int size) {
    return new Feed(size);
  }

  @Override
  public Weights trained(Weights parameters) {
    return parameters.checkFits(model);
  }

  /** A CRC-32 of a set's arrays (names, shapes and values), for the fingerprint. */
  private static long crc(NamedArrays set) {
    CRC32 crc = new CRC32();
    ByteBuffer b = ByteBuffer.allocate(8);
    for (var e : set.arrays().entrySet()) {
      crc.update(e.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      for (long d : e.getValue().shape()) {
        crc.update(b.clear().putLong(d).array(), 0, 8);
      }
      BatchRows.update(crc, e.getValue());
    }
    return crc.getValue();
  }

  /** Native feed tensors of one batch size, one per array, filled row by row through Java staging arrays. */
  private final class Feed implements Batch {
    private final int size;
    private final List<String> names = new ArrayList<>();
    private final List<org.tensorflow.Tensor> tensors = new ArrayList<>();
    private final List<Object> stages = new ArrayList<>();

    Feed(int size) {
      this.size = size;
      try {
        for (var e : data.train().arrays().entrySet()) {
          long[] shape = e.getValue().shape().clone();
          shape[0] = size;
          int row = e.getValue().size() / (int) e.getValue().shape()[0];
          names.add(e.getKey());
          if (e.getValue() instanceof LongTensor) {
            tensors.add(TInt64.tensorOf(org.tensorflow.ndarray.Shape.of(shape)));
            stages.add(new long[size * row]);
          } else {
            tensors.add(TFloat32.tensorOf(org.tensorflow.ndarray.Shape.of(shape)));
            stages.add(new float[size * row]);
          }
        }
      } catch (RuntimeException | Error e) {
        close();
        throw e;
      }
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

    private void fill(NamedArrays set, int[] rows, int from) {
      for (int k = 0; k < names.size(); k++) {
        BatchRows.copy(set.get(names.get(k)), rows, from, size, stages.get(k), tensors.get(k));
      }
    }

    @Override
    public Session.Runner feed(Session.Runner runner) {
      for (int k = 0; k < names.size(); k++) {
        runner.feed(placeholders.get(names.get(k)), tensors.get(k));
      }
      return runner;
    }

    @Override
    public void close() {
      tensors.forEach(org.tensorflow.Tensor::close);
    }
  }
}
