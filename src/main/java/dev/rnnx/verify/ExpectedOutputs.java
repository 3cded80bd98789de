package dev.rnnx.verify;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.TensorSpec;
import dev.rnnx.spec.Tensor;
import dev.rnnx.tensorio.Npy;
import dev.rnnx.tensorio.TestDataSet;
import dev.rnnx.tensorio.TypedTensor;
import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Outputs that the original framework recorded (or that a user trusts), the judge of
 * {@code rnnx verify RUN_DIR --expected E}: every backend, the reference forward included, is
 * compared with them by the usual criteria and statistics.
 *
 * <p>{@code E} is one of: an HDF5 file ({@code .h5}, {@code .hdf5}) with groups {@code inputs/} and
 * {@code outputs/} holding one dataset per tensor (or one subgroup per case, the same names in
 * both); a {@code .npz} archive of {@code inputs/<name>.npy} and {@code outputs/<name>.npy}; a folder
 * with {@code inputs/} and {@code outputs/} of {@code <name>.npy}; ONNX's {@code test_data_set_N}
 * folders ({@code input_K.pb}, {@code output_K.pb}), or a folder of them. Names are the model form's
 * input and output names; ONNX's test sets are positional (the K-th tensor is the form's K-th
 * input or output) when their stored names differ. A case must give every input and at least one
 * output; an output recorded for a name the form lacks, or of the wrong rank or batch size, is
 * refused naming the file.
 */
public final class ExpectedOutputs {

  /** The name of the judge in reports. */
  public static final String NAME = "expected";

  /** One recorded case. */
  private record Case(String name, Map<String, Tensor> inputs, Map<String, Tensor> outputs) {}

  private final Path source;
  private final List<Case> cases;

  private ExpectedOutputs(Path source, List<Case> cases) {
    this.source = source;
    this.cases = cases;
  }

  /**
   * Reads and checks {@code e} against a form's inputs and outputs.
   *
   * @throws IllegalArgumentException naming the file when it is missing, unreadable, of another
   *     layout, or its names or shapes do not fit the form
   */
  public static ExpectedOutputs read(Path e, ModelForm form) {
    List<Case> raw;
    String n = e.getFileName() == null ? "" : e.getFileName().toString().toLowerCase(Locale.ROOT);
    if (!Files.exists(e)) {
      throw new IllegalArgumentException("--expected " + e + ": does not exist, expected an HDF5 file, a .npz, a folder"
          + " of inputs/ and outputs/ .npy files, or test_data_set_N folders");
    }
    if (Files.isDirectory(e)) {
      raw = folder(e, form);
    } else if (n.endsWith(".h5") || n.endsWith(".hdf5")) {
      raw = hdf5(e);
    } else if (n.endsWith(".npz")) {
      raw = npz(e);
    } else {
      throw new IllegalArgumentException("--expected " + e + ": unknown format, expected .h5/.hdf5, .npz, a folder of"
          + " inputs/ and outputs/ .npy files, or test_data_set_N folders");
    }
    if (raw.isEmpty()) {
      throw new IllegalArgumentException("--expected " + e + ": holds no case, expected inputs and outputs");
    }
    for (Case c : raw) {
      check(e, c, form);
    }
    return new ExpectedOutputs(e, raw);
  }

  /** The recorded inputs, one parity case each. */
  public List<ParityCase> cases() {
    return cases.stream().map(c -> new ParityCase(c.name(), c.inputs())).toList();
  }

  /** The file or folder read. */
  public Path source() {
    return source;
  }

  /**
   * A backend named {@value #NAME} that answers the recorded outputs of the case whose inputs equal
   * the ones it is given.
   */
  public Backend backend() {
    return new Backend() {
      @Override
      public String name() {
        return NAME;
      }

      @Override
      public Map<String, FloatTensor> run(Map<String, ? extends Tensor> inputs) {
        for (Case c : cases) {
          if (sameInputs(c.inputs(), inputs)) {
            Map<String, FloatTensor> out = new LinkedHashMap<>();
            c.outputs().forEach((k, v) -> out.put(k, toFloat(v)));
            return out;
          }
        }
        throw new IllegalArgumentException("--expected " + source + ": no recorded case has these inputs");
      }
    };
  }

