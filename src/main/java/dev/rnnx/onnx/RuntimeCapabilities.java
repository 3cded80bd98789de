package dev.rnnx.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What each runtime's kernels accept, read from {@code converters/runtimes.yaml}: boolean flags
 * per runtime, such as {@code rnn_layout_1} (ONNX Runtime's CPU kernels refuse batch-major RNN
 * ops) or {@code lstm_sequence_lens_zero_fills_outputs}. The exporter's choices are documented
 * against them and the tests re-measure them on the runtime on the classpath.
 */
public final class RuntimeCapabilities {

  static final String FILE = "runtimes.yaml";

  /** The runtime rnnx exports for first: ONNX Runtime's CPU execution provider. */
  public static final String ONNXRUNTIME_CPU = "onnxruntime-cpu";

  private static volatile RuntimeCapabilities defaults;

  private final Map<String, Map<String, Boolean>> flags;
  private final Map<String, String> versions;

  private RuntimeCapabilities(Map<String, Map<String, Boolean>> flags, Map<String, String> versions) {
    this.flags = flags;
    this.versions = versions;
  }

  /** The flags from the classpath resource {@code converters/runtimes.yaml}, read once. */
  public static RuntimeCapabilities load() {
    RuntimeCapabilities c = defaults;
    if (c == null) {
      c = parse(ConverterData.read(FILE), ConverterData.FOLDER + FILE);
      defaults = c;
    }
    return c;
  }

  static RuntimeCapabilities parse(JsonNode root, String source) {
    Map<String, Map<String, Boolean>> all = new LinkedHashMap<>();
    Map<String, String> versions = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> runtimes = ConverterData.required(root, "runtimes", source, "").fields();
    while (runtimes.hasNext()) {
      var rt = runtimes.next();
      String path = "runtimes." + rt.getKey();
      versions.put(rt.getKey(), rt.getValue().path("version").asText("unknown"));
      Map<String, Boolean> f = new LinkedHashMap<>();
      Iterator<Map.Entry<String, JsonNode>> it = ConverterData.required(rt.getValue(), "flags", source, path).fields();
      while (it.hasNext()) {
        var e = it.next();
        if (!e.getValue().isBoolean()) {
          throw new IllegalStateException(source + ": " + path + ".flags." + e.getKey() + " is " + e.getValue()
              + ", expected true or false");
        }
        f.put(e.getKey(), e.getValue().asBoolean());
      }
      all.put(rt.getKey(), Collections.unmodifiableMap(f));
    }
    return new RuntimeCapabilities(Collections.unmodifiableMap(all), Collections.unmodifiableMap(versions));
  }

  /** The runtimes described, in file order. */
  public List<String> runtimes() {
    return List.copyOf(flags.keySet());
  }

  /** The runtime version the flags were measured on. */
  public String version(String runtime) {
    flags(runtime);
    return versions.get(runtime);
  }

  /**
   * All flags of one runtime.
   *
   * @throws IllegalArgumentException naming the runtime and the known ones
   */
  public Map<String, Boolean> flags(String runtime) {
    Map<String, Boolean> f = flags.get(runtime);
    if (f == null) {
      throw new IllegalArgumentException("unknown runtime '" + runtime + "', expected one of " + flags.keySet());
    }
    return f;
  }

  /**
   * One flag of one runtime.
   *
   * @throws IllegalArgumentException naming the runtime or flag and the known ones
   */
  public boolean flag(String runtime, String flag) {
    Boolean value = flags(runtime).get(flag);
    if (value == null) {
      throw new IllegalArgumentException("runtime '" + runtime + "' has no flag '" + flag + "', expected one of "
          + flags.get(runtime).keySet());
    }
    return value;
  }
}
