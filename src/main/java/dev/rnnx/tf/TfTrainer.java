package dev.rnnx.tf;

import dev.rnnx.data.Dataset;
import dev.rnnx.data.Split;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Layer;
import dev.rnnx.spec.Loss;
import dev.rnnx.spec.ParameterSpec;
import dev.rnnx.spec.Recipe;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.Shape;
import dev.rnnx.spec.TrainingSpec;
import dev.rnnx.weights.Weights;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Unstack;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Trains a recipe's model with TensorFlow Java. The graph is unrolled over the recipe's training
 * length, with the parameters as variables in the canonical layout, initialised from
 * {@link InitialWeights} with a seed derived from the recipe's. Minibatches are reshuffled every
 * epoch from another derived seed; the last, smaller batch of an epoch is kept. Variable updates
 * wait for every gradient and sessions use a fixed thread count, so a seed gives the same weights
 * on every run on one machine.
 */
public final class TfTrainer {

  /** Examples per forward pass when computing the validation loss. */
  private static final int EVAL_CHUNK = 1024;

  private TfTrainer() {}

  /**
   * Trains {@code recipe.model()} on {@code data}.
   *
   * @param listener progress callbacks, {@link TrainingListener#NONE} for none
   * @throws IllegalArgumentException when the data does not fit the model or the recipe
   * @throws IllegalStateException when the loss stops being finite
   */
  public static TrainingResult train(Recipe recipe, Split data, TrainingListener listener) {
    Sequential model = recipe.model();
    TrainingSpec training = recipe.training();
    int length = recipe.trainingLength();
    long[] targetShape = targetShape(model, length);
    checkData("training", data.train(), model, length, targetShape);
    checkData("validation", data.validation(), model, length, targetShape);
    if (data.train().size() == 0) {
      throw new IllegalArgumentException("recipe '" + recipe.name() + "' has no training examples");
    }
    if (training.loss() != Loss.MSE) {
      throw new IllegalArgumentException("loss '" + training.loss().recipeName() + "' has no TensorFlow implementation");
    }
    Weights initial = InitialWeights.generate(model, Seeds.derive(recipe.seed(), Seeds.INITIAL_WEIGHTS));

    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Placeholder<TFloat32> x = tf.withName("x").placeholder(TFloat32.class,
          Placeholder.shape(org.tensorflow.ndarray.Shape.of(-1, length, model.inputFeatures())));
      Placeholder<TFloat32> y = tf.withName("y").placeholder(TFloat32.class,
          Placeholder.shape(org.tensorflow.ndarray.Shape.of(targetShape)));
      Map<String, Variable<TFloat32>> variables = new LinkedHashMap<>();
      for (ParameterSpec p : model.parameters()) {
        variables.put(p.name(), TfNames.variable(tf, p.name()).variable(TfTensors.constant(tf, initial.get(p.name()))));
      }
      Operand<TFloat32> prediction = forward(tf, model, x, length, TfParameters.of(variables));
      int[] allAxes = IntStream.range(0, targetShape.length).toArray();
      Operand<TFloat32> loss = tf.withName("loss").math.mean(tf.math.square(tf.math.sub(prediction, y)), tf.constant(allAxes));
      Op minimize = TfOptimizers.minimize(graph, tf, training.optimizer(), training.learningRate(), loss, "train");

      try (Session session = TfSessions.open(graph)) {
        session.initialize();
        List<Double> trainLosses = new ArrayList<>();
        List<Double> validationLosses = new ArrayList<>();
        Random shuffle = new Random(Seeds.derive(recipe.seed(), Seeds.SHUFFLE));
        int n = data.train().size();
        int batch = Math.min(training.batchSize(), n);
        int steps = (n + batch - 1) / batch;
        int[] order = IntStream.range(0, n).toArray();
        for (int epoch = 1; epoch <= training.epochs(); epoch++) {
          shuffle(order, shuffle);
          double sum = 0;
          for (int step = 1; step <= steps; step++) {
            int from = (step - 1) * batch;
            int[] rows = Arrays.copyOfRange(order, from, Math.min(n, from + batch));
            double batchLoss = runStep(session, x, y, loss, minimize, data.train().select(rows));
            if (!Double.isFinite(batchLoss)) {
              throw new IllegalStateException("training diverged in epoch " + epoch + ", step " + step + ": the loss is "
                  + batchLoss + "; lower training.learning_rate (now " + training.learningRate() + ")");
            }
            sum += batchLoss * rows.length;
            listener.onStep(epoch, step, steps, batchLoss);
          }
          double trainLoss = sum / n;
          double validationLoss = evaluate(session, x, y, loss, data.validation());
          trainLosses.add(trainLoss);
          validationLosses.add(validationLoss);
          listener.onEpoch(epoch, trainLoss, validationLoss);
        }
        return new TrainingResult(readWeights(session, model, variables), trainLosses, validationLosses);
      }
    }
  }

  /** The unrolled model: the input split into time steps, each layer's main output into the next. */
  static Operand<TFloat32> forward(Ops tf, Sequential model, Operand<TFloat32> x, int length, TfParameters params) {
    List<Operand<TFloat32>> steps = new ArrayList<>();
    tf.unstack(x, (long) length, Unstack.axis(1L)).forEach(steps::add);
    Unrolled value = Unrolled.sequence(steps);
    for (Layer layer : model.layers()) {
      value = TfLayers.builder(layer.kind()).unrolled(tf, layer, value, params).get(0);
    }
    return value.toTensor(tf);
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
    long[] want = {set.size(), length, model.inputFeatures()};
    if (!Arrays.equals(set.x().shape(), want)) {
      throw new IllegalArgumentException(which + " inputs have shape " + set.x().shapeString() + ", expected "
          + Arrays.toString(want) + " (examples, training length, input features)");
    }
    long[] target = targetShape.clone();
    target[0] = set.size();
    if (!Arrays.equals(set.y().shape(), target)) {
      throw new IllegalArgumentException(which + " targets have shape " + set.y().shapeString() + ", expected "
          + Arrays.toString(target) + " to match the model output " + model.outputs().get(0).shape());
    }
  }

  private static void shuffle(int[] order, Random random) {
    for (int i = order.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
  }

  /** One optimisation step; returns the batch's loss before the update. */
  private static double runStep(Session session, Operand<TFloat32> x, Operand<TFloat32> y, Operand<TFloat32> loss,
      Op minimize, Dataset batch) {
    try (TFloat32 xs = TfTensors.toNative((dev.rnnx.spec.FloatTensor) batch.x());
        TFloat32 ys = TfTensors.toNative(batch.y());
        Result result = session.runner().feed(x, xs).feed(y, ys).fetch(loss).addTarget(minimize).run()) {
      return ((TFloat32) result.get(0)).getFloat();
    }
  }

  /** The loss over a whole set, in chunks, weighted by chunk size; NaN for an empty set. */
  private static double evaluate(Session session, Operand<TFloat32> x, Operand<TFloat32> y, Operand<TFloat32> loss, Dataset set) {
    if (set.size() == 0) {
      return Double.NaN;
    }
    double sum = 0;
    for (int from = 0; from < set.size(); from += EVAL_CHUNK) {
      Dataset chunk = set.slice(from, Math.min(set.size(), from + EVAL_CHUNK));
      try (TFloat32 xs = TfTensors.toNative((dev.rnnx.spec.FloatTensor) chunk.x());
          TFloat32 ys = TfTensors.toNative(chunk.y());
          Result result = session.runner().feed(x, xs).feed(y, ys).fetch(loss).run()) {
        sum += ((TFloat32) result.get(0)).getFloat() * chunk.size();
      }
    }
    return sum / set.size();
  }

  private static Weights readWeights(Session session, Sequential model, Map<String, Variable<TFloat32>> variables) {
    Map<String, FloatTensor> tensors = new LinkedHashMap<>();
    Session.Runner runner = session.runner();
    List<String> names = model.parameters().stream().map(ParameterSpec::name).toList();
    names.forEach(name -> runner.fetch(variables.get(name)));
    try (Result result = runner.run()) {
      for (int i = 0; i < names.size(); i++) {
        tensors.put(names.get(i), TfTensors.fromNative((TFloat32) result.get(i)));
      }
    }
    return new Weights(tensors).checkFits(model);
  }
}