  private static void check(Path e, Case c, ModelForm form) {
    List<String> inputs = form.inputs().stream().map(TensorSpec::name).toList();
    List<String> outputs = form.outputs().stream().map(TensorSpec::name).toList();
    for (String k : c.inputs().keySet()) {
      if (!inputs.contains(k)) {
        throw new IllegalArgumentException("--expected " + e + ": case '" + c.name() + "' has input '" + k
            + "', expected the model's inputs " + inputs);
      }
    }
    for (String k : inputs) {
      if (!c.inputs().containsKey(k)) {
        throw new IllegalArgumentException("--expected " + e + ": case '" + c.name() + "' lacks input '" + k
            + "', expected the model's inputs " + inputs);
      }
    }
    if (c.outputs().isEmpty()) {
      throw new IllegalArgumentException("--expected " + e + ": case '" + c.name() + "' records no output, expected"
          + " some of " + outputs);
    }
    long batch = c.inputs().values().iterator().next().shape()[0];
    for (var o : c.outputs().entrySet()) {
      int at = outputs.indexOf(o.getKey());
      if (at < 0) {
        throw new IllegalArgumentException("--expected " + e + ": case '" + c.name() + "' has output '" + o.getKey()
            + "', expected some of the model's outputs " + outputs);
      }
      TensorSpec spec = form.outputs().get(at);
      long[] s = o.getValue().shape();
      if (s.length != spec.shape().rank() || s.length == 0 || s[0] != batch) {
        throw new IllegalArgumentException("--expected " + e + ": case '" + c.name() + "' output '" + o.getKey()
            + "' has shape " + Arrays.toString(s) + ", expected " + spec.shape() + " with the inputs' batch " + batch);
      }
      for (int a = 1; a < s.length; a++) {
        if (spec.shape().dim(a) > 0 && spec.shape().dim(a) != s[a]) {
          throw new IllegalArgumentException("--expected " + e + ": case '" + c.name() + "' output '" + o.getKey()
              + "' has shape " + Arrays.toString(s) + ", expected " + spec.shape());
        }
      }
    }
  }

  private static List<Case> folder(Path e, ModelForm form) {
    if (e.getFileName().toString().startsWith("test_data_set_")) {
      return List.of(testSet(e, form));
    }
    List<Path> sets;
    try (Stream<Path> s = Files.list(e)) {
      sets = s.filter(p -> Files.isDirectory(p) && p.getFileName().toString().startsWith("test_data_set_")).sorted().toList();
    } catch (IOException x) {
      throw new IllegalArgumentException("--expected " + e + ": cannot be read (" + x.getMessage() + ")");
    }
    if (!sets.isEmpty()) {
      return sets.stream().map(p -> testSet(p, form)).toList();
    }
    if (Files.isDirectory(e.resolve("inputs")) && Files.isDirectory(e.resolve("outputs"))) {
      return List.of(new Case(e.getFileName().toString(), npyFolder(e.resolve("inputs")), npyFolder(e.resolve("outputs"))));
    }
    throw new IllegalArgumentException("--expected " + e + ": folder holds neither test_data_set_N folders nor inputs/"
        + " and outputs/ of .npy files");
  }

