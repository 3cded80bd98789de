package dev.rnnx.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The lines of a UTF-8 text file, checked: a missing or empty file, and invalid UTF-8 (named by
 * line and byte offset within the file), are refused with a {@link DataException}. A trailing
 * newline does not make a last empty line; {@code \r\n} endings are accepted.
 */
public final class TextLines {

  private TextLines() {}

  /**
   * Reads every line of {@code file}.
   *
   * @throws DataException when the file is missing, unreadable, empty or not UTF-8
   */
  public static List<String> read(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
      if (file.toString().endsWith(".gz")) {
        try (java.util.zip.GZIPInputStream in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(bytes))) {
          bytes = in.readAllBytes();
        }
      }
    } catch (NoSuchFileException e) {
      throw new DataException(file + ": file does not exist");
    } catch (IOException e) {
      throw new DataException(file + ": cannot be read (" + e.getMessage() + ")");
    }
    if (bytes.length == 0) {
      throw new DataException(file + ": file is empty");
    }
    List<String> lines = new ArrayList<>();
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    int start = 0;
    for (int i = 0; i <= bytes.length; i++) {
      if (i == bytes.length || bytes[i] == '\n') {
        if (i == bytes.length && start == i) {
          break;
        }
        int end = i > start && bytes[i - 1] == '\r' ? i - 1 : i;
        lines.add(decode(decoder, bytes, start, end, file, lines.size() + 1));
        start = i + 1;
      }
    }
    return lines;
  }

  /** The last part of a path, as messages name a data file. */
  public static String fileName(String file) {
    Path p = Path.of(file);
    return p.getFileName() == null ? file : p.getFileName().toString();
  }

  private static String decode(CharsetDecoder decoder, byte[] bytes, int start, int end, Path file, int line) {
    try {
      CharBuffer chars = decoder.reset().decode(ByteBuffer.wrap(bytes, start, end - start));
      return chars.toString();
    } catch (CharacterCodingException e) {
      int bad = start;
      ByteBuffer in = ByteBuffer.wrap(bytes, start, end - start);
      CharBuffer out = CharBuffer.allocate(end - start + 1);
      java.nio.charset.CoderResult r = decoder.reset().decode(in, out, true);
      if (r.isError()) {
        bad = in.position();
      }
      throw DataException.at(file.toString(), line, "invalid UTF-8 at byte offset " + bad + " of the file (byte "
          + (bad - start + 1) + " of the line)");
    }
  }
}
