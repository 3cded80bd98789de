package dev.rnnx.imports.keras;

/**
 * The Keras version a file records, and the defaults that version gave to fields a config may
 * leave out.
 *
 * @param text the version as recorded ({@code 2.0.6}, {@code 3.3.3}), or {@code unknown}
 * @param major its major version (2 when unknown: legacy HDF5 files without a version are Keras 2's)
 * @param minor its minor version (0 when unknown)
 */
record KerasVersion(String text, int major, int minor) {

  /** Parses a recorded version; a missing or unreadable one counts as Keras 2.0. */
  static KerasVersion parse(String text) {
    if (text == null || text.isBlank()) {
      return new KerasVersion("unknown", 2, 0);
    }
    String[] parts = text.strip().split("[.\\-+]");
    return new KerasVersion(text.strip(), number(parts, 0, 2), number(parts, 1, 0));
  }

  private static int number(String[] parts, int i, int fallback) {
    try {
      return i < parts.length ? Integer.parseInt(parts[i]) : fallback;
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  /** Keras up to 2.2 gave recurrent gates {@code hard_sigmoid}; 2.3 and later {@code sigmoid}. */
  String lstmRecurrentDefault() {
    return major < 2 || (major == 2 && minor < 3) ? "hard_sigmoid" : "sigmoid";
  }

  /** Keras up to 2.2 built GRUs with {@code reset_after: false}; 2.3 and later (and tf.keras 2) with true. */
  boolean resetAfterDefault() {
    return !(major < 2 || (major == 2 && minor < 3));
  }
}
