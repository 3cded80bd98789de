package dev.rnnx.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The opset policy read from {@code converters/opsets.yaml}: the opsets the exporter supports,
 * the IR version each opset requires, and the versions ("since" opsets) of every op it emits.
 *
 * <p>The exporter stamps a model with the lowest IR version its opset allows (IR 8 for opset 17),
 * and refuses to emit an op the file does not list or that does not exist at the target opset.
 * Opsets up to {@link #checkerMaxOpset()} (22) are checked by the bundled ONNX checker; 23 (for
 * ONNX's {@code Attention}) is not known to it.
 */
public final class OpsetTable {

  static final String FILE = "opsets.yaml";

  private static volatile OpsetTable defaults;

  private final int defaultOpset;
  private final int minOpset;
  private final int maxOpset;
  private final int checkerMaxOpset;
  private final NavigableMap<Integer, Integer> irVersions;
  private final Map<String, List<Integer>> ops;

  private OpsetTable(int defaultOpset, int minOpset, int maxOpset, int checkerMaxOpset,
      NavigableMap<Integer, Integer> irVersions, Map<String, List<Integer>> ops) {
    this.defaultOpset = defaultOpset;
    this.minOpset = minOpset;
    this.maxOpset = maxOpset;
    this.checkerMaxOpset = checkerMaxOpset;
    this.irVersions = irVersions;
    this.ops = ops;
  }

  /** The table from the classpath resource {@code converters/opsets.yaml}, read once. */
  public static OpsetTable load() {
    OpsetTable t = defaults;
    if (t == null) {
      t = parse(ConverterData.read(FILE), ConverterData.FOLDER + FILE);
      defaults = t;
    }
    return t;
  }

  static OpsetTable parse(JsonNode root, String source) {
    JsonNode exporter = ConverterData.required(root, "exporter", source, "");
    int def = ConverterData.requiredInt(exporter, "default_opset", source, "exporter");
    int min = ConverterData.requiredInt(exporter, "min_opset", source, "exporter");
    int max = ConverterData.requiredInt(exporter, "max_opset", source, "exporter");
    int checked = ConverterData.requiredInt(exporter, "checker_max_opset", source, "exporter");
    NavigableMap<Integer, Integer> ir = new TreeMap<>();
    Iterator<Map.Entry<String, JsonNode>> irs = ConverterData.required(root, "ir_versions", source, "").fields();
    while (irs.hasNext()) {
      var e = irs.next();
      ir.put(Integer.parseInt(e.getKey()), e.getValue().asInt());
    }
    Map<String, List<Integer>> opMap = new TreeMap<>();
    Iterator<Map.Entry<String, JsonNode>> entries = ConverterData.required(root, "ops", source, "").fields();
    while (entries.hasNext()) {
      var e = entries.next();
      JsonNode since = ConverterData.required(e.getValue(), "since", source, "ops." + e.getKey());
      List<Integer> versions = new ArrayList<>();
      since.forEach(v -> versions.add(v.asInt()));
      if (versions.isEmpty() || !versions.stream().sorted().toList().equals(versions)) {
        throw new IllegalStateException(source + ": ops." + e.getKey() + ".since is " + since
            + ", expected a non-empty ascending list of opsets");
      }
      opMap.put(e.getKey(), List.copyOf(versions));
    }
    if (!(min <= def && def <= max)) {
      throw new IllegalStateException(source + ": default_opset " + def + " is outside [" + min + ", " + max + "]");
    }
    for (int v = min; v <= max; v++) {
      if (!ir.containsKey(v)) {
        throw new IllegalStateException(source + ": ir_versions has no entry for supported opset " + v);
      }
    }
    if (!(min <= checked && checked <= max)) {
      throw new IllegalStateException(source + ": checker_max_opset " + checked + " is outside [" + min + ", " + max + "]");
    }
    return new OpsetTable(def, min, max, checked, Collections.unmodifiableNavigableMap(ir),
        Collections.unmodifiableMap(opMap));
  }

  /** The opset used when none is named (17). */
  public int defaultOpset() {
    return defaultOpset;
  }

  /** The oldest opset the exporter supports. */
  public int minOpset() {
    return minOpset;
  }

  /** The newest opset the exporter supports. */
  public int maxOpset() {
    return maxOpset;
  }

  /**
   * The newest opset the bundled ONNX 1.17 checker knows; models of newer opsets are checked by the
   * reference evaluator instead ({@link OnnxExporter}).
   */
  public int checkerMaxOpset() {
    return checkerMaxOpset;
  }

  /**
   * Checks that the exporter supports an opset.
   *
   * @throws OnnxExportException naming the opset and the supported range
   */
  public void requireSupported(int opset) {
    if (opset < minOpset || opset > maxOpset) {
      throw new OnnxExportException("opset " + opset + " is not supported: the exporter supports opsets ["
          + minOpset + ", " + maxOpset + "] (converters/" + FILE + ")");
    }
  }

  /**
   * The lowest IR version that carries an opset, e.g. 8 for opset 17.
   *
   * @throws IllegalArgumentException when the table has no entry for it
   */
  public int irVersion(int opset) {
    Integer ir = irVersions.get(opset);
    if (ir == null) {
      throw new IllegalArgumentException("opset " + opset + " has no IR version in converters/" + FILE
          + ", expected one of " + irVersions.keySet());
    }
    return ir;
  }

  /** The ops the exporter may emit. */
  public List<String> ops() {
    return List.copyOf(ops.keySet());
  }

  /** The opsets at which an op's schema changed, ascending; empty when the op is not listed. */
  public List<Integer> sinceVersions(String op) {
    return ops.getOrDefault(op, List.of());
  }

  /**
   * The version of an op in effect at an opset: the largest "since" version not above it.
   *
   * @throws OnnxExportException when the op is not listed in {@code opsets.yaml} or does not exist
   *     yet at that opset
   */
  public int opVersion(String op, int opset) {
    List<Integer> since = ops.get(op);
    if (since == null) {
      throw new OnnxExportException("op '" + op + "' is not listed in converters/" + FILE
          + "; the exporter emits only " + ops.keySet());
    }
    int version = -1;
    for (int s : since) {
      if (s <= opset) {
        version = s;
      }
    }
    if (version < 0) {
      throw new OnnxExportException("op '" + op + "' does not exist at opset " + opset + ", it needs opset "
          + since.get(0) + " or newer");
    }
    return version;
  }
}
