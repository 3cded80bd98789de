package dev.rnnx.onnx;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.rnnx.ref.onnx.OnnxEvaluator;
import dev.rnnx.ref.onnx.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The exported forms of one model, ready to run on ONNX Runtime (one session per form) and on the
 * reference evaluator (one prepared evaluator per form), with {@link Value}s in and out.
 */
final class FormBackends implements AutoCloseable {

  /** One backend running the forms. */
  interface Backend {
    String name();

    Map<String, Value> run(String form, Map<String, Value> feeds);
  }

  private final Map<String, OrtSession> sessions = new LinkedHashMap<>();
  private final Map<String, OnnxEvaluator> evaluators = new LinkedHashMap<>();

  FormBackends(Map<String, OnnxMl.ModelProto> forms) throws OrtException {
    for (var e : forms.entrySet()) {
      sessions.put(e.getKey(), OrtRunner.env().createSession(e.getValue().toByteArray(), new OrtSession.SessionOptions()));
      evaluators.put(e.getKey(), new OnnxEvaluator(e.getValue()));
    }
  }

  /** ONNX Runtime, then the evaluator. */
  List<Backend> both() {
    List<Backend> b = new ArrayList<>();
    b.add(new Backend() {
      @Override
      public String name() {
        return "ORT";
      }

      @Override
      public Map<String, Value> run(String form, Map<String, Value> feeds) {
        try {
          return OrtValues.run(sessions.get(form), feeds);
        } catch (OrtException e) {
          throw new IllegalStateException("ORT " + form + ": " + e.getMessage(), e);
        }
      }
    });
    b.add(new Backend() {
      @Override
      public String name() {
        return "evaluator";
      }

      @Override
      public Map<String, Value> run(String form, Map<String, Value> feeds) {
        return evaluators.get(form).run(feeds);
      }
    });
    return b;
  }

  @Override
  public void close() throws OrtException {
    for (OrtSession s : sessions.values()) {
      s.close();
    }
  }
}
