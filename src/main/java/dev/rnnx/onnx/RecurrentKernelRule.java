package dev.rnnx.onnx;

import dev.rnnx.onnx.GraphFacts.Fact;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What ONNX Runtime's {@code RNN}, {@code GRU} and {@code LSTM} kernels assume and do not all
 * check themselves: {@code X, W, R} given; {@code W [dirs, g·H, I]}, {@code R [dirs, g·H, H]},
 * {@code B [dirs, 2·g·H]}, {@code P [dirs, 3·H]} and the initial states {@code [dirs, batch, H]}
 * (batch first with {@code layout=1}) with no zero axis; {@code sequence_lens [batch]} of int32;
 * {@code direction}, {@code hidden_size > 0}, {@code clip > 0}; {@code activations} of the known
 * names, one set per direction or one for both, never an empty list; {@code activation_alpha} and
 * {@code activation_beta} never given as empty lists.
 */
final class RecurrentKernelRule {

  private static final Set<String> ACTIVATIONS = Set.of("relu", "tanh", "sigmoid", "affine", "leakyrelu",
      "thresholdedrelu", "scaledtanh", "hardsigmoid", "elu", "softsign", "softplus");
  private static final Set<String> ALPHA = Set.of("affine", "leakyrelu", "thresholdedrelu", "scaledtanh", "hardsigmoid", "elu");
  private static final Set<String> BETA = Set.of("affine", "scaledtanh", "hardsigmoid");

  private RecurrentKernelRule() {}

