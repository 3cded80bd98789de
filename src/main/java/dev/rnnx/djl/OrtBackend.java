package dev.rnnx.djl;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.rnnx.onnx.KernelAssumptions;
import dev.rnnx.onnx.OnnxModels;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.Tensor;
import dev.rnnx.verify.Backend;
import dev.rnnx.verify.BackendKind;
import dev.rnnx.verify.OnnxFileBackend;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code ort}, {@code ort-basic} and {@code ort-disabled} backends: an ONNX file on ONNX
 * Runtime's own Java API, without DJL, at the kind's graph optimisation level.
 *
 * <p>ONNX Runtime has one environment per process, and DJL's OnnxRuntime engine fails to start when
 * it finds one created by someone else (DESIGN.md). In a process that also runs {@code djl-ort},
 * run this backend in a child process ({@code verify.ProcessBackend}), which {@code rnnx verify} does.
 */
public final class OrtBackend implements OnnxFileBackend {

  private final Path file;
  private final BackendKind kind;
  private final OrtSession session;
  private final Map<String, TensorInfo> inputs = new LinkedHashMap<>();

  /**
   * Opens a session on an ONNX file.
   *
   * @param kind {@code ort}, {@code ort-basic} or {@code ort-disabled}
   * @throws IllegalArgumentException when the file is not an ONNX model or ONNX Runtime rejects it
   */
  public OrtBackend(Path file, BackendKind kind) {
    if (kind.onDjl() || kind.ortLevel() == null) {
      throw new IllegalArgumentException("backend " + kind + " is not ONNX Runtime's own Java API");
    }
    KernelAssumptions.check(file, OnnxModels.read(file));
    this.file = file;
    this.kind = kind;
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.valueOf(kind.ortLevel().djlName()));
      this.session = open(file, options);
    } catch (OrtException e) {
      throw new IllegalArgumentException("ONNX Runtime could not load " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Opens a session on an ONNX file with serving options ({@link OrtOptions}), as the {@code ort}
   * kind: for a form served without DJL's per-call arrays (the stream form's batcher). Call it only
   * after DJL's OnnxRuntime engine has started in this process (class comment).
   *
   * @throws IllegalArgumentException when ONNX Runtime rejects the file
   */
  OrtBackend(Path file, OrtOptions serving) {
    this.file = file;
    this.kind = BackendKind.ORT;
    try (OrtSession.SessionOptions options = serving.toSessionOptions()) {
      this.session = open(file, options);
    }
  }

  private OrtSession open(Path file, OrtSession.SessionOptions options) {
    try {
      OrtSession session = OrtEnvironment.getEnvironment().createSession(file.toString(), options);
      for (Map.Entry<String, NodeInfo> e : session.getInputInfo().entrySet()) {
        if (e.getValue().getInfo() instanceof TensorInfo t) {
          inputs.put(e.getKey(), t);
        }
      }
      return session;
    } catch (OrtException e) {
      throw new IllegalArgumentException("ONNX Runtime could not load " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String name() {
    return kind.id();
  }

  @Override
  public Map<String, FloatTensor> run(Map<String, ? extends Tensor> given) {
    for (String name : given.keySet()) {
      if (!inputs.containsKey(name)) {
        throw new IllegalArgumentException("Unknown input name " + name + ", expected one of " + inputs.keySet());
      }
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    List<OnnxTensor> created = new ArrayList<>();
    try {
      Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
      for (Map.Entry<String, TensorInfo> e : inputs.entrySet()) {
        Tensor t = given.get(e.getKey());
        if (t == null) {
          throw new IllegalArgumentException("missing input '" + e.getKey() + "', expected " + inputs.keySet());
        }
        OnnxTensor o = toOrt(env, e.getKey(), e.getValue(), t);
        created.add(o);
        feeds.put(e.getKey(), o);
      }
      try (OrtSession.Result result = session.run(feeds)) {
        Map<String, FloatTensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, OnnxValue> e : result) {
          out.put(e.getKey(), toFloat(e.getKey(), (OnnxTensor) e.getValue()));
        }
        return out;
      }
    } catch (OrtException e) {
      IllegalArgumentException refused = OrtRefusal.of(file, e);
      if (refused != null) {
        throw refused;
      }
      throw new IllegalStateException("ONNX Runtime failed to run " + file + ": " + e.getMessage(), e);
    } finally {
      created.forEach(OnnxTensor::close);
    }
  }

  private static OnnxTensor toOrt(OrtEnvironment env, String name, TensorInfo info, Tensor t) throws OrtException {
    if (t instanceof FloatTensor f) {
      if (info.type != OnnxJavaType.FLOAT) {
        throw new IllegalArgumentException("input '" + name + "' is " + info.type + " in the model, got float32 values");
      }
      return OnnxTensor.createTensor(env, FloatBuffer.wrap(f.data()), f.shape());
    }
    LongTensor l = (LongTensor) t;
    if (info.type == OnnxJavaType.INT32) {
      return OnnxTensor.createTensor(env, IntBuffer.wrap(l.toIntArray()), l.shape());
    }
    if (info.type == OnnxJavaType.INT64) {
      return OnnxTensor.createTensor(env, LongBuffer.wrap(l.data()), l.shape());
    }
    throw new IllegalArgumentException("input '" + name + "' is " + info.type + " in the model, got integers");
  }

  private static FloatTensor toFloat(String name, OnnxTensor t) {
    long[] shape = t.getInfo().getShape();
    int n = Math.toIntExact(t.getInfo().getNumElements());
    float[] data = new float[n];
    switch (t.getInfo().type) {
      case FLOAT -> t.getFloatBuffer().get(data);
      case DOUBLE -> {
        var b = t.getDoubleBuffer();
        for (int i = 0; i < n; i++) {
          data[i] = (float) b.get(i);
        }
      }
      case INT64 -> {
        var b = t.getLongBuffer();
        for (int i = 0; i < n; i++) {
          data[i] = b.get(i);
        }
      }
      case INT32 -> {
        var b = t.getIntBuffer();
        for (int i = 0; i < n; i++) {
          data[i] = b.get(i);
        }
      }
      default -> throw new IllegalStateException("output '" + name + "' is " + t.getInfo().type
          + ", which has no float32 reading");
    }
    return new FloatTensor(shape, data);
  }

  @Override
  public Path onnxFile() {
    return file;
  }

  @Override
  public Backend reopen(Path otherOnnx) {
    return new OrtBackend(otherOnnx, kind);
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      throw new IllegalStateException("closing the ONNX Runtime session of " + file + ": " + e.getMessage(), e);
    }
  }
}
