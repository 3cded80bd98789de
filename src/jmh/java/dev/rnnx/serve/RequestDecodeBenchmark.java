package dev.rnnx.serve;

import dev.rnnx.spec.InputContract;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Reading one KServe v2 inference request body into tensors, one thread, as the server's event loop
 * does before a request joins a batch: {@code values=50} is a sine-lstm request (50 steps of one
 * feature), {@code 3200} an LSTM 256 request of {@code ServerBenchmark} (50 steps of 64 features, 35
 * KB of JSON). The values are {@link Float#toString} of Gaussian floats, as the server benchmark
 * sends them, in distinct bodies taken in turn, {@value #VALUES} values in all (64 bodies of 3,200,
 * 4,096 of 50): fewer would let the branch predictor learn their digits, which a server's traffic
 * never repeats (it learns 64 sine-lstm bodies: a reader with a branch per digit then reads them in
 * half its time on unseen ones). {@code reader=streamed}: {@link InferenceCodec#inferRequest(byte[],
 * int, InputContract, List)}, the server's path (the fast read of {@link StreamedRequest}); {@code tree}:
 * the same body through Jackson's tree ({@link InferenceCodec#readObject} then the tree reader), the
 * path every unusual request takes; {@code binary}: the same values as binary tensor data (a short
 * JSON header, then little-endian float32).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
public class RequestDecodeBenchmark {

  /** Values in all the distinct bodies together. */
  static final int VALUES = 64 * 3200;

  /** Float values a request: 50 (sine-lstm) or 3,200 (LSTM 256). */
  @Param({"50", "3200"})
  public int values;

  /** {@code streamed}, {@code tree} or {@code binary}. */
  @Param({"streamed", "tree", "binary"})
  public String reader;

  private final InputContract contract =
      new InputContract(List.of(new InputContract.Input("input", "float32", null, List.of())), Map.of());
  private final List<String> outputs = List.of("output");
  private byte[][] bodies;
  private int distinct;
  private int headerLength = -1;
  private int next;

  @Setup
  public void bodies() {
    int features = values / 50;
    Random r = new Random(1);
    distinct = VALUES / values;
    bodies = new byte[distinct][];
    for (int j = 0; j < distinct; j++) {
      float[] x = new float[values];
      for (int k = 0; k < x.length; k++) {
        x[k] = (float) r.nextGaussian();
      }
      if (reader.equals("binary")) {
        byte[] head = ("{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[1,50," + features
            + "],\"parameters\":{\"binary_data_size\":" + 4 * values + "}}]}").getBytes(StandardCharsets.UTF_8);
        ByteBuffer raw = ByteBuffer.allocate(head.length + 4 * values).order(ByteOrder.LITTLE_ENDIAN);
        raw.put(head);
        for (float v : x) {
          raw.putFloat(v);
        }
        bodies[j] = raw.array();
        headerLength = head.length;
      } else {
        StringBuilder b = new StringBuilder("{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[1,50,")
            .append(features).append("],\"data\":[");
        for (int k = 0; k < x.length; k++) {
          b.append(k > 0 ? "," : "").append(x[k]);
        }
        bodies[j] = b.append("]}]}").toString().getBytes(StandardCharsets.UTF_8);
      }
    }
    if (!reader.equals("tree") && read().inputs().get("input").shape()[2] != features) {
      throw new IllegalStateException("the body was not read");
    }
  }

  @Benchmark
  public InferenceCodec.InferRequest read() {
    byte[] body = bodies[next++ % distinct];
    return reader.equals("tree") ? InferenceCodec.inferRequest(InferenceCodec.readObject(body), contract, outputs)
        : InferenceCodec.inferRequest(body, headerLength, contract, outputs);
  }
}
