package dev.rnnx.onnx;

import ai.onnx.proto.OnnxMl;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.onnx.ModelProto;
import org.bytedeco.onnx.OpSchemaRegistry;
import org.bytedeco.onnx.ShapeInferenceOptions;
import org.bytedeco.onnx.global.onnx;

/**
 * The real ONNX checker (ONNX 1.17's C++ {@code onnx::checker::check_model}, through
 * {@code org.bytedeco:onnx}) with full checking, followed by strict shape inference.
 *
 * <p>The Java model is serialised and parsed into the native {@code ModelProto}, so the checker
 * sees exactly the bytes a runtime would read. Full checking already runs shape inference with
 * type checks in strict mode; the explicit second pass makes strictness independent of that
 * default: every node's output types must be inferable and agree with the declared graph
 * outputs.
 */
public final class OnnxChecker {

  /** {@code ShapeInferenceOptions.error_mode}: 1 = strict, any inference error is raised. */
  private static final int STRICT = 1;

  static {
    // JavaCPP loads the native library when a class of the binding is first initialised; a
    // BytePointer allocated before that fails ("No native JavaCPP library in memory").
    Loader.load(onnx.class);
  }

  private OnnxChecker() {}

  /**
   * Checks a model.
   *
   * @throws OnnxCheckException carrying the checker's message when the model is invalid
   */
  public static void check(OnnxMl.ModelProto model) {
    byte[] bytes = model.toByteArray();
    try (BytePointer data = new BytePointer(bytes);
        ModelProto nativeModel = new ModelProto()) {
      if (!nativeModel.ParseFromArray(data, bytes.length)) {
        throw new OnnxCheckException("the native ONNX library could not parse the serialised model ("
            + bytes.length + " bytes)");
      }
      run(() -> onnx.check_model(nativeModel, true, false, false));
      try (ShapeInferenceOptions options = new ShapeInferenceOptions(true, STRICT, false)) {
        run(() -> onnx.InferShapes(nativeModel, OpSchemaRegistry.Instance(), options, null));
      }
    }
  }

  /** Runs one native step; a C++ exception arrives as a RuntimeException carrying its what(). */
  private static void run(Runnable step) {
    try {
      step.run();
    } catch (OnnxCheckException e) {
      throw e;
    } catch (RuntimeException e) {
      String message = e.getMessage();
      throw new OnnxCheckException(message == null || message.isBlank() ? e.getClass().getName() : message.strip());
    }
  }
}
