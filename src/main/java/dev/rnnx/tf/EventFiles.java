package dev.rnnx.tf;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.Summary;

/**
 * TensorFlow event files ({@code events.out.tfevents.*}), the files TensorBoard reads: a sequence
 * of TFRecords, each {@code uint64 length}, {@code uint32 masked CRC32C of the length},
 * {@code length} bytes of a serialised {@link Event}, {@code uint32 masked CRC32C of the data}
 * (little endian), the first event naming the file version {@value #FILE_VERSION}.
 */
public final class EventFiles {

  /** The file version the first event of every file names. */
  public static final String FILE_VERSION = "brain.Event:2";
  /** Every event file's name starts with this. */
  public static final String PREFIX = "events.out.tfevents.";

  private static final int MASK_DELTA = 0xa282ead8;

  private EventFiles() {}

  /** An open event file; every event is flushed as it is written, so TensorBoard sees it at once. */
  public static final class Writer implements Closeable {
    private final Path file;
    private final OutputStream out;

    private Writer(Path file) throws IOException {
      this.file = file;
      this.out = new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
      write(Event.newBuilder().setWallTime(now()).setFileVersion(FILE_VERSION).build());
    }

    /** The file written. */
    public Path file() {
      return file;
    }

    /** Writes one scalar ({@code simple_value}) at {@code step}, stamped {@code wallTime} (seconds since the epoch). */
    public void scalar(String tag, long step, double value, double wallTime) throws IOException {
      write(Event.newBuilder().setWallTime(wallTime).setStep(step)
          .setSummary(Summary.newBuilder().addValue(Summary.Value.newBuilder().setTag(tag).setSimpleValue((float) value)))
          .build());
    }

    /** Writes one event as a TFRecord and flushes. */
    public void write(Event event) throws IOException {
      byte[] data = event.toByteArray();
      ByteBuffer header = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
      header.putLong(data.length);
      header.putInt(maskedCrc(header.array(), 0, 8));
      out.write(header.array());
      out.write(data);
      out.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(maskedCrc(data, 0, data.length)).array());
      out.flush();
    }

    @Override
    public void close() throws IOException {
      out.close();
    }
  }

  /**
   * Opens a new event file in {@code dir} (created when missing), named
   * {@code events.out.tfevents.<seconds>.<host>.<pid>.v2} as TensorFlow names them, and writes
   * the file-version event.
   */
  public static Writer create(Path dir) throws IOException {
    Files.createDirectories(dir);
    String base = PREFIX + (System.currentTimeMillis() / 1000) + "." + host() + "." + ProcessHandle.current().pid();
    Path file = dir.resolve(base + ".v2");
    for (int i = 1; Files.exists(file); i++) {
      file = dir.resolve(base + "." + i + ".v2");
    }
    return new Writer(file);
  }

  /**
   * Reads every event of an event file, checking both CRCs of every record.
   *
   * @throws IOException when the file is cut short or a CRC does not match
   */
  public static List<Event> read(Path file) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    List<Event> events = new ArrayList<>();
    while (b.hasRemaining()) {
      if (b.remaining() < 12) {
        throw new EOFException(file + ": a record header is cut short at byte " + b.position());
      }
      int at = b.position();
      long length = b.getLong();
      if (b.getInt() != maskedCrc(b.array(), at, 8)) {
        throw new IOException(file + ": the length CRC of the record at byte " + at + " does not match");
      }
      if (length < 0 || length > b.remaining() - 4) {
        throw new EOFException(file + ": the record at byte " + at + " is cut short");
      }
      byte[] data = new byte[(int) length];
      b.get(data);
      if (b.getInt() != maskedCrc(data, 0, data.length)) {
        throw new IOException(file + ": the data CRC of the record at byte " + at + " does not match");
      }
      events.add(Event.parseFrom(data));
    }
    return events;
  }

  /** The event files in {@code dir}, by name (none when it does not exist). */
  public static List<Path> list(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (var files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().startsWith(PREFIX)).sorted().toList();
    }
  }

  /** TFRecord's masked CRC32C: the CRC rotated right by 15 bits plus {@code 0xa282ead8}. */
  static int maskedCrc(byte[] bytes, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, offset, length);
    int c = (int) crc.getValue();
    return ((c >>> 15) | (c << 17)) + MASK_DELTA;
  }

  static double now() {
    return System.currentTimeMillis() / 1000.0;
  }

  private static String host() {
    String name;
    try {
      name = InetAddress.getLocalHost().getHostName();
    } catch (IOException | RuntimeException e) {
      name = System.getenv().getOrDefault("HOSTNAME", "localhost");
    }
    String clean = name.replaceAll("[^A-Za-z0-9._-]", "_");
    return clean.isEmpty() ? "localhost" : clean;
  }
}
