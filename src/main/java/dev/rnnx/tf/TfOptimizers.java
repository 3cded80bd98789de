package dev.rnnx.tf;

import dev.rnnx.spec.Clipping;
import dev.rnnx.spec.OptimizerKind;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.framework.optimizers.Adam;
import org.tensorflow.framework.optimizers.GradientDescent;
import org.tensorflow.framework.optimizers.Momentum;
import org.tensorflow.framework.optimizers.Optimizer;
import org.tensorflow.framework.optimizers.Optimizer.GradAndVar;
import org.tensorflow.framework.optimizers.RMSProp;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TType;

/**
 * The tensorflow-framework optimiser of each {@link OptimizerKind}, wired so that a step is
 * deterministic.
 *
 * <p>The framework's optimisers update reference variables in place, and its {@code minimize}
 * lets an update start as soon as that variable's own gradient exists, while other gradient ops
 * may still be reading the variable: the result then depends on thread timing. {@link #minimize}
 * therefore makes every update wait for every gradient (TF1's {@code GATE_GRAPH}). Adam has a
 * second race of the same kind, fixed by {@link GatedAdam}. Gradients are clipped
 * ({@link TfClipping}) before the gate.
 */
final class TfOptimizers {

  /** The momentum {@link OptimizerKind#MOMENTUM} promises. */
  static final float MOMENTUM = 0.9f;

  private TfOptimizers() {}

  /**
   * The training op: one gated optimisation step on {@code loss}. The optimiser trains every
   * {@code VariableV2} in the graph, so the graph must hold no other variables.
   */
  static Op minimize(Graph graph, Ops tf, OptimizerKind kind, double learningRate, Clipping clipping, Operand<TFloat32> loss,
      String name) {
    Optimizer optimizer = create(graph, kind, learningRate);
    List<GradAndVar<?>> gradients = optimizer.computeGradients(loss);
    List<Operand<TFloat32>> raw = new ArrayList<>();
    for (GradAndVar<?> g : gradients) {
      if (g.getGradient().type() != TFloat32.class) {
        throw new IllegalStateException("variable " + g.getVariable().op().name() + " is not float32");
      }
      raw.add(TfClipping.floats(g.getGradient()));
    }
    List<Operand<TFloat32>> clipped = TfClipping.clip(tf, clipping, raw);
    List<Op> all = new ArrayList<>(clipped);
    Ops gate = tf.withControlDependencies(all);
    List<GradAndVar<? extends TType>> gated = new ArrayList<>();
    for (int i = 0; i < gradients.size(); i++) {
      gated.add(new GradAndVar<>(gate.identity(clipped.get(i)).asOutput(), floatVariable(gradients.get(i))));
    }
    return optimizer.applyGradients(gated, name);
  }

  @SuppressWarnings("unchecked")
  private static Output<TFloat32> floatVariable(GradAndVar<?> g) {
    return (Output<TFloat32>) g.getVariable();
  }

  private static Optimizer create(Graph graph, OptimizerKind kind, double learningRate) {
    float lr = (float) learningRate;
    return switch (kind) {
      case SGD -> new GradientDescent(graph, lr);
      case MOMENTUM -> new Momentum(graph, lr, MOMENTUM, false);
      case ADAM -> new GatedAdam(graph, lr); // betas 0.9 / 0.999, epsilon 1e-8
      case RMSPROP -> new RMSProp(graph, lr); // decay 0.9, no momentum, epsilon 1e-10, not centred
    };
  }

  /**
   * Adam with TF's defaults whose bias-correction powers advance only after every variable has
   * been updated. The framework's own {@code Adam.finish} assigns {@code beta1_power} and
   * {@code beta2_power} without waiting for the {@code ApplyAdam} ops that read them, so some
   * variables would randomly see the next step's powers.
   */
  static final class GatedAdam extends Adam {

    GatedAdam(Graph graph, float learningRate) {
      super(graph, learningRate);
    }

    @Override
    protected Op finish(List<Op> updates, String name) {
      Ops after = tf.withControlDependencies(updates);
      List<Op> all = new ArrayList<>(updates);
      all.add(advance(after, "beta1_power", BETA_ONE_DEFAULT));
      all.add(advance(after, "beta2_power", BETA_TWO_DEFAULT));
      return tf.withControlDependencies(all).withName(name).noOp();
    }

    private Op advance(Ops after, String power, float beta) {
      Variable<TFloat32> variable = new Variable<>(findVariable(power));
      return after.assign(variable, after.math.mul(variable, after.constant(beta)));
    }

    private GraphOperation findVariable(String power) {
      GraphOperation found = null;
      var ops = graph.operations();
      while (ops.hasNext()) {
        GraphOperation op = ops.next();
        if (op.type().equals(VARIABLE_V2) && (op.name().equals(power) || op.name().endsWith("/" + power))) {
          if (found != null) {
            throw new IllegalStateException("two Adam variables named '" + power + "' in one graph");
          }
          found = op;
        }
      }
      if (found == null) {
        throw new IllegalStateException("Adam's variable '" + power + "' is not in the graph");
      }
      return found;
    }
  }
}
