package dev.rnnx.onnx;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.Tensor;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs an ONNX model on raw ONNX Runtime Java (no DJL), one session per call. Integer inputs are
 * fed in the type the graph declares (int32 lengths, int64 token ids).
 */
final class OrtRunner {

  private OrtRunner() {}

  /** ORT's process-wide environment. */
  static OrtEnvironment env() {
    return OrtEnvironment.getEnvironment();
  }

  /** Runs {@code model} on one input; returns every output by name. */
  static Map<String, FloatTensor> run(OnnxMl.ModelProto model, String inputName, FloatTensor input) throws OrtException {
    return run(model, Map.of(inputName, input));
  }

  /** Runs {@code model} on named inputs; returns every output by name. */
  static Map<String, FloatTensor> run(OnnxMl.ModelProto model, Map<String, ? extends Tensor> inputs) throws OrtException {
    Map<String, Integer> types = new HashMap<>();
    model.getGraph().getInputList().forEach(v -> types.put(v.getName(), v.getType().getTensorType().getElemType()));
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        OrtSession session = env().createSession(model.toByteArray(), options)) {
      return run(session, inputs, types);
    }
  }

  /** Runs an open session on float inputs. */
  static Map<String, FloatTensor> run(OrtSession session, Map<String, FloatTensor> inputs) throws OrtException {
    return run(session, inputs, Map.of());
  }

  private static Map<String, FloatTensor> run(OrtSession session, Map<String, ? extends Tensor> inputs,
      Map<String, Integer> types) throws OrtException {
    Map<String, OnnxTensor> tensors = new LinkedHashMap<>();
    try {
      for (var e : inputs.entrySet()) {
        Tensor t = e.getValue();
        OnnxTensor o;
        if (t instanceof FloatTensor f) {
          o = OnnxTensor.createTensor(env(), FloatBuffer.wrap(f.data()), f.shape());
        } else if (types.getOrDefault(e.getKey(), 7) == OnnxMl.TensorProto.DataType.INT32_VALUE) {
          o = OnnxTensor.createTensor(env(), IntBuffer.wrap(((LongTensor) t).toIntArray()), t.shape());
        } else {
          o = OnnxTensor.createTensor(env(), LongBuffer.wrap(((LongTensor) t).data()), t.shape());
        }
        tensors.put(e.getKey(), o);
      }
      Map<String, FloatTensor> out = new LinkedHashMap<>();
      try (OrtSession.Result result = session.run(tensors)) {
        for (Map.Entry<String, OnnxValue> e : result) {
          OnnxTensor t = (OnnxTensor) e.getValue();
          FloatBuffer buf = t.getFloatBuffer();
          float[] data = new float[buf.remaining()];
          buf.get(data);
          out.put(e.getKey(), new FloatTensor(t.getInfo().getShape(), data));
        }
      }
      return out;
    } finally {
      tensors.values().forEach(OnnxTensor::close);
    }
  }
}
