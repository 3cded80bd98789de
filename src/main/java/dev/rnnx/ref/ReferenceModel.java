package dev.rnnx.ref;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Layer;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.InputContract;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.Tensor;
import dev.rnnx.spec.TensorSpec;
import dev.rnnx.weights.Weights;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A whole model's forward in double precision: the oracle every native backend is compared with.
 * Reads every input of {@link Sequential#inputs()}: features or token ids, {@code lengths}, and
 * initial states. Stateless and thread-safe.
 *
 * <p>{@link #forward} computes the outputs only; {@link #trace} also keeps every layer's input and
 * outputs and every recurrent step's states and gates ({@link RefTrace}), at the cost of memory
 * proportional to {@code B·T·H} per gate and state.
 */
public final class ReferenceModel {

  private final Sequential model;
  private final Weights weights;
  private final InputContract contract;

  /**
   * @throws IllegalArgumentException when the weights do not fit the model
   */
  public ReferenceModel(Sequential model, Weights weights) {
    this.model = model;
    this.weights = weights.checkFits(model);
    this.contract = model.contract();
  }

  /** The model it computes. */
  public Sequential model() {
    return model;
  }

  /**
   * Runs the model on named inputs, in double precision.
   *
   * @return the outputs named as {@link Sequential#outputs()}
   * @throws IllegalArgumentException when the inputs do not fit the model ({@link Sequential#contract()}, an {@link dev.rnnx.spec.InvalidInputException})
   */
  public Map<String, DoubleTensor> forward(Map<String, ? extends Tensor> inputs) {
    return compute(inputs, false).outputs();
  }

  /** Runs the model on named inputs and rounds the outputs to float32. */
  public Map<String, FloatTensor> run(Map<String, ? extends Tensor> inputs) {
    Map<String, FloatTensor> out = new LinkedHashMap<>();
    forward(inputs).forEach((k, v) -> out.put(k, v.toFloat()));
    return out;
  }

  /**
   * Runs the model and keeps every intermediate value: each layer's input and outputs, and each
   * recurrent direction's per-step states and gate activations. The outputs equal
   * {@link #forward}'s exactly.
   *
   * @throws IllegalArgumentException when the inputs do not fit the model
   */
  public RefTrace trace(Map<String, ? extends Tensor> inputs) {
    return compute(inputs, true);
  }

  private RefTrace compute(Map<String, ? extends Tensor> inputs, boolean tracing) {
    contract.check(inputs);
    Tensor main = inputs.get(Sequential.INPUT);
    DoubleTensor x = main instanceof LongTensor ids ? DoubleTensor.of(ids) : DoubleTensor.of((FloatTensor) main);
    int[] lengths = model.input().lengths() ? ((LongTensor) inputs.get(Sequential.LENGTHS)).toIntArray() : null;
    MaskCompaction compacted = null;
    if (model.input().masked()) {
      compacted = MaskCompaction.of(x, model.input());
      x = compacted.x();
      lengths = compacted.lengths();
    }
    List<LayerTrace> layers = new ArrayList<>();
    List<DoubleTensor> outputs = null;
    int[] steps = lengths; // the lengths the next layer reads
    for (int i = 0; i < model.layers().size(); i++) {
      Layer layer = model.layers().get(i);
      Map<String, DoubleTensor> states = new LinkedHashMap<>();
      for (String s : layer.stateInputNames()) {
        states.put(s, DoubleTensor.of((FloatTensor) inputs.get(Sequential.stateInputName(layer, s))));
      }
      TraceSink sink = tracing ? new TraceSink() : null;
      outputs = RefLayers.forward(layer).forward(layer, new RefInput(x, steps, states), weights, sink);
      if (i == model.maskConsumer()) {
        outputs = List.of(compacted.restore(outputs.get(0), layer));
        steps = null; // the layers after it read every original step
      }
      if (tracing) {
        layers.add(new LayerTrace(i, layer, x, named(layer.outputNames(), outputs), sink.directions(), sink.internals()));
      }
      x = outputs.get(0);
    }
    List<String> names = model.outputs().stream().map(TensorSpec::name).toList();
    return new RefTrace(lengths, layers, named(names, outputs));
  }

  private static Map<String, DoubleTensor> named(List<String> names, List<DoubleTensor> values) {
    if (names.size() != values.size()) {
      throw new IllegalStateException("expected outputs " + names + ", computed " + values.size());
    }
    Map<String, DoubleTensor> m = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) {
      m.put(names.get(i), values.get(i));
    }
    return m;
  }
}
