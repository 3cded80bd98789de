package dev.rnnx.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rnnx.spec.FloatTensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gate orders and kernel layouts of recurrent cells per convention (Keras/TF, ONNX, PyTorch),
 * read from {@code converters/gate-orders.yaml}; the one place where rnnx reorders gate blocks.
 *
 * <p>Each convention stacks a cell's G gate blocks of H rows along one axis of its kernels and
 * biases, in its own order: Keras LSTM {@code i, f, c, o}, ONNX {@code i, o, f, c}, PyTorch
 * {@code i, f, g, o} (its {@code g} is the cell candidate {@code c}). A permutation maps one order
 * onto another gate by gate, through the canonical roles; kernels are also moved between the
 * conventions' axis orders ({@code [in, gates]}, {@code [gates, in]}, {@code [dirs, gates, in]}).
 * The simple RNN ({@code rnn}, one block) and the LSTM's peephole vector ({@code lstm_peephole}:
 * Keras i, f, o; ONNX i, o, f) are described the same way; biases are checked against each
 * convention's per-cell bias styles (Keras's GRU with {@code reset_after} keeps an input and a
 * recurrent bias, its other cells one).
 */
public final class GateLayout {

  /** Keras, rnnx's canonical layout. */
  public static final String KERAS = "keras";
  /** ONNX's RNN operators. */
  public static final String ONNX = "onnx";
  /** PyTorch's {@code nn.LSTM} / {@code nn.GRU}. */
  public static final String PYTORCH = "pytorch";

  /** The peephole vector's "cell" in the orders file. */
  public static final String PEEPHOLE = "lstm_peephole";

  static final String FILE = "gate-orders.yaml";

  /** Cells every convention must describe. */
  private static final List<String> REQUIRED_CELLS = List.of("lstm", "gru");

  /** Cells a convention may describe: the simple RNN and the LSTM's peephole vector. */
  private static final List<String> OPTIONAL_CELLS = List.of("rnn", "lstm_peephole");

  /** Bias styles: one bias per cell, or separate input and recurrent biases. */
  private static final List<String> BIAS_STYLES = List.of("input", "input_and_recurrent");

  private static volatile GateLayout defaults;

  /** One convention: per cell, its gate letters and their canonical roles; its kernel axes; per cell, its bias styles. */
  private record Convention(Map<String, List<String>> letters, Map<String, List<String>> roles, List<String> kernelAxes,
      Map<String, List<String>> bias) {}

  private final Map<String, Convention> conventions;

  private GateLayout(Map<String, Convention> conventions) {
    this.conventions = conventions;
  }

  /** The layout from the classpath resource {@code converters/gate-orders.yaml}, read once. */
  public static GateLayout load() {
    GateLayout g = defaults;
    if (g == null) {
      g = parse(ConverterData.read(FILE), ConverterData.FOLDER + FILE);
      defaults = g;
    }
    return g;
  }

