package dev.rnnx.verify;

import dev.rnnx.ref.onnx.DataType;
import dev.rnnx.spec.FloatTensor;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
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
    Map<String, String> versions) {

  /** Copies the collections. */
  public VerifyReport {
    subject = Collections.unmodifiableMap(new LinkedHashMap<>(subject));
    cases = List.copyOf(cases);
    referenceOutputs = Collections.unmodifiableMap(new LinkedHashMap<>(referenceOutputs));
    inputTypes = Collections.unmodifiableMap(new LinkedHashMap<>(inputTypes));
    notes = List.copyOf(notes);
    timings = Collections.unmodifiableMap(new LinkedHashMap<>(timings));
    versions = Collections.unmodifiableMap(new LinkedHashMap<>(versions));
  }

  /** Whether parity holds. */
  public boolean passed() {
    return parity.passed();
  }

  /** The console text: the parity table, then the notes. */
  public String text() {
    StringBuilder sb = new StringBuilder(parity.table());
    notes.forEach(n -> sb.append("note: ").append(n).append('\n'));
    return sb.toString();
  }
}
