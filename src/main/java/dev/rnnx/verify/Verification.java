package dev.rnnx.verify;

import ai.onnx.proto.OnnxMl;
import dev.rnnx.onnx.OnnxCheckException;
import dev.rnnx.onnx.OnnxInterface;
import dev.rnnx.onnx.OnnxChecker;
import dev.rnnx.onnx.OnnxModels;
import dev.rnnx.ref.ReferenceModel;
import dev.rnnx.ref.onnx.DataType;
import dev.rnnx.spec.DType;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.SourcedInputs;
import dev.rnnx.spec.Recipe;
import dev.rnnx.spec.RecipeCodec;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.TensorSpec;
import dev.rnnx.weights.Provenance;
import dev.rnnx.weights.Safetensors;
import dev.rnnx.weights.Weights;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole of {@code rnnx verify}: reads and checks the artifacts, draws or reads the inputs,
 * opens every backend (native ones in child processes where asked), runs the parity comparison,
 * localises each failing ONNX candidate's first divergence, and returns everything the reports
 * need ({@link VerifyReport}, written by {@link VerifyReports}).
 *
 * <p>Bad input ({@link IllegalArgumentException}, exit code 2) is refused before any backend runs:
 * a model file that is not ONNX or fails the ONNX checker (the checker's message), a SavedModel
 * without the requested signature, inputs whose names, types or shapes do not fit (every mismatch
 * listed), names that match nothing in an artifact. A backend that fails to load or to run, or
 * whose child process dies, is that backend's failure: the others still run.
 */
public final class Verification {

  /** The candidates of a run folder unless told otherwise. */
  public static final List<String> RUN_BACKENDS =
      List.of("tf-java", "djl-ort", "djl-ort-basic", "djl-ort-disabled", "djl-tf", "ort");

  private Verification() {}

  /**
   * Verifies a folder written by {@code rnnx run}: the reference forward of its weights against
   * every backend, on the recipe's inputs.
   *
   * @throws IllegalArgumentException for bad input, before any backend runs
   */
  public static VerifyReport verifyRun(Path runDir, VerifyOptions options) {
    if (!Files.isDirectory(runDir)) {
      throw new IllegalArgumentException("run folder " + runDir + " does not exist, expected the output folder of 'rnnx run'");
    }
    Path weightsFile = runDir.resolve("weights.safetensors");
    Safetensors.Contents contents = Safetensors.read(weightsFile);
    Provenance provenance;
    try {
      provenance = Provenance.fromMetadata(contents.metadata());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(weightsFile + ": " + e.getMessage());
    }
    Recipe recipe = RecipeCodec.parse(provenance.recipeYaml(), weightsFile + " (recorded recipe)");
    Weights weights = contents.weights().checkFits(recipe.sequential());
    Map<String, Object> subject = new LinkedHashMap<>();
    subject.put("kind", "run");
    subject.put("run_dir", runDir.toString());
    subject.put("recipe", recipe.name());
    subject.put("model", recipe.model().name());
    ParityCriteria criteria = options.criteria() != null ? options.criteria() : ParityCriteria.of(recipe.tolerances());
    long seed = options.seed() != null ? options.seed() : recipe.seed();
    Path onnx = runDir.resolve("model.onnx");
    List<Path> variantFiles = variantFiles(onnx, options);
    VerifyReport report = verifyModel(recipe.sequential(), weights, onnx, runDir.resolve("saved_model"),
        recipe.trainingLength(), seed, criteria, options, subject);
    if (variantFiles.isEmpty()) {
      return report;
    }
    try (Backend reference = new ReferenceBackend(new ReferenceModel(recipe.sequential(), weights))) {
      return report.withVariants(VariantVerification.verify(reference, onnx, variantFiles, report.cases(),
          recipe.sequential()));
    }
  }

  /** The variant files the options ask for beside an ONNX file (none when it does not exist). */
  private static List<Path> variantFiles(Path onnx, VerifyOptions options) {
    if (options.variants() != null && options.variants().isEmpty()) {
      return List.of();
    }
    if (!Files.isRegularFile(onnx)) {
      if (options.variants() != null) {
        throw new IllegalArgumentException(onnx + ": does not exist, so its variants cannot be verified");
      }
      return List.of();
    }
    return VariantVerification.files(onnx, options.variants());
  }

  /**
   * Verifies an rnnx model's exported artifacts against the reference forward of its weights.
   *
   * @param onnx the exported ONNX file
   * @param savedModel the exported SavedModel folder
   * @param trainingLength the sequence length T of the generated inputs (lengths 1, T, 4T)
   * @param subject what is verified, for the reports
   * @throws IllegalArgumentException for bad input, before any backend runs
   */
  public static VerifyReport verifyModel(Sequential model, Weights weights, Path onnx, Path savedModel, int trainingLength,
      long seed, ParityCriteria criteria, VerifyOptions options, Map<String, Object> subject) {
    return verifyModel(model, weights, onnx, savedModel, trainingLength, seed, null, criteria, options, subject);
  }

  /**
   * As {@link #verifyModel(Sequential, Weights, Path, Path, int, long, ParityCriteria, VerifyOptions, Map)},
   * on given cases (checked against the model like user inputs) instead of generated ones.
   *
   * @param cases the input cases, or {@code null} for the options' inputs or the generated grid
   */
  public static VerifyReport verifyModel(Sequential model, Weights weights, Path onnx, Path savedModel, int trainingLength,
      long seed, List<ParityCase> cases, ParityCriteria criteria, VerifyOptions options, Map<String, Object> subject) {
    Map<String, Double> timings = new LinkedHashMap<>();
    long t0 = System.nanoTime();
    List<String> names = options.backends() != null ? options.backends() : RUN_BACKENDS;
    checkNames(names);
    boolean needsOnnx = names.stream().anyMatch(n -> !n.equals("tf-java") && BackendSpec.runsOnnx(n));
    if (needsOnnx) {
      readAndCheck(onnx);
    }
    if (names.contains("djl-tf")) {
      SavedModelSignature.read(savedModel, options.signature());
    }
    Map<String, DataType> inputTypes = new LinkedHashMap<>();
    for (TensorSpec s : model.inputs()) {
      inputTypes.put(s.name(), s.dtype() == DType.FLOAT32 ? DataType.FLOAT : s.dtype() == DType.INT32 ? DataType.INT32
          : DataType.INT64);
    }
    String source;
    if (cases != null || options.inputs() != null) {
      source = cases != null ? "given (" + cases.size() + " cases)" : options.inputs().toString();
      cases = conform(cases != null ? cases : ParityCase.read(options.inputs()), inputTypes);
      List<String> problems = new ArrayList<>();
      for (ParityCase c : cases) {
        try {
          model.contract().check(c.inputs());
        } catch (IllegalArgumentException e) {
          for (String p : e.getMessage().split("; ")) {
            problems.add(c.name() + ": " + p);
          }
        }
      }
      refuse("the inputs (" + source + ") do not fit model '" + model.name() + "'", problems);
    } else {
      cases = ParityInputs.verification(model, trainingLength, seed);
      source = "generated (seed " + seed + ")";
    }
    timings.put("prepare", seconds(t0));

    ReferenceModel refModel = new ReferenceModel(model, weights);
    Backend reference = new ReferenceBackend(refModel);
    if (options.reference() != null && !options.reference().equals(ReferenceBackend.NAME) && !names.contains(options.reference())) {
      List<String> n = new ArrayList<>(names);
      n.add(options.reference());
      names = n;
    }
    Map<String, String> loadErrors = new LinkedHashMap<>();
    List<Backend> candidates = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    long t1 = System.nanoTime();
    try {
      openRunBackends(model, weights, onnx, savedModel, names, options, candidates, loadErrors);
      timings.put("load_backends", seconds(t1));
      if (options.reference() != null && !options.reference().equals(ReferenceBackend.NAME)) {
        Backend chosen = takeReference(options.reference(), candidates, loadErrors);
        Backend previous = reference;
        if (candidates.stream().noneMatch(b -> b.name().equals(previous.name()))) {
          candidates.add(0, previous);
        }
        reference = chosen;
        refModel = null;
      }
      return finish(reference, refModel, candidates, loadErrors, cases, criteria, options, subject, inputTypes,
          needsOnnx ? onnx : null, source, notes, timings, t0);
    } finally {
      candidates.forEach(Verification::closeQuietly);
      closeQuietly(reference);
    }
  }

  /**
   * Verifies an ONNX file and/or a SavedModel that rnnx did not produce. The reference is the
   * pure-Java ONNX evaluator on the ONNX file ({@code ref-onnx}); inputs are drawn from the ONNX
   * graph's declared inputs ({@link ParityInputs#forGraph}) unless given; the SavedModel's names are
   * matched to the ONNX file's by name or by {@code --map}. Every native backend runs in its own
   * child process unless {@link VerifyOptions#isolate()} is false, so a model that makes a runtime
   * abort fails that backend only.
   *
   * @throws IllegalArgumentException for bad input, before any backend runs
   */
  public static VerifyReport verifyArtifacts(Path onnx, Path savedModel, VerifyOptions options) {
    if (onnx == null && savedModel == null) {
      throw new IllegalArgumentException("nothing to verify: give a run folder, or --onnx FILE and/or --saved-model DIR");
    }
    Map<String, Double> timings = new LinkedHashMap<>();
    long t0 = System.nanoTime();
    OnnxMl.ModelProto model = onnx != null ? readAndCheck(onnx) : null;
    List<Path> variantFiles = onnx != null ? variantFiles(onnx, options) : List.of();
    if (onnx == null && options.variants() != null && !options.variants().isEmpty()) {
      throw new IllegalArgumentException("--variants needs --onnx FILE (or a run folder): variants are ONNX files");
    }
    SavedModelSignature signature = savedModel != null ? SavedModelSignature.read(savedModel, options.signature()) : null;
    List<String> names = new ArrayList<>();
    if (options.backends() != null) {
      names.addAll(options.backends());
      if (options.reference() != null && !options.reference().equals(OnnxReferenceBackend.NAME)
          && !names.contains(options.reference())) {
        names.add(options.reference());
      }
    } else {
      if (onnx != null) {
        names.addAll(List.of("djl-ort", "djl-ort-basic", "djl-ort-disabled", "ort"));
      }
      if (savedModel != null) {
        names.addAll(List.of("djl-tf", "tf-java"));
      }
    }
    checkNames(names);
    for (String n : names) {
      if (BackendSpec.runsOnnx(n) ? onnx == null : savedModel == null) {
        throw new IllegalArgumentException("backend " + n + " needs " + (BackendSpec.runsOnnx(n) ? "--onnx FILE" : "--saved-model DIR"));
      }
    }
    Map<String, Object> subject = new LinkedHashMap<>();
    subject.put("kind", "artifacts");
    if (onnx != null) {
      subject.put("onnx", onnx.toString());
    }
    if (savedModel != null) {
      subject.put("saved_model", savedModel.toString());
      subject.put("signature", options.signature());
    }
    List<String> notes = new ArrayList<>();
    OnnxInterface graph = model != null ? OnnxInterface.of(model) : null;
    if (graph == null && options.inputs() == null) {
      throw new IllegalArgumentException("a SavedModel alone needs --inputs DIR: rnnx draws inputs from an ONNX graph's"
          + " declared inputs; give --onnx as well, or the inputs");
    }
    long seed = options.seed() != null ? options.seed() : 0;
    List<ParityCase> cases = options.inputs() != null ? ParityCase.read(options.inputs()) : ParityInputs.forGraph(graph, seed);
    String source = options.inputs() != null ? options.inputs().toString() : "generated (seed " + seed + ")";
    if (graph != null) {
      Map<String, DataType> declared = new LinkedHashMap<>();
      graph.inputs().forEach(p -> declared.put(p.name(), DataType.fromOnnx(p.onnxType())));
      cases = conform(cases, declared);
      List<String> problems = new ArrayList<>();
      for (ParityCase c : cases) {
        try {
          graph.contract().check(c.inputs());
        } catch (IllegalArgumentException e) {
          List.of(e.getMessage().split("; ")).forEach(p -> problems.add(c.name() + ": " + p));
        }
      }
      refuse("the inputs do not fit " + onnx, problems);
    }
    List<String> refInputs = graph != null ? graph.inputNames() : List.copyOf(cases.get(0).inputs().keySet());
    Map<String, String> savedModelNames = null;
    if (signature != null) {
      List<String> problems = new ArrayList<>();
      List<String> refOutputs = graph != null ? graph.outputNames() : signature.outputs();
      String label = "SavedModel " + savedModel + " (signature " + options.signature() + ")";
      savedModelNames = new LinkedHashMap<>(RenamedBackend.match("input", refInputs, signature.inputs(), options.nameMap(),
          label, problems));
      savedModelNames.putAll(RenamedBackend.match("output", refOutputs, signature.outputs(), options.nameMap(), label, problems));
      refuse("names do not match", problems);
    }
    Map<String, DataType> inputTypes = new LinkedHashMap<>();
    if (graph != null) {
      graph.inputs().forEach(p -> inputTypes.put(p.name(), DataType.fromOnnx(p.onnxType())));
    } else {
      cases.get(0).inputs().forEach((k, v) -> inputTypes.put(k, v instanceof FloatTensor ? DataType.FLOAT : DataType.INT64));
    }
    timings.put("prepare", seconds(t0));

    long t1 = System.nanoTime();
    Backend reference = null;
    if (model != null) {
      try {
        reference = new OnnxReferenceBackend(onnx, model);
      } catch (UnsupportedOperationException e) {
        notes.add("the pure-Java reference cannot evaluate " + onnx + " (" + e.getMessage() + "); the first candidate is the"
            + " reference instead, and nothing is localised");
      }
    }
    boolean isolate = options.isolate() == null || options.isolate();
    Map<String, String> loadErrors = new LinkedHashMap<>();
    List<Backend> opened = new ArrayList<>();
    try {
      List<BackendSpec> specs = new ArrayList<>();
      for (String n : names) {
        specs.add(BackendSpec.runsOnnx(n) ? BackendSpec.onnx(n, onnx)
            : BackendSpec.savedModel(n, savedModel, options.signature()));
      }
      if (isolate) {
        List<BackendSpec> natives = specs.stream().filter(BackendSpec::isNative).toList();
        opened.addAll(ProcessBackend.startAll(natives, loadErrors));
        for (BackendSpec s : specs) {
          if (!s.isNative()) {
            open(s, opened, loadErrors);
          }
        }
      } else {
        for (BackendSpec s : specs) {
          open(s, opened, loadErrors);
        }
      }
      if (options.reference() != null && !options.reference().equals(OnnxReferenceBackend.NAME)) {
        Backend chosen = takeReference(options.reference(), opened, loadErrors);
        Backend previous = reference;
        if (previous != null && opened.stream().noneMatch(b -> b.name().equals(previous.name()))) {
          opened.add(0, previous);
        }
        reference = chosen;
      }
      if (reference == null) {
        if (opened.isEmpty()) {
          throw new IllegalStateException("no backend could be opened: " + loadErrors);
        }
        reference = opened.remove(0);
      }
      List<Backend> candidates = new ArrayList<>();
      for (Backend b : opened) {
        boolean tf = !BackendSpec.runsOnnx(b.name().replace("-basic", "").replace("-disabled", ""));
        candidates.add(tf && savedModelNames != null ? new RenamedBackend(b, savedModelNames) : b);
      }
      timings.put("load_backends", seconds(t1));
      VerifyReport report = finish(reference, null, candidates, loadErrors, cases, options.criteria() != null
          ? options.criteria() : ParityCriteria.of(Criterion.DEFAULT), options, subject, inputTypes, onnx, source, notes,
          timings, t0);
      if (variantFiles.isEmpty()) {
        return report;
      }
      try (Backend fp32Reference = new OnnxReferenceBackend(onnx, model)) {
        return report.withVariants(VariantVerification.verify(fp32Reference, onnx, variantFiles, report.cases(), null));
      }
    } finally {
      opened.forEach(Verification::closeQuietly);
      if (reference != null) {
        closeQuietly(reference);
      }
    }
  }

  private static VerifyReport finish(Backend reference, ReferenceModel refModel, List<Backend> candidates,
      Map<String, String> loadErrors, List<ParityCase> cases, ParityCriteria criteria, VerifyOptions options,
      Map<String, Object> subject, Map<String, DataType> inputTypes, Path onnx, String source, List<String> notes,
      Map<String, Double> timings, long t0) {
    long t2 = System.nanoTime();
    Map<String, Map<String, FloatTensor>> refOutputs = new LinkedHashMap<>();
    ParityResult parity;
    try {
      parity = ParityVerifier.verify(reference, candidates, cases, criteria, refOutputs);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the reference (" + reference.name() + ") refused the inputs: " + e.getMessage(), e);
    }
    timings.put("compare", seconds(t2));
    if (!loadErrors.isEmpty()) {
      Map<String, String> errors = new LinkedHashMap<>(loadErrors);
      errors.putAll(parity.backendErrors());
      parity = new ParityResult(parity.tolerances(), parity.comparisons(), errors, parity.backendSeconds(),
          parity.nonFinite(), parity.criteria(), List.of());
    }
    long t3 = System.nanoTime();
    if (options.localise()) {
      List<Divergence> divergences = new ArrayList<>();
      for (String name : parity.failingCandidates()) {
        Backend b = candidates.stream().filter(c -> c.name().equals(name)).findFirst().orElse(null);
        ElementwiseComparison first = parity.comparisons().stream().filter(c -> c.candidate().equals(name) && !c.passed())
            .findFirst().orElseThrow();
        ParityCase pc = cases.stream().filter(c -> c.name().equals(first.caseName())).findFirst().orElseThrow();
        if (!(b instanceof OnnxFileBackend ob) || !ob.hasOnnxFile()) {
          notes.add(name + (name.contains("tf") ? " runs a SavedModel, whose signature exposes only the model outputs:"
              + " it is not localised to a layer" : " does not run the ONNX file: it is not localised")
              + "; see its error growth against sequence length in report.html");
          continue;
        }
        if (refModel == null && !(reference instanceof TracingBackend)) {
          notes.add(name + " is not localised: the reference " + reference.name() + " exposes no intermediate values"
              + " (localisation needs ref or ref-onnx as the reference)");
          continue;
        }
        try {
          if (refModel != null) {
            divergences.add(DivergenceLocator.locate(refModel, ob, pc, criteria.forOutput(first.output())));
          } else if (reference instanceof TracingBackend tb) {
            divergences.add(DivergenceLocator.locateValues(tb, ob, pc, criteria.forOutput(first.output())));
          }
        } catch (RuntimeException e) {
          divergences.add(Divergence.notFound(name, pc.name(), "localisation failed: " + e.getClass().getSimpleName() + ": "
              + e.getMessage()));
        }
      }
      parity = parity.withDivergences(divergences);
      timings.put("localise", seconds(t3));
    }
    timings.put("total", seconds(t0));
    return new VerifyReport(subject, parity, cases, refOutputs, inputTypes, onnx, source, notes, timings,
        Provenance.libraryVersions(), List.of());
  }

  /** Removes the named backend from the opened ones, to be the reference. */
  private static Backend takeReference(String name, List<Backend> opened, Map<String, String> loadErrors) {
    for (int i = 0; i < opened.size(); i++) {
      if (opened.get(i).name().equals(name)) {
        return opened.remove(i);
      }
    }
    throw new IllegalStateException("the reference " + name + " could not be opened: " + loadErrors.getOrDefault(name,
        "not among the backends"));
  }

  private static void openRunBackends(Sequential model, Weights weights, Path onnx, Path savedModel, List<String> names,
      VerifyOptions options, List<Backend> out, Map<String, String> errors) {
    boolean isolateAll = Boolean.TRUE.equals(options.isolate());
    boolean isolateNone = Boolean.FALSE.equals(options.isolate());
    List<BackendSpec> children = new ArrayList<>();
    for (String n : names) {
      boolean child = !n.equals("tf-java") && !n.equals("ref-onnx") && (isolateAll || (!isolateNone && n.startsWith("ort")));
      if (child) {
        children.add(BackendSpec.runsOnnx(n) ? BackendSpec.onnx(n, onnx) : BackendSpec.savedModel(n, savedModel,
            options.signature()));
      }
    }
    List<ProcessBackend> started = new ArrayList<>();
    Map<String, String> childErrors = new LinkedHashMap<>();
    Thread starter = new Thread(() -> started.addAll(ProcessBackend.startAll(children, childErrors)), "rnnx-children");
    starter.start();
    for (String n : names) {
      if (children.stream().anyMatch(s -> s.name().equals(n))) {
        continue;
      }
      try {
        out.add(switch (n) {
          case "tf-java" -> TfJavaBackend.build(model, weights);
          case "djl-ort" -> DjlBackend.onnx(onnx, model, OrtOptLevel.ALL);
          case "djl-ort-basic" -> DjlBackend.onnx(onnx, model, OrtOptLevel.BASIC);
          case "djl-ort-disabled" -> DjlBackend.onnx(onnx, model, OrtOptLevel.DISABLED);
          case "djl-tf" -> DjlBackend.savedModel(savedModel, model, options.signature());
          default -> BackendSpec.onnx(n, onnx).open();
        });
      } catch (RuntimeException | LinkageError e) {
        errors.put(n, "could not load: " + e.getMessage());
      }
    }
    try {
      starter.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    out.addAll(started);
    errors.putAll(childErrors);
  }

  private static void open(BackendSpec s, List<Backend> out, Map<String, String> errors) {
    try {
      out.add(s.open());
    } catch (RuntimeException | LinkageError e) {
      errors.put(s.name(), "could not load: " + e.getMessage());
    }
  }

  /** Reads an ONNX file and runs the ONNX checker on it. */
  static OnnxMl.ModelProto readAndCheck(Path onnx) {
    OnnxMl.ModelProto m = OnnxModels.read(onnx);
    try {
      OnnxChecker.check(m);
    } catch (OnnxCheckException e) {
      throw new IllegalArgumentException(onnx + " fails the ONNX checker: " + e.checkerMessage(), e);
    }
    return m;
  }

  private static void checkNames(List<String> names) {
    List<String> known = new ArrayList<>(BackendSpec.NAMES);
    for (String n : names) {
      if (!known.contains(n)) {
        throw new IllegalArgumentException("unknown backend '" + n + "', expected one of " + known);
      }
    }
    if (names.isEmpty()) {
      throw new IllegalArgumentException("no backend to verify, expected one or more of " + known);
    }
  }

  /**
   * Integer tensors given for floating inputs (a JSON array of whole numbers, an integer .npy)
   * become float32, the one lossless conversion; everything else is left for the checks to judge.
   */
  static List<ParityCase> conform(List<ParityCase> cases, Map<String, DataType> declared) {
    List<ParityCase> out = new ArrayList<>();
    for (ParityCase c : cases) {
      Map<String, dev.rnnx.spec.Tensor> in = new LinkedHashMap<>();
      c.inputs().forEach((k, v) -> {
        DataType t = declared.get(k);
        if (v instanceof dev.rnnx.spec.LongTensor l && t != null && t.isFloating()) {
          float[] f = new float[l.size()];
          for (int i = 0; i < f.length; i++) {
            f[i] = l.data()[i];
          }
          in.put(k, new FloatTensor(l.shape(), f));
        } else {
          in.put(k, v);
        }
      });
      out.add(new ParityCase(c.name(), SourcedInputs.like(c.inputs(), in)));
    }
    return out;
  }

  private static void refuse(String what, List<String> problems) {
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(what + " (" + problems.size() + " problem" + (problems.size() == 1 ? "" : "s")
          + "):\n  " + String.join("\n  ", problems));
    }
  }

  private static void closeQuietly(Backend b) {
    try {
      b.close();
    } catch (RuntimeException e) {
      // closing is best effort
    }
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }
}
