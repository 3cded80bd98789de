package dev.rnnx.djl;

import dev.rnnx.spec.FloatTensor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Checks a model's inputs against what the artifact declares, in Java, before any native call:
 * names (listing the expected ones), element type, rank, fixed dimensions and finiteness.
 */
final class InputCheck {

  private InputCheck() {}

  /**
   * @throws IllegalArgumentException naming the first problem and what the model expects
   */
  static void validate(Path source, List<TensorSignature> expected, Map<String, FloatTensor> given) {
    List<String> names = expected.stream().map(TensorSignature::name).toList();
    for (String key : given.keySet()) {
      if (!names.contains(key)) {
        throw new IllegalArgumentException(
            "unknown input '" + key + "' for " + source + "; expected inputs " + names);
      }
    }
    for (TensorSignature s : expected) {
      FloatTensor t = given.get(s.name());
      if (t == null) {
        throw new IllegalArgumentException(
            "missing input '" + s.name() + "' for " + source + "; expected inputs " + names
                + ", got " + given.keySet());
      }
      if (!s.isFloat32()) {
        throw new IllegalArgumentException(
            "input '" + s.name() + "' of " + source + " is " + s.elementType()
                + " in the model; DjlModel feeds float32 only");
      }
      if (s.rankKnown()) {
        long[] dims = s.dims();
        if (dims.length != t.rank()) {
          throw new IllegalArgumentException(
              "input '" + s.name() + "' has shape " + t.shapeString() + " (rank " + t.rank() + ") but "
                  + source + " expects rank " + dims.length + ", shape " + s.shapeString());
        }
        for (int i = 0; i < dims.length; i++) {
          if (dims[i] >= 0 && dims[i] != t.dim(i)) {
            throw new IllegalArgumentException(
                "input '" + s.name() + "' has shape " + t.shapeString() + " but " + source
                    + " expects shape " + s.shapeString() + " (dimension " + i + " must be " + dims[i] + ")");
          }
        }
      }
      float[] data = t.data();
      for (int i = 0; i < data.length; i++) {
        if (!Float.isFinite(data[i])) {
          throw new IllegalArgumentException(
              "input '" + s.name() + "' holds " + data[i] + " at flat index " + i
                  + "; every input value must be finite");
        }
      }
    }
  }
}
