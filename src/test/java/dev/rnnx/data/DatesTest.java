package dev.rnnx.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.spec.DatesTask;
import dev.rnnx.spec.SpecialTokens;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The dates task: every format parses back to its date with a parser written here (weekdays by
 * Zeller's congruence, not java.time), ordinals and lengths as documented, formats drawn with
 * {@code long_share}, tensors padded and encoded as the contracts say.
 */
class DatesTest {

  static final List<String> MONTHS = List.of("january", "february", "march", "april", "may", "june", "july", "august",
      "september", "october", "november", "december");
  static final List<String> WEEKDAYS = List.of("saturday", "sunday", "monday", "tuesday", "wednesday", "thursday", "friday");
  static final String ORDINALS = "1st 2nd 3rd 4th 5th 6th 7th 8th 9th 10th 11th 12th 13th 14th 15th 16th 17th 18th 19th 20th "
      + "21st 22nd 23rd 24th 25th 26th 27th 28th 29th 30th 31st";

  static final Pattern[] PARSERS = {
      Pattern.compile("(?<y>\\d{4})-(?<m>\\d{2})-(?<d>\\d{2})"),
      Pattern.compile("(?<d>\\d{2})/(?<m>\\d{2})/(?<y>\\d{4})"),
      Pattern.compile("(?<d>[1-9]\\d?)\\.(?<m>[1-9]\\d?)\\.(?<y>\\d{4})"),
      Pattern.compile("(?<d>[1-9]\\d?) (?<mon>[a-z]{3}) (?<y>\\d{4})"),
      Pattern.compile("(?<d>[1-9]\\d?) (?<month>[a-z]+) (?<y>\\d{4})"),
      Pattern.compile("(?<month>[a-z]+) (?<d>[1-9]\\d?), (?<y>\\d{4})"),
      Pattern.compile("(?<mon>[a-z]{3}) (?<d>[1-9]\\d?) (?<y>\\d{4})"),
      Pattern.compile("the (?<ord>[1-9]\\d?[a-z]{2}) of (?<month>[a-z]+) (?<y>\\d{4})"),
      Pattern.compile("(?<wd>[a-z]+), (?<d>[1-9]\\d?) (?<month>[a-z]+) (?<y>\\d{4})"),
      Pattern.compile("(?<wd>[a-z]+), the (?<ord>[1-9]\\d?[a-z]{2}) of (?<month>[a-z]+), (?<y>\\d{4})")};

  /** Parses a date written in format {@code f}, checking its weekday and ordinal when it has them. */
  static LocalDate parse(String text, int f) {
    Matcher m = PARSERS[f].matcher(text);
    assertTrue(m.matches(), "'" + text + "' is not format " + DatesTask.FORMATS.get(f));
    int y = Integer.parseInt(m.group("y"));
    int month;
    String names = PARSERS[f].pattern();
    if (names.contains("?<m>")) {
      month = Integer.parseInt(m.group("m"));
    } else if (names.contains("?<mon>")) {
      month = MONTHS.stream().map(s -> s.substring(0, 3)).toList().indexOf(m.group("mon")) + 1;
    } else {
      month = MONTHS.indexOf(m.group("month")) + 1;
    }
    assertTrue(month >= 1, "month in '" + text + "'");
    int day;
    if (names.contains("?<ord>")) {
      String ord = m.group("ord");
      day = Integer.parseInt(ord.substring(0, ord.length() - 2));
      assertEquals(Arrays.asList(ORDINALS.split(" ")).get(day - 1), ord, text);
    } else {
      day = Integer.parseInt(m.group("d"));
    }
    if (names.contains("?<wd>")) {
      assertEquals(zeller(y, month, day), m.group("wd"), text);
    }
    return LocalDate.of(y, month, day);
  }

  /** The weekday name by Zeller's congruence (Gregorian). */
  static String zeller(int y, int m, int d) {
    if (m < 3) {
      m += 12;
      y -= 1;
    }
    int k = y % 100;
    int j = y / 100;
    int h = (d + 13 * (m + 1) / 5 + k + k / 4 + j / 4 + 5 * j) % 7;
    return WEEKDAYS.get(h);
  }

  @Test
  void theJavadocExampleInAllTenFormats() {
    LocalDate d = LocalDate.of(1998, 3, 7);
    List<String> want = List.of("1998-03-07", "07/03/1998", "7.3.1998", "7 mar 1998", "7 march 1998", "march 7, 1998",
        "mar 7 1998", "the 7th of march 1998", "saturday, 7 march 1998", "saturday, the 7th of march, 1998");
    for (int f = 0; f < 10; f++) {
      assertEquals(want.get(f), Dates.format(d, f), DatesTask.FORMATS.get(f));
    }
    assertThrows(IllegalArgumentException.class, () -> Dates.format(d, 10));
    assertThrows(IllegalArgumentException.class, () -> Dates.format(LocalDate.of(1899, 12, 31), 0));
  }

  @Test
  void ordinalsAndWeekdays() {
    String[] ords = ORDINALS.split(" ");
    for (int day = 1; day <= 31; day++) {
      assertEquals(ords[day - 1], Dates.ordinal(day));
    }
    assertEquals("monday", Dates.format(LocalDate.of(1900, 1, 1), 8).split(",")[0], "1900-01-01 was a Monday");
    assertEquals("thursday, the 31st of december, 2099", Dates.format(LocalDate.of(2099, 12, 31), 9));
    assertEquals("tuesday, the 29th of february, 2000", Dates.format(LocalDate.of(2000, 2, 29), 9));
    assertEquals("the 22nd of september 2077", Dates.format(LocalDate.of(2077, 9, 22), 7));
  }

  /** Every day of the range in every format parses back to itself; the lengths of the two groups. */
  @Test
  void everyDateInEveryFormatParsesBackAndTheLengthsAreBounded() {
    int shortMin = Integer.MAX_VALUE;
    int shortMax = 0;
    int longMin = Integer.MAX_VALUE;
    int longMax = 0;
    for (LocalDate d = Dates.FIRST; !d.isAfter(Dates.LAST); d = d.plusDays(1)) {
      for (int f = 0; f < 10; f++) {
        String text = Dates.format(d, f);
        if (d.getDayOfMonth() % 5 == 1 || f >= DatesTask.FIRST_LONG_FORMAT) {
          assertEquals(d, parse(text, f));
        }
        for (char c : text.toCharArray()) {
          assertTrue(DatesTask.SOURCE_ALPHABET.indexOf(c) >= 0, "character '" + c + "' of '" + text + "'");
        }
        if (f < DatesTask.FIRST_LONG_FORMAT) {
          shortMin = Math.min(shortMin, text.length());
          shortMax = Math.max(shortMax, text.length());
        } else {
          longMin = Math.min(longMin, text.length());
          longMax = Math.max(longMax, text.length());
        }
      }
    }
    assertEquals(8, shortMin, "e.g. 1.1.1900");
    assertEquals(18, shortMax, "e.g. september 30, 1900");
    // DatesTask's Javadoc says 20–39; the formats it defines give 18 ("friday, 1 may 1900") to 38
    // ("wednesday, the 30th of september, 1903"): the long formats are still the longer ones
    assertEquals(18, longMin);
    assertEquals(38, longMax);
    assertTrue(longMax <= new DatesTask(2, 0, 0.5).maxSourceLength());
  }

  @Test
  void formatsAreDrawnWithTheLongShare() {
    SplittableRandom r = new SplittableRandom(1);
    int n = 70_000;
    int[] counts = new int[10];
    for (int i = 0; i < n; i++) {
      counts[Dates.drawFormat(0.3, r)]++;
    }
    for (int f = 0; f < 10; f++) {
      double want = f < 7 ? 0.7 / 7 : 0.3 / 3;
      assertEquals(want, counts[f] / (double) n, 0.006, "format " + f);
    }
    SplittableRandom r2 = new SplittableRandom(2);
    for (int i = 0; i < 1000; i++) {
      assertTrue(Dates.drawFormat(0, r2) < 7);
      assertTrue(Dates.drawFormat(1, r2) >= 7);
    }
  }

  @Test
  void generatedExamplesAreEncodedPaddedAndHeldOut() {
    DatesTask task = new DatesTask(5000, 0.15, 0.1);
    TranslationSplit s = TaskData.translation(task, 42);
    assertEquals(4500, s.train().size());
    assertEquals(500, s.validation().size());
    assertEquals(task.sourceVocabulary(), s.sourceVocabulary().size());
    assertEquals(45, s.sourceVocabulary().size());
    assertEquals(15, s.targetVocabulary().size());
    assertEquals("a", s.sourceVocabulary().token(4));
    assertEquals("0", s.targetVocabulary().token(4));
    assertEquals("-", s.targetVocabulary().token(14));
    int longs = 0;
    Set<Integer> years = new HashSet<>();
    for (TranslationExamples ex : List.of(s.train(), s.validation())) {
      assertArrayEquals(new long[] {ex.size(), 40}, ex.source().shape());
      assertArrayEquals(new long[] {ex.size(), 11}, ex.target().shape());
      for (int i = 0; i < ex.size(); i++) {
        String src = ex.sourceText().get(i);
        String tgt = ex.targetText().get(i);
        LocalDate date = LocalDate.parse(tgt);
        years.add(date.getYear());
        boolean parsed = false;
        for (int f = 0; f < 10 && !parsed; f++) {
          if (PARSERS[f].matcher(src).matches()) {
            assertEquals(date, parse(src, f), src);
            parsed = true;
          }
        }
        assertTrue(parsed, src);
        longs += src.startsWith("the ") || src.contains(",") && !src.matches("[a-z]+ \\d+, \\d{4}") ? 1 : 0;
        assertEquals(src.length(), ex.sourceLengths().data()[i]);
        assertEquals(src, s.sourceVocabulary().decode(Arrays.copyOfRange(ex.source().data(), i * 40, i * 40 + 40), ""));
        for (int t = src.length(); t < 40; t++) {
          assertEquals(SpecialTokens.PAD, ex.source().data()[i * 40 + t]);
        }
        assertEquals(11, ex.targetLengths().data()[i]);
        assertEquals(SpecialTokens.EOS, ex.target().data()[i * 11 + 10]);
        assertEquals(tgt, s.targetVocabulary().decode(Arrays.copyOfRange(ex.target().data(), i * 11, i * 11 + 11), ""));
      }
    }
    assertEquals(0.15, longs / 5000.0, 0.02, "long formats drawn with long_share");
    assertTrue(years.contains(1900) && years.contains(2099) && years.size() > 190, "years cover the range: " + years.size());
    TranslationSplit again = TaskData.translation(task, 42);
    assertEquals(s.train().sourceText(), again.train().sourceText());
    assertArrayEquals(s.validation().source().data(), again.validation().source().data());
    assertNotEquals(s.train().sourceText(), TaskData.translation(task, 43).train().sourceText());
  }

  @Test
  void tooFewSamplesAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> TaskData.translation(new DatesTask(2, 0.1, 0.9), 1));
  }

  @Test
  void datesAreUniformOverTheRange() {
    SplittableRandom r = new SplittableRandom(3);
    double mid = (Dates.FIRST.toEpochDay() + Dates.LAST.toEpochDay()) / 2.0;
    double span = Dates.LAST.toEpochDay() - Dates.FIRST.toEpochDay();
    double sum = 0;
    int n = 50_000;
    for (int i = 0; i < n; i++) {
      LocalDate d = Dates.draw(r);
      assertTrue(!d.isBefore(Dates.FIRST) && !d.isAfter(Dates.LAST));
      sum += d.toEpochDay();
    }
    // uniform: mean at the midpoint, standard error span / √(12 n)
    assertEquals(mid, sum / n, 4 * span / Math.sqrt(12.0 * n));
  }
}
