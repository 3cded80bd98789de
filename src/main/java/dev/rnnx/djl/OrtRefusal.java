package dev.rnnx.djl;

import ai.onnxruntime.OrtException;
import java.util.Set;

/**
 * ONNX Runtime refusing to run a model, told apart from ONNX Runtime failing. A status of
 * {@code INVALID_ARGUMENT}, {@code INVALID_GRAPH}, {@code INVALID_PROTOBUF}, {@code NOT_IMPLEMENTED}
 * or {@code FAIL} (a kernel's own check, such as {@code ORT_ENFORCE}, that the model's shapes or
 * attributes broke at run time) is the model's fault: an {@link IllegalArgumentException} naming
 * the file, exit 2. Any other status ({@code RUNTIME_EXCEPTION}, {@code ENGINE_ERROR},
 * {@code EP_FAIL}, …) stays the runtime's failure (exit 3).
 */
final class OrtRefusal {

  private static final Set<OrtException.OrtErrorCode> MODEL_AT_FAULT = Set.of(OrtException.OrtErrorCode.ORT_INVALID_ARGUMENT,
      OrtException.OrtErrorCode.ORT_INVALID_GRAPH, OrtException.OrtErrorCode.ORT_INVALID_PROTOBUF,
      OrtException.OrtErrorCode.ORT_NOT_IMPLEMENTED, OrtException.OrtErrorCode.ORT_FAIL);

  private OrtRefusal() {}

  /**
   * The refusal {@code e} carries (an {@link OrtException} anywhere in its causes with a status of
   * the model's fault), or {@code null}.
   *
   * @param source the model file, for the message
   */
  static IllegalArgumentException of(Object source, Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof OrtException o && MODEL_AT_FAULT.contains(o.getCode())) {
        String m = o.getMessage() == null ? o.getCode().name() : o.getMessage().replace('\n', ' ').strip();
        return new IllegalArgumentException(source + ": ONNX Runtime refused to run this model (" + m + ")", e);
      }
    }
    return null;
  }
}