  static GateLayout parse(JsonNode root, String source) {
    Map<String, Convention> all = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = ConverterData.required(root, "conventions", source, "").fields();
    while (it.hasNext()) {
      var e = it.next();
      String path = "conventions." + e.getKey();
      JsonNode node = e.getValue();
      Map<String, String> aliases = new LinkedHashMap<>();
      node.path("roles").fields().forEachRemaining(a -> aliases.put(a.getKey(), a.getValue().asText()));
      Map<String, List<String>> letters = new LinkedHashMap<>();
      Map<String, List<String>> roles = new LinkedHashMap<>();
      for (String cell : allCells()) {
        JsonNode order = REQUIRED_CELLS.contains(cell) ? ConverterData.required(node, cell, source, path) : node.get(cell);
        if (order == null || order.isNull()) {
          continue;
        }
        List<String> l = new ArrayList<>();
        order.forEach(v -> l.add(v.asText()));
        if (new HashSet<>(l).size() != l.size() || l.isEmpty()) {
          throw new IllegalStateException(source + ": " + path + "." + cell + " is " + l + ", expected distinct gate letters");
        }
        letters.put(cell, List.copyOf(l));
        roles.put(cell, l.stream().map(x -> aliases.getOrDefault(x, x)).toList());
      }
      List<String> axes = new ArrayList<>();
      ConverterData.required(node, "kernel", source, path).forEach(v -> axes.add(v.asText()));
      if (!axes.contains("gates") || !axes.contains("in") || new HashSet<>(axes).size() != axes.size()
          || !List.of("dirs", "gates", "in").containsAll(axes)) {
        throw new IllegalStateException(source + ": " + path + ".kernel is " + axes
            + ", expected an axis order of 'gates', 'in' and optionally 'dirs'");
      }
      Map<String, List<String>> bias = parseBias(ConverterData.required(node, "bias", source, path), letters.keySet(),
          source, path + ".bias");
      all.put(e.getKey(), new Convention(letters, roles, List.copyOf(axes), bias));
    }
    // every convention must name the same roles for a cell, or no permutation exists
    for (String cell : allCells()) {
      List<String> reference = null;
      for (var c : all.entrySet()) {
        if (!c.getValue().roles.containsKey(cell)) {
          continue;
        }
        List<String> sorted = c.getValue().roles.get(cell).stream().sorted().toList();
        if (reference == null) {
          reference = sorted;
        } else if (!reference.equals(sorted)) {
          throw new IllegalStateException(source + ": convention '" + c.getKey() + "' has " + cell + " gates "
              + c.getValue().roles.get(cell) + " (roles), which do not match the others' " + reference);
        }
      }
    }
    return new GateLayout(Collections.unmodifiableMap(all));
  }

  private static List<String> allCells() {
    List<String> cells = new ArrayList<>(REQUIRED_CELLS);
    cells.addAll(OPTIONAL_CELLS);
    return cells;
  }

  /** {@code bias}: one style for every cell, or a map from cell to the list of styles it may use. */
  private static Map<String, List<String>> parseBias(JsonNode node, java.util.Set<String> cells, String source,
      String path) {
    Map<String, List<String>> styles = new LinkedHashMap<>();
    if (node.isTextual()) {
      cells.forEach(c -> styles.put(c, List.of(node.asText())));
    } else if (node.isObject()) {
      node.fields().forEachRemaining(e -> {
        if (!cells.contains(e.getKey())) {
          throw new IllegalStateException(source + ": " + path + " names cell '" + e.getKey()
              + "', which the convention does not describe; expected one of " + cells);
        }
        List<String> l = new ArrayList<>();
        if (e.getValue().isArray()) {
          e.getValue().forEach(v -> l.add(v.asText()));
        } else {
          l.add(e.getValue().asText());
        }
        styles.put(e.getKey(), List.copyOf(l));
      });
      for (String c : cells) {
        if (!styles.containsKey(c) && !c.equals("lstm_peephole")) {
          throw new IllegalStateException(source + ": " + path + " has no entry for cell '" + c + "'");
        }
      }
    } else {
      throw new IllegalStateException(source + ": " + path + " is " + node + ", expected a style or a map from cell to styles");
    }
    styles.forEach((cell, list) -> {
      if (list.isEmpty() || !BIAS_STYLES.containsAll(list)) {
        throw new IllegalStateException(source + ": " + path + " gives " + cell + " the styles " + list
            + ", expected 'input' or 'input_and_recurrent'");
      }
    });
    return Collections.unmodifiableMap(styles);
  }

  /** Whether a convention describes a cell (every one has {@code lstm} and {@code gru}). */
  public boolean has(String convention, String cell) {
    return convention(convention).letters.containsKey(cell);
  }

  /** The conventions described, in file order. */
  public List<String> conventions() {
    return List.copyOf(conventions.keySet());
  }

