package dev.rnnx.cli;

import dev.rnnx.onnx.ModelVariant;
import dev.rnnx.pipeline.EngineBackends;
import dev.rnnx.verify.BackendKind;
import dev.rnnx.verify.Criterion;
import dev.rnnx.verify.ErrorStat;
import dev.rnnx.verify.ParityCriteria;
import dev.rnnx.verify.Verification;
import dev.rnnx.verify.VerifyOptions;
import dev.rnnx.verify.VerifyReport;
import dev.rnnx.verify.VerifyReports;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * {@code rnnx verify RUN_DIR} or {@code rnnx verify --onnx F --saved-model D}: parity across
 * backends with Polygraphy's comparison, localisation of the first divergence, and reports.
 */
@Command(name = "verify", mixinStandardHelpOptions = true, sortOptions = false,
    header = "Check that every backend computes what the reference computes.",
    description = {
      "Verify parity across backends. With RUN_DIR (the output of 'rnnx run', any model kind): for every form of the"
          + " model, the reference forward of its weights (ref) against tf-java, djl-ort at optimisation levels all, basic"
          + " and disabled, djl-tf and ort. With --onnx and/or --saved-model (artifacts from elsewhere): the pure-Java ONNX"
          + " evaluator (ref-onnx) against every native backend, each in its own child process.",
      "Prints the parity table of every form and where each failing ONNX candidate first diverges (layer, time step,"
          + " gate; or the first ONNX value), and writes report.json, report.html, junit.xml and golden/test_data_set_N"
          + " (golden/<form>/ for a model of several forms; RUN_DIR/verify by default). docs/VERIFY.md documents the"
          + " report."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:parity holds", "1:parity does not hold", "2:bad input (model file, inputs, names, options)",
        "3:internal failure",
        "4:unverified: nothing failed, but no independent reference judged every case (each listed with its reason)"})
final class VerifyCommand implements Callable<Integer> {

  @Parameters(index = "0", arity = "0..1", paramLabel = "RUN_DIR", description = "Output folder of 'rnnx run'.")
  Path runDir;

  @Option(names = "--onnx", paramLabel = "FILE", description = "An ONNX model (from anywhere).")
  Path onnx;

  @Option(names = "--saved-model", paramLabel = "DIR", description = "A TensorFlow SavedModel folder (from anywhere).")
  Path savedModel;

  @Option(names = "--reference-onnx", paramLabel = "FILE", description = "An ONNX file whose pure-Java evaluation is the"
      + " truth (e.g. the model before an edit or re-export); the candidates run --onnx, and a failing one is localised to"
      + " the first node, step and gate that depart from it.")
  Path referenceOnnx;

  @Option(names = "--signature", paramLabel = "KEY", defaultValue = "serving_default",
      description = "SavedModel signature (default: ${DEFAULT-VALUE}).")
  String signature;

  @Option(names = "--atol", paramLabel = "[OUTPUT:]A", description = "Absolute tolerance, for every output or one"
      + " (repeatable; default 1e-5, or the recipe's).")
  List<String> atol = new ArrayList<>();

  @Option(names = "--rtol", paramLabel = "[OUTPUT:]R", description = "Relative tolerance, for every output or one"
      + " (repeatable; default 1e-5, or the recipe's).")
  List<String> rtol = new ArrayList<>();

  @Option(names = "--check-error-stat", paramLabel = "[OUTPUT:]STAT", description = "elemwise (default), max, mean, median"
      + " or quantile, for every output or one (repeatable).")
  List<String> stat = new ArrayList<>();

  @Option(names = "--error-quantile", paramLabel = "Q", description = "The quantile of --check-error-stat quantile"
      + " (default 0.99).")
  Double quantile;

  @Option(names = "--infinities-compare-equal", description = "An infinity matched by the same infinity has error 0"
      + " (default: NaN, which fails, as Polygraphy).")
  boolean infinitiesEqual;

  @Option(names = "--inputs", paramLabel = "DIR", description = "Inputs to use instead of generated ones:"
      + " test_data_set_N/ folders of input_K.pb, folders of <input>.npy, or .json files (DIR/<form>/ for each form of"
      + " a model of several forms, as in verify/golden).")
  Path inputs;

