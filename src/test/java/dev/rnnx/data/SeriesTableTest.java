package dev.rnnx.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeriesTableTest {

  private static Path write(Path dir, String text) throws Exception {
    Path f = dir.resolve("co2.csv");
    Files.writeString(f, text);
    return f;
  }

  private static String refused(Path file, List<String> columns, String time) {
    return assertThrows(DataException.class, () -> SeriesTable.read(file, columns, time)).getMessage();
  }

  @Test
  void readsNamedColumnsQuotedHeadersGapsAndDates(@TempDir Path dir) throws Exception {
    Path f = write(dir, "\"date\",\"x\",\"co2\"\r\n19580329,1,316.1\n1958-04-05,2,\n\n19580412,3,317.5\n");
    SeriesTable t = SeriesTable.read(f, List.of("co2", "x"), "date");
    assertEquals(3, t.rows());
    assertArrayEquals(new int[] {2, 3, 5}, t.lines());
    assertEquals(316.1, t.column("co2")[0]);
    assertTrue(Double.isNaN(t.column("co2")[1]));
    assertArrayEquals(new double[] {1, 2, 3}, t.column("x"));
    assertEquals(7, t.time()[1] - t.time()[0], "dates become days");
  }

  @Test
  void nonNumberNamedByFileLineAndColumn(@TempDir Path dir) throws Exception {
    Path f = write(dir, "date,co2\n19580329,316.1\n19580405,n/a\n");
    assertEquals("co2.csv:3: column 'co2': expected a number, got 'n/a'", refused(f, List.of("co2"), "date"));
  }

  @Test
  void columnNotInTheHeaderListsTheHeader(@TempDir Path dir) throws Exception {
    Path f = write(dir, "date,co2\n19580329,316.1\n");
    assertEquals("co2.csv:1: no column 'CO2' in the header, which has [date, co2]", refused(f, List.of("CO2"), "date"));
  }

  @Test
  void wrongColumnCountUnparseableDateAndTimeOrder(@TempDir Path dir) throws Exception {
    assertEquals("co2.csv:3: expected 2 columns (as the header), got 3",
        refused(write(dir, "date,co2\n19580329,316.1\n19580405,1,2\n"), List.of("co2"), "date"));
    assertEquals("co2.csv:2: column 'date': expected a date (yyyy-MM-dd, yyyyMMdd, yyyy-MM) or a number, got '1958-13-45'",
        refused(write(dir, "date,co2\n1958-13-45,316.1\n"), List.of("co2"), "date"));
    assertTrue(refused(write(dir, "date,co2\n19580405,316.1\n19580329,317\n"), List.of("co2"), "date")
        .startsWith("co2.csv:3: column 'date': 19580329 does not come after 19580405 (line 2)"));
  }

  @Test
  void emptyFileAndHeaderOnly(@TempDir Path dir) throws Exception {
    Path f = write(dir, "");
    assertEquals(f + ": file is empty", refused(f, List.of("co2"), ""));
    assertEquals("co2.csv: has a header but no data rows", refused(write(dir, "date,co2\n"), List.of("co2"), ""));
  }

  @Test
  void invalidUtf8NamedByLineAndByteOffset(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("co2.csv");
    byte[] head = "date,co2\n19580329,316.1\n1958".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] bytes = java.util.Arrays.copyOf(head, head.length + 6);
    bytes[head.length] = (byte) 0xC3; // a lead byte followed by a non-continuation byte
    bytes[head.length + 1] = '0';
    System.arraycopy(",1\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, bytes, head.length + 2, 3);
    Files.write(f, java.util.Arrays.copyOf(bytes, head.length + 5));
    assertEquals(f + ":3: invalid UTF-8 at byte offset " + head.length + " of the file (byte 5 of the line)",
        refused(f, List.of("co2"), ""));
  }
}
