package dev.rnnx.pipeline;

import dev.rnnx.data.NamedArrays;
import dev.rnnx.spec.ArraysTask;
import dev.rnnx.spec.Budget;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Graph;
import dev.rnnx.spec.GraphInput;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.Recipe;
import dev.rnnx.spec.RecipeBudget;
import dev.rnnx.spec.Shape;
import dev.rnnx.spec.Tensor;
import dev.rnnx.tensorio.Npz;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A graph model's training data ({@link ArraysTask}): the {@code .npz} archives read
 * ({@link Npz}) and every array checked against the model before training: one array per graph
 * input (the model's input contract: float32 {@code [N, T, features]} or int64 ids
 * {@code [N, T]} inside the vocabulary) and one per output (float32 shaped as the output, its time
 * axis that of the input it follows; int64 class ids in {@code [0, classes)} without the last axis
 * for {@code sparse_categorical_crossentropy}), finite values, no other array. Without a
 * validation archive the last {@code validation_fraction} of the examples are held out.
 */
final class GraphArrays {

  private GraphArrays() {}

  /**
   * Reads and checks the recipe's archives.
   *
   * @return the data, and the recipe with {@code data.length} (the parity length) set to the longest input time axis
   * @throws IllegalArgumentException naming the file, the array and what was expected
   */
  static RunData read(Recipe recipe) {
    Graph model = (Graph) recipe.model();
    ArraysTask task = (ArraysTask) recipe.data();
    List<ArraysTask.Term> terms = task.terms(model, recipe.training().loss());
    NamedArrays all = checked(model, terms, Path.of(task.train()), null);
    NamedArrays train;
    NamedArrays validation;
    if (task.validation().isEmpty()) {
      int n = all.size();
      int held = Math.max(1, (int) Math.round(n * task.validationFraction()));
      if (held >= n) {
        throw new IllegalArgumentException(task.train() + ": " + n + " example(s) with validation_fraction "
            + task.validationFraction() + " leave no training examples");
      }
      train = all.slice(0, n - held);
      validation = all.slice(n - held, n);
    } else {
      train = all;
      validation = checked(model, terms, Path.of(task.validation()), all);
    }
    long stepsPerEpoch = (train.size() + (long) recipe.training().batchSize() - 1) / recipe.training().batchSize();
    Budget.STEPS.check("recipe " + recipe.name(), Budget.times(recipe.training().epochs(), stepsPerEpoch));
    int length = 1;
    for (GraphInput in : model.inputs()) {
      length = Math.max(length, (int) train.get(in.name()).shape()[1]);
    }
    Recipe fitted = new Recipe(recipe.name(), recipe.description(), recipe.seed(), model, task.withLength(length),
        recipe.training(), recipe.export(), recipe.tolerances());
    RecipeBudget.check(fitted, recipe.name()); // the activations per batch at the archive's longest input
    Map<String, Object> statistics = new LinkedHashMap<>();
    statistics.put("train_examples", train.size());
    statistics.put("validation_examples", validation.size());
    Map<String, Object> losses = new LinkedHashMap<>();
    for (ArraysTask.Term t : terms) {
      losses.put(t.output(), Map.of("loss", t.loss().recipeName(), "weight", t.weight()));
    }
    statistics.put("losses", losses);
    return new RunData(fitted, new NamedArrays.Split(train, validation), null, null, statistics);
  }

  /**
   * One archive's arrays, checked against the model.
   *
   * @param train the training arrays a validation archive must match in time steps, or null
   */
  private static NamedArrays checked(Graph model, List<ArraysTask.Term> terms, Path file, NamedArrays train) {
    Map<String, Tensor> read = Npz.read(file);
    List<String> wanted = new ArrayList<>();
    model.inputs().forEach(i -> wanted.add(i.name()));
    model.outputs().forEach(wanted::add);
    for (String name : read.keySet()) {
      if (!wanted.contains(name)) {
        throw new IllegalArgumentException(file + ": array '" + name + "' is neither an input nor an output of graph model '"
            + model.name() + "', expected arrays " + wanted);
      }
    }
    for (String name : wanted) {
      if (!read.containsKey(name)) {
        throw new IllegalArgumentException(file + ": array '" + name + "' is missing, expected one array per input and output "
            + wanted + ", found " + read.keySet());
      }
    }
    long values = 0;
    for (Tensor t : read.values()) {
      values = Budget.plus(values, t.size());
    }
    Budget.DATA.check("arrays of " + file, values);
    Map<String, Tensor> inputs = new LinkedHashMap<>();
    model.inputs().forEach(i -> inputs.put(i.name(), read.get(i.name())));
    model.contract().check(file.toString(), inputs);
    for (GraphInput in : model.inputs()) {
      Tensor x = read.get(in.name());
      if (x instanceof FloatTensor f) {
        finite(file, in.name(), f);
      }
      if (train != null && x.shape()[1] != train.get(in.name()).shape()[1]) {
        throw new IllegalArgumentException(file + ": array '" + in.name() + "' has " + x.shape()[1] + " time steps, expected "
            + train.get(in.name()).shape()[1] + " as in the training archive");
      }
    }
    Map<String, Shape> shapes = model.tensorShapes();
    Map<String, String> timeSources = model.timeSources();
    long n = read.get(model.inputs().get(0).name()).shape()[0];
    for (ArraysTask.Term term : terms) {
      String out = term.output();
      int[] dims = shapes.get(out).dims();
      long[] want = new long[term.loss().sparse() ? dims.length - 1 : dims.length];
      want[0] = n;
      for (int i = 1; i < want.length; i++) {
        want[i] = dims[i] == Shape.DYNAMIC ? read.get(timeSources.get(out)).shape()[1] : dims[i];
      }
      Tensor y = read.get(out);
      String expected = term.loss().sparse()
          ? "int64 class ids " + Arrays.toString(want) + " (loss " + term.loss().recipeName() + ")"
          : "float32 " + Arrays.toString(want) + " (output " + shapes.get(out) + ", loss " + term.loss().recipeName() + ")";
      boolean type = term.loss().sparse() ? y instanceof LongTensor : y instanceof FloatTensor;
      if (!type || !Arrays.equals(y.shape(), want)) {
        throw new IllegalArgumentException(file + ": array '" + out + "' is " + (y instanceof LongTensor ? "int64 " : "float32 ")
            + Arrays.toString(y.shape()) + ", expected " + expected);
      }
      if (y instanceof LongTensor ids) {
        int classes = dims[dims.length - 1];
        for (int i = 0; i < ids.data().length; i++) {
          if (ids.data()[i] < 0 || ids.data()[i] >= classes) {
            throw new IllegalArgumentException(file + ": array '" + out + "' holds class id " + ids.data()[i] + " at flat index " + i
                + ", expected 0 … " + (classes - 1));
          }
        }
      } else {
        finite(file, out, (FloatTensor) y);
      }
    }
    return new NamedArrays(read);
  }

  private static void finite(Path file, String name, FloatTensor t) {
    float[] v = t.data();
    for (int i = 0; i < v.length; i++) {
      if (!Float.isFinite(v[i])) {
        throw new IllegalArgumentException(file + ": array '" + name + "' holds " + v[i] + " at flat index " + i
            + ", expected finite values");
      }
    }
  }
}
