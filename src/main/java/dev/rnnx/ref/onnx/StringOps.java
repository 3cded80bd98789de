package dev.rnnx.ref.onnx;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * String tensors: {@code Cast} to and from {@code STRING} (numbers written as numpy writes them:
 * the shortest float32 or float64 representation, {@code NaN}, {@code INF}, {@code -INF}; read with
 * {@code INF}, {@code +INF}, {@code -INF} and {@code NaN} in any case) and {@code StringNormalizer}.
 */
final class StringOps {

  private StringOps() {}

  /** {@code Cast} where the source or the target type is STRING. */
  static Value cast(Value x, DataType to) {
    int n = x.size();
    long[] shape = x.shape();
    if (to == DataType.STRING) {
      String[] r = new String[n];
      for (int i = 0; i < n; i++) {
        r[i] = x.type() == DataType.STRING ? x.getString(i) : format(x, i);
      }
      return Value.ofStrings(shape, r);
    }
    double[] d = new double[n];
    long[] l = new long[n];
    for (int i = 0; i < n; i++) {
      String s = x.getString(i).strip();
      if (to.isFloating()) {
        d[i] = to == DataType.FLOAT ? parseFloat(s) : to.round(parse(s));
      } else if (to == DataType.BOOL) {
        l[i] = parse(s) != 0 ? 1 : 0;
      } else {
        try {
          l[i] = to.wrap(Long.parseLong(s));
        } catch (NumberFormatException e) {
          l[i] = to.castToLong(parse(s));
        }
      }
    }
    return to.isFloating() ? Value.wrapDoubles(to, shape, d) : Value.wrapLongs(to, shape, l);
  }

  private static double parse(String s) {
    String u = s.toUpperCase(Locale.ROOT);
    switch (u) {
      case "INF":
      case "+INF":
      case "INFINITY":
      case "+INFINITY":
        return Double.POSITIVE_INFINITY;
      case "-INF":
      case "-INFINITY":
        return Double.NEGATIVE_INFINITY;
      case "NAN":
        return Double.NaN;
      default:
        try {
          return Double.parseDouble(s);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("cannot cast string '" + s + "' to a number");
        }
    }
  }

  private static double parseFloat(String s) {
    double d = parse(s);
    return Double.isNaN(d) || Double.isInfinite(d) ? d : Float.parseFloat(s);
  }

  /** One number as numpy's {@code astype(str)} writes it. */
  private static String format(Value x, int i) {
    if (!x.type().isFloating()) {
      if (x.type() == DataType.BOOL) {
        return x.getLong(i) != 0 ? "True" : "False";
      }
      return x.type() == DataType.UINT64 ? Long.toUnsignedString(x.getLong(i)) : Long.toString(x.getLong(i));
    }
    double v = x.getDouble(i);
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "INF" : "-INF";
    }
    String s = x.type() == DataType.DOUBLE ? Double.toString(v) : Float.toString((float) v);
    int e = s.indexOf('E');
    if (e < 0) {
      return s;
    }
    String mantissa = s.substring(0, e);
    if (mantissa.endsWith(".0")) {
      mantissa = mantissa.substring(0, mantissa.length() - 2);
    }
    int exp = Integer.parseInt(s.substring(e + 1));
    return mantissa + "e" + (exp < 0 ? "-" : "+") + String.format(Locale.ROOT, "%02d", Math.abs(exp));
  }

  /**
   * {@code StringNormalizer}: removes the {@code stopwords} (compared ignoring case unless
   * {@code is_case_sensitive}), then applies {@code case_change_action} (LOWER, UPPER, NONE). Input
   * {@code [C]} or {@code [1, C]}; when every string is removed the output holds one empty string.
   */
  static List<Value> stringNormalizer(Node node, List<Value> in) {
    Value x = node.required(in, 0, "X");
    if (x.type() != DataType.STRING) {
      throw new IllegalArgumentException("X must be STRING, got " + x.type());
    }
    if (!(x.rank() == 1 || (x.rank() == 2 && x.dim(0) == 1))) {
      throw new IllegalArgumentException("X must be [C] or [1, C], got " + Shapes.str(x.shapeRef()));
    }
    String action = node.getString("case_change_action", "NONE");
    boolean sensitive = node.getInt("is_case_sensitive", 0) != 0;
    List<String> stop = node.getStrings("stopwords");
    Set<String> stops = new HashSet<>();
    if (stop != null) {
      for (String w : stop) {
        stops.add(sensitive ? w : w.toLowerCase(Locale.ROOT));
      }
    }
    List<String> kept = new ArrayList<>();
    for (int i = 0; i < x.size(); i++) {
      String s = x.getString(i);
      if (stops.contains(sensitive ? s : s.toLowerCase(Locale.ROOT))) {
        continue;
      }
      switch (action) {
        case "LOWER":
          s = s.toLowerCase(Locale.ROOT);
          break;
        case "UPPER":
          s = s.toUpperCase(Locale.ROOT);
          break;
        case "NONE":
          break;
        default:
          throw new IllegalArgumentException("case_change_action must be LOWER, UPPER or NONE, got '" + action + "'");
      }
      kept.add(s);
    }
    if (kept.isEmpty()) {
      kept.add("");
    }
    long[] shape = x.rank() == 1 ? new long[] {kept.size()} : new long[] {1, kept.size()};
    return List.of(Value.ofStrings(shape, kept.toArray(new String[0])));
  }
}
