package dev.rnnx.djl;

import ai.djl.Device;
import ai.djl.Model;
import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.TensorSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * What loading an artifact on a DJL engine needs around the engine itself: a new DJL model with a
 * clear message when the engine cannot start, the check that an artifact is the one of the form it
 * is loaded for, and messages of nested failures.
 */
final class DjlEngines {

  private DjlEngines() {}

  /**
   * A new DJL model on an engine.
   *
   * @throws IllegalStateException naming the engine when it cannot start
   */
  static Model newModel(Path source, String engine) {
    String name = String.valueOf(source.toAbsolutePath().getFileName());
    try {
      return Model.newInstance(name, Device.cpu(), engine);
    } catch (RuntimeException | LinkageError | AssertionError e) {
      String message = rootMessage(e);
      String hint =
          message.contains("OrtEnvironment")
              ? " (an OrtEnvironment created outside DJL before DJL's engine started makes it fail:"
                  + " load through DjlModel before touching ai.onnxruntime directly)"
              : "";
      throw new IllegalStateException("DJL's " + engine + " engine failed to start" + hint + ": " + message, e);
    }
  }

  /**
   * @param owner what the form belongs to, for the message ({@code model 'm'}, {@code form 'f'})
   * @throws IllegalArgumentException when the artifact's inputs are not the form's
   */
  static void requireSameInputs(Path source, List<String> inputs, ModelForm form, String owner) {
    if (form == null) {
      return;
    }
    TreeSet<String> declared = new TreeSet<>(inputs);
    TreeSet<String> wanted = new TreeSet<>(form.inputs().stream().map(TensorSpec::name).toList());
    if (!declared.equals(wanted)) {
      throw new IllegalArgumentException(source + " has inputs " + declared + " but " + owner
          + " reads " + wanted + "; is it the artifact of another model?");
    }
  }

  static void closeQuietly(AutoCloseable c) {
    if (c != null) {
      try {
        c.close();
      } catch (Exception ignored) {
        // nothing was built on it
      }
    }
  }

  /** The distinct messages of an exception and its causes, outermost first. */
  static String rootMessage(Throwable e) {
    List<String> messages = new ArrayList<>();
    for (Throwable t = e; t != null && messages.size() < 4; t = t.getCause()) {
      String m = t.getMessage();
      if (m != null && !m.isBlank() && messages.stream().noneMatch(x -> x.contains(m))) {
        messages.add(m.strip());
      }
    }
    return messages.isEmpty() ? e.getClass().getName() : String.join(": ", messages);
  }
}