  @Option(names = "--expected", paramLabel = "E", description = "Outputs the original framework recorded, the judge of"
      + " every backend (ref included), on their recorded inputs: an HDF5 file of inputs/ and outputs/, a .npz, a folder"
      + " of inputs/ and outputs/ .npy files, or test_data_set_N folders (RUN_DIR only; docs/VERIFY.md).")
  Path expected;

  @Option(names = "--map", paramLabel = "REF=ARTIFACT", description = "Map a reference input or output name to the"
      + " artifact's name (repeatable).")
  List<String> map = new ArrayList<>();

  @Option(names = "--backends", paramLabel = "LIST", split = ",", description = "Candidates, from djl-ort,"
      + " djl-ort-basic, djl-ort-disabled, ort, ort-basic, ort-disabled, djl-tf, tf-java (a live session from a run's"
      + " weights), tf-saved-model (a SavedModel through TensorFlow Java), ref-onnx.")
  List<String> backends;

  @Option(names = "--reference", paramLabel = "NAME", description = "The backend taken as truth (default: ref for a run"
      + " folder, ref-onnx for artifacts); any backend can be named, so any pair can be compared.")
  String reference;

  @Option(names = "--seed", description = "Seed of generated inputs (default: the recipe's, or 0).")
  Long seed;

  @Option(names = "--isolate", negatable = true, description = "Run every native backend in its own child process"
      + " (default: yes for artifacts from elsewhere; only ort for a run folder).")
  Boolean isolate;

  @Option(names = "--no-localise", description = "Do not search for the first diverging layer, step and gate.")
  boolean noLocalise;

  @Option(names = "--variants", paramLabel = "LIST", split = ",", description = "Lightweight variants to verify against"
      + " the float32 reference under their own budgets: fp16, int8 (files model.fp16.onnx and model.int8.onnx,"
      + " or one of each beside each form's ONNX model, written by 'rnnx export'), or none. Default: every variant"
      + " whose file exists.")
  List<String> variants;

  @Option(names = "--wide", description = "Parity tables with every column (mean error, ulps, cosine, the tolerances"
      + " that would pass, argmax agreement); by default they fit 100 columns.")
  boolean wide;

  @Option(names = "--report", paramLabel = "DIR", description = "Write the reports here (default: RUN_DIR/verify;"
      + " none for artifacts unless given).")
  Path report;

  @Option(names = "--spark", paramLabel = "MASTER", description = "Check RUN_DIR's served model against the reference"
      + " over --cases generated cases on Spark at MASTER (local[2], spark://...), under the recipe's tolerances (docs:"
      + " SPARK.md).")
  String spark;

