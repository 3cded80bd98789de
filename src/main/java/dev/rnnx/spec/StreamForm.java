package dev.rnnx.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code stream} form of a sequential model: one chunk of a sequence in, with every recurrent
 * layer's state from the previous chunk, and the chunk's outputs plus every recurrent layer's state
 * after it out. Feeding a sequence chunk by chunk, each chunk's states going into the next, gives
 * the outputs of the whole sequence at once (the states start at zero, or at the model's initial
 * state inputs' values).
 *
 * <p>Inputs, in order: {@code input} (as the model's {@code model} form: float
 * {@code [batch, time, features]} or int64 token ids {@code [batch, time]}); {@code lengths} (int32
 * {@code [batch]}, always: the chunks of sessions batched together differ in length); then
 * {@code <layer>_<state>0} float {@code [batch, units]} for every recurrent layer, in layer order
 * ({@code h}, and {@code c} for an LSTM). Outputs: {@code output}, the last layer's output for the
 * chunk (per step, or at the chunk's last valid step for a model that returns its last output
 * only), then {@code <layer>_<state>} float {@code [batch, units]}: each recurrent layer's state
 * after the chunk's last valid step.
 *
 * <p>Every face builds it from {@link #layers()}: the model's layers with each recurrent layer set
 * to take its initial states as inputs and return its final states, so the layer builders,
 * converters and forwards of the {@code model} form build it unchanged.
 *
 * <p>A model streams when every layer computes a step from that step and the steps before it:
 * per-step layers (dense, time-distributed, embedding, normalization, layer normalization) and
 * one-directional recurrent layers reading forwards. {@link #refusal} says why another does not.
 *
 * @param model the model
 * @param layers its layers as the stream form builds them
 * @param form the form's inputs, outputs and input contract
 */
public record StreamForm(Sequential model, List<Layer> layers, ModelForm form) {

  /** The form's name. */
  public static final String NAME = "stream";

  /** Validates the parts. */
  public StreamForm {
    layers = List.copyOf(layers);
    if (layers.size() != model.layers().size()) {
      throw new IllegalArgumentException("stream form of '" + model.name() + "': " + layers.size() + " layers for "
          + model.layers().size());
    }
  }

  /**
   * The stream form of a model.
   *
   * @throws IllegalArgumentException naming the model, the layer and why it cannot stream
   */
  public static StreamForm of(ModelSpec model) {
    if (!(model instanceof Sequential s)) {
      throw new IllegalArgumentException("model '" + model.name() + "' cannot stream: it is a " + model.kind()
          + " model; only a sequential model of forward recurrent and per-step layers streams");
    }
    refusal(s).ifPresent(why -> {
      throw new IllegalArgumentException("model '" + s.name() + "' cannot stream: " + why);
    });
    List<Layer> layers = new ArrayList<>();
    s.layers().forEach(l -> layers.add(l instanceof RecurrentLayer r ? carrying(r) : l));
    List<TensorSpec> inputs = new ArrayList<>();
    inputs.add(new TensorSpec(Sequential.INPUT, s.inputShape(), s.input().tokens() ? DType.INT64 : DType.FLOAT32));
    inputs.add(new TensorSpec(Sequential.LENGTHS, Shape.of(Shape.DYNAMIC), DType.INT32));
    List<TensorSpec> outputs = new ArrayList<>();
    outputs.add(new TensorSpec("output", s.outputs().get(0).shape()));
    for (Layer l : layers) {
      if (l instanceof RecurrentLayer r) {
        for (String state : r.states()) {
          inputs.add(new TensorSpec(Sequential.stateInputName(r, state), Shape.of(Shape.DYNAMIC, r.units())));
          outputs.add(new TensorSpec(stateOutputName(r, state), Shape.of(Shape.DYNAMIC, r.units())));
        }
      }
    }
    return new StreamForm(s, layers, new ModelForm(NAME, inputs, outputs, contract(s, inputs)));
  }

  /**
   * Why a model cannot stream, or empty when it can: a layer that needs later steps (bidirectional,
   * {@code go_backwards}, attention, a Transformer encoder, pooling over time), one that depends on
   * a step's absolute position (positional encoding), or a masked input.
   */
  public static Optional<String> refusal(Sequential model) {
    if (model.input().masked()) {
      return Optional.of("its input is masked (mask_value or mask_zero); a masked input is not supported for streaming");
    }
    for (Layer l : model.layers()) {
      String why = whyNot(l);
      if (why != null) {
        return Optional.of("layer '" + l.name() + "' (" + l.kind() + ") " + why);
      }
    }
    return Optional.empty();
  }

  private static String whyNot(Layer l) {
    if (l instanceof Bidirectional) {
      return "reads each sequence backwards too, so its output at a step needs the steps after it";
    } else if (l instanceof RecurrentLayer r && r.goBackwards()) {
      return "reads each sequence from its end (go_backwards), which needs the steps after a chunk";
    } else if (l instanceof Attention || l instanceof MultiHeadAttention || l instanceof TransformerEncoder) {
      return "attends over every step of the sequence, the later ones included";
    } else if (l instanceof GlobalAveragePooling || l instanceof GlobalMaxPooling) {
      return "pools over the whole sequence, the later steps included";
    } else if (l instanceof PositionalEncoding) {
      return "adds an encoding of each step's absolute position, which a chunk does not carry";
    }
    return null;
  }

  /** The stream form's output name of a recurrent layer's final state, e.g. {@code lstm_h}. */
  public static String stateOutputName(Layer layer, String state) {
    return layer.name() + "_" + state;
  }

  /** The recurrent layers, as the form builds them (taking and returning their states). */
  public List<RecurrentLayer> recurrent() {
    List<RecurrentLayer> out = new ArrayList<>();
    layers.forEach(l -> {
      if (l instanceof RecurrentLayer r) {
        out.add(r);
      }
    });
    return out;
  }

  /** The names of the state inputs, in form order; {@link #stateOutputs()} holds their outputs at the same index. */
  public List<String> stateInputs() {
    List<String> out = new ArrayList<>();
    recurrent().forEach(r -> r.states().forEach(s -> out.add(Sequential.stateInputName(r, s))));
    return out;
  }

  /** The names of the state outputs, in form order. */
  public List<String> stateOutputs() {
    List<String> out = new ArrayList<>();
    recurrent().forEach(r -> r.states().forEach(s -> out.add(stateOutputName(r, s))));
    return out;
  }

  /** The floats of state one sequence carries between chunks: the sum of every state's units. */
  public long stateFloats() {
    long n = 0;
    for (RecurrentLayer r : recurrent()) {
      n += (long) r.states().size() * r.units();
    }
    return n;
  }

  /** Whether {@code output} has a time axis (the last layer returns sequences). */
  public boolean sequenceOutput() {
    return form.outputs().get(0).shape().rank() == 3;
  }

  /** A recurrent layer set to take its initial states as inputs and return its final states. */
  static RecurrentLayer carrying(RecurrentLayer r) {
    if (r instanceof Lstm l) {
      return new Lstm(l.name(), l.units(), l.returnSequences(), true, false, true, l.activation(),
          l.recurrentActivation(), l.useBias(), l.unitForgetBias(), l.peephole(), l.kernelInitializer(),
          l.recurrentInitializer(), l.biasInitializer());
    } else if (r instanceof Gru g) {
      return new Gru(g.name(), g.units(), g.returnSequences(), true, false, true, g.activation(),
          g.recurrentActivation(), g.useBias(), g.resetAfter(), g.kernelInitializer(), g.recurrentInitializer(),
          g.biasInitializer());
    }
    SimpleRnn s = (SimpleRnn) r;
    return new SimpleRnn(s.name(), s.units(), s.returnSequences(), true, false, true, s.activation(),
        s.useBias(), s.kernelInitializer(), s.recurrentInitializer(), s.biasInitializer());
  }

  private static InputContract contract(Sequential s, List<TensorSpec> inputs) {
    List<InputContract.Input> in = new ArrayList<>();
    for (TensorSpec t : inputs) {
      InputContract.Input i = new InputContract.Input(t.name(), t.dtype(), InputContract.axes(t.shape(), "batch", "time"));
      if (t.name().equals(Sequential.INPUT) && s.input().tokens()) {
        Embedding e = (Embedding) s.layers().get(0);
        i = i.with(new InputContract.Ids(e.inputDim(), "token ids of embedding '" + e.name() + "'"));
      } else if (t.name().equals(Sequential.LENGTHS)) {
        i = i.with(new InputContract.Lengths("time"));
      }
      in.add(i);
    }
    return new InputContract(in, java.util.Map.of());
  }
}
