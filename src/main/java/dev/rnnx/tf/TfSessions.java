package dev.rnnx.tf;

import dev.rnnx.spec.Layer;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.RewriterConfig;

/**
 * Opens every session of this package. By default with one intra-op thread, so that every
 * kernel's summation order is fixed, and one inter-op thread; a training session of a model with
 * a wide LSTM gets two inter-op threads ({@link Config#forTraining}), which change the schedule
 * but no value.
 *
 * <p>The system properties {@value #INTRA_OP_THREADS} and {@value #INTER_OP_THREADS} change the
 * thread counts of every session opened afterwards (the benchmarks serve with 2 intra-op threads,
 * as ONNX Runtime does; docs/PERFORMANCE.md). A fixed count of two still gave bit-identical
 * training runs on the reference machine, but weights trained with one count differ in the last
 * bits from weights trained with another.
 */
final class TfSessions {

  /** System property: intra-op threads of every session (default 1). */
  static final String INTRA_OP_THREADS = "rnnx.tf.intra_op_threads";

  /** System property: inter-op threads of every session (default 1; see {@link Config#forTraining}). */
  static final String INTER_OP_THREADS = "rnnx.tf.inter_op_threads";

  /**
   * How a session is configured.
   *
   * @param intraOp threads inside one kernel, 0 for TensorFlow's choice (one per core)
   * @param interOp threads running independent kernels, 0 for TensorFlow's choice
   * @param rewrites Grappler's graph rewrites: {@code true} for TensorFlow's defaults,
   *     {@code false} for every optional rewrite off but constant folding (a graph with
   *     tensorflow-framework optimiser slots initialises only with it: their initialisers read
   *     the variable through {@code ZerosLike}, which constant folding replaces by a constant)
   */
  record Config(int intraOp, int interOp, boolean rewrites) {

    Config {
      if (intraOp < 0 || interOp < 0) {
        throw new IllegalArgumentException("thread counts must be 0 (TensorFlow's choice) or more, got intra " + intraOp
            + ", inter " + interOp);
      }
    }

    /**
     * A training session's settings: two inter-op threads where a model has a layer with
     * parallel per-gate products ({@link TfLayerBuilder#parallelGates}: an LSTM of
     * {@link Cell.LstmCell#PER_GATE_UNITS} units or more), which they run side by side, else one; one intra-op thread, so that every kernel sums in one fixed order and the
     * trained weights do not depend on the schedule. The system properties override both.
     */
    static Config forTraining(List<Layer> layers) {
      boolean wide = false;
      for (Layer l : layers) {
        wide |= TfLayers.builder(l.kind()).parallelGates(l);
      }
      return new Config(Integer.getInteger(INTRA_OP_THREADS, 1), Integer.getInteger(INTER_OP_THREADS, wide ? 2 : 1), true);
    }

    /** The defaults, changed by the system properties. */
    static Config fromSystemProperties() {
      return new Config(Integer.getInteger(INTRA_OP_THREADS, 1), Integer.getInteger(INTER_OP_THREADS, 1), true);
    }

    ConfigProto proto() {
      ConfigProto.Builder b = ConfigProto.newBuilder().setIntraOpParallelismThreads(intraOp).setInterOpParallelismThreads(interOp);
      if (!rewrites) {
        RewriterConfig.Toggle off = RewriterConfig.Toggle.OFF;
        b.setGraphOptions(GraphOptions.newBuilder().setRewriteOptions(RewriterConfig.newBuilder()
            .setArithmeticOptimization(off).setLayoutOptimizer(off).setRemapping(off)
            .setDependencyOptimization(off).setLoopOptimization(off).setFunctionOptimization(off)
            .setShapeOptimization(off).setMemoryOptimization(RewriterConfig.MemOptType.NO_MEM_OPT)
            .setCommonSubgraphElimination(off).setDebugStripper(off).setPinToHostOptimization(off)
            .setImplementationSelector(off).setScopedAllocatorOptimization(off)
            .build()));
      }
      return b.build();
    }
  }

  private TfSessions() {}

  static Session open(Graph graph) {
    return open(graph, Config.fromSystemProperties());
  }

  static Session open(Graph graph, Config config) {
    return new Session(graph, config.proto());
  }
}
