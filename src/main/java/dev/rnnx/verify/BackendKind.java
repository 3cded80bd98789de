package dev.rnnx.verify;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The closed set of backends rnnx verifies, named in this one place. Each kind says what it runs
 * (the weights through the reference or a live TensorFlow session, an ONNX file, or a SavedModel),
 * whether it runs native code (and so may be isolated in a child process), and, for ONNX Runtime,
 * the graph optimisation level. Opening one goes through a {@link BackendOpener}, which the
 * packages that know the engines implement.
 */
public enum BackendKind {
  /** The pure-Java double-precision forward of an rnnx model's weights, rounded to float32. */
  REF("ref", Runs.WEIGHTS, false, null),
  /** The pure-Java ONNX evaluator on an ONNX file. */
  REF_ONNX("ref-onnx", Runs.ONNX, false, null),
  /** A live TensorFlow Java session built from an rnnx model's weights. */
  TF_JAVA("tf-java", Runs.WEIGHTS, true, null),
  /** A SavedModel loaded with TensorFlow Java's own {@code SavedModelBundle}, without DJL. */
  TF_SAVED_MODEL("tf-saved-model", Runs.SAVED_MODEL, true, null),
  /** An ONNX file on DJL's OnnxRuntime engine at ONNX Runtime's default level ({@code ALL}). */
  DJL_ORT("djl-ort", Runs.ONNX, true, OrtOptLevel.ALL),
  /** The same at {@code BASIC}. */
  DJL_ORT_BASIC("djl-ort-basic", Runs.ONNX, true, OrtOptLevel.BASIC),
  /** The same with graph rewrites disabled. */
  DJL_ORT_DISABLED("djl-ort-disabled", Runs.ONNX, true, OrtOptLevel.DISABLED),
  /** A SavedModel on DJL's TensorFlow engine. */
  DJL_TF("djl-tf", Runs.SAVED_MODEL, true, null),
  /** An ONNX file on ONNX Runtime's own Java API, without DJL, at {@code ALL}. */
  ORT("ort", Runs.ONNX, true, OrtOptLevel.ALL),
  /** The same at {@code BASIC}. */
  ORT_BASIC("ort-basic", Runs.ONNX, true, OrtOptLevel.BASIC),
  /** The same with graph rewrites disabled. */
  ORT_DISABLED("ort-disabled", Runs.ONNX, true, OrtOptLevel.DISABLED);

  /** What a backend kind runs. */
  public enum Runs {
    /** An rnnx model's weights (no artifact). */
    WEIGHTS,
    /** An ONNX file. */
    ONNX,
    /** A SavedModel folder. */
    SAVED_MODEL
  }

  /** The candidates of a run folder unless told otherwise, in report order. */
  public static final List<BackendKind> RUN_CANDIDATES = List.of(TF_JAVA, DJL_ORT, DJL_ORT_BASIC, DJL_ORT_DISABLED, DJL_TF, ORT);

  /** The candidates that {@code rnnx run} checks right after training. */
  public static final List<BackendKind> RUN_PIPELINE_CANDIDATES = List.of(TF_JAVA, DJL_ORT, DJL_TF);

  /** The candidates for an ONNX file from elsewhere unless told otherwise. */
  public static final List<BackendKind> ONNX_CANDIDATES = List.of(DJL_ORT, DJL_ORT_BASIC, DJL_ORT_DISABLED, ORT);

  /** The candidates for a SavedModel from elsewhere unless told otherwise. */
  public static final List<BackendKind> SAVED_MODEL_CANDIDATES = List.of(DJL_TF, TF_SAVED_MODEL);

  private final String id;
  private final Runs runs;
  private final boolean nativeCode;
  private final OrtOptLevel level;

  BackendKind(String id, Runs runs, boolean nativeCode, OrtOptLevel level) {
    this.id = id;
    this.runs = runs;
    this.nativeCode = nativeCode;
    this.level = level;
  }

