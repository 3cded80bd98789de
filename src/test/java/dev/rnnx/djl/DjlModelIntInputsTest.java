package dev.rnnx.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.onnx.OnnxExporter;
import dev.rnnx.ref.onnx.OnnxEvaluator;
import dev.rnnx.ref.onnx.Value;
import dev.rnnx.spec.Bidirectional;
import dev.rnnx.spec.Embedding;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Gru;
import dev.rnnx.spec.Initializer;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.MergeMode;
import dev.rnnx.spec.ModelInput;
import dev.rnnx.spec.ParameterSpec;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.SimpleRnn;
import dev.rnnx.spec.Tensor;
import dev.rnnx.weights.Provenance;
import dev.rnnx.weights.Weights;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An rnnx export with int64 token ids, int32 lengths and state inputs, served on DJL's OnnxRuntime
 * engine: {@code LongTensor} inputs are narrowed to the declared types and the outputs match the
 * pure-Java reference evaluator; bad integer inputs are refused in Java, before the engine runs
 * (engine failures would surface as {@link IllegalStateException}, refusals are
 * {@link IllegalArgumentException}s naming the input).
 */
class DjlModelIntInputsTest {

  static final int VOCABULARY = 13;

  static final Sequential MODEL = new Sequential("tagger", ModelInput.ofTokens().withLengths(), List.of(
      new Embedding("embedding", VOCABULARY, 4, Initializer.EMBEDDING),
      new Bidirectional("bi", Gru.builder("inner", 3).returnSequences(true).stateInputs(true).build(), MergeMode.CONCAT),
      SimpleRnn.builder("rnn", 5).goBackwards(true).returnState(true).build()));

  @TempDir static Path tmp;
  static Path file;
  static OnnxEvaluator reference;

  @BeforeAll
  static void export() throws Exception {
    Random random = new Random(17);
    Map<String, FloatTensor> w = new LinkedHashMap<>();
    for (ParameterSpec p : MODEL.parameters()) {
      float[] d = new float[(int) p.size()];
      for (int i = 0; i < d.length; i++) {
        d[i] = (float) (random.nextGaussian() * 0.4);
      }
      long[] shape = new long[p.shape().length];
      for (int i = 0; i < shape.length; i++) {
        shape[i] = p.shape()[i];
      }
      w.put(p.name(), new FloatTensor(shape, d));
    }
    Provenance provenance = new Provenance("tagger", "name: tagger\n", 17L, Map.of("rnnx", "test"), Map.of());
    var onnx = OnnxExporter.export(MODEL, new Weights(w), 17, provenance).get("model");
    file = tmp.resolve("tagger.onnx");
    OnnxExporter.write(onnx, file);
    reference = new OnnxEvaluator(onnx);
  }

