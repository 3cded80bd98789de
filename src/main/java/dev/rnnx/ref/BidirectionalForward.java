package dev.rnnx.ref;

import dev.rnnx.spec.Bidirectional;
import dev.rnnx.spec.MergeMode;
import dev.rnnx.spec.RecurrentLayer;
import dev.rnnx.weights.Weights;
import java.util.ArrayList;
import java.util.List;

/**
 * The forward of {@link Bidirectional}: the wrapped layer's cell run forwards with the
 * {@code <name>/forward/} parameters and backwards with the {@code <name>/backward/} ones. The
 * backward sequence stays in input time (step t holds the state after reading x[L−1] … x[t]), so
 * that both halves of step t belong to input step t; both are zero past L. The last output merges
 * the forward state after x[L−1] with the backward state after x[0]. With
 * {@link Bidirectional#reversed()} (Keras's Bidirectional around a {@code go_backwards} layer) the
 * {@code forward} parameters read backwards and the {@code backward} ones forwards, and both
 * sequences are put in processing order (entry p from input step L−1−p) before the merge, as
 * Keras's {@code merge(y, reverse(y_rev))} gives them.
 */
final class BidirectionalForward implements RefForward<Bidirectional> {

  @Override
  public List<DoubleTensor> forward(Bidirectional layer, RefInput input, Weights weights, TraceSink sink) {
    RecurrentRun.checkInput(layer.name(), input);
    RecurrentLayer inner = layer.layer();
    DoubleTensor x = input.x();
    int batch = x.dim(0);
    int time = x.dim(1);
    int h = inner.units();
    boolean sequences = inner.returnSequences();
    RecurrentRun.Result[] halves = new RecurrentRun.Result[2];
    RecurrentCell[] cells = new RecurrentCell[2];
    List<List<DoubleTensor>> initials = new ArrayList<>();
    for (int d = 0; d < 2; d++) {
      String direction = Bidirectional.DIRECTIONS.get(d);
      cells[d] = RecurrentCell.of(inner, layer.directionPrefix(direction), weights, x.dim(2));
      List<DoubleTensor> initial = null;
      if (inner.stateInputs()) {
        List<String> names = inner.states().stream().map(s -> direction + "_" + s).toList();
        initial = RecurrentRun.initialStates(layer.name(), input, names, h);
      }
      initials.add(initial);
    }
    List<RecurrentTrace> steps = TraceSink.steps(sink);
    RefKernels.RowRange directions = (from, to) -> {
      for (int d = from; d < to; d++) {
        halves[d] = RecurrentRun.run(cells[d], x, input.lengths(), initials.get(d),
            layer.readsBackwards(Bidirectional.DIRECTIONS.get(d)), sequences,
            Bidirectional.DIRECTIONS.get(d), steps);
      }
    };
    if (steps != null || RefKernels.naive()) {
      directions.run(0, 2); // traces list forward first, then backward
    } else { // the two directions are independent
      RefKernels.forRows(2, (long) batch * time * cells[0].blocks * h * (x.dim(2) + h) * 2, directions);
    }
    List<DoubleTensor> outputs = new ArrayList<>();
    if (sequences) {
      double[] first = halves[0].sequence();
      double[] second = halves[1].sequence();
      if (layer.reversed()) { // both in input time: Keras's y in processing order, y_rev reversed
        first = RecurrentRun.processingOrder(first, batch, time, h, input.lengths());
        second = RecurrentRun.processingOrder(second, batch, time, h, input.lengths());
      }
      outputs.add(new DoubleTensor(new long[] {batch, time, layer.outputUnits()},
          merge(layer.mergeMode(), first, second, batch * time, h)));
    } else {
      outputs.add(new DoubleTensor(new long[] {batch, layer.outputUnits()},
          merge(layer.mergeMode(), halves[0].finals()[0], halves[1].finals()[0], batch, h)));
    }
    if (inner.returnState()) {
      for (RecurrentRun.Result half : halves) {
        for (double[] f : half.finals()) {
          outputs.add(new DoubleTensor(new long[] {batch, h}, f));
        }
      }
    }
    return outputs;
  }

  /** Merges {@code rows} rows of {@code h} values; concat puts forward first. */
  static double[] merge(MergeMode mode, double[] forward, double[] backward, int rows, int h) {
    if (mode == MergeMode.CONCAT) {
      double[] out = new double[rows * 2 * h];
      for (int r = 0; r < rows; r++) {
        System.arraycopy(forward, r * h, out, r * 2 * h, h);
        System.arraycopy(backward, r * h, out, r * 2 * h + h, h);
      }
      return out;
    }
    double[] out = new double[rows * h];
    for (int i = 0; i < out.length; i++) {
      out[i] = mode.merge(forward[i], backward[i]);
    }
    return out;
  }
}
