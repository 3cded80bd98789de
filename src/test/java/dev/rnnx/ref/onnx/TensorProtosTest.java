package dev.rnnx.ref.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.tensorio.TensorProtoCodecTest;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TensorProtosTest {

  @TempDir
  Path tmp;

  @ParameterizedTest
  @EnumSource(value = DataType.class, names = "STRING", mode = EnumSource.Mode.EXCLUDE)
  void valuesRoundTripThroughTensorFilesForEveryType(DataType t) {
    Value v = Values.of(TensorProtoCodecTest.sample(t.element()));
    assertEquals(t.element(), Values.toTyped(v).type());
    assertEquals(t, DataType.of(t.element()));
    assertEquals(v, Values.of(Values.toTyped(v)));
    assertEquals(v, TensorProtos.decode(TensorProtos.encode(v, "x")));
    Path file = tmp.resolve(t + ".pb");
    TensorProtos.write(file, v, "x");
    assertEquals(v, TensorProtos.read(file));
  }

  @Test
  void stringTensorsRoundTripThroughTensorProtosButNotTensorFiles() {
    Value v = Value.ofStrings(new long[] {1, 3}, "a", "", "été");
    assertEquals(v, TensorProtos.decode(TensorProtos.encode(v, "s")));
    assertEquals(8, TensorProtos.encode(v, "s").getDataType());
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Values.toTyped(v));
  }

  @Test
  void rnnxTensorsTakeTheDeclaredType() {
    FloatTensor f = FloatTensor.of(new float[] {1.5f, -2f}, 2);
    assertEquals(Value.ofDoubles(DataType.FLOAT16, new long[] {2}, new double[] {1.5, -2}),
        Values.toValue(f, DataType.FLOAT16));
    assertEquals(f, Values.toFloat(Values.toValue(f)));
    LongTensor l = LongTensor.of(new long[] {3, -1}, 2);
    assertEquals(Value.ofInt32(new long[] {2}, 3, -1), Values.toValue(l, DataType.INT32));
    assertEquals(l, Values.toTensor(Values.toValue(l)));
    assertThrows(IllegalArgumentException.class, () -> Values.toValue(l, DataType.FLOAT));
    assertThrows(IllegalArgumentException.class, () -> Values.toValue(f, DataType.INT64));
  }

  @Test
  void valueWrapsIntegersAndGuardsItsShape() {
    assertArrayEquals(new long[] {255, 0, 1}, Value.ofLongs(DataType.UINT8, new long[] {3}, new long[] {-1, 256, 257})
        .toLongArray());
    assertArrayEquals(new long[] {-128, 127}, Value.ofLongs(DataType.INT8, new long[] {2}, new long[] {128, 127})
        .toLongArray());
    assertThrows(IllegalArgumentException.class, () -> Value.ofFloats(new long[] {2, 2}, 1f, 2f, 3f));
    assertThrows(IllegalArgumentException.class, () -> Value.ofDoubles(DataType.INT32, new long[] {1}, new double[1]));
    assertThrows(IllegalArgumentException.class, () -> Value.ofLongs(DataType.FLOAT, new long[] {1}, new long[1]));
    Value v = Value.ofFloats(new long[] {2}, 1f, 2f);
    long[] shape = v.shape();
    shape[0] = 7;
    assertEquals(2, v.dim(0), "shape() must return a copy");
    assertEquals("FLOAT[2] [1.0, 2.0]", v.toString());
  }
}
