package dev.rnnx.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.InvalidInputException;
import dev.rnnx.spec.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/**
 * {@link ServingPredictor#predictAsync} on the golden sine-lstm: with batching, many requests
 * queued from one thread without waiting each complete with what {@code predict} gives alone (bit
 * for bit); a bad request is refused in the caller before anything is queued; a request queued
 * when the model closes fails with the model named closed; without batching the future comes back
 * completed.
 */
class PredictAsyncTest {

  private static final Path SINE = Path.of("models/golden/sine-lstm/model.onnx");

  private static Map<String, Tensor> request(int i) {
    float[] x = new float[1 + i % 37];
    for (int t = 0; t < x.length; t++) {
      x[t] = (float) Math.cos(0.21 * (t + 3 * i));
    }
    return Map.of("input", FloatTensor.of(x, 1, x.length, 1));
  }

  @Test
  void queuedRequestsEqualSinglePredictionsBitForBit() throws Exception {
    try (RnnxModel batched = RnnxModel.builder(SINE).optBatching(BatchingOptions.DEFAULTS).build();
        RnnxModel alone = RnnxModel.builder(SINE).build()) {
      var p = batched.tensors();
      assertTrue(p.asynchronous());
      List<CompletableFuture<Map<String, FloatTensor>>> futures = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        futures.add(p.predictAsync(request(i)));
      }
      for (int i = 0; i < futures.size(); i++) {
        float[] got = futures.get(i).get().get("output").data();
        float[] want = alone.tensors().predict(request(i)).get("output").data();
        assertEquals(Float.floatToRawIntBits(want[0]), Float.floatToRawIntBits(got[0]), "request " + i);
      }
      assertTrue(batched.batchingStats().batches() < 200, batched.batchingStats().toString());

      Map<String, Tensor> wrong = Map.of("input", FloatTensor.of(new float[] {1, 2}, 1, 1, 2));
      InvalidInputException e = assertThrows(InvalidInputException.class, () -> p.predictAsync(wrong));
      assertTrue(e.getMessage().contains("input 'input'"), e.getMessage());

      var without = alone.tensors();
      assertFalse(without.asynchronous());
      CompletableFuture<Map<String, FloatTensor>> done = without.predictAsync(request(3));
      assertTrue(done.isDone());
    }
  }

  @Test
  void aRequestQueuedAtCloseFailsNamingTheClosedModel() throws Exception {
    RnnxModel batched = RnnxModel.builder(SINE).optBatching(BatchingOptions.DEFAULTS).build();
    List<CompletableFuture<Map<String, FloatTensor>>> futures = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      futures.add(batched.tensors().predictAsync(request(i)));
    }
    batched.close();
    for (CompletableFuture<Map<String, FloatTensor>> f : futures) {
      try {
        assertEquals(1, f.get().get("output").data().length); // ran before the close
      } catch (ExecutionException e) {
        assertTrue(e.getCause() instanceof IllegalStateException && e.getCause().getMessage().contains("closed"), e.toString());
      }
    }
    assertThrows(IllegalStateException.class, () -> batched.tensors().predictAsync(request(1)));
  }
}
