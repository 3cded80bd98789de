package dev.rnnx.verify;

import dev.rnnx.djl.DjlBackend;
import dev.rnnx.pipeline.EngineBackends;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.Activation;
import dev.rnnx.spec.Dense;
import dev.rnnx.spec.Lstm;
import dev.rnnx.spec.ModelInput;
import dev.rnnx.spec.Sequential;
import dev.rnnx.weights.Weights;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Native backends in child JVMs: the same numbers as in-process, and a child that aborts or hangs
 * fails only its own backend while the verifier goes on with the others. (ONNX Runtime 1.28
 * validated every shape-lying model tried while building this — out-of-range
 * ReverseSequence lengths, LSTM sequence_lens, contrib Attention masks, TreeEnsemble feature ids,
 * NGramRepeatBlock ids — with an error instead of a crash, and ran WordConvEmbedding with wild ids
 * without crashing; see docs/STACK-NOTES.md), so the abort here
 * is simulated by a worker that halts with SIGABRT's exit status on its first request.)
 */
class ProcessIsolationTest {

  private static final Sequential MODEL = new Sequential("iso", ModelInput.ofFeatures(2).withLengths(), List.of(
      Lstm.builder("lstm", 3).build(), new Dense("head", 1, Activation.LINEAR, true)));

  @Test
  void childBackendsGiveTheInProcessNumbersAndACrashFailsOnlyItsBackend(@TempDir Path dir) throws Exception {
    Weights w = Mutations.weights(MODEL, 21, 0.5);
    Path onnx = Mutations.export(MODEL, w, dir.resolve("iso.onnx"), m -> m);
    List<ParityCase> cases = ParityInputs.verification(MODEL, 4, 5);
    Map<String, String> failures = new LinkedHashMap<>();
    List<ProcessBackend> children = ProcessBackend.startAll(List.of(BackendSpec.onnx(BackendKind.ORT, onnx),
        BackendSpec.onnx(BackendKind.DJL_ORT_DISABLED, onnx)), EngineBackends.INSTANCE, failures);
    assertTrue(failures.isEmpty(), failures.toString());
    try (ProcessBackend ort = children.get(0);
        ProcessBackend djl = children.get(1);
        DjlBackend inProcess = DjlBackend.onnx(onnx, MODEL.form(ModelForm.MODEL), BackendKind.DJL_ORT_DISABLED);
        ProcessBackend crashing = ProcessBackend.start(BackendSpec.onnx(BackendKind.DJL_ORT_BASIC, onnx),
            CrashingWorker.class.getName(), 60)) {
      assertEquals("ort", ort.name());
      for (ParityCase c : cases) {
        assertEquals(inProcess.run(c.inputs()), djl.run(c.inputs()), "same engine, same options, same bits: " + c.name());
      }
      ParityResult r = ParityVerifier.verify(new ReferenceBackend(new dev.rnnx.ref.ReferenceModel(MODEL, w)),
          List.of(crashing, ort, djl), cases, ParityCriteria.of(Criterion.DEFAULT));
      String crash = r.backendErrors().get("djl-ort-basic");
      assertTrue(crash.contains("BackendCrashedException") && crash.contains("exit status 134 (SIGABRT: a native abort)")
          && crash.contains("simulated"), crash);
      assertTrue(crashing.crashed());
      assertEquals(List.of("ort", "djl-ort-disabled"), r.summaries().stream().map(PairSummary::candidate).toList(),
          "the other children still ran every case");
      assertTrue(r.summaries().stream().allMatch(PairSummary::passed), r.table());
      assertEquals(cases.size(), r.summaries().get(0).cases());
      assertFalse(r.passed(), "a crashed backend is a failure");
      assertTrue(r.table().contains("backend djl-ort-basic failed"), r.table());
    }
  }

  @Test
  void aChildThatStopsAnsweringIsKilledAfterItsTimeout(@TempDir Path dir) throws Exception {
    Weights w = Mutations.weights(MODEL, 22, 0.5);
    Path onnx = Mutations.export(MODEL, w, dir.resolve("iso.onnx"), m -> m);
    try (ProcessBackend hanging = ProcessBackend.start(new BackendSpec(BackendKind.ORT, onnx, null, "hang", null, null, null),
        CrashingWorker.class.getName(), 3)) {
      BackendCrashedException e = assertThrows(BackendCrashedException.class,
          () -> hanging.run(ParityInputs.standard(MODEL, 3, 1).get(0).inputs()));
      assertEquals(-1, e.exitCode());
      assertTrue(e.getMessage().contains("did not answer within 3 s"), e.getMessage());
    }
  }

  @Test
  void aChildThatCannotLoadItsModelIsBadInputNotACrash(@TempDir Path dir) throws Exception {
    Path notOnnx = dir.resolve("x.onnx");
    java.nio.file.Files.writeString(notOnnx, "not a model");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ProcessBackend.start(BackendSpec.onnx(BackendKind.ORT, notOnnx), EngineBackends.INSTANCE));
    assertTrue(e.getMessage().contains("x.onnx"), e.getMessage());
  }
}
