package dev.rnnx.data;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Named numeric columns of a CSV file with a header row, in file order: an empty field is a
 * missing value ({@code NaN}); anything else that is not a number is refused with its file, line
 * and column. An optional time column holds dates ({@code yyyy-MM-dd}, {@code yyyyMMdd},
 * {@code yyyy-MM}) or numbers, strictly increasing. Fields may be double-quoted.
 *
 * @param file the file read, for messages
 * @param columns the requested columns' values, one per data row
 * @param time the time column as numbers (dates as epoch days), or {@code null} without one
 * @param timeText the time column as written, or {@code null} without one
 * @param lines the file line of each data row (1-based; the header is line 1)
 */
public record SeriesTable(String file, Map<String, double[]> columns, double[] time, String[] timeText, int[] lines) {

  /** The number of data rows. */
  public int rows() {
    return lines.length;
  }

  /**
   * Reads {@code wanted} columns (and the time column, when not empty) of a CSV file.
   *
   * @throws DataException for an empty file, invalid UTF-8, a column not in the header, a row with
   *     the wrong number of fields, a non-number, an unparseable date or rows out of time order
   */
  public static SeriesTable read(Path path, List<String> wanted, String timeColumn) {
    List<String> text = TextLines.read(path);
    String file = path.getFileName() == null ? path.toString() : path.getFileName().toString();
    List<String> header = split(text.get(0), file, 1);
    int[] index = new int[wanted.size()];
    for (int i = 0; i < wanted.size(); i++) {
      index[i] = column(header, wanted.get(i), file);
    }
    int timeIndex = timeColumn.isEmpty() ? -1 : column(header, timeColumn, file);
    List<Integer> lineList = new ArrayList<>();
    for (int l = 1; l < text.size(); l++) {
      if (!text.get(l).isBlank()) {
        lineList.add(l + 1);
      }
    }
    if (lineList.isEmpty()) {
      throw new DataException(file + ": has a header but no data rows");
    }
    int n = lineList.size();
    double[][] values = new double[wanted.size()][n];
    double[] time = timeIndex < 0 ? null : new double[n];
    String[] timeText = timeIndex < 0 ? null : new String[n];
    int[] lines = new int[n];
    for (int r = 0; r < n; r++) {
      int line = lineList.get(r);
      lines[r] = line;
      List<String> fields = split(text.get(line - 1), file, line);
      if (fields.size() != header.size()) {
        throw DataException.at(file, line, "expected " + header.size() + " columns (as the header), got " + fields.size());
      }
      for (int c = 0; c < index.length; c++) {
        values[c][r] = number(fields.get(index[c]), file, line, wanted.get(c));
      }
      if (time != null) {
        String t = fields.get(timeIndex).trim();
        time[r] = time(t, file, line, timeColumn);
        timeText[r] = t;
        if (r > 0 && !(time[r] > time[r - 1])) {
          throw DataException.at(file, line, "column '" + timeColumn + "': " + t + " does not come after " + timeText[r - 1]
              + " (line " + lines[r - 1] + "), expected rows in time order");
        }
      }
    }
    Map<String, double[]> columns = new LinkedHashMap<>();
    for (int c = 0; c < index.length; c++) {
      columns.put(wanted.get(c), values[c]);
    }
    return new SeriesTable(file, columns, time, timeText, lines);
  }

  /** The values of one requested column. */
  public double[] column(String name) {
    double[] v = columns.get(name);
    if (v == null) {
      throw new IllegalArgumentException("column '" + name + "' was not read from " + file);
    }
    return v;
  }

  private static int column(List<String> header, String name, String file) {
    int i = header.indexOf(name);
    if (i < 0) {
      throw DataException.at(file, 1, "no column '" + name + "' in the header, which has " + header);
    }
    return i;
  }

  private static double number(String field, String file, int line, String column) {
    String f = field.trim();
    if (f.isEmpty()) {
      return Double.NaN;
    }
    try {
      double v = Double.parseDouble(f);
      if (Double.isFinite(v)) {
        return v;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw DataException.at(file, line, "column '" + column + "': expected a number, got '" + f + "'");
  }

  /** A date as epoch days, or a plain number. */
  private static double time(String t, String file, int line, String column) {
    try {
      if (t.matches("\\d{8}")) {
        return LocalDate.of(Integer.parseInt(t.substring(0, 4)), Integer.parseInt(t.substring(4, 6)),
            Integer.parseInt(t.substring(6, 8))).toEpochDay();
      }
      if (t.matches("\\d{4}-\\d{2}-\\d{2}")) {
        return LocalDate.parse(t).toEpochDay();
      }
      if (t.matches("\\d{4}-\\d{2}")) {
        return LocalDate.parse(t + "-01").toEpochDay();
      }
      if (t.matches("[+-]?\\d+(\\.\\d+)?")) {
        return Double.parseDouble(t);
      }
    } catch (java.time.DateTimeException e) {
      // refused below
    }
    throw DataException.at(file, line, "column '" + column + "': expected a date (yyyy-MM-dd, yyyyMMdd, yyyy-MM) or a number, got '"
        + t + "'");
  }

  /** Splits one CSV line on commas, honouring double quotes ({@code ""} inside quotes is a quote). */
  static List<String> split(String line, String file, int lineNumber) {
    List<String> out = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          field.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        out.add(field.toString());
        field.setLength(0);
      } else {
        field.append(c);
      }
    }
    if (quoted) {
      throw DataException.at(file, lineNumber, "a quoted field is not closed");
    }
    out.add(field.toString());
    return out;
  }
}
