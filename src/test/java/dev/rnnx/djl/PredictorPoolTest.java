package dev.rnnx.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Without batching, many request threads share a small pool of DJL predictors: every answer is the
 * single-threaded one, requests keep their own batch sizes, and no engine call is merged.
 */
class PredictorPoolTest {

  @TempDir Path tmp;

  @Test
  void sixteenThreadsOnAPoolOfTwoGetSingleThreadedAnswers() throws Exception {
    Path onnx = TinyOnnx.write(tmp.resolve("tiny.onnx"), false);
    List<Map<String, ? extends Tensor>> requests = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      requests.add(Map.of("input", TinyMath.input(1 + i % 3, 1 + i % 5, i)));
    }
    try (RnnxModel model = RnnxModel.builder(onnx).optPoolSize(2).build()) {
      var p = model.tensors();
      List<Map<String, FloatTensor>> alone = new ArrayList<>();
      for (Map<String, ? extends Tensor> r : requests) {
        alone.add(p.predict(r));
      }
      List<Map<String, FloatTensor>> together = DynamicBatchingTest.concurrently(p, requests);
      for (int i = 0; i < requests.size(); i++) {
        FloatTensor x = (FloatTensor) requests.get(i).get("input");
        assertArrayEquals(alone.get(i).get("output").data(), together.get(i).get("output").data(), "request " + i);
        assertArrayEquals(alone.get(i).get("output").shape(), together.get(i).get("output").shape());
        assertTrue(TinyMath.maxAbsDiff(TinyMath.output(x), together.get(i).get("output").data()) < 1e-6);
      }
      assertEquals(BatchingStats.NONE, model.batchingStats(), "no batcher without optBatching");
    }
  }

  @Test
  void poolSizeIsValidated() throws Exception {
    Path onnx = TinyOnnx.write(tmp.resolve("tiny.onnx"), false);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RnnxModel.builder(onnx).optPoolSize(0).build());
    assertTrue(e.getMessage().contains("pool size is 0"), e.getMessage());
  }
}
