package dev.rnnx.imports.keras;

import dev.rnnx.imports.ImportException;
import dev.rnnx.spec.Budget;
import dev.rnnx.spec.FloatTensor;
import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * One Keras HDF5 file opened through jhdf (pure Java), and the weights of a layer read from it in
 * Keras's order, in either layout Keras writes:
 *
 * <pre>
 * legacy (Keras 2 .h5, save_weights .h5)  [model_weights/]&lt;layer&gt;/ with attribute weight_names
 *                                         listing the layer's datasets in order (kernel:0, ...)
 * Keras 3 (.weights.h5, model.weights.h5) layers/&lt;snake_case class&gt;[_N]/[cell/|layer/|forward_layer/
 *                                         backward_layer/]vars/0, 1, ...
 * </pre>
 *
 * Every jhdf failure (a corrupt or truncated file, a layout it cannot read) becomes an
 * {@link ImportException} naming the file; no jhdf stack trace reaches a user.
 */
final class KerasHdf5 implements AutoCloseable {

  private final String source;
  private final HdfFile file;

  private KerasHdf5(String source, HdfFile file) {
    this.source = source;
    this.file = file;
  }

  /** Opens an HDF5 file on disk. */
  static KerasHdf5 open(Path path) {
    try {
      return new KerasHdf5(path.toString(), new HdfFile(path));
    } catch (RuntimeException e) {
      throw corrupt(path.toString(), e);
    }
  }

  /** Opens an HDF5 file held in memory (a member of a {@code .keras} zip), named {@code source} in messages. */
  static KerasHdf5 fromBytes(String source, byte[] bytes) {
    try {
      return new KerasHdf5(source, HdfFile.fromBytes(bytes));
    } catch (RuntimeException e) {
      throw corrupt(source, e);
    }
  }

  private static ImportException corrupt(String source, RuntimeException e) {
    return new ImportException(source + ": is not a readable HDF5 file (" + oneLine(e) + "); expected a Keras .h5, .keras or"
        + " .weights.h5 file", e);
  }

  private static String oneLine(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return m.lines().findFirst().orElse(m);
  }

  /** A string attribute of the root (or of {@code model_weights/}), if present. */
  Optional<String> rootString(String name) {
    try {
      Optional<String> v = string(file, name);
      if (v.isEmpty() && file.getChild("model_weights") instanceof Group g) {
        v = string(g, name);
      }
      return v;
    } catch (RuntimeException e) {
      throw corrupt(source, e);
    }
  }

  private static Optional<String> string(Node node, String name) {
    Attribute a = node.getAttribute(name);
    if (a == null) {
      return Optional.empty();
    }
    Object data = a.getData();
    if (data instanceof String s) {
      return Optional.of(s);
    }
    if (data instanceof String[] arr && arr.length == 1) {
      return Optional.of(arr[0]);
    }
    if (data instanceof byte[] b) {
      return Optional.of(new String(b, java.nio.charset.StandardCharsets.UTF_8));
    }
    return Optional.empty();
  }

  /**
   * The weights of one layer of a config: {@link #layerWeights(String, String, long, boolean)}, or
   * for a layer of a nested Sequential model the weights that the nested model's legacy group lists
   * under the layer's name ({@code <nested>/} with {@code weight_names} such as
   * {@code lstm/lstm_cell/kernel:0}, in the nested model's weight order, as Keras 2's
   * {@code save_weights_to_hdf5_group} writes a model used as a layer).
   */
  List<FloatTensor> layerWeights(KerasLayerConfig k, long limit, boolean required) {
    if (k.nestedIn() == null) {
      return layerWeights(k.name(), k.weightsKey(), limit, required);
    }
    String where = "layer '" + k.name() + "' of nested model '" + k.nestedIn() + "'";
    try {
      if (file.getChild("layers") instanceof Group) {
        throw new ImportException(source + ": " + where + ": nested models are imported from Keras 2's legacy HDF5 layout only,"
            + " not Keras 3's");
      }
      Group root = file.getChild("model_weights") instanceof Group mw ? mw : file;
      if (!(root.getChild(k.nestedIn()) instanceof Group g)) {
        if (!required) {
          return List.of();
        }
        throw new ImportException(source + ": " + where + " has no weights in the file (expected " + k.nestedIn() + "/)");
      }
      Attribute names = g.getAttribute("weight_names");
      Object data = names == null ? new String[0] : names.getData();
      String[] paths = data instanceof String[] arr ? arr : data instanceof String s ? new String[] {s} : new String[0];
      List<FloatTensor> out = new ArrayList<>();
      for (String p : paths) {
        if (!p.startsWith(k.name() + "/") && !p.contains("/" + k.name() + "/")) {
          continue;
        }
        if (!(g.getByPath(p) instanceof Dataset ds)) {
          throw new ImportException(source + ": " + where + " lists weight '" + p + "' that the file does not hold");
        }
        out.add(tensor(ds, limit, k.name()));
      }
      if (out.isEmpty() && required) {
        throw new ImportException(source + ": " + where + " has no weights in the file (expected names " + k.name() + "/… in "
            + k.nestedIn() + "/'s weight_names)");
      }
      return out;
    } catch (ImportException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new ImportException(source + ": " + where + ": weights cannot be read (" + oneLine(e) + ")", e);
    }
  }

