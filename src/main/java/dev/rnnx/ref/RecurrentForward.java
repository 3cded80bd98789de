package dev.rnnx.ref;

import dev.rnnx.spec.RecurrentLayer;
import dev.rnnx.weights.Weights;
import java.util.ArrayList;
import java.util.List;

/**
 * The forward of {@link dev.rnnx.spec.SimpleRnn}, {@link dev.rnnx.spec.Lstm} and
 * {@link dev.rnnx.spec.Gru}: the layer's cell run over each sequence's first L steps, forwards or
 * (with {@code go_backwards}) backwards, from zero or given initial states. With
 * {@code return_sequences} the output is in processing order and zero past L.
 */
final class RecurrentForward implements RefForward<RecurrentLayer> {

  @Override
  public List<DoubleTensor> forward(RecurrentLayer layer, RefInput input, Weights weights, TraceSink sink) {
    RecurrentRun.checkInput(layer.name(), input);
    DoubleTensor x = input.x();
    int batch = x.dim(0);
    int time = x.dim(1);
    int h = layer.units();
    int[] lengths = input.lengths();
    RecurrentCell cell = RecurrentCell.of(layer, layer.name() + "/", weights, x.dim(2));
    List<DoubleTensor> initial = layer.stateInputs()
        ? RecurrentRun.initialStates(layer.name(), input, layer.states(), h) : null;
    boolean back = layer.goBackwards();
    RecurrentRun.Result r = RecurrentRun.run(cell, x, lengths, initial, back, layer.returnSequences(),
        back ? "backward" : "forward", TraceSink.steps(sink));
    List<DoubleTensor> outputs = new ArrayList<>();
    if (layer.returnSequences()) {
      double[] seq = back ? RecurrentRun.processingOrder(r.sequence(), batch, time, h, lengths) : r.sequence();
      outputs.add(new DoubleTensor(new long[] {batch, time, h}, seq));
    } else {
      outputs.add(new DoubleTensor(new long[] {batch, h}, r.finals()[0].clone()));
    }
    if (layer.returnState()) {
      for (double[] f : r.finals()) {
        outputs.add(new DoubleTensor(new long[] {batch, h}, f));
      }
    }
    return outputs;
  }
}
