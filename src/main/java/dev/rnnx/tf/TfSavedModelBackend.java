package dev.rnnx.tf;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.Tensor;
import dev.rnnx.verify.Backend;
import dev.rnnx.verify.BackendKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * The {@code tf-saved-model} backend: a SavedModel folder loaded with TensorFlow Java's own
 * {@code SavedModelBundle} (tag {@code serve}) and one signature called through it, without DJL.
 * ({@code tf-java} is the live session built from an rnnx model's weights, {@link TfJavaBackend}.)
 */
public final class TfSavedModelBackend implements Backend {

  private final Path dir;
  private final SavedModelBundle bundle;
  private final SessionFunction function;
  private final Map<String, DataType> inputTypes = new LinkedHashMap<>();

  /**
   * Loads the folder and finds the signature.
   *
   * @throws IllegalArgumentException when the folder is missing, is not a SavedModel, or has no such
   *     signature (listing those it has)
   */
  public TfSavedModelBackend(Path dir, String signature) {
    if (!Files.isRegularFile(dir.resolve("saved_model.pb"))) {
      throw new IllegalArgumentException("folder " + dir + " is not a SavedModel: expected a file saved_model.pb in it");
    }
    this.dir = dir;
    this.bundle = SavedModelBundle.load(dir.toString(), "serve");
    SessionFunction f;
    try {
      f = bundle.function(signature);
    } catch (IllegalArgumentException e) {
      List<String> keys = bundle.signatures().stream().map(Signature::key).sorted().toList();
      bundle.close();
      throw new IllegalArgumentException("SavedModel " + dir + " has no '" + signature + "' signature under tag 'serve';"
          + " its signatures are " + keys, e);
    }
    this.function = f;
    f.signature().getInputs().forEach((k, d) -> inputTypes.put(k, d.dataType));
  }

  @Override
  public String name() {
    return BackendKind.TF_SAVED_MODEL.id();
  }

  @Override
  public Map<String, FloatTensor> run(Map<String, ? extends Tensor> inputs) {
    for (String k : inputs.keySet()) {
      if (!inputTypes.containsKey(k)) {
        throw new IllegalArgumentException("Unknown input name " + k + ", expected one of " + inputTypes.keySet());
      }
    }
    List<org.tensorflow.Tensor> created = new ArrayList<>();
    try {
      Map<String, org.tensorflow.Tensor> feeds = new LinkedHashMap<>();
      for (Map.Entry<String, DataType> e : inputTypes.entrySet()) {
        Tensor t = inputs.get(e.getKey());
        if (t == null) {
          throw new IllegalArgumentException("missing input '" + e.getKey() + "', expected " + inputTypes.keySet());
        }
        org.tensorflow.Tensor native_ = toNative(e.getKey(), e.getValue(), t);
        created.add(native_);
        feeds.put(e.getKey(), native_);
      }
      try (Result result = function.call(feeds)) {
        Map<String, FloatTensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, org.tensorflow.Tensor> e : result) {
          out.put(e.getKey(), toFloat(e.getKey(), e.getValue()));
        }
        return out;
      }
    } finally {
      created.forEach(org.tensorflow.Tensor::close);
    }
  }

  private static org.tensorflow.Tensor toNative(String name, DataType type, Tensor t) {
    Shape shape = Shape.of(t.shape());
    if (t instanceof FloatTensor f) {
      if (type != DataType.DT_FLOAT) {
        throw new IllegalArgumentException("input '" + name + "' is " + type + " in the SavedModel, got float32 values");
      }
      return TFloat32.tensorOf(shape, DataBuffers.of(f.data(), true, false));
    }
    LongTensor l = (LongTensor) t;
    if (type == DataType.DT_INT32) {
      return TInt32.tensorOf(shape, DataBuffers.of(l.toIntArray(), true, false));
    }
    if (type == DataType.DT_INT64) {
      return TInt64.tensorOf(shape, DataBuffers.of(l.data(), true, false));
    }
    throw new IllegalArgumentException("input '" + name + "' is " + type + " in the SavedModel, got integers");
  }

  private static FloatTensor toFloat(String name, org.tensorflow.Tensor t) {
    long[] shape = t.shape().asArray();
    float[] data = new float[Math.toIntExact(t.shape().size())];
    if (t instanceof TFloat32 f) {
      f.copyTo(DataBuffers.of(data, false, false));
    } else if (t instanceof TFloat64 d) {
      double[] v = new double[data.length];
      d.copyTo(DataBuffers.of(v, false, false));
      for (int i = 0; i < v.length; i++) {
        data[i] = (float) v[i];
      }
    } else if (t instanceof TInt32 i32) {
      int[] v = new int[data.length];
      i32.copyTo(DataBuffers.of(v, false, false));
      for (int i = 0; i < v.length; i++) {
        data[i] = v[i];
      }
    } else if (t instanceof TInt64 i64) {
      long[] v = new long[data.length];
      i64.copyTo(DataBuffers.of(v, false, false));
      for (int i = 0; i < v.length; i++) {
        data[i] = v[i];
      }
    } else {
      throw new IllegalStateException("output '" + name + "' is " + t.dataType() + ", which has no float32 reading");
    }
    return new FloatTensor(shape, data);
  }

  @Override
  public void close() {
    bundle.close();
  }

  @Override
  public String toString() {
    return "TfSavedModelBackend[" + dir + "]";
  }
}
