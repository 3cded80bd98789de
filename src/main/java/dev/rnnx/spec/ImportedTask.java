package dev.rnnx.spec;

/**
 * The data "task" of a model imported from another framework's file ({@code rnnx import}): there
 * is no data to train on, only the sequence length that parity checks run at. A recipe with this
 * task can be verified, exported, summarised and served, not trained; fine-tune it with
 * {@code rnnx run RECIPE --init-from DIR}, whose recipe names real data.
 *
 * @param length the time steps of the parity inputs
 * @param source the imported file's name, for humans
 */
public record ImportedTask(int length, String source) implements DataSpec {

  /** Recipe task name. */
  public static final String TASK = "imported";

  /** Validates the length. */
  public ImportedTask {
    if (length < 1) {
      throw new IllegalArgumentException("data.length is " + length + ", expected a positive integer");
    }
    source = source == null ? "" : source;
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
