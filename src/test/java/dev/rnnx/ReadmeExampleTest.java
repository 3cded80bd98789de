package dev.rnnx;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.data.TaskData;
import dev.rnnx.onnx.OnnxExporter;
import dev.rnnx.ref.ReferenceModel;
import dev.rnnx.spec.Activation;
import dev.rnnx.spec.Dense;
import dev.rnnx.spec.ExportSpec;
import dev.rnnx.spec.Loss;
import dev.rnnx.spec.Lstm;
import dev.rnnx.spec.OptimizerKind;
import dev.rnnx.spec.Recipe;
import dev.rnnx.spec.RecipeCodec;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.SineTask;
import dev.rnnx.spec.Tolerances;
import dev.rnnx.spec.TrainingSpec;
import dev.rnnx.tf.Trainer;
import dev.rnnx.tf.TrainingOptions;
import dev.rnnx.tf.TrainingResult;
import dev.rnnx.verify.Backend;
import dev.rnnx.djl.DjlBackend;
import dev.rnnx.verify.ParityInputs;
import dev.rnnx.verify.ParityResult;
import dev.rnnx.verify.ParityVerifier;
import dev.rnnx.verify.ReferenceBackend;
import dev.rnnx.tf.TfJavaBackend;
import dev.rnnx.weights.Provenance;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Java API example of README.md, as written there (2 epochs instead of 20). */
class ReadmeExampleTest {

  @Test
  void readmeExampleRunsAndParityHolds(@TempDir Path dir) throws Exception {
    Path onnxFile = dir.resolve("model.onnx");
    Sequential model = new Sequential("forecaster", 1, List.of(
        Lstm.of("lstm", 20, false),
        new Dense("dense", 1, Activation.LINEAR, true)));
    Recipe recipe = new Recipe("forecaster", "next value of a noisy sine", 42, model,
        new SineTask(25, 2000, 20.0, 0.05, 0.2),
        new TrainingSpec(Loss.MSE, OptimizerKind.ADAM, 0.01, 2, 32),
        new ExportSpec(17, 100), Tolerances.DEFAULT);

    TrainingResult trained = Trainer.train(recipe, TaskData.generate(recipe.data(), recipe.seed()), TrainingOptions.defaults());
    Provenance provenance = new Provenance(recipe.name(), RecipeCodec.write(recipe), recipe.seed(),
        Provenance.libraryVersions(), Map.of("final_loss", trained.finalLoss()));
    OnnxExporter.write(OnnxExporter.export(model, trained.weights(), 17, provenance).get("model"), onnxFile);

    try (Backend ort = DjlBackend.onnx(onnxFile);
        Backend tf = TfJavaBackend.build(model, trained.weights(), "model")) {
      ParityResult parity = ParityVerifier.verify(
          new ReferenceBackend(new ReferenceModel(model, trained.weights())),
          List.of(ort, tf),
          ParityInputs.standard(model, recipe.trainingLength(), recipe.seed()),
          Tolerances.DEFAULT);
      assertTrue(parity.passed(), parity.table());
      assertTrue(trained.finalValidationLoss() < 0.01, "validation MSE " + trained.finalValidationLoss());
    }
  }
}