  /** A convention's gate letters for a cell, in its order, e.g. {@code [i, o, f, c]} for ONNX's LSTM. */
  public List<String> gates(String convention, String cell) {
    return cellOf(convention(convention).letters, cell, convention);
  }

  /** A convention's gates for a cell as canonical roles (PyTorch's {@code g} reads {@code c}). */
  public List<String> roles(String convention, String cell) {
    return cellOf(convention(convention).roles, cell, convention);
  }

  /** A convention's kernel axis order, e.g. {@code [in, gates]} for Keras. */
  public List<String> kernelAxes(String convention) {
    return convention(convention).kernelAxes;
  }

  /**
   * The gate permutation from one convention to another: element {@code k} is the position, in
   * {@code from}'s order, of the gate that sits at position {@code k} in {@code to}'s order. Keras
   * to ONNX for an LSTM is {@code [0, 3, 1, 2]}.
   */
  public int[] permutation(String cell, String from, String to) {
    List<String> src = roles(from, cell);
    List<String> dst = roles(to, cell);
    int[] p = new int[dst.size()];
    for (int k = 0; k < p.length; k++) {
      p[k] = src.indexOf(dst.get(k));
    }
    return p;
  }

  /**
   * Reorders the gate blocks of a vector of G·H values (a bias) from one convention's order to
   * another's.
   *
   * @throws IllegalArgumentException when the length is not a multiple of the gate count
   */
  public float[] reorderGates(float[] stacked, String cell, String from, String to) {
    int[] p = permutation(cell, from, to);
    int h = hiddenSize(stacked.length, p.length, cell);
    float[] out = new float[stacked.length];
    for (int k = 0; k < p.length; k++) {
      System.arraycopy(stacked, p[k] * h, out, k * h, h);
    }
    return out;
  }

  /**
   * Moves a kernel (input or recurrent) from one convention to another: reorders its gate blocks
   * and its axes. Keras's {@code [in, 4H]} LSTM kernel becomes ONNX's {@code W [1, 4H, in]}. A
   * {@code dirs} axis must have size 1 (forward layers).
   *
   * @throws IllegalArgumentException when the tensor does not fit {@code from}'s kernel layout
   */
  public FloatTensor convertKernel(FloatTensor kernel, String cell, String from, String to) {
    List<String> srcAxes = kernelAxes(from);
    List<String> dstAxes = kernelAxes(to);
    long[] shape = kernel.shape();
    if (shape.length != srcAxes.size()) {
      throw new IllegalArgumentException(cell + " kernel has shape " + kernel.shapeString() + ", expected "
          + from + "'s layout " + srcAxes);
    }
    int dirsAxis = srcAxes.indexOf("dirs");
    if (dirsAxis >= 0 && shape[dirsAxis] != 1) {
      throw new IllegalArgumentException(cell + " kernel has " + shape[dirsAxis] + " directions (shape "
          + kernel.shapeString() + "), expected 1");
    }
    int[] p = permutation(cell, from, to);
    int gatesLength = Math.toIntExact(shape[srcAxes.indexOf("gates")]);
    int in = Math.toIntExact(shape[srcAxes.indexOf("in")]);
    int h = hiddenSize(gatesLength, p.length, cell);
    long[] srcStrides = strides(shape);
    long[] dstShape = new long[dstAxes.size()];
    for (int a = 0; a < dstShape.length; a++) {
      dstShape[a] = switch (dstAxes.get(a)) {
        case "gates" -> gatesLength;
        case "in" -> in;
        default -> 1;
      };
    }
    long[] dstStrides = strides(dstShape);
    float[] src = kernel.data();
    float[] dst = new float[src.length];
    for (int k = 0; k < p.length; k++) {
      for (int j = 0; j < h; j++) {
        int srcRow = p[k] * h + j;
        int dstRow = k * h + j;
        for (int i = 0; i < in; i++) {
          dst[(int) offset(dstAxes, dstStrides, dstRow, i)] = src[(int) offset(srcAxes, srcStrides, srcRow, i)];
        }
      }
    }
    return new FloatTensor(dstShape, dst);
  }

