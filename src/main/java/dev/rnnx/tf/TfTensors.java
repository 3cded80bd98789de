package dev.rnnx.tf;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.LongTensor;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/** Copies between rnnx's {@link FloatTensor} / {@link LongTensor} and TensorFlow's native tensors. */
final class TfTensors {

  private TfTensors() {}

  /** A new native tensor holding a copy of {@code t}; the caller closes it. */
  static TFloat32 toNative(FloatTensor t) {
    return TFloat32.tensorOf(Shape.of(t.shape()), DataBuffers.of(t.data(), true, false));
  }

  /** A new native int64 tensor (token ids); the caller closes it. */
  static TInt64 toInt64(LongTensor t) {
    return TInt64.tensorOf(Shape.of(t.shape()), DataBuffers.of(t.data(), true, false));
  }

  /** A new native int32 tensor (sequence lengths), refusing values outside the int range; the caller closes it. */
  static TInt32 toInt32(LongTensor t) {
    return TInt32.tensorOf(Shape.of(t.shape()), DataBuffers.of(t.toIntArray(), true, false));
  }

  /** A Java copy of a native tensor. */
  static FloatTensor fromNative(TFloat32 t) {
    float[] data = new float[Math.toIntExact(t.shape().size())];
    t.copyTo(DataBuffers.of(data, false, false));
    return new FloatTensor(t.shape().asArray(), data);
  }

  /** A graph constant holding {@code t}. */
  static Operand<TFloat32> constant(Ops tf, FloatTensor t) {
    return tf.constant(Shape.of(t.shape()), DataBuffers.of(t.data(), true, false));
  }
}
