package dev.rnnx.spec;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A stack of layers fed by one sequence input {@code [batch, time, features]}, Keras's
 * {@code Sequential}. The model's outputs are the last layer's: {@code output}, and with
 * {@code return_state} also {@code state_h} and {@code state_c}.
 *
 * @param name model name
 * @param inputFeatures size of the input's last axis
 * @param layers the layers, first to last; names unique
 */
public record Sequential(String name, int inputFeatures, List<Layer> layers) {

  /** Name of the model input in every backend. */
  public static final String INPUT = "input";

  /** Validates the stack: unique names, shapes that chain, state only from the last layer. */
  public Sequential {
    Layer.checkName(name);
    if (inputFeatures < 1) {
      throw new IllegalArgumentException("model '" + name + "': input features is " + inputFeatures + ", expected a positive integer");
    }
    if (layers == null || layers.isEmpty()) {
      throw new IllegalArgumentException("model '" + name + "' has no layers, expected at least one");
    }
    layers = List.copyOf(layers);
    Set<String> seen = new HashSet<>();
    Shape shape = Shape.of(Shape.DYNAMIC, Shape.DYNAMIC, inputFeatures);
    for (int i = 0; i < layers.size(); i++) {
      Layer layer = layers.get(i);
      if (!seen.add(layer.name())) {
        throw new IllegalArgumentException("model '" + name + "': layer name '" + layer.name() + "' is used twice, expected unique names");
      }
      if (i < layers.size() - 1 && layer.outputNames().size() > 1) {
        throw new IllegalArgumentException(
            "model '" + name + "': layer '" + layer.name() + "' returns its state but is not the last layer;"
                + " only the last layer of a sequential model may set return_state");
      }
      shape = layer.outputShapes(shape).get(0);
    }
  }

  /** The input's shape, {@code (None, None, features)}. */
  public Shape inputShape() {
    return Shape.of(Shape.DYNAMIC, Shape.DYNAMIC, inputFeatures);
  }

  /** The input shape each layer receives, one per layer. */
  public List<Shape> layerInputShapes() {
    List<Shape> shapes = new ArrayList<>();
    Shape shape = inputShape();
    for (Layer layer : layers) {
      shapes.add(shape);
      shape = layer.outputShapes(shape).get(0);
    }
    return shapes;
  }

  /** The model input. */
  public TensorSpec input() {
    return new TensorSpec(INPUT, inputShape());
  }

  /** The model outputs, in order: {@code output}, then {@code state_<name>} for each state. */
  public List<TensorSpec> outputs() {
    Layer last = layers.get(layers.size() - 1);
    List<Shape> shapes = last.outputShapes(layerInputShapes().get(layers.size() - 1));
    List<String> names = last.outputNames();
    List<TensorSpec> outputs = new ArrayList<>();
    for (int i = 0; i < shapes.size(); i++) {
      outputs.add(new TensorSpec(i == 0 ? "output" : "state_" + names.get(i), shapes.get(i)));
    }
    return outputs;
  }

  /** Every trainable parameter, layer by layer, in the canonical layout. */
  public List<ParameterSpec> parameters() {
    List<ParameterSpec> params = new ArrayList<>();
    List<Shape> inputs = layerInputShapes();
    for (int i = 0; i < layers.size(); i++) {
      params.addAll(layers.get(i).parameters(inputs.get(i)));
    }
    return params;
  }

  /** The total number of trainable scalars. */
  public long parameterCount() {
    return parameters().stream().mapToLong(ParameterSpec::size).sum();
  }
}
