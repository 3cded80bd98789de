package dev.rnnx.tf;

import dev.rnnx.spec.ModelSpec;
import dev.rnnx.weights.Weights;
import java.util.Map;
import java.util.function.Supplier;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;

/**
 * What one model kind adds to the {@link Trainer} core: its inputs, its loss and metrics, how its
 * examples fill a batch, and what a checkpoint must match. The core builds the graph (placeholders
 * from {@link #inputs}, then the parameters as variables, then {@link #loss}, the optimiser and the
 * {@link VariableStore}), opens the session and drives the epochs. A task serves one training run:
 * its placeholders live in the graph that {@link #inputs} built them in.
 *
 * <p>The plug-ins: {@link SequentialTraining} (the recipe's loss on a Sequential model),
 * {@link Seq2SeqTraining} (teacher forcing), {@link Word2VecTraining} (negative sampling or the
 * full softmax) and {@link GraphTraining} (a graph model's weighted sum of per-output losses).
 */
interface TrainingTask {

  /** The model whose parameters become the graph's variables. */
  ModelSpec model();

  /** What a checkpoint must match: the model, the training settings but the epoch count, the seed and the data. */
  String fingerprint();

  /** Training examples per epoch. */
  int trainSize();

  /** Validation examples; 0 when the task has none. */
  int validationSize();

  /** Whether steps and evaluations report accuracy and exact-match sums. */
  boolean metrics();

  /** How the training session is configured. */
  default TfSessions.Config session() {
    return TfSessions.Config.fromSystemProperties();
  }

  /** Builds the input placeholders (before the parameters, so that op order and names stay fixed). */
  void inputs(Ops tf);

  /** Builds the loss and metric sums of one batch on the parameters. */
  TfLosses.Parts loss(Ops tf, TfParameters parameters);

  /**
   * Each training example's length, when training batches should group similar lengths
   * ({@code data.BatchOrder#bucketed}); {@code null} (the default) for plain shuffled batches.
   */
  default int[] exampleLengths() {
    return null;
  }

  /** Native feed tensors for batches of {@code size} examples, reused for every batch of that size. */
  Batch batch(int size);

  /** Metrics computed once per epoch from the parameters, read only when asked (word2vec's neighbours); none by default. */
  default Map<String, Double> epochMetrics(Supplier<Weights> parameters) {
    return Map.of();
  }

  /** Checks the trained parameters before they are returned; as they are by default. */
  default Weights trained(Weights parameters) {
    return parameters;
  }

  /** One batch's feed tensors. */
  interface Batch extends AutoCloseable {

    /** Examples per batch. */
    int size();

    /**
     * Copies training examples {@code order[from … from+size)}.
     *
     * @param epoch the epoch, from 1 (with {@code step}, seeds any per-batch randomness)
     * @param step the step within the epoch, from 1
     */
    void fillTraining(int[] order, int from, int epoch, int step);

    /** Copies validation examples {@code rows[from … from+size)}. */
    void fillValidation(int[] rows, int from);

    /** Feeds the tensors to the task's placeholders. */
    Session.Runner feed(Session.Runner runner);

    @Override
    void close();
  }
}