  static Map<String, Tensor> inputs(int batch, int time, long seed) {
    Random random = new Random(seed);
    long[] ids = new long[batch * time];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = random.nextInt(VOCABULARY);
    }
    long[] lengths = new long[batch];
    for (int b = 0; b < batch; b++) {
      lengths[b] = 1 + (b + seed) % time;
    }
    Map<String, Tensor> in = new LinkedHashMap<>();
    in.put("input", LongTensor.of(ids, batch, time));
    in.put("lengths", LongTensor.of(lengths, batch));
    for (String state : List.of("bi_forward_h0", "bi_backward_h0")) {
      float[] h = new float[batch * 3];
      for (int i = 0; i < h.length; i++) {
        h[i] = (float) (0.5 * random.nextGaussian());
      }
      in.put(state, FloatTensor.of(h, batch, 3));
    }
    return in;
  }

  static Map<String, Value> referenceRun(Map<String, Tensor> in) {
    Map<String, Value> feeds = new HashMap<>();
    feeds.put("input", Value.ofInt64(in.get("input").shape(), ((LongTensor) in.get("input")).data()));
    feeds.put("lengths", Value.ofInt32(in.get("lengths").shape(), ((LongTensor) in.get("lengths")).toIntArray()));
    for (String s : List.of("bi_forward_h0", "bi_backward_h0")) {
      feeds.put(s, Value.ofFloats(in.get(s).shape(), ((FloatTensor) in.get(s)).data()));
    }
    return reference.run(feeds);
  }

  @Test
  void tokenIdsLengthsAndStatesRunAndMatchTheReferenceEvaluator() {
    try (DjlModel m = DjlModel.loadOnnx(file)) {
      assertEquals(List.of("input", "lengths", "bi_forward_h0", "bi_backward_h0"), m.inputNames());
      assertEquals(List.of("output", "state_h"), m.outputNames());
      double worst = 0;
      for (int[] bt : new int[][] {{3, 5}, {1, 1}, {6, 6}, {2, 30}}) {
        Map<String, Tensor> in = inputs(bt[0], bt[1], bt[0] * 100L + bt[1]);
        Map<String, FloatTensor> out = m.run(in);
        Map<String, Value> want = referenceRun(in);
        for (String name : List.of("output", "state_h")) {
          assertArrayEquals(want.get(name).shape(), out.get(name).shape(), name);
          worst = Math.max(worst, TinyMath.maxAbsDiff(want.get(name).toDoubleArray(), out.get(name).data()));
        }
      }
      System.out.printf("djl-ort int inputs vs reference evaluator: max abs err %.2e%n", worst);
      assertTrue(worst < 1e-5, "max abs err " + worst);
    }
  }

  private static IllegalArgumentException refused(DjlModel m, Map<String, Tensor> in, String... parts) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.run(in));
    for (String p : parts) {
      assertTrue(e.getMessage().contains(p), "'" + p + "' not in: " + e.getMessage());
    }
    return e;
  }

  private static Map<String, Tensor> with(Map<String, Tensor> in, String name, Tensor t) {
    Map<String, Tensor> copy = new LinkedHashMap<>(in);
    copy.put(name, t);
    return copy;
  }

  @Test
  void badIntegerInputsAreRefusedBeforeTheEngineRuns() {
    Map<String, Tensor> ok = inputs(2, 4, 1);
    try (DjlModel m = DjlModel.loadOnnx(file)) {
      refused(m, with(ok, "input", LongTensor.of(new long[] {0, 1, 2, 13, 4, 5, 6, 7}, 2, 4)),
          "request: input 'input' holds 13 at [0, 3], expected 0 … 12 (rows of table 'embedding/embeddings')");
      refused(m, with(ok, "input", LongTensor.of(new long[] {0, 1, 2, 3, -1, 5, 6, 7}, 2, 4)), "'input' holds -1");
      refused(m, with(ok, "lengths", LongTensor.of(new long[] {0, 4}, 2)), "input 'lengths' holds 0 at [0], expected 1 … 4 (lengths along time)");
      refused(m, with(ok, "lengths", LongTensor.of(new long[] {4, 5}, 2)), "input 'lengths' holds 5 at [1]");
      refused(m, with(ok, "lengths", LongTensor.of(new long[] {4, 1L << 33}, 2)), "input 'lengths' holds 8589934592 at [1], expected a value that fits int32");
      refused(m, with(ok, "lengths", LongTensor.of(new long[] {4, 4, 4}, 3)), "input 'lengths' must be int32 [batch], got int64 [3]: batch is 2 in input 'input'");
      refused(m, with(ok, "bi_backward_h0", FloatTensor.zeros(3, 3)), "input 'bi_backward_h0' must be float32 [batch, 3], got float32 [3, 3]: batch is 2");
      refused(m, with(ok, "lengths", FloatTensor.zeros(2)), "input 'lengths' must be int32 [batch], got float32 [2]");
      refused(m, with(ok, "bi_forward_h0", LongTensor.of(new long[6], 2, 3)), "input 'bi_forward_h0' must be float32 [batch, 3], got int64 [2, 3]");
      refused(m, with(ok, "input", LongTensor.of(new long[8], 8)), "input 'input' must be int64 [batch, time], got int64 [8]");
      // the refusals left the model usable
      assertEquals(2, m.run(ok).get("output").dim(0));
    }
  }

  @Test
  void withItsSpecEveryCallIsCheckedLikeEveryBackend() {
    try (DjlModel m = DjlModel.loadOnnx(file, MODEL)) {
      Map<String, Tensor> ok = inputs(2, 4, 3);
      Map<String, Value> want = referenceRun(ok);
      assertTrue(TinyMath.maxAbsDiff(want.get("output").toDoubleArray(), m.run(ok).get("output").data()) < 1e-5);
      refused(m, with(ok, "input", LongTensor.of(new long[] {0, 1, 2, 13, 4, 5, 6, 7}, 2, 4)),
          "request: input 'input' holds 13 at [0, 3], expected 0 … 12 (token ids of embedding 'embedding')");
    }
    Sequential other = new Sequential("other", ModelInput.ofTokens(), List.of(new Embedding("e", 5, 2, Initializer.EMBEDDING)));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DjlModel.loadOnnx(file, other));
    assertTrue(e.getMessage().contains("but model 'other' reads [input]"), e.getMessage());
  }
}
