package dev.rnnx.spec;

/**
 * The data "task" of a model imported from another framework's file ({@code rnnx import}): there
 * is no data to train on, only the sequence length the parity checks run at, and where the model
 * came from. So the provenance of an imported model travels in its recipe, into every artifact
 * (the safetensors header, ONNX {@code metadata_props}, beside the SavedModel). A recipe with this
 * task can be verified, exported, summarised and served, not trained; fine-tune the model with
 * {@code rnnx run RECIPE --init-from DIR}, whose recipe names real data.
 *
 * @param length the time steps of the parity inputs
 * @param source the imported file's name
 * @param sha256 the imported file's SHA-256 (lowercase hex), or empty
 * @param format the format read ({@code keras-h5}, {@code keras-v3}, {@code keras-weights-h5}, {@code onnx})
 * @param framework the framework the file says wrote it, or {@code unknown}
 * @param frameworkVersion the version the file records, or {@code unknown}
 */
public record ImportedTask(int length, String source, String sha256, String format, String framework, String frameworkVersion)
    implements DataSpec {

  /** Recipe task name. */
  public static final String TASK = "imported";

  /** Validates the length; absent texts become empty or {@code unknown}. */
  public ImportedTask {
    if (length < 1) {
      throw new IllegalArgumentException("data.length is " + length + ", expected a positive integer");
    }
    source = source == null ? "" : source;
    sha256 = sha256 == null ? "" : sha256;
    format = format == null || format.isBlank() ? "unknown" : format;
    framework = framework == null || framework.isBlank() ? "unknown" : framework;
    frameworkVersion = frameworkVersion == null || frameworkVersion.isBlank() ? "unknown" : frameworkVersion;
  }

  @Override
  public String task() {
    return TASK;
  }

  @Override
  public int sequenceLength() {
    return length;
  }
}