  static void check(NodeCheck c) {
    String op = c.node().getOpType();
    boolean lstm = op.equals("LSTM");
    int gates = switch (op) {
      case "LSTM" -> 4;
      case "GRU" -> 3;
      default -> 1;
    };
    int perDirection = switch (op) {
      case "LSTM" -> 3;
      case "GRU" -> 2;
      default -> 1;
    };
    c.arity(lstm ? 8 : 6, lstm ? 3 : 2);
    c.require(0, "X");
    c.require(1, "W");
    c.require(2, "R");
    String[] roles = lstm
        ? new String[] {"X", "W", "R", "B", "sequence_lens", "initial_h", "initial_c", "P"}
        : new String[] {"X", "W", "R", "B", "sequence_lens", "initial_h"};
    for (int i = 0; i < roles.length; i++) {
      if (i == 4) {
        c.type(i, roles[i], Set.of(NodeCheck.INT32));
      } else {
        c.type(i, roles[i], NodeCheck.FLOATS);
        if (i > 0) {
          c.sameType(i, roles[i], 0, "X");
        }
      }
    }
    String direction = c.attrString("direction");
    int dirs = 1;
    if (direction != null) {
      switch (direction) {
        case "forward", "reverse" -> dirs = 1;
        case "bidirectional" -> dirs = 2;
        default -> throw c.failAttr("direction", "forward, reverse or bidirectional", "'" + direction + "'");
      }
    }
    Long layoutAttr = c.attrInt("layout");
    long layout = layoutAttr == null || c.opset() < 14 ? 0 : layoutAttr;
    if (layout != 0 && layout != 1) {
      throw c.failAttr("layout", "0 or 1", Long.toString(layout));
    }
    Long hiddenAttr = c.attrInt("hidden_size");
    if (hiddenAttr != null && hiddenAttr <= 0) {
      throw c.failAttr("hidden_size", "a positive size", Long.toString(hiddenAttr));
    }
    Float clip = c.attrFloat("clip");
    if (clip != null && !(clip > 0)) {
      throw c.failAttr("clip", "a positive threshold", Float.toString(clip));
    }
    activations(c, perDirection, dirs);
    for (int i = 0; i < roles.length; i++) {
      Fact f = c.in(i);
      if (f != null && f.dims() != null) {
        for (long d : f.dims()) {
          if (d == 0 && i != 0 && i != 4) {
            throw c.failInput(i, roles[i], "no zero axis", "shape " + NodeCheck.str(f.dims()));
          }
        }
      }
    }
    c.rank(0, "X", 3);
    c.rank(1, "W", 3);
    c.rank(2, "R", 3);
    Fact r = c.in(2);
    long hidden = hiddenAttr != null ? hiddenAttr : r != null ? r.dim(2) : -1;
    Fact x = c.in(0);
    Fact w = c.in(1);
    long input = w != null && w.dim(2) >= 0 ? w.dim(2) : x != null ? x.dim(2) : -1;
    long batch = x == null ? -1 : x.dim(layout == 0 ? 1 : 0);
    long gh = hidden < 0 ? -1 : gates * hidden;
    String h = hiddenAttr != null ? "hidden_size" : "H";
    String g = gates + "·" + h;
    c.shape(1, "W", new long[] {dirs, gh, input}, "[num_directions=" + dirs + ", " + g + "=" + NodeCheck.q(gh) + ", input_size=" + NodeCheck.q(input) + "]");
    c.shape(0, "X", new long[] {-1, -1, input},
        (layout == 0 ? "[seq_length, batch_size, " : "[batch_size, seq_length, ") + "input_size=" + NodeCheck.q(input) + " (W's axis 2)]");
    c.shape(2, "R", new long[] {dirs, gh, hidden}, "[num_directions=" + dirs + ", " + g + "=" + NodeCheck.q(gh) + ", " + h + "=" + NodeCheck.q(hidden) + "]");
    c.shape(3, "B", new long[] {dirs, gh < 0 ? -1 : 2 * gh}, "[num_directions=" + dirs + ", 2·" + g + "=" + NodeCheck.q(gh < 0 ? -1 : 2 * gh) + "]");
    c.shape(4, "sequence_lens", new long[] {batch}, "[batch_size=" + NodeCheck.q(batch) + "]");
    long[] state = layout == 0 ? new long[] {dirs, batch, hidden} : new long[] {batch, dirs, hidden};
    String stateWhat = layout == 0 ? "[num_directions=" + dirs + ", batch_size=" + NodeCheck.q(batch) + ", " + h + "=" + NodeCheck.q(hidden) + "]"
        : "[batch_size=" + NodeCheck.q(batch) + ", num_directions=" + dirs + ", " + h + "=" + NodeCheck.q(hidden) + "]";
    c.shape(5, "initial_h", state, stateWhat);
    if (lstm) {
      c.shape(6, "initial_c", state, stateWhat);
      c.shape(7, "P", new long[] {dirs, hidden < 0 ? -1 : 3 * hidden}, "[num_directions=" + dirs + ", 3·" + h + "=" + NodeCheck.q(hidden < 0 ? -1 : 3 * hidden) + "]");
    }
  }

  private static void activations(NodeCheck c, int perDirection, int dirs) {
    List<String> names = c.attrStrings("activations");
    int alphaUsers = 0;
    int betaUsers = 0;
    if (names != null) {
      if (names.size() != perDirection && names.size() != perDirection * dirs) {
        throw c.failAttr("activations", perDirection + (dirs == 2 ? " or " + 2 * perDirection : "") + " names",
            names.size() + " " + NodeCheck.list(names));
      }
      for (String n : names) {
        String lc = n.toLowerCase(Locale.ROOT);
        if (!ACTIVATIONS.contains(lc)) {
          throw c.failAttr("activations", "names among Relu, Tanh, Sigmoid, Affine, LeakyRelu, ThresholdedRelu,"
              + " ScaledTanh, HardSigmoid, Elu, Softsign, Softplus", "'" + n + "'");
        }
        alphaUsers += ALPHA.contains(lc) ? 1 : 0;
        betaUsers += BETA.contains(lc) ? 1 : 0;
      }
    }
    listLength(c, "activation_alpha", c.attrFloats("activation_alpha"), alphaUsers);
    listLength(c, "activation_beta", c.attrFloats("activation_beta"), betaUsers);
  }

  private static void listLength(NodeCheck c, String name, List<Float> values, int users) {
    if (values != null && values.isEmpty()) {
      throw c.failAttr(name, "at least one value when given (activations that read it: " + users + ")", "an empty list");
    }
  }
}
