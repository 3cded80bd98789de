package dev.rnnx.tensorio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import dev.rnnx.spec.FloatTensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The {@code .pb} encoding; {@link #sample} is shared with the evaluator's adapter test. */
public class TensorProtoCodecTest {

  @TempDir
  Path tmp;

  /** A 2×3 tensor of the type with values that exercise its range. */
  public static TypedTensor sample(ElementType t) {
    long[] shape = {2, 3};
    if (t.isFloating()) {
      return TypedTensor.ofDoubles(t, shape, new double[] {0, 1, -2, 0.5, 1024, -0.25});
    }
    if (t == ElementType.BOOL) {
      return TypedTensor.ofLongs(t, shape, new long[] {1, 0, 0, 1, 1, 0});
    }
    long big = t.isUnsigned() ? (t == ElementType.UINT8 ? 255 : 65535) : -7;
    return TypedTensor.ofLongs(t, shape, new long[] {0, 1, big, 100, 5, 127});
  }

  private static TypedTensor floats(long[] shape, float... data) {
    return TypedTensor.of(new FloatTensor(shape, data));
  }

  @ParameterizedTest
  @EnumSource(ElementType.class)
  void rawDataRoundTripsEveryType(ElementType t) {
    TypedTensor v = sample(t);
    TensorProto p = TensorProtoCodec.encode(v, "x");
    assertEquals("x", p.getName());
    assertEquals(t.onnxCode(), p.getDataType());
    assertEquals(6L * t.byteSize(), p.getRawData().size());
    assertEquals(v, TensorProtoCodec.decode(p));
  }

  @Test
  void typedFieldsDecode() {
    TensorProto f = TensorProto.newBuilder().setDataType(1).addDims(2).addFloatData(1.5f).addFloatData(-2f).build();
    assertArrayEquals(new double[] {1.5, -2}, TensorProtoCodec.decode(f).doubles());
    TensorProto d = TensorProto.newBuilder().setDataType(11).addDims(1).addDoubleData(0.1).build();
    assertArrayEquals(new double[] {0.1}, TensorProtoCodec.decode(d).doubles());
    TensorProto b = TensorProto.newBuilder().setDataType(9).addDims(3).addInt32Data(1).addInt32Data(0)
        .addInt32Data(1).build();
    assertEquals(TypedTensor.ofLongs(ElementType.BOOL, new long[] {3}, new long[] {1, 0, 1}), TensorProtoCodec.decode(b));
    TensorProto h = TensorProto.newBuilder().setDataType(10).addDims(2).addInt32Data(0x3C00).addInt32Data(0xC000)
        .build();
    assertArrayEquals(new double[] {1, -2}, TensorProtoCodec.decode(h).doubles());
    TensorProto l = TensorProto.newBuilder().setDataType(7).addDims(2).addInt64Data(Long.MIN_VALUE).addInt64Data(3)
        .build();
    assertArrayEquals(new long[] {Long.MIN_VALUE, 3}, TensorProtoCodec.decode(l).longs());
    TensorProto u = TensorProto.newBuilder().setDataType(12).addDims(1).addUint64Data(0xFFFFFFFFL).build();
    assertArrayEquals(new long[] {0xFFFFFFFFL}, TensorProtoCodec.decode(u).longs());
    TensorProto scalar = TensorProto.newBuilder().setDataType(6).addInt32Data(42).build();
    TypedTensor s = TensorProtoCodec.decode(scalar);
    assertEquals(0, s.shape().length);
    assertEquals(42, s.longs()[0]);
  }

  @Test
  void elementCountMismatchNamesTheTensor() {
    TensorProto p = TensorProto.newBuilder().setName("w").setDataType(1).addDims(3).addFloatData(1f).build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TensorProtoCodec.decode(p));
    assertTrue(e.getMessage().contains("tensor 'w'") && e.getMessage().contains("float_data"), e.getMessage());
  }

  @Test
  void unsupportedTypesAndExternalDataAreRejected() {
    TensorProto s = TensorProto.newBuilder().setName("s").setDataType(8).addDims(1)
        .addStringData(ByteString.copyFromUtf8("a")).build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TensorProtoCodec.decode(s));
    assertTrue(e.getMessage().contains("STRING"), e.getMessage());
    TensorProto x = TensorProto.newBuilder().setName("x").setDataType(1).addDims(1)
        .setDataLocation(TensorProto.DataLocation.EXTERNAL).build();
    assertThrows(IllegalArgumentException.class, () -> TensorProtoCodec.decode(x));
  }

  @Test
  void writesAndReadsTheTestDataSetLayout() {
    TypedTensor v = floats(new long[] {2, 2}, 1f, 2f, 3f, 4f);
    Path file = tmp.resolve("model/test_data_set_0/input_0.pb");
    TensorProtoCodec.write(file, v, "X");
    assertEquals(v, TensorProtoCodec.read(file));
    assertEquals("X", TensorProtoCodec.readProto(file).getName());
  }

  @Test
  void testDataSetsRoundTripWithTheirNames() {
    Map<String, TypedTensor> in = new LinkedHashMap<>();
    in.put("X", floats(new long[] {1, 2}, 1f, 2f));
    in.put("lens", TypedTensor.ofLongs(ElementType.INT32, new long[] {1}, new long[] {2}));
    TestDataSet set = new TestDataSet(in, Map.of("Y", floats(new long[] {1}, 3f)));
    set.write(tmp, 1);
    set.write(tmp, 0);
    set.write(tmp, 10);
    TensorProtoCodec.write(tmp.resolve("test_data_set_99999999999/input_0.pb"), in.get("X"), "X"); // past int
    assertEquals(List.of("test_data_set_0", "test_data_set_1", "test_data_set_10", "test_data_set_99999999999"),
        TestDataSet.find(tmp).stream().map(p -> p.getFileName().toString()).collect(Collectors.toList()));
    TestDataSet back = TestDataSet.read(tmp.resolve("test_data_set_0"));
    assertEquals(set, back);
    assertEquals(List.of("X", "lens"), List.copyOf(back.inputs().keySet()));
  }

  @Test
  void truncatedOrMalformedFilesFailNamingTheFile() throws IOException {
    TypedTensor v = floats(new long[] {4}, 1f, 2f, 3f, 4f);
    Path good = tmp.resolve("good.pb");
    TensorProtoCodec.write(good, v, "X");
    byte[] bytes = Files.readAllBytes(good);
    // cut inside raw_data: the protobuf itself is incomplete
    Path cut = tmp.resolve("cut.pb");
    Files.write(cut, Arrays.copyOf(bytes, bytes.length - 3));
    IllegalArgumentException e1 = assertThrows(IllegalArgumentException.class, () -> TensorProtoCodec.read(cut));
    assertTrue(e1.getMessage().contains(cut.toString()), e1.getMessage());
    // a well-formed protobuf whose raw_data is too short for its dims
    Path shortRaw = tmp.resolve("short.pb");
    Files.write(shortRaw, TensorProtoCodec.encode(v, "X").toBuilder()
        .setRawData(ByteString.copyFrom(new byte[12])).build().toByteArray());
    IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class, () -> TensorProtoCodec.read(shortRaw));
    assertTrue(e2.getMessage().contains(shortRaw.toString()) && e2.getMessage().contains("raw_data"),
        e2.getMessage());
    // not a protobuf at all
    Path junk = tmp.resolve("junk.pb");
    Files.write(junk, new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
    IllegalArgumentException e3 = assertThrows(IllegalArgumentException.class, () -> TensorProtoCodec.read(junk));
    assertTrue(e3.getMessage().contains(junk.toString()), e3.getMessage());
  }

  @Test
  void halfPrecisionRoundsToNearestEven() {
    assertEquals(0x3C00, HalfFloats.doubleToHalf(1.0));
    assertEquals(0xC000, HalfFloats.doubleToHalf(-2.0));
    assertEquals(0x7BFF, HalfFloats.doubleToHalf(65504));
    assertEquals(0x7BFF, HalfFloats.doubleToHalf(65519.99));
    assertEquals(0x7C00, HalfFloats.doubleToHalf(65520));
    assertEquals(0xFC00, HalfFloats.doubleToHalf(Double.NEGATIVE_INFINITY));
    assertEquals(0x0001, HalfFloats.doubleToHalf(0x1p-24));
    assertEquals(0x0000, HalfFloats.doubleToHalf(0x1p-25)); // tie, to even
    assertEquals(0x0002, HalfFloats.doubleToHalf(3 * 0x1p-25)); // tie, to even
    assertEquals(0x0400, HalfFloats.doubleToHalf(0x1p-14));
    assertEquals(0x3C00, HalfFloats.doubleToHalf(1 + 0x1p-11)); // tie, to even
    assertEquals(0x3C02, HalfFloats.doubleToHalf(1 + 3 * 0x1p-11)); // tie, to even
    assertEquals(0x3C01, HalfFloats.doubleToHalf(1 + 0x1p-11 + 0x1p-30)); // just above the tie
    assertTrue(Double.isNaN(HalfFloats.halfToDouble(HalfFloats.doubleToHalf(Double.NaN))));
    for (int bits = 0; bits < 0x10000; bits++) {
      double d = HalfFloats.halfToDouble(bits);
      if (!Double.isNaN(d)) {
        assertEquals(bits, HalfFloats.doubleToHalf(d), "bits " + Integer.toHexString(bits));
        assertEquals((float) d, Float.intBitsToFloat(Float.floatToIntBits((float) d))); // exact in float
      }
    }
  }

  @Test
  void bfloat16RoundsToNearestEven() {
    assertEquals(0x3F80, HalfFloats.doubleToBfloat16(1.0));
    assertEquals(0x3F80, HalfFloats.doubleToBfloat16(Float.intBitsToFloat(0x3F808000))); // tie, to even
    assertEquals(0x3F82, HalfFloats.doubleToBfloat16(Float.intBitsToFloat(0x3F818000))); // tie, to even
    assertEquals(0x3F81, HalfFloats.doubleToBfloat16(Float.intBitsToFloat(0x3F808001)));
    assertEquals(0x7FC0, HalfFloats.doubleToBfloat16(Double.NaN));
    assertEquals(1.0, HalfFloats.bfloat16ToDouble(0x3F80));
  }
}
