package dev.rnnx.onnx;

import ai.onnx.proto.OnnxMl;
import dev.rnnx.spec.Layer;
import dev.rnnx.spec.Lstm;
import dev.rnnx.spec.Shape;
import dev.rnnx.weights.Weights;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link Lstm} as ONNX's native {@code LSTM} op, never unrolled.
 *
 * <pre>
 * input [B, T, I] ─Transpose(1,0,2)─▶ X [T, B, I] ─LSTM─▶ Y [T, 1, B, H], Y_h [1, B, H], Y_c [1, B, H]
 *   return_sequences:  Y ─Squeeze(1)─▶ [T, B, H] ─Transpose(1,0,2)─▶ output [B, T, H]
 *   otherwise:         Y_h ─Squeeze(0)─▶ output [B, H]
 *   return_state:      Y_h ─Squeeze(0)─▶ state_h (Identity of output when that is Y_h), Y_c ─Squeeze(0)─▶ state_c
 * </pre>
 *
 * <p>The op runs time-major ({@code layout=0}) because ONNX Runtime's CPU kernels reject
 * {@code layout=1} (flag {@code rnn_layout_1} in {@code converters/runtimes.yaml}). Keras's kernel
 * {@code [I, 4H]}, recurrent kernel {@code [H, 4H]} and bias {@code [4H]} (gates i, f, c, o) become
 * {@code W [1, 4H, I]}, {@code R [1, 4H, H]} and {@code B [1, 8H]} (gates i, o, f, c; input bias
 * then a zero recurrent bias) through {@link GateLayout}. The {@code activations} attribute is
 * {@code [f, g, h] = [recurrent_activation, activation, activation]}.
 */
final class LstmConverter implements LayerConverter {

  private static final String CELL = "lstm";

  private final GateLayout gates;

  LstmConverter(GateLayout gates) {
    this.gates = gates;
  }

  @Override
  public void convert(Layer layer, Shape inputShape, String input, List<String> outputs, Weights weights,
      GraphBuilder graph) {
    Lstm lstm = (Lstm) layer;
    String n = lstm.name();
    String f = ActivationOps.recurrentName(n, lstm.recurrentActivation());
    String g = ActivationOps.recurrentName(n, lstm.activation());

    String x = n + "/X";
    graph.transpose(n + "/to_time_major", input, x, 1, 0, 2);

    List<String> inputs = new ArrayList<>(List.of(x,
        graph.initializer(n + "/W", gates.convertKernel(weights.get(n + "/kernel"), CELL, GateLayout.KERAS, GateLayout.ONNX)),
        graph.initializer(n + "/R",
            gates.convertKernel(weights.get(n + "/recurrent_kernel"), CELL, GateLayout.KERAS, GateLayout.ONNX))));
    if (lstm.useBias()) {
      inputs.add(graph.initializer(n + "/B", gates.onnxBias(weights.get(n + "/bias"), null, CELL, GateLayout.KERAS)));
    }

    boolean needY = lstm.returnSequences();
    boolean needH = !lstm.returnSequences() || lstm.returnState();
    boolean needC = lstm.returnState();
    String y = needY ? n + "/Y" : "";
    String yh = needH ? n + "/Y_h" : "";
    String yc = needC ? n + "/Y_c" : "";

    List<OnnxMl.AttributeProto> attributes = new ArrayList<>(List.of(
        GraphBuilder.integer("hidden_size", lstm.units()),
        GraphBuilder.strings("activations", List.of(f, g, g)),
        GraphBuilder.string("direction", "forward")));
    if (graph.opVersion("LSTM") >= 14) {
      attributes.add(GraphBuilder.integer("layout", 0));
    }
    graph.node("LSTM", n + "/LSTM", inputs, List.of(y, yh, yc),
        attributes.toArray(OnnxMl.AttributeProto[]::new));

    String output = outputs.get(0);
    if (lstm.returnSequences()) {
      String ySqueezed = n + "/Y_squeezed";
      graph.squeeze(n + "/squeeze_Y", y, ySqueezed, 1);
      graph.transpose(n + "/to_batch_major", ySqueezed, output, 1, 0, 2);
    } else {
      graph.squeeze(n + "/squeeze_Y_h", yh, output, 0);
    }
    if (lstm.returnState()) {
      if (lstm.returnSequences()) {
        graph.squeeze(n + "/squeeze_state_h", yh, outputs.get(1), 0);
      } else {
        graph.node("Identity", n + "/state_h", List.of(output), List.of(outputs.get(1)));
      }
      graph.squeeze(n + "/squeeze_state_c", yc, outputs.get(2), 0);
    }
  }
}
