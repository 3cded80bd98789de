package dev.rnnx.spec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A stack of layers fed by one sequence input, Keras's {@code Sequential}.
 *
 * <p>Inputs, in order: {@code input} (float {@code [batch, time, features]}, or int64 token ids
 * {@code [batch, time]} when the first layer is an {@link Embedding}); {@code lengths} (int32
 * {@code [batch]}) when the input declares lengths; then {@code <layer>_<state>0} for every layer
 * that takes its initial states as inputs. Outputs: the last layer's {@code output}, and with
 * {@code return_state} its states as {@code state_<state>}.
 *
 * <p>Sequence lengths: every recurrent layer reads only the first L steps of a sequence of length
 * L (see {@link RecurrentLayer}); its sequence output is zero past L, and layers after it compute
 * on those zeros. Layers that act on each step alone (embedding, dense, time-distributed) compute
 * on padding as on any other step: a time-distributed head gives {@code activation(bias)} past L,
 * the same in every backend. Lengths must lie in 1 … T.
 *
 * <p>Masking ({@link ModelInput#maskValue()}, Keras's {@code Masking} and
 * {@code Embedding(mask_zero=True)}): a step is masked where its features all equal the mask value
 * (a token input: where its id does), anywhere in the sequence. The first recurrent layer (or
 * bidirectional wrapper) consumes the mask: it skips masked steps, keeping its state, so its final
 * state is Keras's. A consumer returning sequences passes the mask on to the next recurrent layer
 * (per-step layers between); the last one returns its last output, or its sequence brought back to
 * the original steps as Keras gives it (a masked step repeats the previous output; a bidirectional
 * sequence must be concatenated, its backward half taking the next unmasked step's output), and
 * only per-step layers may follow, or a global max pooling (Keras's ignores the mask). A global
 * average pooling reads the mask instead (Keras's mean over the unmasked steps): it averages the
 * compacted steps up to lengths, after per-step layers or a forward or bidirectional stack. The
 * layers before it must act on each step alone (embedding, dense, time-distributed,
 * layer normalization). Every backend computes it the same way: the unmasked steps of each row
 * are moved to the front in order (a stable compaction), and the model runs with lengths = their
 * count. A row with every step masked keeps the initial state: its lengths is 1 and the consumer's
 * output is multiplied by 0 there (Keras's output for it: zeros).
 *
 * @param name model name
 * @param input what the model reads
 * @param layers the layers, first to last; names unique
 */
public record Sequential(String name, ModelInput input, List<Layer> layers) implements ModelSpec {

  /** Name of the main model input in every backend. */
  public static final String INPUT = "input";
  /** Name of the sequence-lengths input. */
  public static final String LENGTHS = "lengths";

  /** Validates the stack: unique names, shapes that chain, embedding first, state only from the last layer. */
  public Sequential {
    Layer.checkName(name);
    if (input == null) {
      throw new IllegalArgumentException("model '" + name + "': input is missing");
    }
    if (layers == null || layers.isEmpty()) {
      throw new IllegalArgumentException("model '" + name + "' has no layers, expected at least one");
    }
    layers = List.copyOf(layers);
    Set<String> seen = new HashSet<>();
    Shape shape = input.shape();
    for (int i = 0; i < layers.size(); i++) {
      Layer layer = layers.get(i);
      if (!seen.add(layer.name())) {
        throw new IllegalArgumentException("model '" + name + "': layer name '" + layer.name() + "' is used twice, expected unique names");
      }
      if (layer instanceof Embedding && i > 0) {
        throw new IllegalArgumentException("model '" + name + "': embedding '" + layer.name() + "' is layer " + (i + 1)
            + "; only the first layer may be an embedding");
      }
      if (i == 0 && input.tokens() != (layer instanceof Embedding)) {
        throw new IllegalArgumentException("model '" + name + "': " + (input.tokens()
            ? "a token input needs an embedding as its first layer, got '" + layer.kind() + "'"
            : "an embedding needs a token input (input: {tokens: true})"));
      }
      if (i < layers.size() - 1 && layer.outputNames().size() > 1) {
        throw new IllegalArgumentException(
            "model '" + name + "': layer '" + layer.name() + "' returns its state but is not the last layer;"
                + " only the last layer of a sequential model may set return_state");
      }
      shape = layer.outputShapes(shape).get(0);
    }
    if (input.masked()) {
      checkMaskConsumer(name, layers);
    }
  }

  /**
   * The index of the last layer that reads the input's mask, where every face restores the
   * original steps (or zeroes fully masked rows), or −1 when the input is not masked: the first
   * recurrent layer, or the last of a stack of recurrent layers each passing the mask on with its
   * sequence (per-step layers between them).
   */
  public int maskConsumer() {
    if (!input.masked()) {
      return -1;
    }
    int consumer = -1;
    for (int i = 0; i < layers.size(); i++) {
      Layer layer = layers.get(i);
      if (layer instanceof RecurrentLayer || layer instanceof Bidirectional) {
        consumer = i;
        if (!sequenceOutput(layer)) {
          return i;
        }
      } else if (layer instanceof GlobalAveragePooling) {
        return i; // Keras's average over the unmasked steps: the mean over the compacted steps' lengths
      } else if (consumer >= 0 && !PER_STEP.contains(layer.kind())) {
        return consumer;
      }
    }
    if (consumer < 0) {
      throw new IllegalStateException("a masked model without a recurrent layer");
    }
    return consumer;
  }

  private static boolean sequenceOutput(Layer layer) {
    return layer.outputShapes(Shape.of(Shape.DYNAMIC, Shape.DYNAMIC, 1)).get(0).rank() == 3;
  }

  /** The layer kinds a mask passes through unchanged before its consumer: each acts on each step alone. */
  static final Set<String> PER_STEP = Set.of(Embedding.KIND, Dense.KIND, TimeDistributed.KIND, LayerNormalization.KIND);

  private static void checkMaskConsumer(String name, List<Layer> layers) {
    Layer reader = null; // the last recurrent layer that read the mask and passes it on with its sequence
    for (int i = 0; i < layers.size(); i++) {
      Layer layer = layers.get(i);
      if (layer instanceof RecurrentLayer || layer instanceof Bidirectional) {
        if (reader != null && Bidirectional.reversesTime(reader)) {
          throw new IllegalArgumentException("model '" + name + "': layer '" + layer.name() + "' would read the mask that '"
              + reader.name() + "' (go_backwards) passes on with its reversed sequence (Keras pairs the unreversed mask with it);"
              + " expected only " + new java.util.TreeSet<>(PER_STEP) + " after a masked go_backwards sequence output");
        }
        boolean sequences = sequenceOutput(layer);
        if (layer.outputNames().size() > 1) {
          throw new IllegalArgumentException("model '" + name + "': layer '" + layer.name() + "' reads the input's mask, so it must"
              + " not return its states (return_state: false)");
        }
        if (!sequences) {
          return;
        }
        reader = layer;
        continue;
      }
      if (layer instanceof GlobalAveragePooling || (reader != null && layer instanceof GlobalMaxPooling)) {
        // Keras's GlobalAveragePooling1D reads the mask (sum(x·mask)/sum(mask)) and drops it;
        // GlobalMaxPooling1D ignores it: the max over every step of the sequence as Keras restores it
        if (layer instanceof GlobalAveragePooling && reader != null && Bidirectional.reversesTime(reader)) {
          throw new IllegalArgumentException("model '" + name + "': layer '" + layer.name() + "' (" + layer.kind()
              + ") would read the mask that '" + reader.name() + "' (go_backwards) passes on with its reversed sequence"
              + " (Keras pairs the unreversed mask with it); expected a forward or bidirectional sequence before it");
        }
        return;
      }
      if (!PER_STEP.contains(layer.kind())) {
        throw new IllegalArgumentException("model '" + name + "': layer '" + layer.name() + "' (" + layer.kind() + ") "
            + (reader == null ? "comes between the masked input and the first recurrent layer" : "would read the mask that '"
                + reader.name() + "' passes on with its sequence") + "; expected only " + new java.util.TreeSet<>(PER_STEP)
            + (reader == null ? " there" : " or a recurrent layer after a masked sequence output"));
      }
    }
    if (reader == null) {
      throw new IllegalArgumentException("model '" + name + "': the input is masked (mask_value) but no recurrent layer consumes the mask");
    }
  }

  /** A model over float features without lengths (the walking skeleton's constructor). */
  public Sequential(String name, int inputFeatures, List<Layer> layers) {
    this(name, ModelInput.ofFeatures(inputFeatures), layers);
  }

  /** The feature count of a float input; 1 for token inputs. */
  public int inputFeatures() {
    return input.features();
  }

  /** The main input's shape. */
  public Shape inputShape() {
    return input.shape();
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

  /** Every model input, in order. */
  public List<TensorSpec> inputs() {
    List<TensorSpec> inputs = new ArrayList<>();
    Shape declared = inputShape();
    for (Layer layer : layers) {
      if (layer instanceof Flatten f) { // the time axis is fixed: declared so in the exports (ONNX, SavedModel)
        int[] dims = declared.dims();
        dims[1] = f.steps();
        declared = new Shape(dims);
        break;
      }
    }
    inputs.add(new TensorSpec(INPUT, declared, input.tokens() ? DType.INT64 : DType.FLOAT32));
    if (input.lengths()) {
      inputs.add(new TensorSpec(LENGTHS, Shape.of(Shape.DYNAMIC), DType.INT32));
    }
    for (Layer layer : layers) {
      for (String state : layer.stateInputNames()) {
        inputs.add(new TensorSpec(stateInputName(layer, state), Shape.of(Shape.DYNAMIC, layer.stateSize())));
      }
    }
    return inputs;
  }

  /** The model-input name of a layer's initial state, e.g. {@code lstm_h0}. */
  public static String stateInputName(Layer layer, String state) {
    return layer.name() + "_" + state + "0";
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

  /** Recipe kind. */
  public static final String KIND = "sequential";

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public List<ModelForm> forms() {
    return List.of(new ModelForm(ModelForm.MODEL, inputs(), outputs(), contract()));
  }

  /**
   * What the inputs must satisfy: {@code input} float32 {@code [batch, time, features]} or int64
   * token ids {@code [batch, time]} inside the embedding's vocabulary, {@code lengths} int32
   * {@code [batch]} each 1 … time, states float32 {@code [batch, size]}; time at most a positional
   * encoding's {@code max_length}, exactly a {@link Flatten}'s {@code steps}.
   */
  public InputContract contract() {
    List<InputContract.Input> in = new ArrayList<>();
    Map<String, InputContract.Limit> limits = new HashMap<>();
    for (TensorSpec s : inputs()) {
      InputContract.Input i = new InputContract.Input(s.name(), s.dtype(), InputContract.axes(s.shape(), "batch", "time"));
      if (s.name().equals(INPUT) && input.tokens()) {
        Embedding e = (Embedding) layers.get(0);
        i = i.with(new InputContract.Ids(e.inputDim(), "token ids of embedding '" + e.name() + "'"));
      } else if (s.name().equals(LENGTHS)) {
        i = i.with(new InputContract.Lengths("time"));
      }
      if (s.name().equals(INPUT)) {
        i = fixedTime(i);
      }
      in.add(i);
    }
    for (Layer layer : layers) {
      if (layer instanceof PositionalEncoding pe && (!limits.containsKey("time") || limits.get("time").max() > pe.maxLength())) {
        limits.put("time", new InputContract.Limit(pe.maxLength(), "max_length of layer '" + pe.name() + "'"));
      }
    }
    return new InputContract(in, limits);
  }

  /** The input with its time axis fixed to a {@link Flatten}'s steps, where the model has one. */
  private InputContract.Input fixedTime(InputContract.Input i) {
    for (Layer layer : layers) {
      if (layer instanceof Flatten f) {
        List<InputContract.Axis> axes = new ArrayList<>(i.axes());
        axes.set(1, new InputContract.Axis(f.steps(), "time"));
        return new InputContract.Input(i.name(), i.type(), axes, i.rules());
      }
    }
    return i;
  }

  /** Every trainable parameter, layer by layer, in the canonical layout. */
  @Override
  public List<ParameterSpec> parameters() {
    List<ParameterSpec> params = new ArrayList<>();
    List<Shape> inputs = layerInputShapes();
    for (int i = 0; i < layers.size(); i++) {
      params.addAll(layers.get(i).parameters(inputs.get(i)));
    }
    return params;
  }

}
