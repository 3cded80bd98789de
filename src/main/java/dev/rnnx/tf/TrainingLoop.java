package dev.rnnx.tf;

import dev.rnnx.data.BatchOrder;
import dev.rnnx.spec.Clipping;
import dev.rnnx.spec.TrainingSpec;
import dev.rnnx.weights.Weights;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The epoch loop every model kind trains with: per-epoch shuffling seeded from the recipe seed and
 * the epoch number alone, minibatches (the last, smaller one kept), progress callbacks, periodic
 * evaluation, stop conditions, checkpoints and exact resumption. What a step and an evaluation do
 * is the task's ({@link TrainingGraph}, {@link TrainingTask}).
 */
final class TrainingLoop {

  /**
   * One step's outcome.
   *
   * @param loss the minibatch loss before the update
   * @param sums the minibatch's metric sums (zero when the graph has no metrics)
   */
  record Step(double loss, Sums sums) {}

  /**
   * Sums over a set: loss terms and counts, and the metric counts.
   *
   * @param lossSum summed loss terms
   * @param lossCount number of loss terms
   * @param correct correct positions or elements
   * @param counted judged positions or elements
   * @param exact examples entirely right
   * @param examples examples seen
   */
  record Sums(double lossSum, double lossCount, double correct, double counted, double exact, int examples) {
    static final Sums ZERO = new Sums(0, 0, 0, 0, 0, 0);

    Sums plus(Sums o) {
      return new Sums(lossSum + o.lossSum, lossCount + o.lossCount, correct + o.correct, counted + o.counted, exact + o.exact,
          examples + o.examples);
    }

    double loss() {
      return examples == 0 ? Double.NaN : lossSum / lossCount;
    }

    Map<String, Double> metrics() {
      Map<String, Double> m = new LinkedHashMap<>();
      m.put("accuracy", examples == 0 ? Double.NaN : correct / counted);
      m.put("exact_match", examples == 0 ? Double.NaN : exact / examples);
      return m;
    }
  }

  private final long seed;
  private final TrainingSpec training;
  private final TrainingOptions options;
  private final TrainingGraph g;
  private final String fingerprint;
  private final long started;
  private final TrainingListener listener;
  private final List<Double> trainLoss = new ArrayList<>();
  private final List<Double> validationLoss = new ArrayList<>();
  private final List<Double> epochSeconds = new ArrayList<>();
  private final Map<String, List<Double>> metrics = new LinkedHashMap<>();
  private final List<Evaluation> evaluations = new ArrayList<>();
  private int steps;
  private long stepNanos;
  private int stepsThisCall;
  private TensorBoardLog board;

  /**
   * @param seed the recipe seed (shuffling derives its stream from it)
   * @param fingerprint what a checkpoint must match
   * @param started when the training call began, {@link System#nanoTime()}
   */
  TrainingLoop(long seed, TrainingSpec training, TrainingOptions options, TrainingGraph graph, String fingerprint, long started) {
    this.seed = seed;
    this.training = training;
    this.options = options;
    this.g = graph;
    this.fingerprint = fingerprint;
    this.started = started;
    this.listener = options.listener();
  }

