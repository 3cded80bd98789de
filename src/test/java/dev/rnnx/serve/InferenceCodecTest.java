package dev.rnnx.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

  /** The tree read's refusal of a body, and that the fast read left it to the tree. */
  static String refusal(String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    assertNull(StreamedRequest.read(bytes, CONTRACT, List.of("y", "z")), body);
    RuntimeException e = assertThrows(RuntimeException.class, () -> InferenceCodec.inferRequest(bytes, CONTRACT, List.of("y", "z")));
    RuntimeException tree = assertThrows(RuntimeException.class,
        () -> InferenceCodec.inferRequest(InferenceCodec.readObject(bytes), CONTRACT, List.of("y", "z")));
    assertEquals(tree.getMessage(), e.getMessage(), body);
    return e.getMessage();
  }

  static void refused(String body, String fragment) {
    String message = refusal(body);
    assertTrue(message.contains(fragment), message);
  }

  static String request(String tensor) {
    return "{\"inputs\":[" + tensor + "]}";
  }

  @Test
  void badRequestsAreLeftToTheTreeAndRefusedAsBefore() {
    String x = "{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1,3],\"data\":";
    refused(request(x + "[1,2,1e39]}"), "value 1.0E39 at flat index 2 is not finite as float32");
    refused(request(x + "[1,2,-3.5e38]}"), "is not finite as float32");
    refused(request(x + "[1,2]}"), "needs 3 values, got 2");
    refused(request(x + "[1,2,3,4]}"), "needs 3 values, got 4");
    refused(request(x + "[1,2,\"3\"]}"), "is not a number");
    refused(request(x + "[1,2,01]}"), "not valid JSON");
    refused(request(x + "[1,2,3,]}"), "not valid JSON");
    refused(request(x + "[1,2,NaN]}"), "not valid JSON");
    refused(request(x + "[1,2,.5]}"), "not valid JSON");
    refused(request(x + "[1,2,3]}") + "x", "not valid JSON");
    refused(request(x + "[1,2,3]}") + "{}", "not valid JSON");
    refused(request(x + "[1,2,3], \"data\": [1,2,3]}"), "duplicate key 'data'");
    String plain = request(x + "[1,2,3]}");
    refused("{\"id\":\"a\"," + plain.substring(1, plain.length() - 1) + ",\"id\":\"b\"}", "duplicate key 'id'");
    refused("{\"parameters\":{\"a\":{\"b\":1,\"b\":2}}," + request(x + "[1,2,3]}").substring(1), "duplicate key 'b'");
    refused("{\"parameters\":{\"a\":[1,}]}," + request(x + "[1,2,3]}").substring(1), "not valid JSON");
    refused("{\"parameters\":{\"a\":tru}," + request(x + "[1,2,3]}").substring(1), "not valid JSON");
    refused(request(x.replace("FP32", "INT64") + "[1,2,3]}"), "must be FP32 (float32 [batch, 3]), got datatype INT64");
    refused(request(x.replace("\"x\"", "\"w\"") + "[1,2,3]}"), "unknown input 'w'");
    refused(request(x.replace("[1,3]", "[1,-3]") + "[1,2,3]}"), "has dimension -3");
    refused(request(x.replace("[1,3]", "[1,3.0]") + "[1,2,3]}"), "has dimension 3.0");
    refused(request(x + "[1,2,3]},") + "", "not valid JSON");
    refused("{\"inputs\":[]}", "'inputs' is empty");
    refused("", "empty");
    refused("[]", "expected a JSON object");
    refused("{\"id\":7," + request(x + "[1,2,3]}").substring(1), "'id' is 7");
    refused("{\"outputs\":[{\"name\":\"q\"}]," + request(x + "[1,2,3]}").substring(1), "unknown output 'q'");
  }

  @Test
  void unusualButValidRequestsReadTheSameThroughTheTree() throws Exception {
    String x = "{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1,3],\"data\":[1,2,3]}";
    // an escape, a non-ASCII id, nested data, a huge exponent that is still zero: the tree reads them
    for (String body : new String[] {request(x.replace("\"x\"", "\"\\u0078\"")), "{\"id\":\"caf\u00e9\"," + request(x).substring(1),
        request(x.replace("[1,2,3]", "[[1,2,3]]"))}) {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      assertNull(StreamedRequest.read(bytes, CONTRACT, List.of("y", "z")), body);
      assertEquals(FloatTensor.of(new float[] {1, 2, 3}, 1, 3), InferenceCodec.inferRequest(bytes, CONTRACT, List.of("y", "z"))
          .inputs().get("x"), body);
    }
    // whitespace everywhere, an empty parameters object, values of every form
    InferenceCodec.InferRequest a = both(" {\n \"parameters\" : { } , \"inputs\" :\t[ { \"shape\" : [ 1 , 3 ] ,\r\n"
        + " \"name\" : \"x\" , \"data\" : [ -0.0 , 1E-3 , 123456789012 ] , \"datatype\" : \"FP32\" } ] , \"x\" : [ true , false , null ,"
        + " \"s\" , { } , [ ] , -1.5e-7 ] } ");
    assertEquals(FloatTensor.of(new float[] {-0f, 1e-3f, 123456789012f}, 1, 3), a.inputs().get("x"));
  }
}
