package dev.rnnx.verify;

import dev.rnnx.spec.ModelForm;
import dev.rnnx.ref.ReferenceModel;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.tensorio.ElementType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares one form's opened backends on its cases ({@link ParityVerifier}) and localises each
 * failing ONNX candidate's first divergence: layer, time step and gate against a sequential
 * model's traced reference ({@link DivergenceLocator#locate}); otherwise the first ONNX value that
 * exceeds tolerance against the pure-Java ONNX evaluator on the same file
 * ({@link DivergenceLocator#locateValues}), which finds where a runtime departs from the file's
 * semantics (an export that is wrong in the file itself is not localised that way, and the note
 * says so).
 */
final class FormVerifier {

  private FormVerifier() {}

  /**
   * Verifies one form.
   *
   * @param onnx the form's ONNX file, or {@code null}
   * @param notes receives remarks on what could not be localised
   * @param timings stage seconds, added to
   */
  static FormReport verify(String form, BackendSet backends, List<ParityCase> cases, ParityCriteria criteria,
      boolean localise, Map<String, ElementType> inputTypes, Path onnx, List<String> notes, Map<String, Double> timings) {
    Backend reference = backends.reference();
    long t0 = System.nanoTime();
    Map<String, Map<String, FloatTensor>> refOutputs = new LinkedHashMap<>();
    ParityResult parity;
    try {
      parity = ParityVerifier.verify(reference, backends.candidates(), cases, criteria, refOutputs);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the reference (" + reference.name() + ") refused the inputs"
          + (form.equals(ModelForm.MODEL) ? "" : " of form '" + form + "'") + ": " + e.getMessage(), e);
    }
    add(timings, "compare", t0);
    if (!backends.loadErrors().isEmpty()) {
      Map<String, String> errors = new LinkedHashMap<>(backends.loadErrors());
      errors.putAll(parity.backendErrors());
      parity = parity.withBackendErrors(errors);
    }
    if (localise) {
      long t1 = System.nanoTime();
      parity = parity.withDivergences(localise(form, backends, parity, cases, criteria, onnx, notes));
      add(timings, "localise", t1);
    }
    return new FormReport(form, parity, cases, refOutputs, inputTypes, onnx, List.of());
  }

  private static List<Divergence> localise(String form, BackendSet backends, ParityResult parity, List<ParityCase> cases,
      ParityCriteria criteria, Path onnx, List<String> notes) {
    Backend reference = backends.reference();
    ReferenceModel refModel = reference instanceof ReferenceBackend rb ? rb.model() : null;
    String prefix = form.equals(ModelForm.MODEL) ? "" : "form " + form + ": ";
    List<Divergence> divergences = new ArrayList<>();
    List<String> outputsOnly = new ArrayList<>();
    List<String> noOnnxFile = new ArrayList<>();
    for (String name : parity.failingCandidates()) {
      Backend b = backends.candidates().stream().filter(c -> c.name().equals(name)).findFirst().orElse(null);
      ElementwiseComparison first = parity.comparisons().stream().filter(c -> c.candidate().equals(name) && !c.passed())
          .findFirst().orElseThrow();
      ParityCase pc = cases.stream().filter(c -> c.name().equals(first.caseName())).findFirst().orElseThrow();
      Criterion criterion = criteria.forOutput(first.output());
      if (!(b instanceof OnnxFileBackend ob) || !ob.hasOnnxFile()) {
        boolean notOnnx = java.util.Arrays.stream(BackendKind.values()).anyMatch(k -> k.id().equals(name) && !k.runsOnnx());
        (notOnnx ? outputsOnly : noOnnxFile).add(name);
        continue;
      }
      try {
        if (refModel != null) {
          divergences.add(DivergenceLocator.locate(refModel, ob, pc, criterion));
        } else if (reference instanceof TracingBackend tb) {
          divergences.add(DivergenceLocator.locateValues(tb, ob, pc, criterion));
        } else if (reference instanceof ReferenceBackend && onnx != null && Files.isRegularFile(onnx)) {
          try (OnnxReferenceBackend tracer = new OnnxReferenceBackend(onnx)) {
            Divergence d = DivergenceLocator.locateValues(tracer, ob, pc, criterion);
            divergences.add(d);
            if (d.layer() == null) {
              notes.add(prefix + name + " agrees with the pure-Java ONNX evaluator on " + onnx.getFileName() + " value by"
                  + " value: the divergence from ref is in the exported graph itself, which the reference cannot trace"
                  + " layer by layer for this form");
            }
          }
        } else {
          notes.add(prefix + name + " is not localised: the reference " + reference.name() + " exposes no intermediate"
              + " values (localisation needs ref or ref-onnx as the reference)");
        }
      } catch (RuntimeException e) {
        divergences.add(Divergence.notFound(name, pc.name(), "localisation failed: " + e.getClass().getSimpleName() + ": "
            + e.getMessage()));
      }
    }
    if (!outputsOnly.isEmpty()) {
      notes.add(prefix + String.join(", ", outputsOnly) + (outputsOnly.size() == 1 ? " runs" : " run")
          + " a SavedModel or a live session, which exposes only the model outputs: not localised to a layer; see the"
          + " error growth against sequence length in report.html");
    }
    if (!noOnnxFile.isEmpty()) {
      notes.add(prefix + String.join(", ", noOnnxFile) + (noOnnxFile.size() == 1 ? " does" : " do")
          + " not run the ONNX file: not localised; see the error growth against sequence length in report.html");
    }
    return divergences;
  }

  static void add(Map<String, Double> timings, String stage, long start) {
    timings.merge(stage, (System.nanoTime() - start) / 1e9, Double::sum);
  }
}