  /**
   * ONNX's bias {@code B [1, 2·G·H]} (input bias, then recurrent bias, each in ONNX's gate order)
   * from a convention's biases.
   *
   * @param inputBias the input bias {@code [G·H]} (Keras's only bias)
   * @param recurrentBias the recurrent bias {@code [G·H]}, or {@code null} for zeros (Keras)
   */
  public FloatTensor onnxBias(FloatTensor inputBias, FloatTensor recurrentBias, String cell, String from) {
    if (inputBias.rank() != 1 || (recurrentBias != null && !Arrays.equals(recurrentBias.shape(), inputBias.shape()))) {
      throw new IllegalArgumentException(cell + " biases have shapes " + inputBias.shapeString() + " and "
          + (recurrentBias == null ? "none" : recurrentBias.shapeString()) + ", expected two equal vectors [G·H]");
    }
    List<String> styles = convention(from).bias.getOrDefault(cell, List.of());
    if (recurrentBias != null && !styles.contains("input_and_recurrent")) {
      throw new IllegalArgumentException(from + " keeps one bias per " + cell + ", got a recurrent bias as well");
    }
    int n = inputBias.size();
    float[] b = new float[2 * n];
    System.arraycopy(reorderGates(inputBias.data(), cell, from, ONNX), 0, b, 0, n);
    if (recurrentBias != null) {
      System.arraycopy(reorderGates(recurrentBias.data(), cell, from, ONNX), 0, b, n, n);
    }
    return FloatTensor.of(b, 1, 2L * n);
  }

  /**
   * ONNX's peephole vector {@code P [1, 3H]} (gates i, o, f) from a convention's peephole vector
   * {@code [3H]} (Keras: i, f, o), through the {@code lstm_peephole} orders.
   *
   * @throws IllegalArgumentException when the vector is not {@code [3H]} or {@code from} has no peepholes
   */
  public FloatTensor onnxPeephole(FloatTensor peephole, String from) {
    if (peephole.rank() != 1) {
      throw new IllegalArgumentException("lstm peephole has shape " + peephole.shapeString() + ", expected a vector [3H]");
    }
    return FloatTensor.of(reorderGates(peephole.data(), PEEPHOLE, from, ONNX), 1, peephole.size());
  }

  private static long offset(List<String> axes, long[] strides, int gateRow, int in) {
    long off = 0;
    for (int a = 0; a < axes.size(); a++) {
      switch (axes.get(a)) {
        case "gates" -> off += strides[a] * gateRow;
        case "in" -> off += strides[a] * in;
        default -> { } // dirs: index 0
      }
    }
    return off;
  }

  private static long[] strides(long[] shape) {
    long[] s = new long[shape.length];
    long acc = 1;
    for (int a = shape.length - 1; a >= 0; a--) {
      s[a] = acc;
      acc *= shape[a];
    }
    return s;
  }

  private static int hiddenSize(int length, int gates, String cell) {
    if (length % gates != 0 || length == 0) {
      throw new IllegalArgumentException(cell + " has " + gates + " gates, but the stacked axis holds " + length
          + " values, expected a positive multiple of " + gates);
    }
    return length / gates;
  }

  private Convention convention(String name) {
    Convention c = conventions.get(name);
    if (c == null) {
      throw new IllegalArgumentException("unknown gate convention '" + name + "', expected one of " + conventions.keySet());
    }
    return c;
  }

  private static List<String> cellOf(Map<String, List<String>> byCell, String cell, String convention) {
    List<String> l = byCell.get(cell);
    if (l == null) {
      throw new IllegalArgumentException("unknown cell '" + cell + "' in convention '" + convention + "', expected one of "
          + byCell.keySet());
    }
    return l;
  }
}
