package dev.rnnx.tf;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.Tensor;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * What every training task does with its examples: copies rows of an examples-first array into a
 * batch's native feed tensor (through a Java staging array of the batch's size), and hashes arrays
 * into a checkpoint fingerprint.
 */
final class BatchRows {

  private BatchRows() {}

  /**
   * Copies examples {@code rows[from … from+size)} of {@code src} into {@code target}.
   *
   * @param stage a {@code float[]} (float32 source and target) or {@code long[]} (int64) of the batch's size
   */
  static void copy(Tensor src, int[] rows, int from, int size, Object stage, org.tensorflow.Tensor target) {
    if (stage instanceof float[] f) {
      float[] all = ((FloatTensor) src).data();
      int row = f.length / size;
      for (int i = 0; i < size; i++) {
        System.arraycopy(all, rows[from + i] * row, f, i * row, row);
      }
      ((TFloat32) target).copyFrom(DataBuffers.of(f, true, false));
    } else {
      long[] l = (long[]) stage;
      long[] all = ((LongTensor) src).data();
      int row = l.length / size;
      for (int i = 0; i < size; i++) {
        System.arraycopy(all, rows[from + i] * row, l, i * row, row);
      }
      ((TInt64) target).copyFrom(DataBuffers.of(l, true, false));
    }
  }

  /** Adds an array's values to a fingerprint: 4 bytes per float32 value, 8 per int64 value. */
  static void update(CRC32 crc, Tensor t) {
    ByteBuffer b = ByteBuffer.allocate(8);
    if (t instanceof FloatTensor f) {
      for (float v : f.data()) {
        crc.update(b.clear().putInt(Float.floatToIntBits(v)).array(), 0, 4);
      }
    } else {
      for (long v : ((LongTensor) t).data()) {
        crc.update(b.clear().putLong(v).array(), 0, 8);
      }
    }
  }
}