  /**
   * The weights of one layer, in Keras's order, or an empty list for a layer without weights.
   *
   * @param configName the layer's name in the model config (the legacy layout's key)
   * @param v3Name the layer's key in the Keras 3 layout ({@code lstm}, {@code dense_1}, ...)
   * @param limit the most elements a dataset may hold before it is read
   * @param required whether the layer has parameters (a weightless layer may have no group)
   * @throws ImportException when a layer with parameters is missing from the file
   */
  List<FloatTensor> layerWeights(String configName, String v3Name, long limit, boolean required) {
    try {
      Group layers = file.getChild("layers") instanceof Group g ? g : null;
      if (layers != null) {
        Node n = layers.getChild(v3Name);
        if (n == null) {
          n = layers.getChild(configName);
        }
        if (!(n instanceof Group g)) {
          if (!required) {
            return List.of();
          }
          throw new ImportException(source + ": layer '" + configName + "' has no weights in the file (expected layers/" + v3Name
              + "/ in Keras 3's layout)");
        }
        List<FloatTensor> out = new ArrayList<>();
        collectV3(g, out, limit, configName);
        return out;
      }
      Group root = file.getChild("model_weights") instanceof Group mw ? mw : file;
      if (!(root.getChild(configName) instanceof Group g)) {
        if (!required) {
          return List.of();
        }
        throw new ImportException(source + ": layer '" + configName + "' has no weights in the file (expected "
            + (root == file ? "" : "model_weights/") + configName + "/)");
      }
      Attribute names = g.getAttribute("weight_names");
      List<FloatTensor> out = new ArrayList<>();
      if (names == null) {
        return out;
      }
      Object data = names.getData();
      String[] paths = data instanceof String[] arr ? arr : data instanceof String s ? new String[] {s} : new String[0];
      for (String p : paths) {
        Node d = g.getByPath(p);
        if (!(d instanceof Dataset ds)) {
          throw new ImportException(source + ": layer '" + configName + "' lists weight '" + p + "' that the file does not hold");
        }
        out.add(tensor(ds, limit, configName));
      }
      return out;
    } catch (ImportException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new ImportException(source + ": layer '" + configName + "': weights cannot be read (" + oneLine(e) + ")", e);
    }
  }

  /** Own {@code vars/0..n} first, then the sublayers (forward before backward; others by name). */
  private void collectV3(Group g, List<FloatTensor> out, long limit, String layer) {
    if (g.getChild("vars") instanceof Group vars) {
      List<Node> datasets = new ArrayList<>(vars.getChildren().values());
      datasets.sort(Comparator.comparingInt(n -> index(n.getName())));
      for (Node n : datasets) {
        if (n instanceof Dataset ds) {
          out.add(tensor(ds, limit, layer));
        }
      }
    }
    List<String> subs = new ArrayList<>(g.getChildren().keySet());
    subs.remove("vars");
    subs.sort(Comparator.comparingInt(KerasHdf5::sublayerRank).thenComparing(Comparator.naturalOrder()));
    for (String s : subs) {
      if (g.getChild(s) instanceof Group sub) {
        collectV3(sub, out, limit, layer);
      }
    }
  }

  /**
   * Keras 3 stores a layer's sublayers under their attribute names, which sort alphabetically in
   * the file; rnnx reads them in the layer's own order: a Bidirectional's forward half before its
   * backward half, a MultiHeadAttention's {@code query_dense}, {@code key_dense}, {@code value_dense},
   * then {@code output_dense} (alphabetical order would read the key kernel as the query's, and the
   * output kernel has the query kernel's shape whenever {@code heads · key_dim} equals the width).
   */
  static int sublayerRank(String name) {
    return switch (name) {
      case "forward_layer" -> 0;
      case "backward_layer" -> 1;
      case "query_dense" -> 2;
      case "key_dense" -> 3;
      case "value_dense" -> 4;
      case "output_dense" -> 5;
      default -> 6;
    };
  }

  private static int index(String name) {
    try {
      return Integer.parseInt(name);
    } catch (NumberFormatException e) {
      return Integer.MAX_VALUE;
    }
  }

  private FloatTensor tensor(Dataset ds, long limit, String layer) {
    long size = ds.getSize();
    if (size > limit) {
      throw new ImportException(source + ": layer '" + layer + "': weight " + ds.getPath() + " holds " + size
          + " values, more than the layer's " + limit + " parameters");
    }
    Budget.PARAMETERS.check(source + " " + ds.getPath(), size);
    long[] shape = ds.isScalar() ? new long[0] : ds.getDimensionsAsLong();
    Object flat = ds.getDataFlat();
    float[] values;
    if (flat instanceof float[] f) {
      values = f;
    } else if (flat instanceof double[] d) {
      values = new float[d.length];
      for (int i = 0; i < d.length; i++) {
        values[i] = (float) d[i];
      }
    } else {
      throw new ImportException(source + ": layer '" + layer + "': weight " + ds.getPath() + " holds "
          + ds.getJavaType().getSimpleName() + " values, expected float32 or float64");
    }
    return new FloatTensor(shape, values);
  }

  /** Whether the file uses Keras 3's layout ({@code layers/<name>/vars/...}). */
  boolean hasV3Layout() {
    try {
      return file.getChild("layers") instanceof Group;
    } catch (RuntimeException e) {
      throw corrupt(source, e);
    }
  }

  @Override
  public void close() {
    try {
      file.close();
    } catch (RuntimeException e) {
      // closing a read-only file cannot lose data
    }
  }
}