  /** A checkpoint fingerprint: the first 16 bytes of the SHA-256 of {@code text}, in hex. */
  static String fingerprint(String text) {
    try {
      byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(
          (Checkpoints.FORMAT + "|" + text).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(digest, 0, 16);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The training settings a checkpoint must match, the epoch count aside. */
  static String settings(TrainingSpec t, long seed) {
    return t.loss() + "|" + t.optimizer() + "|" + t.learningRate() + "|" + t.batchSize() + "|" + t.clipping() + "|" + t.accuracy()
        + "|" + seed;
  }

  /** A CRC-32 of integer arrays, for fingerprints. */
  static long crc(long[]... arrays) {
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8);
    for (long[] a : arrays) {
      for (long v : a) {
        crc.update(b.clear().putLong(v).array(), 0, 8);
      }
      crc.update(b.clear().putLong(Long.MIN_VALUE).array(), 0, 8);
    }
    return crc.getValue();
  }

  /** Reads the checkpoint to resume from, refusing one written for other training, or null when starting afresh. */
  static Checkpoints.State resumed(TrainingOptions options, String fingerprint) {
    Checkpoints.State resumed = options.resume() == null ? null : Checkpoints.read(options.resume());
    if (resumed != null && !resumed.fingerprint().equals(fingerprint)) {
      throw new IllegalArgumentException("checkpoint " + options.resume() + " was written for another model, training "
          + "settings, seed or data set (fingerprint " + resumed.fingerprint() + ", this run " + fingerprint + ")");
    }
    return resumed;
  }

  /** Runs every epoch left and returns the result, writing the event files when the options ask for them. */
  TrainingResult run(Checkpoints.State resumed) {
    if (options.logDir() == null) {
      return epochs(resumed);
    }
    try (TensorBoardLog log = TensorBoardLog.open(options.logDir(), training.learningRate(), resumed)) {
      board = log;
      return epochs(resumed);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the TensorBoard event files in " + options.logDir(), e);
    }
  }

  private TrainingResult epochs(Checkpoints.State resumed) {
    int firstEpoch = 1;
    if (resumed != null) {
      g.restore(resumed.variables(), options.resume().toString());
      firstEpoch = resumed.epoch() + 1;
      steps = resumed.steps();
      trainLoss.addAll(resumed.trainLoss());
      validationLoss.addAll(resumed.validationLoss());
      epochSeconds.addAll(resumed.epochSeconds());
      resumed.metrics().forEach((k, v) -> metrics.put(k, new ArrayList<>(v)));
      evaluations.addAll(resumed.evaluations());
    }
    int n = g.task.trainSize();
    int batch = Math.min(training.batchSize(), n);
    int stepsPerEpoch = (n + batch - 1) / batch;
    long shuffleSeed = Seeds.derive(seed, Seeds.SHUFFLE);
    TrainingResult.Stop stop = TrainingResult.Stop.COMPLETED;
    for (int epoch = firstEpoch; epoch <= training.epochs(); epoch++) {
      long epochStart = System.nanoTime();
      Random random = new Random(Seeds.derive(shuffleSeed, epoch));
      int[] lengths = g.task.exampleLengths();
      int[] order = lengths == null ? BatchOrder.shuffled(n, random) : BatchOrder.bucketed(lengths, batch, random);
      double lossSum = 0;
      int seen = 0;
      Sums trainSums = Sums.ZERO;
      Sums stoppedAt = null;
      for (int step = 1; step <= stepsPerEpoch; step++) {
        int from = (step - 1) * batch;
        int size = Math.min(n, from + batch) - from;
        long t0 = System.nanoTime();
        Step result = g.step(epoch, step, order, from, size);
        stepNanos += System.nanoTime() - t0;
        stepsThisCall++;
        steps++;
        double batchLoss = result.loss();
        trainSums = trainSums.plus(result.sums());
        if (!Double.isFinite(batchLoss)) {
          throw new IllegalStateException("training diverged in epoch " + epoch + ", step " + step + ": the loss is "
              + batchLoss + "; lower training.learning_rate (now " + training.learningRate() + ")"
              + (training.clipping().kind() == Clipping.Kind.NONE ? " or clip the gradients" : ""));
        }
        lossSum += batchLoss * size;
        seen += size;
        listener.onStep(epoch, step, stepsPerEpoch, batchLoss);
        if (options.evaluateEvery() > 0 && steps % options.evaluateEvery() == 0) {
          Sums v = g.evaluate();
          Evaluation e = new Evaluation(steps, epoch, v.loss(), g.task.metrics() ? v.metrics() : Map.of());
          evaluations.add(e);
          listener.onEvaluation(steps, e.validationLoss(), e.metrics());
          if (options.stopWhen() != null && options.stopWhen().test(e)) {
            stoppedAt = v;
            break;
          }
        }
      }
      Sums v = stoppedAt != null ? stoppedAt : g.evaluate();
      endEpoch(epoch, lossSum / seen, trainSums, v, (System.nanoTime() - epochStart) / 1e9);
      if (stoppedAt != null) {
        stop = TrainingResult.Stop.CONDITION;
        break;
      }
      if (options.checkpointDir() != null && (epoch % options.checkpointEvery() == 0 || epoch == training.epochs())) {
        checkpoint(epoch);
      }
      if (options.stopAfterEpochs() > 0 && epoch >= options.stopAfterEpochs() && epoch < training.epochs()) {
        stop = TrainingResult.Stop.INTERRUPTED;
        break;
      }
    }
    if (trainLoss.isEmpty()) {
      throw new IllegalArgumentException("the checkpoint in " + options.resume() + " holds no epoch");
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    double stepMicros = stepsThisCall == 0 ? Double.NaN : stepNanos / 1e3 / stepsThisCall;
    return new TrainingResult(g.readParameters(), trainLoss, validationLoss, metrics, evaluations, steps, stop, seconds,
        stepMicros, epochSeconds);
  }

  private void endEpoch(int epoch, double train, Sums trainSums, Sums validation, double seconds) {
    trainLoss.add(train);
    validationLoss.add(validation.loss());
    epochSeconds.add(seconds);
    listener.onEpoch(epoch, train, validation.loss());
    Map<String, Double> m = new LinkedHashMap<>();
    if (g.task.metrics()) {
      trainSums.metrics().forEach(m::put);
      validation.metrics().forEach((k, v) -> m.put("val_" + k, v));
    }
    m.putAll(g.epochMetrics());
    if (!m.isEmpty()) {
      m.forEach((k, v) -> metrics.computeIfAbsent(k, key -> new ArrayList<>()).add(v));
      listener.onEpochMetrics(epoch, m);
    }
    if (board != null) {
      try {
        board.epoch(epoch, train, validation.loss(), m);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the TensorBoard event files in " + options.logDir(), e);
      }
    }
    listener.onEpochEnd(epoch, seconds);
  }

  private void checkpoint(int epoch) {
    try {
      Checkpoints.write(options.checkpointDir(), new Checkpoints.State(epoch, steps, fingerprint, trainLoss, validationLoss,
          epochSeconds, metrics, evaluations, g.readVariables()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the checkpoint of epoch " + epoch + " to " + options.checkpointDir(), e);
    }
  }
}
