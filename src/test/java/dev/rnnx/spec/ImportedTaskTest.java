package dev.rnnx.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The data task of an imported model: its provenance survives the recipe codec; it has no data to train on. */
class ImportedTaskTest {

  static Recipe recipe(ImportedTask task) {
    Sequential m = new Sequential("imported", 2, List.of(Lstm.builder("lstm_1", 3).recurrentActivation(Activation.HARD_SIGMOID_KERAS3)
        .build(), new Dense("dense_1", 4, Activation.SOFTMAX, true)));
    return new Recipe("imported", "", 0, m, task, new TrainingSpec(Loss.MSE, OptimizerKind.ADAM, 0.001, 1, 32),
        new ExportSpec(17, 100), Tolerances.DEFAULT);
  }

  @Test
  void provenanceSurvivesTheRecipeCodec() {
    ImportedTask task = new ImportedTask(12, "model.h5", "ab".repeat(32), "keras-h5", "keras", "2.0.6");
    Recipe r = recipe(task);
    Recipe back = RecipeCodec.parse(RecipeCodec.write(r), "test");
    assertEquals(task, back.data());
    assertEquals(r.model(), back.model());
    assertEquals(12, back.trainingLength());
    assertTrue(RecipeCodec.write(r).contains("hard_sigmoid_keras3"));
  }

  @Test
  void blanksBecomeUnknownAndLengthMustBePositive() {
    ImportedTask t = new ImportedTask(1, null, null, "", null, " ");
    assertEquals("unknown", t.framework());
    assertEquals("unknown", t.frameworkVersion());
    assertEquals("", t.sha256());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ImportedTask(0, "", "", "", "", ""));
    assertEquals("data.length is 0, expected a positive integer", e.getMessage());
  }
}
