package dev.rnnx.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.modality.Classifications;
import dev.rnnx.ref.ReferenceModel;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.RecipeCodec;
import dev.rnnx.spec.Tensor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RnnxModel} picks the engine from the artifact, and each task translator answers what the
 * pure-Java reference computes for the same sequence.
 */
class RnnxModelTest {

  private static final double TOLERANCE = 1e-5;

  @TempDir Path tmp;

  private static ReferenceModel reference(Path run) {
    return new ReferenceModel(RecipeCodec.read(Path.of("models", run.getFileName() + ".yaml")).sequential(),
        ServingRuns.weights(run));
  }

  private static float[][] features(int time, long seed) {
    Random r = new Random(seed);
    float[][] steps = new float[time][1];
    for (float[] s : steps) {
      s[0] = (float) r.nextGaussian();
    }
    return steps;
  }

  @Test
  void regressionMatchesTheReference() throws Exception {
    Path run = ServingRuns.zoo(tmp.resolve("sine-lstm"), "sine-lstm");
    ReferenceModel ref = reference(run);
    try (RnnxModel model = RnnxModel.load(run)) {
      assertEquals(DjlModel.ONNX_RUNTIME, model.engine());
      assertEquals(Task.REGRESSION, model.task());
      ServingPredictor<Sequence, FloatTensor> p = model.regression();
      for (int time : new int[] {1, 7, 25}) {
        Sequence s = Sequence.ofFeatures(features(time, time));
        FloatTensor out = p.predict(s);
        float[] expected = ref.run(p.translator().encode(s)).get("output").data();
        assertEquals(List.of(1L), List.of(out.shape()[0]), "one value per sequence");
        assertEquals(expected[0], out.data()[0], TOLERANCE, "length " + time);
      }
    }
  }

  @Test
  void classificationGivesTheReferenceProbabilitiesAndItsArgmax() throws Exception {
    Path run = ServingRuns.zoo(tmp.resolve("majority-classifier"), "majority-classifier");
    ReferenceModel ref = reference(run);
    try (RnnxModel model = RnnxModel.load(run)) {
      assertEquals(Task.CLASSIFICATION, model.task());
      ServingPredictor<Sequence, Classifications> p = model.classification();
      Random r = new Random(3);
      for (int time : new int[] {5, 13, 30}) {
        long[] ids = r.longs(time, 1, 12).toArray();
        Sequence s = Sequence.ofTokens(ids);
        Classifications c = p.predict(s);
        float[] expected = ref.run(p.translator().encode(s)).get("output").data();
        int best = 0;
        for (int k = 0; k < 3; k++) {
          assertEquals(expected[k], c.getProbabilities().get(k), TOLERANCE);
          best = expected[k] > expected[best] ? k : best;
        }
        assertEquals(List.of("0", "1", "2"), c.getClassNames());
        assertEquals(Integer.toString(best), c.best().getClassName());
      }
    }
  }

  @Test
  void taggingGivesOneReferenceDistributionPerStep() throws Exception {
    Path run = ServingRuns.zoo(tmp.resolve("forward-tagger"), "forward-tagger");
    ReferenceModel ref = reference(run);
    try (RnnxModel model = RnnxModel.load(run)) {
      assertEquals(Task.TAGGING, model.task());
      ServingPredictor<Sequence, Tagging> p = model.tagging();
      Sequence s = Sequence.ofFeatures(features(20, 5));
      Tagging tags = p.predict(s);
      float[] expected = ref.run(p.translator().encode(s)).get("output").data();
      assertEquals(20, tags.steps().size());
      for (int t = 0; t < 20; t++) {
        for (int k = 0; k < 3; k++) {
          assertEquals(expected[t * 3 + k], tags.steps().get(t).getProbabilities().get(k), TOLERANCE, "step " + t);
        }
      }
    }
  }

  @Test
  void savedModelFolderIsServedOnTensorFlowAndARunFolderCanBeToo() throws Exception {
    Path saved = TinySavedModel.write(tmp.resolve("tiny-saved"), "serving_default");
    FloatTensor x = TinyMath.input(3, 6, 11);
    try (RnnxModel model = RnnxModel.builder(saved).optPoolSize(1).build()) {
      assertEquals(DjlModel.TENSORFLOW, model.engine());
      assertEquals(Task.TENSORS, model.task());
      Map<String, FloatTensor> out = model.tensors().predict(Map.<String, Tensor>of("input", x));
      assertTrue(TinyMath.maxAbsDiff(TinyMath.output(x), out.get("output").data()) < 1e-6);
      assertTrue(TinyMath.maxAbsDiff(TinyMath.pre(x), out.get("state_h").data()) < 1e-6);
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RnnxModel.builder(saved).optEngine("onnx").build());
    assertTrue(e.getMessage().contains("needs TensorFlow"), e.getMessage());

    Path run = ServingRuns.withSavedModel(ServingRuns.zoo(tmp.resolve("sine-lstm"), "sine-lstm"));
    ReferenceModel ref = reference(run);
    try (RnnxModel model = RnnxModel.builder(run).optEngine("tf").build()) {
      assertEquals(DjlModel.TENSORFLOW, model.engine());
      ServingPredictor<Sequence, FloatTensor> p = model.regression();
      Sequence s = Sequence.ofFeatures(features(9, 9));
      assertEquals(ref.run(p.translator().encode(s)).get("output").data()[0], p.predict(s).data()[0], TOLERANCE);
    }
  }

  @Test
  void bareOnnxFileIsServedAsTensorsOnOnnxRuntime() throws Exception {
    Path onnx = TinyOnnx.write(tmp.resolve("tiny.onnx"), false);
    FloatTensor x = TinyMath.input(2, 4, 7);
    try (RnnxModel model = RnnxModel.builder(onnx).optEngine("onnx").optPoolSize(1).build()) {
      assertEquals(DjlModel.ONNX_RUNTIME, model.engine());
      assertEquals(Task.TENSORS, model.task());
      Map<String, FloatTensor> out = model.tensors().predict(Map.<String, Tensor>of("input", x));
      assertTrue(TinyMath.maxAbsDiff(TinyMath.output(x), out.get("output").data()) < 1e-6);
      assertThrows(IllegalStateException.class, model::regression, "a bare artifact has no task");
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RnnxModel.builder(onnx).optEngine("tf").build());
    assertTrue(e.getMessage().contains("needs OnnxRuntime"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> RnnxModel.load(tmp.resolve("nothing")));
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
  }

  @Test
  void closedModelRefusesCalls() throws Exception {
    Path run = ServingRuns.zoo(tmp.resolve("sine-lstm"), "sine-lstm");
    RnnxModel model = RnnxModel.builder(run).optWarmUp(false).build();
    ServingPredictor<Sequence, FloatTensor> p = model.regression();
    model.close();
    model.close();
    assertThrows(IllegalStateException.class, () -> p.predict(Sequence.ofFeatures(features(3, 1))));
  }
}
