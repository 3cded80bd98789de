package dev.rnnx.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link JsonCursor#floats(float[])}, the fast read of a number array, reads each number as {@link JsonCursor#floatValue()} does. */
class JsonCursorTest {

  static JsonCursor cursor(String text) {
    byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
    return new JsonCursor(b, 0, b.length);
  }

  /** One number in one of the forms a client may write. */
  static String number(Random r) {
    return switch (r.nextInt(10)) {
      case 0, 1, 2, 3 -> Float.toString((float) (r.nextGaussian() * Math.pow(10, r.nextInt(12) - 6)));
      case 4 -> Float.toString(Float.intBitsToFloat(r.nextInt() & 0x7f7fffff));
      case 5 -> Long.toString(r.nextLong() % (1L << (1 + r.nextInt(62))));
      case 6 -> (r.nextBoolean() ? "-" : "") + "0." + Long.toString(Long.MAX_VALUE - (r.nextLong() >>> 2)).substring(0, 1 + r.nextInt(18));
      case 7 -> String.format(java.util.Locale.ROOT, "%." + r.nextInt(12) + "e", r.nextGaussian() * 1e3);
      // integer parts of 1 to 10 digits, fractions of 1 to 12: each side of the fast read's eight-byte words
      case 8 -> (r.nextBoolean() ? "-" : "") + (long) (r.nextDouble() * Math.pow(10, 1 + r.nextInt(10))) + "."
          + Long.toString(Long.MAX_VALUE - (r.nextLong() >>> 2)).substring(0, 1 + r.nextInt(12));
      default -> r.nextBoolean() ? "-0" : r.nextBoolean() ? "-0.0" : "0.0";
    };
  }

  @Test
  void floatsReadsEachNumberAsFloatValueDoes() {
    Random r = new Random(21);
    for (int k = 0; k < 6_000; k++) {
      int n = r.nextInt(120);
      String[] tokens = new String[n];
      StringBuilder s = new StringBuilder("[");
      for (int i = 0; i < n; i++) {
        tokens[i] = number(r);
        String space = r.nextInt(20) == 0 ? " \n\t\r".substring(r.nextInt(4)) : "";
        s.append(i > 0 ? "," : "").append(r.nextBoolean() ? space : "").append(tokens[i]).append(r.nextBoolean() ? space : "");
      }
      s.append(r.nextBoolean() ? "]" : " ]");
      String tail = r.nextBoolean() ? "}" : "}" + " ".repeat(r.nextInt(100));
      JsonCursor c = cursor(s + tail);
      c.expect('[');
      float[] out = new float[n + r.nextInt(2)];
      assertEquals(n, c.floats(out), s.toString());
      float[] want = new float[out.length];
      for (int i = 0; i < n; i++) {
        want[i] = DecimalFloatTest.read(tokens[i]);
        if (tokens[i].contains(".") || tokens[i].contains("e")) {
          assertEquals(Float.floatToRawIntBits(Float.parseFloat(tokens[i])), Float.floatToRawIntBits(want[i]), tokens[i]);
        }
      }
      assertArrayEquals(toBits(want), toBits(out), s.toString());
      c.expect('}');
      assertTrue(c.atEnd());
    }
  }

  @Test
  void floatsReadsPythonSeparators() {
    Random r = new Random(22);
    float[] want = new float[500];
    StringBuilder s = new StringBuilder("[");
    for (int i = 0; i < want.length; i++) {
      want[i] = (float) r.nextGaussian();
      s.append(i > 0 ? ", " : "").append(want[i]);
    }
    JsonCursor c = cursor(s + "]}");
    c.expect('[');
    float[] out = new float[want.length];
    assertEquals(want.length, c.floats(out));
    assertArrayEquals(toBits(want), toBits(out));
    c.expect('}');
    assertTrue(c.atEnd());
  }

  @Test
  void floatsRefusesWhatIsNotANumberArray() {
    String many = "[" + "1.5,".repeat(40) + "1.5]";
    for (String s : new String[] {"[1,2,]", "[1,,2]", "[1 2]", "[01]", "[1.]", "[.5]", "[1.5e]", "[1,2", "[\"1\"]", "[[1]]",
        "[1,NaN]", "[-]", "[1x]", "[1.5.5]", "[01.5]", "[-00.25]",
        "[0012.5]", "[-.5]", "[1.-5]", "[1.5-]", "[12345678.]", "[0." + "1234567890".repeat(10) + ",1]", many}) {
      JsonCursor c = cursor(s + " ".repeat(70));
      c.expect('[');
      RuntimeException e = assertThrows(RuntimeException.class, () -> c.floats(new float[40]), s);
      assertSame(JsonCursor.UNUSUAL, e, s);
    }
    JsonCursor empty = cursor("[ ]");
    empty.expect('[');
    assertEquals(0, empty.floats(new float[3]));
    assertTrue(empty.atEnd());
    JsonCursor fewer = cursor("[1.25,2]" + " ".repeat(64));
    fewer.expect('[');
    float[] out = new float[3];
    assertEquals(2, fewer.floats(out));
    assertEquals("[1.25, 2.0, 0.0]", Arrays.toString(out));
  }

  static int[] toBits(float[] v) {
    int[] bits = new int[v.length];
    for (int i = 0; i < v.length; i++) {
      bits[i] = Float.floatToRawIntBits(v[i]);
    }
    return bits;
  }
}
