package dev.rnnx.onnx;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.rnnx.ref.onnx.DataType;
import dev.rnnx.ref.onnx.Value;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a model on raw ONNX Runtime with the reference evaluator's {@link Value}s in and out
 * (float32, int32, int64 and bool), so that integer outputs (token ids, indices) come back exact.
 */
final class OrtValues {

  private OrtValues() {}

  /** Runs a model, one session per call; every output by name. */
  static Map<String, Value> run(OnnxMl.ModelProto model, Map<String, Value> feeds) throws OrtException {
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        OrtSession session = OrtRunner.env().createSession(model.toByteArray(), options)) {
      return run(session, feeds);
    }
  }

  /** Runs an open session. */
  static Map<String, Value> run(OrtSession session, Map<String, Value> feeds) throws OrtException {
    List<OnnxTensor> tensors = new ArrayList<>();
    try {
      Map<String, OnnxTensor> in = new LinkedHashMap<>();
      for (Map.Entry<String, Value> e : feeds.entrySet()) {
        OnnxTensor t = toOrt(e.getValue());
        tensors.add(t);
        in.put(e.getKey(), t);
      }
      Map<String, Value> out = new LinkedHashMap<>();
      try (OrtSession.Result r = session.run(in)) {
        for (Map.Entry<String, OnnxValue> e : r) {
          out.put(e.getKey(), fromOrt((OnnxTensor) e.getValue()));
        }
      }
      return out;
    } finally {
      tensors.forEach(OnnxTensor::close);
    }
  }

  static OnnxTensor toOrt(Value v) throws OrtException {
    switch (v.type()) {
      case FLOAT:
        return OnnxTensor.createTensor(OrtRunner.env(), FloatBuffer.wrap(v.toFloatArray()), v.shape());
      case INT32: {
        int[] d = new int[v.size()];
        for (int i = 0; i < d.length; i++) {
          d[i] = (int) v.getLong(i);
        }
        return OnnxTensor.createTensor(OrtRunner.env(), IntBuffer.wrap(d), v.shape());
      }
      case INT64:
        return OnnxTensor.createTensor(OrtRunner.env(), LongBuffer.wrap(v.toLongArray()), v.shape());
      case BOOL: {
        ByteBuffer b = ByteBuffer.allocateDirect(v.size());
        for (int i = 0; i < v.size(); i++) {
          b.put((byte) v.getLong(i));
        }
        b.rewind();
        return OnnxTensor.createTensor(OrtRunner.env(), b, v.shape(), OnnxJavaType.BOOL);
      }
      default:
        throw new IllegalArgumentException("no ONNX Runtime conversion for " + v.type());
    }
  }

  static Value fromOrt(OnnxTensor t) {
    long[] shape = t.getInfo().getShape();
    switch (t.getInfo().type) {
      case FLOAT: {
        FloatBuffer b = t.getFloatBuffer();
        float[] f = new float[b.remaining()];
        b.get(f);
        return Value.ofFloats(shape, f);
      }
      case INT64: {
        LongBuffer b = t.getLongBuffer();
        long[] l = new long[b.remaining()];
        b.get(l);
        return Value.ofInt64(shape, l);
      }
      case INT32: {
        IntBuffer b = t.getIntBuffer();
        long[] l = new long[b.remaining()];
        for (int i = 0; i < l.length; i++) {
          l[i] = b.get();
        }
        return Value.ofLongs(DataType.INT32, shape, l);
      }
      case BOOL: {
        ByteBuffer b = t.getByteBuffer();
        long[] l = new long[b.remaining()];
        for (int i = 0; i < l.length; i++) {
          l[i] = b.get();
        }
        return Value.ofLongs(DataType.BOOL, shape, l);
      }
      default:
        throw new IllegalArgumentException("no conversion from ONNX Runtime type " + t.getInfo().type);
    }
  }
}
