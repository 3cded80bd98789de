package dev.rnnx.onnx;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.rnnx.spec.FloatTensor;
import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/** Runs an ONNX model on raw ONNX Runtime Java (no DJL), one session per call. */
final class OrtRunner {

  private OrtRunner() {}

  /** ORT's process-wide environment. */
  static OrtEnvironment env() {
    return OrtEnvironment.getEnvironment();
  }

  /** Runs {@code model} on one input; returns every output by name. */
  static Map<String, FloatTensor> run(OnnxMl.ModelProto model, String inputName, FloatTensor input) throws OrtException {
    OrtEnvironment env = env();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        OrtSession session = env.createSession(model.toByteArray(), options)) {
      return run(session, Map.of(inputName, input));
    }
  }

  /** Runs an open session on float inputs. */
  static Map<String, FloatTensor> run(OrtSession session, Map<String, FloatTensor> inputs) throws OrtException {
    Map<String, OnnxTensor> tensors = new LinkedHashMap<>();
    try {
      for (var e : inputs.entrySet()) {
        tensors.put(e.getKey(), OnnxTensor.createTensor(env(), FloatBuffer.wrap(e.getValue().data()), e.getValue().shape()));
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