  private static Map<String, Tensor> npyFolder(Path dir) {
    Map<String, Tensor> out = new LinkedHashMap<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.filter(f -> f.getFileName().toString().endsWith(".npy")).sorted().toList()) {
        String f = p.getFileName().toString();
        out.put(f.substring(0, f.length() - 4), Npy.read(p));
      }
    } catch (IOException x) {
      throw new IllegalArgumentException("--expected " + dir + ": cannot be read (" + x.getMessage() + ")");
    }
    return out;
  }

  /** One ONNX test set; its tensors are renamed by position when their names are not the form's. */
  private static Case testSet(Path dir, ModelForm form) {
    TestDataSet set = TestDataSet.read(dir);
    return new Case(dir.getFileName().toString(), named(dir, set.inputs(), form.inputs(), "input"),
        named(dir, set.outputs(), form.outputs(), "output"));
  }

  private static Map<String, Tensor> named(Path dir, Map<String, TypedTensor> stored, List<TensorSpec> specs, String what) {
    List<String> names = specs.stream().map(TensorSpec::name).toList();
    boolean byName = names.containsAll(stored.keySet());
    if (!byName && stored.size() > specs.size()) {
      throw new IllegalArgumentException("--expected " + dir + ": holds " + stored.size() + " " + what + "s "
          + stored.keySet() + ", expected at most the model's " + names);
    }
    Map<String, Tensor> out = new LinkedHashMap<>();
    int k = 0;
    for (var t : stored.entrySet()) {
      out.put(byName ? t.getKey() : names.get(k++), t.getValue().toTensor());
    }
    return out;
  }

  private static List<Case> npz(Path e) {
    Map<String, Tensor> in = new LinkedHashMap<>();
    Map<String, Tensor> out = new LinkedHashMap<>();
    try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(e))) {
      for (ZipEntry z = zip.getNextEntry(); z != null; z = zip.getNextEntry()) {
        String name = z.getName();
        if (z.isDirectory()) {
          continue;
        }
        String key = name.endsWith(".npy") ? name.substring(0, name.length() - 4) : name;
        Tensor t = Npy.read(zip.readAllBytes(), e + "!" + name);
        if (key.startsWith("inputs/")) {
          in.put(key.substring(7), t);
        } else if (key.startsWith("outputs/")) {
          out.put(key.substring(8), t);
        } else {
          throw new IllegalArgumentException("--expected " + e + ": array '" + key + "' is neither inputs/<name> nor"
              + " outputs/<name>");
        }
      }
    } catch (IOException x) {
      throw new IllegalArgumentException("--expected " + e + ": is not a readable .npz (zip) archive (" + x.getMessage() + ")");
    }
    if (in.isEmpty() && out.isEmpty()) {
      throw new IllegalArgumentException("--expected " + e + ": is not a .npz archive of inputs/<name> and outputs/<name> arrays");
    }
    return List.of(new Case(e.getFileName().toString(), in, out));
  }

  private static List<Case> hdf5(Path e) {
    try (HdfFile f = new HdfFile(e)) {
      Node inputs = child(f, "inputs");
      Node outputs = child(f, "outputs");
      if (!(inputs instanceof Group gi) || !(outputs instanceof Group go)) {
        throw new IllegalArgumentException("--expected " + e + ": has no groups 'inputs' and 'outputs'");
      }
      boolean perCase = gi.getChildren().values().stream().allMatch(n -> n instanceof Group) && !gi.getChildren().isEmpty();
      List<Case> cases = new ArrayList<>();
      if (!perCase) {
        cases.add(new Case(e.getFileName().toString(), datasets(e, gi), datasets(e, go)));
      } else {
        for (var c : gi.getChildren().entrySet()) {
          Node o = go.getChildren().get(c.getKey());
          if (!(o instanceof Group og)) {
            throw new IllegalArgumentException("--expected " + e + ": case 'inputs/" + c.getKey() + "' has no group 'outputs/"
                + c.getKey() + "'");
          }
          cases.add(new Case(c.getKey(), datasets(e, (Group) c.getValue()), datasets(e, og)));
        }
      }
      return cases;
    } catch (IllegalArgumentException x) {
      throw x;
    } catch (RuntimeException x) {
      throw new IllegalArgumentException("--expected " + e + ": is not a readable HDF5 file (" + x.getMessage() + ")");
    }
  }

  private static Node child(Group g, String name) {
    return g.getChildren().get(name);
  }

  private static Map<String, Tensor> datasets(Path e, Group g) {
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (var c : g.getChildren().entrySet()) {
      if (!(c.getValue() instanceof Dataset ds)) {
        throw new IllegalArgumentException("--expected " + e + ": " + c.getValue().getPath() + " is not a dataset");
      }
      long[] shape = ds.isScalar() ? new long[0] : ds.getDimensionsAsLong();
      Object flat = ds.getDataFlat();
      Tensor t;
      if (flat instanceof float[] v) {
        t = new FloatTensor(shape, v);
      } else if (flat instanceof double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
          f[i] = (float) v[i];
        }
        t = new FloatTensor(shape, f);
      } else if (flat instanceof long[] v) {
        t = new LongTensor(shape, v);
      } else if (flat instanceof int[] v) {
        t = new LongTensor(shape, Arrays.stream(v).asLongStream().toArray());
      } else {
        throw new IllegalArgumentException("--expected " + e + ": " + ds.getPath() + " holds "
            + ds.getJavaType().getSimpleName() + " values, expected float32, float64, int32 or int64");
      }
      out.put(c.getKey(), t);
    }
    return out;
  }

  private static boolean sameInputs(Map<String, Tensor> recorded, Map<String, ? extends Tensor> given) {
    if (!recorded.keySet().equals(given.keySet())) {
      return false;
    }
    for (var r : recorded.entrySet()) {
      Tensor g = given.get(r.getKey());
      if (!Arrays.equals(r.getValue().shape(), g.shape()) || !Arrays.equals(values(r.getValue()), values(g))) {
        return false;
      }
    }
    return true;
  }

  private static double[] values(Tensor t) {
    if (t instanceof FloatTensor f) {
      double[] d = new double[f.size()];
      for (int i = 0; i < d.length; i++) {
        d[i] = f.data()[i];
      }
      return d;
    }
    return Arrays.stream(((LongTensor) t).data()).asDoubleStream().toArray();
  }

  private static FloatTensor toFloat(Tensor t) {
    if (t instanceof FloatTensor f) {
      return f;
    }
    long[] l = ((LongTensor) t).data();
    float[] f = new float[l.length];
    for (int i = 0; i < l.length; i++) {
      f[i] = l[i];
    }
    return new FloatTensor(t.shape(), f);
  }
}
