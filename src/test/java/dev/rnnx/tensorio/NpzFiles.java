package dev.rnnx.tensorio;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.Tensor;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Writes {@code .npz} archives as {@code np.savez} does (one {@code <name>.npy} entry per array), for tests. */
public final class NpzFiles {

  private NpzFiles() {}

  /** Writes the arrays, float32 as {@code <f4} and integers as {@code <i8}. */
  public static Path write(Path file, Map<String, ? extends Tensor> arrays) throws IOException {
    try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
      for (var e : arrays.entrySet()) {
        zip.putNextEntry(new ZipEntry(e.getKey() + ".npy"));
        zip.write(npy(e.getValue()));
        zip.closeEntry();
      }
    }
    return file;
  }

  /** One array as {@code .npy} bytes. */
  public static byte[] npy(Tensor t) {
    if (t instanceof FloatTensor f) {
      ByteBuffer b = ByteBuffer.allocate(4 * f.data().length).order(ByteOrder.LITTLE_ENDIAN);
      for (float v : f.data()) {
        b.putFloat(v);
      }
      return InputFilesTest.npy("<f4", f.shape(), b.array());
    }
    LongTensor l = (LongTensor) t;
    ByteBuffer b = ByteBuffer.allocate(8 * l.data().length).order(ByteOrder.LITTLE_ENDIAN);
    for (long v : l.data()) {
      b.putLong(v);
    }
    return InputFilesTest.npy("<i8", l.shape(), b.array());
  }
}
