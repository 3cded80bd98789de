package dev.rnnx.spec;

/**
 * A recipe that cannot be used: malformed YAML, a missing or mistyped field, an unknown layer or a
 * value out of range. The message names the source, the field and what was expected.
 */
public final class RecipeException extends IllegalArgumentException {

  private final String source;
  private final String field;

  /**
   * @param source the file (or other origin) the recipe came from
   * @param field the dotted path of the offending field, empty for the whole document
   * @param problem what is wrong and what was expected
   */
  public RecipeException(String source, String field, String problem) {
    super(source + (field.isEmpty() ? "" : ": field '" + field + "'") + ": " + problem);
    this.source = source;
    this.field = field;
  }

  /** The file or origin of the recipe. */
  public String source() {
    return source;
  }

  /** The dotted path of the offending field. */
  public String field() {
    return field;
  }
}
