package dev.rnnx.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecipeCodecTest {

  private static final String MINIMAL = """
      name: t
      seed: 7
      model:
        input_features: 1
        layers:
          - type: lstm
            units: 4
          - type: dense
            units: 1
      data: {task: sine, window: 5, samples: 100}
      training: {loss: mse, optimizer: adam, learning_rate: 0.01, epochs: 2, batch_size: 8}
      """;

  @Test
  void readsTheSineRecipe() {
    Recipe r = RecipeCodec.read(Path.of("models/sine-lstm.yaml"));
    assertEquals("sine-lstm", r.name());
    assertEquals(42, r.seed());
    assertEquals(List.of("lstm", "dense"), r.model().layers().stream().map(Layer::name).toList());
    Lstm lstm = (Lstm) r.model().layers().get(0);
    assertEquals(20, lstm.units());
    assertEquals(Activation.TANH, lstm.activation());
    assertEquals(Activation.SIGMOID, lstm.recurrentActivation());
    assertEquals(25, r.trainingLength());
    assertEquals(17, r.export().opset());
    assertEquals(1e-5, r.tolerances().atol());
    assertEquals(OptimizerKind.ADAM, r.training().optimizer());
  }

  @Test
  void writeThenParseGivesAnEqualRecipe() {
    Recipe r = RecipeCodec.read(Path.of("models/sine-lstm.yaml"));
    assertEquals(r, RecipeCodec.parse(RecipeCodec.write(r), "round-trip"));
  }

  @Test
  void everyLayerKindRoundTripsWithNonDefaultOptions() {
    List<Layer> layers = List.of(
        new Lstm("enc", 6, true, false, Activation.RELU, Activation.TANH, false),
        new Lstm("dec", 3, false, true, Activation.TANH, Activation.SIGMOID, true),
        new Dense("head", 2, Activation.SIGMOID, false));
    // return_state only on the last layer: split into two models to cover every option
    Recipe base = RecipeCodec.parse(MINIMAL, "minimal");
    for (List<Layer> stack : List.of(layers.subList(0, 2), List.of(layers.get(0), layers.get(2)))) {
      Recipe r = new Recipe("kinds", "all kinds", 1, new Sequential("m", 3, stack), base.data(), base.training(),
          base.export(), new Tolerances(1e-4, 0));
      assertEquals(r, RecipeCodec.parse(RecipeCodec.write(r), "round-trip"));
    }
    assertEquals(List.of("dense", "lstm"), RecipeCodec.layerKinds().stream().sorted().toList());
  }

  @Test
  void defaultsLayerNamesKerasStyle() {
    Recipe r = RecipeCodec.parse(MINIMAL.replace("  - type: dense\n      units: 1",
        "  - type: dense\n      units: 1\n    - type: dense\n      units: 1"), "two-dense");
    assertEquals(List.of("lstm", "dense", "dense_1"), r.model().layers().stream().map(Layer::name).toList());
  }

  @Test
  void unknownLayerNamesTheFieldAndTheChoices() {
    RecipeException e = assertThrows(RecipeException.class,
        () -> RecipeCodec.parse(MINIMAL.replace("type: dense", "type: conv2d"), "bad.yaml"));
    assertEquals("model.layers[1].type", e.field());
    assertTrue(e.getMessage().contains("bad.yaml"), e.getMessage());
    assertTrue(e.getMessage().contains("conv2d") && e.getMessage().contains("[dense, lstm]"), e.getMessage());
  }

  @Test
  void missingFieldIsNamed() {
    RecipeException e = assertThrows(RecipeException.class,
        () -> RecipeCodec.parse(MINIMAL.replace("epochs: 2, ", ""), "bad.yaml"));
    assertEquals("training.epochs", e.field());
    assertTrue(e.getMessage().contains("missing"), e.getMessage());
  }

  @Test
  void mistypedFieldIsNamed() {
    RecipeException e = assertThrows(RecipeException.class,
        () -> RecipeCodec.parse(MINIMAL.replace("units: 4", "units: four"), "bad.yaml"));
    assertEquals("model.layers[0].units", e.field());
    assertTrue(e.getMessage().contains("expected an integer"), e.getMessage());
  }

  @Test
  void negativeSizeIsRefused() {
    RecipeException e = assertThrows(RecipeException.class,
        () -> RecipeCodec.parse(MINIMAL.replace("units: 4", "units: -4"), "bad.yaml"));
    assertTrue(e.getMessage().contains("units is -4, expected a positive integer"), e.getMessage());
    assertTrue(e.field().startsWith("model.layers[0]"), e.field());
  }

  @Test
  void misspeltFieldIsRefused() {
    RecipeException e = assertThrows(RecipeException.class,
        () -> RecipeCodec.parse(MINIMAL.replace("batch_size", "batchsize"), "bad.yaml"));
    assertEquals("training.batch_size", e.field());
    assertTrue(e.getMessage().contains("[batchsize]"), e.getMessage());
    e = assertThrows(RecipeException.class,
        () -> RecipeCodec.parse(MINIMAL.replace("seed: 7", "seed: 7\nseeed: 8"), "bad.yaml"));
    assertEquals("seeed", e.field());
  }

  @Test
  void malformedYamlAndMissingFile(@TempDir Path dir) throws Exception {
    RecipeException e = assertThrows(RecipeException.class, () -> RecipeCodec.parse("name: [unclosed", "broken.yaml"));
    assertTrue(e.getMessage().startsWith("broken.yaml: is not valid YAML"), e.getMessage());
    Path missing = dir.resolve("nope.yaml");
    e = assertThrows(RecipeException.class, () -> RecipeCodec.read(missing));
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    Path list = dir.resolve("list.yaml");
    Files.writeString(list, "- 1\n- 2\n");
    e = assertThrows(RecipeException.class, () -> RecipeCodec.read(list));
    assertTrue(e.getMessage().contains("expected a mapping"), e.getMessage());
  }

  @Test
  void stateFromAMiddleLayerIsRefused() {
    RecipeException e = assertThrows(RecipeException.class,
        () -> RecipeCodec.parse(MINIMAL.replace("units: 4", "units: 4\n      return_state: true"), "bad.yaml"));
    assertTrue(e.getMessage().contains("only the last layer"), e.getMessage());
  }

  @Test
  void denseAfterAnLstmWithoutSequencesCannotFeedAnotherLstm() {
    RecipeException e = assertThrows(RecipeException.class, () -> RecipeCodec.parse(
        MINIMAL.replace("  - type: dense\n      units: 1", "  - type: lstm\n      units: 2"), "bad.yaml"));
    assertTrue(e.getMessage().contains("expects a sequence input"), e.getMessage());
  }
}
