package dev.rnnx.spec;

import java.util.List;

/**
 * A translation-like task with reordering and long inputs: a date between 1900-01-01 and
 * 2099-12-31, written in one of ten formats, to its ISO form {@code yyyy-mm-dd}, character by
 * character. The formats ({@link #FORMATS}), for Saturday 7 March 1998:
 *
 * <pre>
 *  0 1998-03-07                      5 march 7, 1998
 *  1 07/03/1998   (day first)        6 mar 7 1998
 *  2 7.3.1998                        7 the 7th of march 1998          (long)
 *  3 7 mar 1998                      8 saturday, 7 march 1998          (long)
 *  4 7 march 1998                    9 saturday, the 7th of march, 1998 (long)
 * </pre>
 *
 * The long formats (7–9, 18–38 characters) are drawn with probability {@code long_share} in all,
 * the short ones (8–18 characters) share the rest evenly, so long inputs are rare in training:
 * the regime where attention should beat a fixed-size thought vector. Source characters are
 * {@link #SOURCE_ALPHABET}, target characters {@link #TARGET_ALPHABET}, each after the four
 * {@link SpecialTokens}; a target ends with EOS.
 *
 * @param samples examples generated
 * @param longShare probability of a long format
 * @param validationFraction fraction held out
 */
public record DatesTask(int samples, double longShare, double validationFraction) implements TranslationTask {

  /** Recipe task name. */
  public static final String TASK = "dates";
  /** Characters of the source side, ids 4 … 44. */
  public static final String SOURCE_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789 ,./-";
  /** Characters of the target side, ids 4 … 14. */
  public static final String TARGET_ALPHABET = "0123456789-";
  /** The format names, in the order of the Javadoc. */
  public static final List<String> FORMATS = List.of("iso", "dmy_slash", "dmy_dot", "d_mon_y", "d_month_y", "month_d_y",
      "mon_d_y", "ordinal_of_month_y", "weekday_d_month_y", "weekday_ordinal_of_month_y");
  /** The first long format. */
  public static final int FIRST_LONG_FORMAT = 7;

  /** Validates the settings. */
  public DatesTask {
    if (samples < 2) {
      throw new IllegalArgumentException("data.samples is " + samples + ", expected at least 2");
    }
    if (!(longShare >= 0 && longShare <= 1)) {
      throw new IllegalArgumentException("data.long_share is " + longShare + ", expected a number in [0, 1]");
    }
    SineTask.checkFraction(validationFraction);
  }

  @Override
  public String task() {
    return TASK;
  }

  @Override
  public int sourceVocabulary() {
    return SpecialTokens.FIRST_TEXT + SOURCE_ALPHABET.length();
  }

  @Override
  public int targetVocabulary() {
    return SpecialTokens.FIRST_TEXT + TARGET_ALPHABET.length();
  }

  @Override
  public int maxSourceLength() {
    return 40;
  }

  @Override
  public int maxTargetLength() {
    return 11;
  }
}
