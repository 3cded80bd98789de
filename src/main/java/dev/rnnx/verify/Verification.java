package dev.rnnx.verify;

import ai.onnx.proto.OnnxMl;
import dev.rnnx.ref.ReferenceForms;
import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.ModelSpec;
import dev.rnnx.spec.Recipe;
import dev.rnnx.spec.RecipeCodec;
import dev.rnnx.weights.Provenance;
import dev.rnnx.weights.RunFiles;
import dev.rnnx.weights.Safetensors;
import dev.rnnx.weights.Weights;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The whole of {@code rnnx verify}, one path for every model kind: a model is its forms (a
 * sequential model has one, {@code model}). For each form it reads and checks the artifacts, draws
 * or reads the inputs, opens every backend (native ones in child processes where asked, through
 * the caller's {@link BackendOpener}), runs the parity comparison, localises each failing ONNX
 * candidate's first divergence ({@link FormVerifier}) and verifies the form's lightweight variants;
 * it returns everything the reports need ({@link VerifyReport}, written by {@link VerifyReports}).
 *
 * <p>Bad input ({@link IllegalArgumentException}, exit code 2) is refused before any backend runs:
 * a model file that is not ONNX or fails the ONNX checker (the checker's message), a SavedModel
 * without the requested signature, inputs whose names, types or shapes do not fit (every mismatch
 * listed), names that match nothing in an artifact. A backend that fails to load or to run, or
 * whose child process dies, is that backend's failure: the others still run.
 */
public final class Verification {

  private Verification() {}

  /**
   * Verifies a folder written by {@code rnnx run}, of any model kind: for every form, the reference
   * forward of its weights against every backend, on the recipe's inputs.
   *
   * @throws IllegalArgumentException for bad input, before any backend runs
   */
  public static VerifyReport verifyRun(Path runDir, VerifyOptions options, BackendOpener opener) {
    return verifyRun(runDir, null, options, opener);
  }

  /**
   * Verifies a run folder as {@link #verifyRun(Path, VerifyOptions, BackendOpener)} does, or, with
   * {@code expected}, every backend (the reference forward {@code ref} included) against the outputs
   * recorded in that file or folder ({@link ExpectedOutputs}), on its recorded inputs.
   *
   * @param expected recorded inputs and outputs, or {@code null}
   * @throws IllegalArgumentException for bad input (the expected file named), before any backend runs
   */
  public static VerifyReport verifyRun(Path runDir, Path expected, VerifyOptions options, BackendOpener opener) {
    if (!Files.isDirectory(runDir)) {
      throw new IllegalArgumentException("run folder " + runDir + " does not exist, expected the output folder of 'rnnx run'");
    }
    RunFiles.checkRunFolder(runDir);
    Path weightsFile = runDir.resolve("weights.safetensors");
    Safetensors.Contents contents = Safetensors.read(weightsFile);
    Provenance provenance;
    try {
      provenance = Provenance.fromMetadata(contents.metadata());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(weightsFile + ": " + e.getMessage());
    }
    Recipe recipe = RecipeCodec.parse(provenance.recipeYaml(), weightsFile + " (recorded recipe)");
    Weights weights = contents.weights().checkFits(recipe.model());
    Map<String, Object> subject = runSubject(runDir, recipe);
    ParityCriteria criteria = options.criteria() != null ? options.criteria() : ParityCriteria.of(recipe.tolerances());
    long seed = options.seed() != null ? options.seed() : recipe.seed();
    Map<String, List<ParityCase>> cases = null;
    Backend truth = null;
    if (expected != null) {
      List<ModelForm> forms = recipe.model().forms();
      if (forms.size() != 1 || options.reference() != null || options.inputs() != null) {
        throw new IllegalArgumentException("--expected " + expected + ": " + (forms.size() != 1
            ? "needs a model of one form, got " + forms.stream().map(ModelForm::name).toList()
            : "is the reference and the inputs; leave out --reference and --inputs"));
      }
      ExpectedOutputs e = ExpectedOutputs.read(expected, forms.get(0));
      cases = Map.of(forms.get(0).name(), e.cases());
      truth = e.backend();
      subject.put("expected", expected.toString());
    }
    return verifyModel(recipe.model(), weights, form -> FormFiles.inRun(runDir, recipe.model(), form),
        recipe.trainingLength(), seed, cases, criteria, options, subject, opener, truth);
  }

  /** The report's {@code subject} for a run folder: kind {@code run}, the folder, recipe, model and model kind. */
  public static Map<String, Object> runSubject(Path runDir, Recipe recipe) {
    Map<String, Object> subject = new LinkedHashMap<>();
    subject.put("kind", "run");
    subject.put("run_dir", runDir.toString());
    subject.put("recipe", recipe.name());
    subject.put("model", recipe.model().name());
    subject.put("model_kind", recipe.model().kind());
    return subject;
  }

  /**
   * Verifies an rnnx model's exported forms against the reference forward of its weights.
   *
   * @param files where each form's ONNX file and SavedModel are
   * @param trainingLength the sequence length T of the generated inputs
   * @param cases the input cases by form (checked against each form like user inputs), or
   *     {@code null} for the options' inputs or the generated grid ({@link ParityInputs#verificationForms})
   * @param subject what is verified, for the reports
   * @throws IllegalArgumentException for bad input, before any backend runs
   */
  public static VerifyReport verifyModel(ModelSpec model, Weights weights, Function<String, FormFiles> files,
      int trainingLength, long seed, Map<String, List<ParityCase>> cases, ParityCriteria criteria, VerifyOptions options,
      Map<String, Object> subject, BackendOpener opener) {
    return verifyModel(model, weights, files, trainingLength, seed, cases, criteria, options, subject, opener, null);
  }

  /** {@link #verifyModel} with {@code truth}, when not null, as the reference and the reference forward a candidate. */
  private static VerifyReport verifyModel(ModelSpec model, Weights weights, Function<String, FormFiles> files,
      int trainingLength, long seed, Map<String, List<ParityCase>> cases, ParityCriteria criteria, VerifyOptions options,
      Map<String, Object> subject, BackendOpener opener, Backend truth) {
    Map<String, Double> timings = new LinkedHashMap<>();
    long t0 = System.nanoTime();
    List<BackendKind> kinds = new ArrayList<>(options.backends() != null ? BackendKind.parseAll(options.backends())
        : BackendKind.RUN_CANDIDATES);
    kinds.remove(BackendKind.REF);
    BackendKind chosen = options.reference() != null ? BackendKind.parse(options.reference()) : null;
    if (chosen == BackendKind.REF) {
      chosen = null;
    }
    if (chosen != null && !kinds.contains(chosen)) {
      kinds.add(chosen);
    }
    requireSome(kinds);
    for (ModelForm form : model.forms()) {
      FormFiles f = files.apply(form.name());
      if (kinds.stream().anyMatch(BackendKind::runsOnnx)) {
        VerifyInputs.readAndCheck(f.onnx());
      }
      if (kinds.stream().anyMatch(BackendKind::runsSavedModel)) {
        opener.signature(f.savedModel(), options.signature());
      }
    }
    String source;
    Map<String, List<ParityCase>> byForm;
    if (cases != null || options.inputs() != null) {
      source = cases != null ? "given" : options.inputs().toString();
      byForm = cases != null ? cases : VerifyInputs.read(model, options.inputs());
      Map<String, List<ParityCase>> checked = new LinkedHashMap<>();
      for (ModelForm form : model.forms()) {
        List<ParityCase> c = VerifyInputs.conform(byForm.get(form.name()), VerifyInputs.inputTypes(form));
        VerifyInputs.check(model, form, c, cases != null ? "given (" + c.size() + " cases)" : source);
        checked.put(form.name(), c);
      }
      byForm = checked;
    } else {
      byForm = ParityInputs.verificationForms(model, trainingLength, seed);
      source = "generated (seed " + seed + ")";
    }
    Map<String, List<Path>> variantFiles = new LinkedHashMap<>();
    List<ModelForm> forms = model.forms();
    for (ModelForm form : forms) {
      variantFiles.put(form.name(), VariantVerification.filesOfForm(files.apply(form.name()).onnx(), options.variants(),
          forms.size() == 1));
    }
    if (options.variants() != null && !options.variants().isEmpty() && variantFiles.values().stream().allMatch(List::isEmpty)) {
      VariantVerification.files(files.apply(forms.get(0).name()).onnx(), options.variants());
    }
    FormVerifier.add(timings, "prepare", t0);

    boolean isolateAll = Boolean.TRUE.equals(options.isolate());
    boolean isolateNone = Boolean.FALSE.equals(options.isolate());
    List<String> notes = new ArrayList<>();
    List<FormReport> reports = new ArrayList<>();
    for (ModelForm form : forms) {
      FormFiles f = files.apply(form.name());
      List<BackendSpec> specs = new ArrayList<>();
      for (BackendKind k : kinds) {
        specs.add(new BackendSpec(k, k.runsOnnx() ? f.onnx() : null, k.runsSavedModel() ? f.savedModel() : null,
            options.signature(), model, form.name(), weights));
      }
      long t1 = System.nanoTime();
      Backend forward = ReferenceBackend.of(model, weights, form.name());
      try (BackendSet set = BackendSet.open(truth != null ? truth : forward, specs,
          s -> s.kind().runs() != BackendKind.Runs.WEIGHTS && (isolateAll || (!isolateNone && s.kind().isolatedByDefault())),
          chosen, opener)) {
        if (truth != null) {
          set.candidates().add(0, forward);
        }
        FormVerifier.add(timings, "load_backends", t1);
        boolean onnxChecked = kinds.stream().anyMatch(BackendKind::runsOnnx);
        FormReport r = FormVerifier.verify(form.name(), set, byForm.get(form.name()), criteria, options.localise(),
            VerifyInputs.inputTypes(form), onnxChecked ? f.onnx() : null, notes, timings);
        reports.add(withVariants(r, set.reference(), variantFiles.get(form.name()), model, timings, opener));
      }
    }
    FormVerifier.add(timings, "total", t0);
    return new VerifyReport(subject, reports, source, notes, timings, Provenance.libraryVersions());
  }

  /**
   * Verifies an ONNX file and/or a SavedModel that rnnx did not produce: one form, {@code model}.
   * The reference is the pure-Java ONNX evaluator on the ONNX file ({@code ref-onnx}); inputs are
   * drawn from the ONNX graph's declared inputs ({@link ParityInputs#forGraph}) unless given; the
   * SavedModel's names are matched to the ONNX file's by name or by {@code --map}. Every native
   * backend runs in its own child process unless {@link VerifyOptions#isolate()} is false, so a
   * model that makes a runtime abort fails that backend only.
   *
   * @throws IllegalArgumentException for bad input, before any backend runs
   */
  public static VerifyReport verifyArtifacts(Path onnx, Path savedModel, VerifyOptions options, BackendOpener opener) {
    return verifyArtifacts(onnx, savedModel, null, options, opener);
  }

  /**
   * Verifies artifacts as {@link #verifyArtifacts(Path, Path, VerifyOptions, BackendOpener)} does,
   * with the truth taken from another ONNX file: {@code ref-onnx} evaluates {@code referenceOnnx}
   * (the model before an edit, an optimisation or a re-export), every candidate runs {@code onnx},
   * and a failing candidate is localised against the reference file's values
   * ({@link GraphDivergenceLocator}: node, then step and gate inside a recurrent node).
   *
   * @param referenceOnnx the ONNX file whose evaluation is the truth, or {@code null} for {@code onnx} itself
   * @throws IllegalArgumentException for bad input, before any backend runs
   */
  public static VerifyReport verifyArtifacts(Path onnx, Path savedModel, Path referenceOnnx, VerifyOptions options,
      BackendOpener opener) {
    if (onnx == null && savedModel == null) {
      throw new IllegalArgumentException("nothing to verify: give a run folder, or --onnx FILE and/or --saved-model DIR");
    }
    if (referenceOnnx != null && onnx == null) {
      throw new IllegalArgumentException("--reference-onnx " + referenceOnnx + " needs --onnx FILE: the file judged against it");
    }
    Map<String, Double> timings = new LinkedHashMap<>();
    long t0 = System.nanoTime();
    OnnxMl.ModelProto model = onnx != null ? VerifyInputs.readAndCheck(onnx) : null;
    OnnxMl.ModelProto truth = referenceOnnx != null ? VerifyInputs.readAndCheck(referenceOnnx) : model;
    Path truthFile = referenceOnnx != null ? referenceOnnx : onnx;
    List<Path> variantFiles = onnx != null ? VariantVerification.filesOfForm(onnx, options.variants(), true) : List.of();
    if (onnx == null && options.variants() != null && !options.variants().isEmpty()) {
      throw new IllegalArgumentException("--variants needs --onnx FILE (or a run folder): variants are ONNX files");
    }
    SavedModelSignature signature = savedModel != null ? opener.signature(savedModel, options.signature()) : null;
    List<BackendKind> kinds = new ArrayList<>();
    if (options.backends() != null) {
      kinds.addAll(BackendKind.parseAll(options.backends()));
    } else {
      if (onnx != null) {
        kinds.addAll(BackendKind.ONNX_CANDIDATES);
      }
      if (savedModel != null) {
        kinds.addAll(BackendKind.SAVED_MODEL_CANDIDATES);
      }
    }
    BackendKind chosen = options.reference() != null ? BackendKind.parse(options.reference()) : null;
    if (chosen == BackendKind.REF_ONNX) {
      chosen = null;
    }
    if (chosen != null && !kinds.contains(chosen)) {
      kinds.add(chosen);
    }
    requireSome(kinds);
    List<BackendSpec> specs = new ArrayList<>();
    for (BackendKind k : kinds) {
      specs.add(switch (k.runs()) {
        case ONNX -> BackendSpec.onnx(k, onnx);
        case SAVED_MODEL -> BackendSpec.savedModel(k, savedModel, options.signature());
        case WEIGHTS -> new BackendSpec(k, onnx, savedModel, options.signature(), null, null, null);
      });
    }
    Map<String, Object> subject = new LinkedHashMap<>();
    subject.put("kind", "artifacts");
    if (onnx != null) {
      subject.put("onnx", onnx.toString());
    }
    if (referenceOnnx != null) {
      subject.put("reference_onnx", referenceOnnx.toString());
    }
    if (savedModel != null) {
      subject.put("saved_model", savedModel.toString());
      subject.put("signature", options.signature());
    }
    ArtifactInputs inputs = ArtifactInputs.of(onnx, model, savedModel, signature, options);
    FormVerifier.add(timings, "prepare", t0);

    long t1 = System.nanoTime();
    List<String> notes = new ArrayList<>();
    Backend reference = null;
    String gap = onnx == null ? "no ONNX file for the pure-Java evaluator to run" : null;
    if (truth != null) {
      try {
        reference = new OnnxReferenceBackend(truthFile, truth);
      } catch (UnsupportedOperationException e) {
        gap = "the pure-Java ONNX evaluator cannot run " + truthFile.getFileName() + ": " + e.getMessage();
        notes.add("the pure-Java reference cannot evaluate " + truthFile + " (" + e.getMessage() + "); the first candidate is"
            + " the reference instead, and nothing is localised");
      }
    }
    boolean isolate = options.isolate() == null || options.isolate();
    try (BackendSet set = BackendSet.open(reference, specs, s -> isolate, chosen, opener)) {
      if (inputs.savedModelNames() != null) {
        set.candidates().replaceAll(b -> BackendKind.parse(b.name()).runsSavedModel()
            ? new RenamedBackend(b, inputs.savedModelNames()) : b);
      }
      FormVerifier.add(timings, "load_backends", t1);
      FormReport r = FormVerifier.verify(ModelForm.MODEL, set, inputs.cases(), options.criteria() != null
          ? options.criteria() : ParityCriteria.of(Criterion.DEFAULT), options.localise(), inputs.types(), onnx, notes, timings);
      if (!variantFiles.isEmpty()) {
        try (Backend fp32Reference = new OnnxReferenceBackend(onnx, model)) {
          r = withVariants(r, fp32Reference, variantFiles, null, timings, opener);
        }
      }
      long t2 = System.nanoTime();
      WeightComparison weights = onnx != null && savedModel != null ? ArtifactWeights.compare(onnx, savedModel) : null;
      if (weights != null) {
        FormVerifier.add(timings, "weights", t2);
      }
      ArtifactOpinions opinions = onnx != null && savedModel != null
          ? ArtifactSides.judge(set, r.parity(), inputs.cases(), r.parity().criteria(), onnx, savedModel, weights) : null;
      FormVerifier.add(timings, "total", t0);
      return new VerifyReport(subject, List.of(r), inputs.source(), notes, timings, Provenance.libraryVersions(), gap,
          opinions, weights);
    }
  }

  private static FormReport withVariants(FormReport r, Backend reference, List<Path> files, ModelSpec model,
      Map<String, Double> timings, BackendOpener opener) {
    if (files.isEmpty()) {
      return r;
    }
    long t = System.nanoTime();
    FormReport out = r.withVariants(VariantVerification.verify(reference, r.onnx(), files, r.cases(), model, r.form(), opener));
    FormVerifier.add(timings, "variants", t);
    return out;
  }

  private static void requireSome(List<BackendKind> kinds) {
    if (kinds.isEmpty()) {
      throw new IllegalArgumentException("no backend to verify, expected one or more of " + BackendKind.ids());
    }
  }
}
