package dev.rnnx.onnx;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reading ONNX model files. */
public final class OnnxModels {

  private OnnxModels() {}

  /**
   * Reads an ONNX model file. The file must parse as an ONNX {@code ModelProto} and carry an IR
   * version, an opset import and a graph; the ONNX checker is not run (see {@link OnnxChecker}).
   * A file cut inside a field or message is refused; one cut exactly between two top-level fields
   * (for example between two {@code metadata_props} entries) is indistinguishable from a shorter
   * valid model, a limit of the protobuf format.
   *
   * @throws IllegalArgumentException naming the file and what was expected when it is missing,
   *     unreadable, empty, not ONNX or truncated
   */
  public static OnnxMl.ModelProto read(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(file + ": file does not exist, expected an ONNX model file (.onnx)");
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": cannot be read (" + e + "), expected an ONNX model file (.onnx)");
    }
    if (bytes.length == 0) {
      throw new IllegalArgumentException(file + ": file is empty, expected an ONNX model file (.onnx)");
    }
    OnnxMl.ModelProto model;
    try {
      model = OnnxMl.ModelProto.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException(file + ": is not an ONNX model or is truncated (" + bytes.length
          + " bytes; protobuf: " + e.getMessage() + "), expected a serialised ONNX ModelProto");
    }
    String missing = model.getIrVersion() <= 0 ? "an ir_version"
        : model.getOpsetImportCount() == 0 ? "an opset_import"
        : !model.hasGraph() ? "a graph"
        : null;
    if (missing != null) {
      throw new IllegalArgumentException(file + ": is not an ONNX model or is truncated (" + bytes.length
          + " bytes parse as a protobuf message without " + missing + "), expected a serialised ONNX ModelProto");
    }
    return model;
  }
}
