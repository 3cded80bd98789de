package dev.rnnx.spec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Training data for a {@link Graph} model read from NumPy {@code .npz} archives, as a Keras user
 * saves {@code model.fit}'s {@code x} and {@code y} dictionaries: one array per graph input and per
 * output, named as it ({@code np.savez("train.npz", input_a=..., input_b=..., classes=...,
 * per_step=...)}), the first axis the examples. The loss of each output is named in
 * {@link #losses} or follows the recipe's {@code training.loss} ({@code auto}: chosen from the
 * output, {@link OutputLoss#chosen}); the model's loss is the sum of each output's loss times its
 * weight ({@link #lossWeights}, 1 by default).
 *
 * @param train the training archive (resolved against the recipe's folder)
 * @param validation the validation archive, or empty to hold out the last examples of {@code train}
 * @param validationFraction the share held out when there is no validation archive
 * @param losses the loss of some outputs by output name
 * @param lossWeights the weight of some outputs' losses by output name (1 for the others)
 * @param length the time steps of the parity inputs: 0 until the archive is read, then the
 *     longest time axis of the training inputs
 */
public record ArraysTask(String train, String validation, double validationFraction, Map<String, OutputLoss> losses,
    Map<String, Double> lossWeights, int length) implements DataSpec {

  /** Recipe task name. */
  public static final String TASK = "arrays";

  /** Validates the settings; maps keep their order. */
  public ArraysTask {
    if (train == null || train.isBlank()) {
      throw new IllegalArgumentException("data.train is missing, expected a .npz archive of the inputs and outputs by name");
    }
    validation = validation == null ? "" : validation;
    if (!(validationFraction > 0 && validationFraction < 1)) {
      throw new IllegalArgumentException("data.validation_fraction is " + validationFraction + ", expected a number in (0, 1)");
    }
    losses = Collections.unmodifiableMap(new LinkedHashMap<>(losses == null ? Map.of() : losses));
    lossWeights = Collections.unmodifiableMap(new LinkedHashMap<>(lossWeights == null ? Map.of() : lossWeights));
    lossWeights.forEach((k, w) -> {
      if (w == null || !(w >= 0) || Double.isInfinite(w)) {
        throw new IllegalArgumentException("data.loss_weights." + k + " is " + w + ", expected a finite number >= 0");
      }
    });
    if (length < 0) {
      throw new IllegalArgumentException("data.length is " + length + ", expected 0 (read from the archive) or more");
    }
  }

  /** The task with the parity length read from the training archive. */
  public ArraysTask withLength(int steps) {
    return new ArraysTask(train, validation, validationFraction, losses, lossWeights, steps);
  }

  @Override
  public String task() {
    return TASK;
  }

  @Override
  public int sequenceLength() {
    return Math.max(length, 1);
  }

  /**
   * Each output's loss and weight, in the model's output order, checked against the model.
   *
   * @param fallback the recipe's {@code training.loss}: the loss of outputs not named in {@link #losses}
   * @throws IllegalArgumentException when an input has a mask or lengths, a name is not an output, a
   *     loss does not fit its output's activation, or every weight is 0
   */
  public List<Term> terms(Graph model, Loss fallback) {
    for (GraphInput in : model.inputs()) {
      if (in.input().masked() || in.input().lengths()) {
        throw new IllegalArgumentException("graph model '" + model.name() + "' masks input '" + in.name() + "': fine-tuning a"
            + " masked graph model is not supported yet");
      }
    }
    for (String name : losses.keySet()) {
      requireOutput(model, name, "losses");
    }
    for (String name : lossWeights.keySet()) {
      requireOutput(model, name, "loss_weights");
    }
    OutputLoss general = OutputLoss.of(fallback);
    List<Term> terms = new ArrayList<>();
    double total = 0;
    for (String out : model.outputs()) {
      GraphNode node = model.nodes().stream().filter(n -> n.name().equals(out)).findFirst().orElseThrow();
      Activation act = node.layer() == null ? null : node.layer().denseMap().map(Dense::activation).orElse(null);
      OutputLoss loss = losses.containsKey(out) ? losses.get(out) : general != null ? general : OutputLoss.chosen(act);
      Activation needed = loss.requiredActivation();
      if (needed != null && act != needed) {
        throw new IllegalArgumentException("output '" + out + "' has " + (act == null ? "no dense activation (" + node.kind() + ")"
            : "activation '" + act + "'") + ", but loss " + loss.recipeName() + " needs activation '" + needed + "'");
      }
      double weight = lossWeights.getOrDefault(out, 1.0);
      total += weight;
      terms.add(new Term(out, loss, weight));
    }
    if (total <= 0) {
      throw new IllegalArgumentException("data.loss_weights are all 0, expected at least one output to train");
    }
    return terms;
  }

  private static void requireOutput(Graph model, String name, String key) {
    if (!model.outputs().contains(name)) {
      throw new IllegalArgumentException("data." + key + " names '" + name + "', which is not an output of graph model '"
          + model.name() + "'; outputs: " + model.outputs());
    }
  }

  /**
   * One output's part of the loss.
   *
   * @param output the output's name
   * @param loss its loss
   * @param weight its weight in the sum
   */
  public record Term(String output, OutputLoss loss, double weight) {}
}
