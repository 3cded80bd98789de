package dev.rnnx.djl;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.List;
import java.util.Locale;

/**
 * ONNX Runtime session options for a model served on DJL's OnnxRuntime engine. DJL 0.36's
 * {@code OrtModel} reads string options ({@code intraOpNumThreads}, {@code optLevel}, …) but has
 * none for ORT's session configuration entries, so rnnx builds the {@link OrtSession.SessionOptions}
 * itself and hands it to DJL under the option key {@value #DJL_SESSION_OPTIONS_KEY}, which
 * {@code OrtModel} takes as its base.
 *
 * <p>{@link #DEFAULTS} are rnnx's serving defaults, chosen by measurement on a 2-core machine
 * (docs/SERVING.md, {@code OrtOptionsBenchmark}): one intra-op thread and spinning off. Spinning
 * keeps ORT's pool threads busy waiting for work after each call; on shared cores it made one
 * caller's batch-1 call 5.9× slower and 16 callers' batch-32 calls 3.5× slower. A second intra-op
 * thread sped up a lone caller's batch-32 call by 17 % but made calls 4× slower once 16 callers kept
 * both cores busy, and the pool already runs one call per core. {@link #ENGINE_DEFAULTS} leaves
 * every choice to ONNX Runtime (threads = physical cores, spinning on).
 *
 * @param intraOpThreads threads inside one operator; 0 lets ONNX Runtime choose (one per physical core)
 * @param interOpThreads threads across operators (parallel execution mode only); 0 lets ONNX Runtime choose
 * @param spinning whether idle pool threads spin waiting for work ({@value #ALLOW_SPINNING_INTRA} and
 *     {@value #ALLOW_SPINNING_INTER})
 * @param optLevel graph optimisation: {@code NO_OPT}, {@code BASIC_OPT}, {@code EXTENDED_OPT} or
 *     {@code ALL_OPT} (ORT Java's {@code OptLevel} names)
 */
public record OrtOptions(int intraOpThreads, int interOpThreads, boolean spinning, String optLevel) {

  /** The key under which DJL's {@code OrtModel} takes a ready {@link OrtSession.SessionOptions}. */
  public static final String DJL_SESSION_OPTIONS_KEY = "sessionOptions";
  /** ORT's session configuration entry for spinning in the intra-op pool. */
  public static final String ALLOW_SPINNING_INTRA = "session.intra_op.allow_spinning";
  /** ORT's session configuration entry for spinning in the inter-op pool. */
  public static final String ALLOW_SPINNING_INTER = "session.inter_op.allow_spinning";

  private static final List<String> LEVELS = List.of("NO_OPT", "BASIC_OPT", "EXTENDED_OPT", "ALL_OPT");

  /** rnnx's serving defaults: one intra-op thread, one inter-op thread, spinning off, all optimisations. */
  public static final OrtOptions DEFAULTS = new OrtOptions(1, 1, false, "ALL_OPT");

  /** ONNX Runtime's own defaults: it picks the thread counts, spinning on, all optimisations. */
  public static final OrtOptions ENGINE_DEFAULTS = new OrtOptions(0, 0, true, "ALL_OPT");

  /** Validates the options. */
  public OrtOptions {
    if (intraOpThreads < 0 || intraOpThreads > 256) {
      throw new IllegalArgumentException("intra-op threads is " + intraOpThreads + ", expected 0 (ONNX Runtime chooses) … 256");
    }
    if (interOpThreads < 0 || interOpThreads > 256) {
      throw new IllegalArgumentException("inter-op threads is " + interOpThreads + ", expected 0 (ONNX Runtime chooses) … 256");
    }
    optLevel = optLevel == null ? "ALL_OPT" : optLevel.toUpperCase(Locale.ROOT);
    if (!LEVELS.contains(optLevel)) {
      throw new IllegalArgumentException("optimisation level '" + optLevel + "', expected one of " + LEVELS);
    }
  }

  /** The same options with another intra-op thread count. */
  public OrtOptions withIntraOpThreads(int threads) {
    return new OrtOptions(threads, interOpThreads, spinning, optLevel);
  }

  /** The same options with spinning on or off. */
  public OrtOptions withSpinning(boolean on) {
    return new OrtOptions(intraOpThreads, interOpThreads, on, optLevel);
  }

  /** The same options with another optimisation level. */
  public OrtOptions withOptLevel(String level) {
    return new OrtOptions(intraOpThreads, interOpThreads, spinning, level);
  }

  /**
   * The ONNX Runtime session options these stand for; the caller closes them after the session
   * (DJL's {@code OrtModel} does not close options it was given).
   */
  OrtSession.SessionOptions toSessionOptions() {
    OrtSession.SessionOptions o = new OrtSession.SessionOptions();
    try {
      if (intraOpThreads > 0) {
        o.setIntraOpNumThreads(intraOpThreads);
      }
      if (interOpThreads > 0) {
        o.setInterOpNumThreads(interOpThreads);
      }
      o.addConfigEntry(ALLOW_SPINNING_INTRA, spinning ? "1" : "0");
      o.addConfigEntry(ALLOW_SPINNING_INTER, spinning ? "1" : "0");
      o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.valueOf(optLevel));
      return o;
    } catch (OrtException | RuntimeException e) {
      o.close();
      throw new IllegalStateException("ONNX Runtime refused the session options " + this + ": " + e.getMessage(), e);
    }
  }
}
