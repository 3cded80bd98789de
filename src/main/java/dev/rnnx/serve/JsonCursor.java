package dev.rnnx.serve;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * A strict reader of JSON bytes for {@link StreamedRequest}'s fast path: whitespace, punctuation,
 * plain ASCII strings, numbers (float32 through {@link DecimalFloat}), and any value skipped after
 * checking it against RFC 8259. It reads a subset of JSON, never more: a string with an escape or
 * a byte outside printable ASCII, a number of more than {@link #MAX_NUMBER} characters, nesting
 * deeper than {@link #MAX_DEPTH}, a duplicate key in a skipped object, and anything that is not
 * JSON throw {@link #UNUSUAL}, after which the caller reads the body through Jackson, which names
 * the problem or reads what this does not.
 */
final class JsonCursor {

  /** Thrown (without a stack trace) where the body leaves this reader's subset of JSON. */
  static final RuntimeException UNUSUAL = new RuntimeException("not the plain case", null, false, false) {};

  static final int MAX_NUMBER = 100;
  static final int MAX_DEPTH = 64;

  /** Eight bytes of the body at once, little-endian: the first byte lowest. */
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  /**
   * The bytes the fast number read in {@link #floats} may look at from a value's first byte: the sign,
   * the integer part's long (8 bytes from the second byte), the fraction's long (8 bytes from at most
   * the tenth), and single digits up to 20 in all; the last index read is the 23rd byte.
   */
  private static final int ROOM = 23;

  private static final long[] TENS = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};

  private final byte[] b;
  private final int end;
  private int i;

  JsonCursor(byte[] body, int start, int end) {
    this.b = body;
    this.i = start;
    this.end = end;
  }

  /** The next byte after whitespace, not consumed; {@code -1} at the end. */
  int peek() {
    while (i < end) {
      byte c = b[i];
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
        return c;
      }
      i++;
    }
    return -1;
  }

  /** Consumes {@code c} after whitespace, or throws {@link #UNUSUAL}. */
  void expect(char c) {
    if (peek() != c) {
      throw UNUSUAL;
    }
    i++;
  }

  /** Consumes {@code c} after whitespace if it is next. */
  boolean take(char c) {
    if (peek() == c) {
      i++;
      return true;
    }
    return false;
  }

  /** Whether only whitespace is left. */
  boolean atEnd() {
    return peek() == -1;
  }

  /** A string of printable ASCII without escapes. */
  String string() {
    expect('"');
    int s = i;
    while (i < end) {
      byte c = b[i];
      if (c == '"') {
        return new String(b, s, i++ - s, StandardCharsets.ISO_8859_1);
      }
      if (c < 0x20 || c == '\\' || c >= 0x7f) { // control, escape, DEL, non-ASCII (negative)
        throw UNUSUAL;
      }
      i++;
    }
    throw UNUSUAL;
  }

  /** A key and its colon. */
  String key() {
    String k = string();
    expect(':');
    return k;
  }

  /** After a member or element: {@code true} past a comma, {@code false} past {@code close}. */
  boolean more(char close) {
    int c = peek();
    i++;
    if (c == ',') {
      return true;
    }
    if (c == close) {
      return false;
    }
    throw UNUSUAL;
  }

  /** A non-negative integer literal of at most 18 digits. */
  long natural() {
    int c = peek();
    int s = i;
    long v = 0;
    while (i < end && b[i] >= '0' && b[i] <= '9') {
      v = v * 10 + (b[i++] - '0');
    }
    int n = i - s;
    if (n == 0 || n > DecimalFloat.MAX_DIGITS || (c == '0' && n > 1) || (i < end && isNumberPart(b[i]))) {
      throw UNUSUAL;
    }
    return v;
  }

  /**
   * A number as float32: an integer literal as Jackson reads it ({@code (float) long}, so {@code
   * -0} is {@code 0}), any other as {@link Float#parseFloat} reads its text.
   */
  float floatValue() {
    peek();
    int s = i;
    boolean negative = i < end && b[i] == '-';
    if (negative) {
      i++;
    }
    long digits = 0;
    int significant = 0;
    int exponent = 0;
    boolean integer = true;
    int c = i < end ? b[i] : -1;
    if (c == '0') {
      i++;
    } else if (c >= '1' && c <= '9') {
      while (i < end && (c = b[i]) >= '0' && c <= '9') {
        digits = digits * 10 + (c - '0');
        significant++;
        i++;
      }
    } else {
      throw UNUSUAL;
    }
    if (i < end && b[i] == '.') {
      integer = false;
      int f = ++i;
      while (i < end && (c = b[i]) >= '0' && c <= '9') {
        if (digits != 0 || c != '0') {
          significant++;
        }
        digits = digits * 10 + (c - '0');
        exponent--;
        i++;
      }
      if (i == f) {
        throw UNUSUAL;
      }
    }
    if (i < end && (b[i] == 'e' || b[i] == 'E')) {
      integer = false;
      i++;
      boolean minus = i < end && b[i] == '-';
      if (i < end && (b[i] == '-' || b[i] == '+')) {
        i++;
      }
      int f = i;
      int e = 0;
      while (i < end && (c = b[i]) >= '0' && c <= '9') {
        e = Math.min(e * 10 + (c - '0'), 100_000);
        i++;
      }
      if (i == f) {
        throw UNUSUAL;
      }
      exponent += minus ? -e : e;
    }
    if (i - s > MAX_NUMBER || (i < end && isNumberPart(b[i]))) {
      throw UNUSUAL;
    }
    if (significant > DecimalFloat.MAX_DIGITS) {
      return Float.parseFloat(new String(b, s, i - s, StandardCharsets.ISO_8859_1));
    }
    if (integer) {
      float f = (float) digits;
      return negative ? -f + 0f : f;
    }
    return DecimalFloat.value(negative, digits, exponent, b, s, i);
  }

  /**
   * The numbers of an array whose {@code [} was just read, to its {@code ]}, into {@code out} (each
   * as {@link #floatValue()} reads it); the count. More numbers than {@code out} holds throw {@link
   * #UNUSUAL}. A number written as {@code -?digits.digits} with one to seven digits before the point,
   * after at most one space and followed at once by {@code ,} or {@code ]}, takes the fast path: the
   * integer part and the first eight fraction digits each from one {@code long}, with no branch on
   * the digits (a branch per digit or per sign is mispredicted on real data, and costs more than
   * the arithmetic); any other number is read by {@link #floatValue()}.
   */
  int floats(float[] out) {
    if (take(']')) {
      return 0;
    }
    byte[] b = this.b;
    int i = this.i;
    int n = 0;
    while (true) {
      if (n == out.length) {
        throw UNUSUAL;
      }
      float v = Float.NaN;
      if (end - i > ROOM && b[i] == ' ') {
        i++; // ", " between values, as Python's json.dumps writes them
      }
      int s = i;
      if (end - i >= ROOM) { // room for every read below
        // the common -?d{1,7}.d+ form, without a branch on the data: the integer part and the first
        // eight fraction digits from one long each; anything else goes to floatValue() below
        int negative = b[i] == '-' ? 1 : 0;
        i += negative;
        long whole = (long) LONGS.get(b, i);
        int k = digitRun(whole);
        long fraction = (long) LONGS.get(b, i + k + 1);
        int f = digitRun(fraction);
        if (k > 0 && k < 8 && f > 0 && b[i + k] == '.' && (k == 1 || (whole & 0xFF) != '0')) {
          long digits = eightDigits((whole - 0x3030303030303030L) << (8 * (8 - k))) * TENS[f]
              + eightDigits((fraction - 0x3030303030303030L) << (8 * (8 - f)));
          int count = k + f;
          int p = i + k + 1 + f;
          int c;
          while ((c = b[p]) >= '0' && c <= '9' && count < 20) {
            digits = digits * 10 + (c - '0');
            count++;
            p++;
          }
          if (count <= DecimalFloat.MAX_DIGITS && (c == ',' || c == ']')) {
            v = DecimalFloat.value(negative != 0, digits, k - count, b, s, p);
            i = p;
          }
        }
      }
      if (v != v) { // not the fast path (no number is NaN): the general reader from the start
        this.i = s;
        v = floatValue();
        i = this.i;
        if (!more(']')) {
          out[n++] = v;
          return n;
        }
        i = this.i;
        out[n++] = v;
        continue;
      }
      out[n++] = v;
      if (b[i++] == ']') {
        this.i = i;
        return n;
      }
    }
  }

  /** How many of the eight bytes of {@code x} (the first in the lowest byte) are ASCII digits before the first that is not. */
  private static int digitRun(long x) {
    long nondigit = ((x + 0x4646464646464646L) | (x - 0x3030303030303030L)) & 0x8080808080808080L;
    return Long.numberOfTrailingZeros(nondigit) >>> 3;
  }

  /** Eight digit values, the first in the lowest byte, as a number (Lemire's eight-digit parse). */
  private static long eightDigits(long v) {
    v = v * 10 + (v >>> 8);
    return (((v & 0x000000FF000000FFL) * (100 + (1_000_000L << 32)))
        + (((v >>> 16) & 0x000000FF000000FFL) * (1 + (10_000L << 32)))) >>> 32;
  }

  /** Skips one value, checking that it is JSON of this reader's subset. */
  void skipValue() {
    skipValue(0);
  }

  private void skipValue(int depth) {
    if (depth > MAX_DEPTH) {
      throw UNUSUAL;
    }
    int c = peek();
    switch (c) {
      case '"' -> string();
      case '{' -> {
        i++;
        if (!take('}')) {
          Set<String> keys = new HashSet<>();
          do {
            if (!keys.add(key())) {
              throw UNUSUAL;
            }
            skipValue(depth + 1);
          } while (more('}'));
        }
      }
      case '[' -> {
        i++;
        if (!take(']')) {
          do {
            skipValue(depth + 1);
          } while (more(']'));
        }
      }
      case 't' -> literal("true");
      case 'f' -> literal("false");
      case 'n' -> literal("null");
      default -> floatValue();
    }
  }

  private void literal(String word) {
    if (end - i < word.length()) {
      throw UNUSUAL;
    }
    for (int k = 0; k < word.length(); k++) {
      if (b[i + k] != word.charAt(k)) {
        throw UNUSUAL;
      }
    }
    i += word.length();
    if (i < end && Character.isLetterOrDigit(b[i])) {
      throw UNUSUAL;
    }
  }

  /** A byte that cannot follow a number directly (Jackson reads {@code 1x} or {@code 01} as an error). */
  private static boolean isNumberPart(byte c) {
    return (c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '-' || c == '+' || Character.isLetter(c);
  }
}
