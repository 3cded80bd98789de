package dev.rnnx.verify;

import dev.rnnx.ref.onnx.DataType;
import dev.rnnx.spec.FloatTensor;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Everything one verification found and needs for its reports: the parity result (comparisons,
 * statistics, non-finite values, backend failures, divergences), the cases and the reference's
 * outputs (the golden data), what was verified, and timings.
 *
 * @param subject what was verified, as report keys: {@code kind} ({@code run} or {@code artifacts})
 *     and the paths, recipe and model name where known
 * @param parity the parity result
 * @param cases the input cases, in order
 * @param referenceOutputs the reference's outputs by case name, then output name
 * @param inputTypes the ONNX element type of every model input (for the golden {@code .pb} files)
 * @param onnx the ONNX file verified, or {@code null}
 * @param inputSource {@code generated (seed N)} or the inputs folder
 * @param notes remarks for the reader (e.g. what could not be localised and why)
 * @param timings wall seconds per stage
 * @param versions library versions
 * @param variants the lightweight variants verified against the same reference ({@link
 *     VariantVerification}), empty when none
 */
public record VerifyReport(
    Map<String, Object> subject,
    ParityResult parity,
    List<ParityCase> cases,
    Map<String, Map<String, FloatTensor>> referenceOutputs,
    Map<String, DataType> inputTypes,
    Path onnx,
    String inputSource,
    List<String> notes,
    Map<String, Double> timings,
    Map<String, String> versions,
    List<VariantResult> variants) {

  /** Copies the collections. */
  public VerifyReport {
    subject = Collections.unmodifiableMap(new LinkedHashMap<>(subject));
    cases = List.copyOf(cases);
    referenceOutputs = Collections.unmodifiableMap(new LinkedHashMap<>(referenceOutputs));
    inputTypes = Collections.unmodifiableMap(new LinkedHashMap<>(inputTypes));
    notes = List.copyOf(notes);
    timings = Collections.unmodifiableMap(new LinkedHashMap<>(timings));
    versions = Collections.unmodifiableMap(new LinkedHashMap<>(versions));
    variants = List.copyOf(variants);
  }

  /** The same report with these variants' results. */
  public VerifyReport withVariants(List<VariantResult> found) {
    return new VerifyReport(subject, parity, cases, referenceOutputs, inputTypes, onnx, inputSource, notes, timings,
        versions, found);
  }

  /** Whether parity holds, and every variant stays within its budget. */
  public boolean passed() {
    return parity.passed() && variants.stream().allMatch(VariantResult::passed);
  }

  /** The console text: the parity table, each variant's table and summary line, then the notes. */
  public String text() {
    StringBuilder sb = new StringBuilder(parity.table());
    for (VariantResult v : variants) {
      sb.append("variant ").append(v.variant()).append(" (").append(v.file().getFileName()).append("), budget ")
          .append(v.budget().describe()).append(":\n").append(v.parity().table());
      sb.append(String.format(Locale.ROOT, "variant %s: %s; worst abs err %.3e; %,d bytes = %.2f of fp32's %,d; djl-ort"
          + " %.2f ms per pass over %d cases vs fp32 %.2f ms (%.2fx)%n", v.variant(), v.passed() ? "within budget"
          : "OVER BUDGET", v.parity().worstAbsErr(), v.bytes(), v.sizeRatio(), v.fp32Bytes(), v.millis(), cases.size(),
          v.fp32Millis(), v.speedup()));
    }
    notes.forEach(n -> sb.append("note: ").append(n).append('\n'));
    return sb.toString();
  }
}
