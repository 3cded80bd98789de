package dev.rnnx.verify;

import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.tensorio.ElementType;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the verification of one model form found: a sequential model (and an artifact from
 * elsewhere) has the one form {@code model}; a seq2seq or word2vec model one per form.
 *
 * @param form the form's name
 * @param parity the parity result (comparisons, statistics, non-finite values, backend failures,
 *     divergences)
 * @param cases the input cases, in order
 * @param referenceOutputs the reference's outputs by case name, then output name (the golden data)
 * @param inputTypes the ONNX element type of every input (for the golden {@code .pb} files)
 * @param onnx the form's ONNX file, or {@code null}
 * @param variants the lightweight variants verified against the same reference, empty when none
 */
public record FormReport(
    String form,
    ParityResult parity,
    List<ParityCase> cases,
    Map<String, Map<String, FloatTensor>> referenceOutputs,
    Map<String, ElementType> inputTypes,
    Path onnx,
    List<VariantResult> variants) {

  /** Copies the collections. */
  public FormReport {
    cases = List.copyOf(cases);
    referenceOutputs = Collections.unmodifiableMap(new LinkedHashMap<>(referenceOutputs));
    inputTypes = Collections.unmodifiableMap(new LinkedHashMap<>(inputTypes));
    variants = List.copyOf(variants);
  }

  /** The same report with these variants' results. */
  public FormReport withVariants(List<VariantResult> found) {
    return new FormReport(form, parity, cases, referenceOutputs, inputTypes, onnx, found);
  }

  /** Whether parity holds against an independent reference and every variant stays within its budget. */
  public boolean passed() {
    return verdict() == Verdict.PASSED;
  }

  /** The form's verdict: the parity verdict, failed when a variant is over its budget. */
  public Verdict verdict() {
    return variants.stream().allMatch(VariantResult::passed) ? parity.verdict() : Verdict.FAILED;
  }

  /**
   * The folder this form's files go to under {@code base}: {@code base} itself for the form
   * {@code model}, {@code base/<form>} otherwise (as {@code model.onnx} and {@code <form>.onnx}).
   */
  public Path folder(Path base) {
    return form.equals(ModelForm.MODEL) ? base : base.resolve(form);
  }
}