  @Option(names = "--cases", paramLabel = "N", description = "Cases of --spark (default 100000).")
  Long cases;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (cases != null && spark == null) {
      throw new IllegalArgumentException("--cases goes with --spark");
    }
    if (spark != null) {
      if (runDir == null) {
        throw new IllegalArgumentException("--spark verifies a run folder: give RUN_DIR");
      }
      PrintWriter out = spec.commandLine().getOut();
      int code = SparkBridge.verify(runDir, spark, cases != null ? cases : 100_000L, seed, out);
      out.flush();
      return code;
    }
    if (runDir != null && (onnx != null || savedModel != null || referenceOnnx != null)) {
      throw new IllegalArgumentException("give either RUN_DIR or --onnx/--saved-model, not both");
    }
    VerifyOptions.Builder o = VerifyOptions.builder().inputs(inputs).backends(backends).isolate(isolate)
        .localise(!noLocalise).signature(signature).reference(reference).variants(variants());
    if (seed != null) {
      o.seed(seed);
    }
    for (String m : map) {
      int eq = m.indexOf('=');
      if (eq <= 0 || eq == m.length() - 1) {
        throw new IllegalArgumentException("--map " + m + ": expected REFERENCE_NAME=ARTIFACT_NAME");
      }
      o.map(m.substring(0, eq), m.substring(eq + 1));
    }
    ParityCriteria criteria = criteria();
    if (criteria != null) {
      o.criteria(criteria);
    }
    if (backends != null) {
      BackendKind.parseAll(backends);
    }
    long start = System.nanoTime();
    if (expected != null && runDir == null) {
      throw new IllegalArgumentException("--expected " + expected + ": needs RUN_DIR (an 'rnnx run' or 'rnnx import' folder)");
    }
    VerifyReport r = runDir != null ? Verification.verifyRun(runDir, expected, o.build(), EngineBackends.INSTANCE)
        : Verification.verifyArtifacts(onnx, savedModel, referenceOnnx, o.build(), EngineBackends.INSTANCE);
    PrintWriter out = spec.commandLine().getOut();
    out.print(r.text(wide));
    Path dir = report != null ? report : runDir != null ? runDir.resolve("verify") : null;
    if (dir != null) {
      VerifyReports.write(r, dir);
      out.printf(Locale.ROOT, "reports: %s (report.json, report.html, junit.xml, golden/)%n", dir);
    }
    out.printf(Locale.ROOT, "verify took %.1f s%n", (System.nanoTime() - start) / 1e9);
    out.flush();
    return switch (r.verdict()) {
      case PASSED -> ExitCodes.OK;
      case FAILED -> ExitCodes.MISMATCH;
      case UNVERIFIED -> ExitCodes.UNVERIFIED;
    };
  }

  /** The variants asked for: {@code null} for those whose files exist, empty for {@code none}. */
  private List<ModelVariant> variants() {
    if (variants == null) {
      return null;
    }
    if (variants.size() == 1 && variants.get(0).strip().equalsIgnoreCase("none")) {
      return List.of();
    }
    List<ModelVariant> out = new ArrayList<>();
    for (String v : variants) {
      try {
        out.add(ModelVariant.parse(v));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--variants: " + e.getMessage() + " or none");
      }
    }
    return out;
  }

  /** The criteria the options ask for, or {@code null} when none is given (the recipe's or Polygraphy's defaults). */
  private ParityCriteria criteria() {
    if (atol.isEmpty() && rtol.isEmpty() && stat.isEmpty() && quantile == null && !infinitiesEqual) {
      return null;
    }
    Map<String, Double> atols = new LinkedHashMap<>();
    Map<String, Double> rtols = new LinkedHashMap<>();
    Map<String, ErrorStat> stats = new LinkedHashMap<>();
    parse("--atol", atol, atols, VerifyCommand::number);
    parse("--rtol", rtol, rtols, VerifyCommand::number);
    parse("--check-error-stat", stat, stats, ErrorStat::parse);
    Criterion base = new Criterion(atols.getOrDefault("", Criterion.DEFAULT.atol()), rtols.getOrDefault("", Criterion.DEFAULT.rtol()),
        stats.getOrDefault("", ErrorStat.ELEMWISE), quantile != null ? quantile : Criterion.DEFAULT.quantile(), infinitiesEqual);
    ParityCriteria c = ParityCriteria.of(base);
    java.util.Set<String> outputs = new java.util.LinkedHashSet<>();
    outputs.addAll(atols.keySet());
    outputs.addAll(rtols.keySet());
    outputs.addAll(stats.keySet());
    outputs.remove("");
    for (String out : outputs) {
      c = c.with(out, new Criterion(atols.getOrDefault(out, base.atol()), rtols.getOrDefault(out, base.rtol()),
          stats.getOrDefault(out, base.stat()), base.quantile(), base.infinitiesCompareEqual()));
    }
    return c;
  }

  /** {@code VALUE} sets the default ({@code ""}); {@code OUTPUT:VALUE} one output (split at the last colon). */
  private static <T> void parse(String option, List<String> given, Map<String, T> into, Function<String, T> value) {
    for (String g : given) {
      int colon = g.lastIndexOf(':');
      String key = "";
      String v = g;
      if (colon > 0) {
        try {
          value.apply(g.substring(colon + 1));
          key = g.substring(0, colon);
          v = g.substring(colon + 1);
        } catch (IllegalArgumentException e) {
          // the colon belongs to the value
        }
      }
      try {
        into.put(key, value.apply(v));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(option + " " + g + ": " + e.getMessage());
      }
    }
  }

  private static double number(String s) {
    try {
      return Double.parseDouble(s.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + s + "' is not a number");
    }
  }
}
