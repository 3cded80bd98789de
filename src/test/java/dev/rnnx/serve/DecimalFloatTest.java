package dev.rnnx.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link JsonCursor#floatValue()} (through {@link DecimalFloat}) reads every number as {@link Float#parseFloat} does, bit for bit. */
class DecimalFloatTest {

  /** The number that is the whole of {@code text}, read by the cursor. */
  static float read(String text) {
    byte[] b = (" " + text + " ]").getBytes(StandardCharsets.ISO_8859_1);
    JsonCursor c = new JsonCursor(b, 0, b.length);
    float f = c.floatValue();
    assertEquals(false, c.more(']'), text);
    return f;
  }

  static void same(String text) {
    assertEquals(Float.floatToRawIntBits(Float.parseFloat(text)), Float.floatToRawIntBits(read(text)), text);
  }

  @Test
  void everyFloatsToStringReadsBack() {
    Random r = new Random(11);
    for (int k = 0; k < 2_000_000; k++) {
      float f = Float.intBitsToFloat(r.nextInt());
      if (!Float.isFinite(f)) {
        continue;
      }
      String s = Float.toString(f);
      float back = read(s);
      assertEquals(Float.floatToRawIntBits(f), Float.floatToRawIntBits(back), s);
    }
  }

  @Test
  void randomDecimalsReadAsParseFloatDoes() {
    Random r = new Random(12);
    for (int k = 0; k < 1_000_000; k++) {
      StringBuilder s = new StringBuilder(r.nextBoolean() ? "-" : "");
      int whole = r.nextInt(12); // digits before the point: 0 writes "0"
      s.append(whole == 0 ? "0" : String.valueOf(1 + r.nextInt(9)));
      for (int d = 1; d < whole; d++) {
        s.append((char) ('0' + r.nextInt(10)));
      }
      int fraction = r.nextInt(14);
      if (fraction > 0 || whole == 0) {
        s.append('.');
        for (int d = 0; d < Math.max(1, fraction); d++) {
          s.append((char) ('0' + r.nextInt(10)));
        }
      }
      if (r.nextBoolean()) {
        s.append(r.nextBoolean() ? 'e' : 'E').append(r.nextBoolean() ? "-" : r.nextBoolean() ? "+" : "").append(r.nextInt(50));
      }
      String text = s.toString();
      same(text);
    }
  }

  @Test
  void midpointsBetweenFloatsRoundHalfToEven() {
    Random r = new Random(13);
    for (int k = 0; k < 20_000; k++) {
      // |f| from 2^-20 to 2^40, where the exact midpoint has at most 100 characters; the whole range below
      float f = Float.intBitsToFloat(((107 + r.nextInt(60)) << 23) | r.nextInt(1 << 23));
      float up = Math.nextUp(f);
      BigDecimal mid = new BigDecimal((double) f).add(new BigDecimal((double) up)).divide(BigDecimal.valueOf(2));
      same(mid.toString());
      // a little either side of the midpoint, in few digits
      same(mid.round(new java.math.MathContext(12)).toString());
      same(mid.round(new java.math.MathContext(16)).toString());
      float any = Float.intBitsToFloat(r.nextInt() & 0x7fffffff);
      if (any < Float.MAX_VALUE) {
        BigDecimal m = new BigDecimal((double) any).add(new BigDecimal((double) Math.nextUp(any))).divide(BigDecimal.valueOf(2));
        same(m.round(new java.math.MathContext(9)).toString());
        same(m.round(new java.math.MathContext(17)).toString());
      }
    }
    same("16777217.0"); // 2^24 + 1: the double is exactly the midpoint, half to even gives 2^24
    same("16777219.0");
    same("16777217.0000001");
    same("16777216.9999999");
    assertEquals(16777216f, read("16777217.0"));
    assertEquals(16777220f, read("16777219.0"));
  }

  @Test
  void edgeCases() {
    for (String s : new String[] {"0", "0.0", "-0.0", "0e5", "-0e-5", "0.000", "1", "-1", "1.0", "1e0", "1E+0", "1e-0",
        "1.4E-45", "1.4e-45", "7.0E-46", "7.006492321624086e-46", "7.1e-46", "1e-46", "1e-50", "1.17549435E-38",
        "1.1754942E-38", "1.17549421E-38", "3.4028235E38", "3.4028235677973366e38", "3.4028236e38", "1e38", "1e39",
        "-1e39", "1e400", "123456789", "0.123456789", "1.23456789e-5", "9.99999999e9", "12345678901234567",
        "123456789012345678901234567890", "0.1", "0.2", "0.3", "3.14159265358979323846", "2.7182818", "1e22", "1e23",
        "1e-22", "1e-23", "9007199254740993e0", "4.9e-324", "100000000000000000000e-20", "0.00000000000000000001e20"}) {
      same(s);
    }
    // integer literals read as Jackson reads them: (float) long, so -0 is 0
    assertEquals(0, Float.floatToRawIntBits(read("-0")));
    assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(read("-0.0")));
    Random r = new Random(14);
    for (int k = 0; k < 200_000; k++) {
      long v = r.nextLong() % 1_000_000_000_000_000_000L;
      if (v != 0) {
        same(Long.toString(v));
      }
    }
    assertEquals(Float.POSITIVE_INFINITY, read("1e39"));
    assertEquals(Float.NEGATIVE_INFINITY, read("-1e39"));
  }

  @Test
  void notJsonNumbersLeaveTheFastPath() {
    for (String s : new String[] {"01", "-", "+1", ".5", "1.", "1e", "1e+", "-.5", "1x", "0x10", "NaN", "Infinity", "--1",
        "1.5.5", "1e5e5", "00", "-01", "1" + "0".repeat(JsonCursor.MAX_NUMBER)}) {
      byte[] b = (s + "]").getBytes(StandardCharsets.ISO_8859_1);
      RuntimeException e = assertThrows(RuntimeException.class, () -> {
        JsonCursor c = new JsonCursor(b, 0, b.length);
        c.floatValue();
        c.more(']');
      }, s);
      assertSame(JsonCursor.UNUSUAL, e, s);
    }
  }
}
