package dev.rnnx.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rnnx.spec.DType;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.InputContract;
import dev.rnnx.spec.LongTensor;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The streaming read of plain float32 requests reads exactly what the tree read does. */
class InferenceCodecTest {

  static final InputContract CONTRACT = new InputContract(List.of(
      new InputContract.Input("x", DType.FLOAT32, List.of(InputContract.Axis.named("batch"), InputContract.Axis.fixed(3))),
      new InputContract.Input("n", DType.INT64, List.of(InputContract.Axis.named("batch")))));

  static InferenceCodec.InferRequest both(String body) throws Exception {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    boolean plain = !body.contains("INT64");
    assertEquals(plain, StreamedRequest.read(bytes, CONTRACT, List.of("y", "z")) != null, "streamed: " + body);
    InferenceCodec.InferRequest streamed = InferenceCodec.inferRequest(bytes, CONTRACT, List.of("y", "z"));
    InferenceCodec.InferRequest tree = InferenceCodec.inferRequest(InferenceCodec.readObject(bytes), CONTRACT, List.of("y", "z"));
    assertEquals(tree, streamed, body);
    return streamed;
  }

  @Test
  void streamedAndTreeReadsAgree() throws Exception {
    Random r = new Random(5);
    StringBuilder data = new StringBuilder();
    float[] values = new float[6];
    for (int i = 0; i < 6; i++) {
      values[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(20) - 10));
      data.append(i > 0 ? "," : "").append(values[i]);
    }
    InferenceCodec.InferRequest a = both("{\"id\":\"q\",\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[2,3],\"data\":["
        + data + "]}],\"outputs\":[{\"name\":\"z\"}],\"parameters\":{\"a\":[1,{\"b\":2}]}}");
    assertEquals("q", a.id());
    assertEquals(FloatTensor.of(values, 2, 3), a.inputs().get("x"));
    assertEquals(List.of("z"), a.outputs());
    // keys in another order, integers in float data
    InferenceCodec.InferRequest b = both("{\"inputs\":[{\"data\":[1,2,3],\"shape\":[1,3],\"datatype\":\"FP32\",\"name\":\"x\"}]}");
    assertEquals(FloatTensor.of(new float[] {1, 2, 3}, 1, 3), b.inputs().get("x"));
    // an integer input goes through the tree
    InferenceCodec.InferRequest c = both("{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1,3],\"data\":[1e-45,0.5,-0]},"
        + "{\"name\":\"n\",\"datatype\":\"INT64\",\"shape\":[1],\"data\":[9007199254740993]}]}");
    assertEquals(LongTensor.of(new long[] {9007199254740993L}, 1), c.inputs().get("n"));
    assertEquals(Float.MIN_VALUE, ((FloatTensor) c.inputs().get("x")).data()[0]);
  }
}