  /** The name in reports and on the command line, e.g. {@code djl-ort-basic}. */
  public String id() {
    return id;
  }

  /** What the backend runs. */
  public Runs runs() {
    return runs;
  }

  /** Whether the backend runs an ONNX file. */
  public boolean runsOnnx() {
    return runs == Runs.ONNX;
  }

  /** Whether the backend runs a SavedModel folder. */
  public boolean runsSavedModel() {
    return runs == Runs.SAVED_MODEL;
  }

  /** Whether the backend runs native code, and so can be isolated in a child process. */
  public boolean isNative() {
    return nativeCode;
  }

  /** The ONNX Runtime graph optimisation level, or {@code null} for a backend that is not ONNX Runtime. */
  public OrtOptLevel ortLevel() {
    return level;
  }

  /**
   * Whether rnnx runs this backend in a child process even when verifying its own run folder: ONNX
   * Runtime's own Java API, whose one environment per process keeps DJL's OnnxRuntime engine from
   * starting in the same process.
   */
  public boolean isolatedByDefault() {
    return level != null && !onDjl();
  }

  /** Whether the backend runs on DJL (an engine behind DJL's {@code Model} API). */
  public boolean onDjl() {
    return id.startsWith("djl-");
  }

  /**
   * The engine that computes this backend's numbers: {@code rnnx reference forward} ({@code ref}),
   * {@code rnnx ONNX evaluator} ({@code ref-onnx}), {@code ONNX Runtime} (every {@code djl-ort*} and
   * {@code ort*}) or {@code TensorFlow} ({@code tf-java}, {@code tf-saved-model}, {@code djl-tf}).
   * Two backends on one engine share its kernels: their agreement is a consistency check, not parity.
   */
  public String engine() {
    return switch (this) {
      case REF -> "rnnx reference forward";
      case REF_ONNX -> "rnnx ONNX evaluator";
      case TF_JAVA, TF_SAVED_MODEL, DJL_TF -> "TensorFlow";
      default -> "ONNX Runtime";
    };
  }

  /**
   * Whether backends so named run on different engines ({@link #engine()}), so that their agreement
   * is independent evidence. A name may carry a variant suffix ({@code djl-ort[fp16]}); a name that
   * is no backend kind (a test double) counts as its own engine.
   */
  public static boolean independent(String a, String b) {
    if (!suffix(a).equals(suffix(b))) {
      return true; // a lightweight variant's file against the float32 one: another artifact, judged by its budget
    }
    BackendKind ka = find(a);
    BackendKind kb = find(b);
    if (ka == null || kb == null) {
      return !a.equals(b);
    }
    return !ka.engine().equals(kb.engine());
  }

  private static String suffix(String name) {
    int bracket = name.indexOf('[');
    return bracket < 0 ? "" : name.substring(bracket);
  }

  /** The kind a report name denotes ({@code djl-ort[fp16]} is {@code djl-ort}), or {@code null}. */
  static BackendKind find(String name) {
    int bracket = name.indexOf('[');
    String id = bracket < 0 ? name : name.substring(0, bracket);
    for (BackendKind k : values()) {
      if (k.id.equals(id)) {
        return k;
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return id;
  }

  /**
   * The kind named {@code id}.
   *
   * @throws IllegalArgumentException listing every name
   */
  public static BackendKind parse(String id) {
    for (BackendKind k : values()) {
      if (k.id.equals(id.strip().toLowerCase(Locale.ROOT))) {
        return k;
      }
    }
    throw new IllegalArgumentException("unknown backend '" + id + "', expected one of " + ids());
  }

  /** The kinds named by a list. */
  public static List<BackendKind> parseAll(List<String> ids) {
    return ids.stream().map(BackendKind::parse).toList();
  }

  /** Every name, in declaration order. */
  public static List<String> ids() {
    return Arrays.stream(values()).map(BackendKind::id).toList();
  }
}
