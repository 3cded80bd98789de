package dev.rnnx.data;

import dev.rnnx.spec.DatesTask;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.SpecialTokens;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.Month;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The {@link DatesTask}: a date drawn uniformly from 1900-01-01 … 2099-12-31 (every day equally
 * likely), written in one of the ten {@link DatesTask#FORMATS}, to be translated to ISO
 * {@code yyyy-mm-dd} character by character. A long format (7, 8 or 9) is drawn with probability
 * {@code long_share}, each of the three equally; otherwise one of the seven short formats, each
 * equally. Every example draws its date, then its format, from one {@link SplittableRandom} seeded
 * with the recipe seed, so the data are the same on every machine. The last
 * {@code max(1, round(samples · validation_fraction))} examples are held out.
 *
 * <p>Tensors: sources padded with PAD to {@link DatesTask#maxSourceLength()} (40), targets the 10
 * ISO characters and EOS (11); month and weekday names in lower case, English.
 */
public final class Dates {

  /** The first date drawn. */
  public static final LocalDate FIRST = LocalDate.of(1900, 1, 1);
  /** The last date drawn. */
  public static final LocalDate LAST = LocalDate.of(2099, 12, 31);

  private Dates() {}

  /** Generates the task's examples, deterministically from {@code seed}. */
  public static TranslationSplit generate(DatesTask task, long seed) {
    int n = task.samples();
    int validation = Math.max(1, (int) Math.round(n * task.validationFraction()));
    if (validation >= n) {
      throw new IllegalArgumentException("dates: data.samples " + n + " with validation_fraction " + task.validationFraction()
          + " leaves no training examples");
    }
    SplittableRandom random = new SplittableRandom(seed);
    List<String> sources = new ArrayList<>();
    List<String> targets = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      LocalDate date = draw(random);
      int format = drawFormat(task.longShare(), random);
      sources.add(format(date, format));
      targets.add(iso(date));
    }
    Vocabulary source = Vocabulary.ofCharacters(DatesTask.SOURCE_ALPHABET);
    Vocabulary target = Vocabulary.ofCharacters(DatesTask.TARGET_ALPHABET);
    int train = n - validation;
    return new TranslationSplit(
        examples(sources.subList(0, train), targets.subList(0, train), source, target, task),
        examples(sources.subList(train, n), targets.subList(train, n), source, target, task),
        source, target);
  }

  /** A date uniform over {@link #FIRST} … {@link #LAST}. */
  public static LocalDate draw(SplittableRandom random) {
    return LocalDate.ofEpochDay(random.nextLong(FIRST.toEpochDay(), LAST.toEpochDay() + 1));
  }

  /** A format index: long (7–9) with probability {@code longShare}, each long and each short one equally likely within its group. */
  public static int drawFormat(double longShare, SplittableRandom random) {
    int shortFormats = DatesTask.FIRST_LONG_FORMAT;
    int longFormats = DatesTask.FORMATS.size() - shortFormats;
    return random.nextDouble() < longShare ? shortFormats + random.nextInt(longFormats) : random.nextInt(shortFormats);
  }

  /** The ISO form {@code yyyy-mm-dd}. */
  public static String iso(LocalDate date) {
    return String.format(Locale.ROOT, "%04d-%02d-%02d", date.getYear(), date.getMonthValue(), date.getDayOfMonth());
  }

  /**
   * A date in format {@code format} ({@link DatesTask#FORMATS}); for Saturday 7 March 1998:
   * {@code 1998-03-07}, {@code 07/03/1998}, {@code 7.3.1998}, {@code 7 mar 1998}, {@code 7 march 1998},
   * {@code march 7, 1998}, {@code mar 7 1998}, {@code the 7th of march 1998},
   * {@code saturday, 7 march 1998}, {@code saturday, the 7th of march, 1998}.
   *
   * @throws IllegalArgumentException for a format outside 0 … 9 or a date outside the task's range
   */
  public static String format(LocalDate date, int format) {
    if (date.isBefore(FIRST) || date.isAfter(LAST)) {
      throw new IllegalArgumentException("date " + date + " is outside " + FIRST + " … " + LAST);
    }
    int d = date.getDayOfMonth();
    int m = date.getMonthValue();
    int y = date.getYear();
    String month = monthName(date.getMonth());
    String mon = month.substring(0, 3);
    String weekday = weekdayName(date.getDayOfWeek());
    return switch (format) {
      case 0 -> iso(date);
      case 1 -> String.format(Locale.ROOT, "%02d/%02d/%04d", d, m, y);
      case 2 -> d + "." + m + "." + y;
      case 3 -> d + " " + mon + " " + y;
      case 4 -> d + " " + month + " " + y;
      case 5 -> month + " " + d + ", " + y;
      case 6 -> mon + " " + d + " " + y;
      case 7 -> "the " + ordinal(d) + " of " + month + " " + y;
      case 8 -> weekday + ", " + d + " " + month + " " + y;
      case 9 -> weekday + ", the " + ordinal(d) + " of " + month + ", " + y;
      default -> throw new IllegalArgumentException("date format " + format + " is unknown, expected 0 … "
          + (DatesTask.FORMATS.size() - 1) + " " + DatesTask.FORMATS);
    };
  }

  /** A day of the month as an English ordinal: 1st, 2nd, 3rd, 4th, …, 11th, 12th, 13th, …, 21st, 22nd, 23rd, …, 31st. */
  public static String ordinal(int day) {
    if (day < 1 || day > 31) {
      throw new IllegalArgumentException("day " + day + " is outside 1 … 31");
    }
    String suffix;
    if (day % 100 >= 11 && day % 100 <= 13) {
      suffix = "th";
    } else {
      suffix = switch (day % 10) {
        case 1 -> "st";
        case 2 -> "nd";
        case 3 -> "rd";
        default -> "th";
      };
    }
    return day + suffix;
  }

  /** The month's English name in lower case, e.g. {@code march}; its first three letters are the abbreviation. */
  public static String monthName(Month month) {
    return month.name().toLowerCase(Locale.ROOT);
  }

  /** The weekday's English name in lower case, e.g. {@code saturday}. */
  public static String weekdayName(DayOfWeek day) {
    return day.name().toLowerCase(Locale.ROOT);
  }

  private static TranslationExamples examples(List<String> sources, List<String> targets, Vocabulary sourceVocabulary,
      Vocabulary targetVocabulary, DatesTask task) {
    int n = sources.size();
    int s = task.maxSourceLength();
    int t = task.maxTargetLength();
    long[] source = new long[n * s];
    long[] sourceLengths = new long[n];
    long[] target = new long[n * t];
    long[] targetLengths = new long[n];
    for (int i = 0; i < n; i++) {
      Vocabulary.Encoded src = sourceVocabulary.encodeCharacters(sources.get(i));
      Vocabulary.Encoded tgt = targetVocabulary.encodeCharacters(targets.get(i));
      if (src.unknown() > 0 || tgt.unknown() > 0 || src.ids().length > s || tgt.ids().length + 1 > t) {
        throw new IllegalStateException("date example '" + sources.get(i) + "' → '" + targets.get(i) + "' does not fit the task");
      }
      for (int j = 0; j < src.ids().length; j++) {
        source[i * s + j] = src.ids()[j];
      }
      sourceLengths[i] = src.ids().length;
      for (int j = 0; j < tgt.ids().length; j++) {
        target[i * t + j] = tgt.ids()[j];
      }
      target[i * t + tgt.ids().length] = SpecialTokens.EOS;
      targetLengths[i] = tgt.ids().length + 1;
    }
    return new TranslationExamples(LongTensor.of(source, n, s), LongTensor.of(sourceLengths, n), LongTensor.of(target, n, t),
        LongTensor.of(targetLengths, n), sources, targets);
  }
}
