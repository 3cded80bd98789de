package dev.rnnx.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.LongTensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DjlModelSavedModelTest {

  @TempDir static Path tmp;
  static Path savedModel;

  @BeforeAll
  static void export() throws Exception {
    savedModel = TinySavedModel.write(tmp.resolve("tiny-saved"), "serving_default");
  }

  @Test
  void runsOnTensorFlowAndMatchesJavaMath() {
    long t0 = System.nanoTime();
    try (DjlModel m = DjlModel.loadSavedModel(savedModel)) {
      System.out.printf("djl-tf load: %.1f ms%n", (System.nanoTime() - t0) / 1e6);
      assertEquals("TensorFlow", m.engineName());
      assertEquals(List.of("input"), m.inputNames());
      assertEquals(List.of("output", "state_h"), m.outputNames());
      for (int[] bt : new int[][] {{2, 5}, {1, 1}, {4, 23}}) {
        FloatTensor x = TinyMath.input(bt[0], bt[1], 100 + bt[0]);
        Map<String, FloatTensor> out = m.run(Map.of("input", x));
        assertEquals(List.of("output", "state_h"), List.copyOf(out.keySet()));
        assertArrayEquals(new long[] {bt[0], bt[1], 2}, out.get("output").shape());
        assertArrayEquals(new long[] {bt[0], bt[1], 2}, out.get("state_h").shape());
        assertTrue(TinyMath.maxAbsDiff(TinyMath.output(x), out.get("output").data()) < 1e-6);
        assertTrue(TinyMath.maxAbsDiff(TinyMath.pre(x), out.get("state_h").data()) < 1e-6);
      }
    }
  }

  @Test
  void wiresTheLibraryFolderForDjl() {
    try (DjlModel m = DjlModel.loadSavedModel(savedModel)) {
      Path folder = NativeWiring.tensorFlowLibraryFolder();
      assertTrue(Files.isRegularFile(folder.resolve(System.mapLibraryName("jnitensorflow"))), String.valueOf(folder));
      if (System.getenv(NativeWiring.TENSORFLOW_LIBRARY_PATH) == null) {
        assertEquals(folder.toString(), System.getProperty(NativeWiring.TENSORFLOW_LIBRARY_PATH));
      }
      assertEquals("true", System.getProperty(NativeWiring.DJL_OFFLINE));
    }
  }

  @Test
  void aSavedModelWithoutServingDefaultIsRejectedNamingTheSignatures() throws Exception {
    Path other = TinySavedModel.write(tmp.resolve("other-signature"), "other");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DjlModel.loadSavedModel(other));
    assertTrue(e.getMessage().contains("serving_default"), e.getMessage());
    assertTrue(e.getMessage().contains("[other]"), e.getMessage());
    assertTrue(e.getMessage().contains(other.toString()), e.getMessage());
  }

  @Test
  void aFolderWithoutSavedModelPbIsRejected() throws Exception {
    Path empty = Files.createDirectories(tmp.resolve("not-a-saved-model"));
    Files.writeString(empty.resolve("README.txt"), "nothing here");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DjlModel.loadSavedModel(empty));
    assertTrue(e.getMessage().contains("saved_model.pb"), e.getMessage());
    assertTrue(e.getMessage().contains(empty.toString()), e.getMessage());
  }

  @Test
  void aMissingFolderOrAFileIsRejected() throws Exception {
    Path missing = tmp.resolve("nope");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DjlModel.loadSavedModel(missing));
    assertTrue(e.getMessage().contains(missing.toString()) && e.getMessage().contains("does not exist"), e.getMessage());
    Path file = Files.writeString(tmp.resolve("file.txt"), "x");
    e = assertThrows(IllegalArgumentException.class, () -> DjlModel.loadSavedModel(file));
    assertTrue(e.getMessage().contains("not a folder"), e.getMessage());
  }

  @Test
  void aGarbageSavedModelPbIsRejected() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("garbage"));
    Files.writeString(dir.resolve("saved_model.pb"), "this is not a protobuf at all, just words\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DjlModel.loadSavedModel(dir));
    assertTrue(e.getMessage().contains("saved_model.pb"), e.getMessage());
  }

  @Test
  void aSavedModelWithAVariableRunsAndWithoutItsCheckpointIsRejected() throws Exception {
    Path withVar = TinySavedModel.write(tmp.resolve("with-variable"), "serving_default", true);
    assertTrue(Files.isDirectory(withVar.resolve("variables")));
    try (DjlModel m = DjlModel.loadSavedModel(withVar)) {
      FloatTensor x = TinyMath.input(2, 3, 8);
      Map<String, FloatTensor> out = m.run(Map.of("input", x));
      assertTrue(TinyMath.maxAbsDiff(TinyMath.output(x), out.get("output").data()) < 1e-6);
      assertTrue(TinyMath.maxAbsDiff(TinyMath.pre(x), out.get("state_h").data()) < 1e-6);
    }
    Path broken = Files.createDirectories(tmp.resolve("no-checkpoint"));
    Files.copy(withVar.resolve("saved_model.pb"), broken.resolve("saved_model.pb"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DjlModel.loadSavedModel(broken));
    assertTrue(e.getMessage().contains(broken.toString()), e.getMessage());
  }

  @Test
  void integerInputsAreNarrowedToTheSignaturesTypes() throws Exception {
    Path tokens = TinyTokens.write(tmp.resolve("tokens"));
    try (DjlModel m = DjlModel.loadSavedModel(tokens)) {
      assertEquals(List.of("input", "lengths"), m.inputNames());
      for (int[] bt : new int[][] {{3, 4}, {1, 1}, {5, 7}}) {
        long[] ids = new long[bt[0] * bt[1]];
        long[] lengths = new long[bt[0]];
        for (int i = 0; i < ids.length; i++) {
          ids[i] = (i * 7L + bt[1]) % TinyTokens.TABLE.length;
        }
        for (int b = 0; b < lengths.length; b++) {
          lengths[b] = 1 + (b * 3L) % bt[1];
        }
        LongTensor x = LongTensor.of(ids, bt[0], bt[1]);
        LongTensor l = LongTensor.of(lengths, bt[0]);
        Map<String, FloatTensor> out = m.run(Map.of("input", x, "lengths", l));
        assertArrayEquals(new long[] {bt[0], bt[1], 2}, out.get("output").shape());
        assertTrue(TinyMath.maxAbsDiff(TinyTokens.expected(x, l), out.get("output").data()) < 1e-7);
      }
    }
  }

  @Test
  void badIntegerInputsAreRejectedBeforeTensorFlowRuns() throws Exception {
    Path tokens = TinyTokens.write(tmp.resolve("tokens-bad"));
    LongTensor ids = LongTensor.of(new long[] {0, 1, 2, 3, 4, 0}, 2, 3);
    try (DjlModel m = DjlModel.loadSavedModel(tokens)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> m.run(Map.of("input", ids, "lengths", LongTensor.of(new long[] {1, 1L << 40}, 2))));
      assertTrue(e.getMessage().contains("input 'lengths' holds 1099511627776 at [1], expected a value that fits int32"), e.getMessage());
      e = assertThrows(IllegalArgumentException.class,
          () -> m.run(Map.of("input", ids, "lengths", LongTensor.of(new long[] {3, 4}, 2))));
      assertTrue(e.getMessage().contains("input 'lengths' holds 4 at [1], expected 1 … 3 (lengths along time)"), e.getMessage());
      e = assertThrows(IllegalArgumentException.class,
          () -> m.run(Map.of("input", ids, "lengths", LongTensor.of(new long[] {1, 2, 3}, 3))));
      assertTrue(e.getMessage().contains("input 'lengths' must be int32 [batch], got int64 [3]: batch is 2 in input 'input'"), e.getMessage());
      e = assertThrows(IllegalArgumentException.class,
          () -> m.run(Map.of("input", FloatTensor.zeros(2, 3), "lengths", LongTensor.of(new long[] {1, 2}, 2))));
      assertTrue(e.getMessage().contains("input 'input' must be int64 [batch, time], got float32 [2, 3]"), e.getMessage());
      // still usable after the refusals
      assertEquals(2, m.run(Map.of("input", ids, "lengths", LongTensor.of(new long[] {3, 1}, 2))).get("output").dim(0));
    }
    // with the model's spec, token ids are checked against the vocabulary too
    dev.rnnx.spec.Sequential spec = new dev.rnnx.spec.Sequential("tokens", dev.rnnx.spec.ModelInput.ofTokens().withLengths(),
        List.of(new dev.rnnx.spec.Embedding("embedding", TinyTokens.TABLE.length, 2, dev.rnnx.spec.Initializer.EMBEDDING)));
    try (DjlModel m = DjlModel.loadSavedModel(tokens, spec)) {
      LongTensor outside = LongTensor.of(new long[] {0, 1, 2, 3, 5, 0}, 2, 3);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> m.run(Map.of("input", outside, "lengths", LongTensor.of(new long[] {3, 3}, 2))));
      assertTrue(e.getMessage().contains("input 'input' holds 5 at [1, 1], expected 0 … 4 (token ids of embedding 'embedding')"), e.getMessage());
    }
  }

  @Test
  void badInputsAreRejectedBeforeTensorFlowRuns() {
    try (DjlModel m = DjlModel.loadSavedModel(savedModel)) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> m.run(Map.of("x", TinyMath.input(1, 2, 3))));
      assertTrue(e.getMessage().contains("'x'") && e.getMessage().contains("[input]"), e.getMessage());
      e = assertThrows(
          IllegalArgumentException.class, () -> m.run(Map.of("input", FloatTensor.zeros(2, 3))));
      assertTrue(e.getMessage().contains("request: input 'input' must be float32 [batch, time, 3], got float32 [2, 3]"), e.getMessage());
      e = assertThrows(
          IllegalArgumentException.class, () -> m.run(Map.of("input", FloatTensor.zeros(1, 2, 4))));
      assertTrue(e.getMessage().contains("request: input 'input' must be float32 [batch, time, 3], got float32 [1, 2, 4]"), e.getMessage());
      FloatTensor x = TinyMath.input(1, 2, 3);
      x.data()[4] = Float.POSITIVE_INFINITY;
      e = assertThrows(IllegalArgumentException.class, () -> m.run(Map.of("input", x)));
      assertTrue(e.getMessage().contains("input 'input' holds Infinity at [0, 1, 1], expected finite values"), e.getMessage());
    }
  }
}
