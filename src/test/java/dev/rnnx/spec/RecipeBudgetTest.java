package dev.rnnx.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Recipe budgets: every shipped recipe fits with a margin; a huge one is refused before anything is built. */
class RecipeBudgetTest {

  private static final String SINE = """
      name: big
      seed: 1
      model:
        input: {features: 1}
        layers:
          - {type: lstm, units: UNITS}
          - {type: dense, units: 1, activation: linear}
      data: {task: sine, window: WINDOW, samples: SAMPLES}
      training: {loss: mse, optimizer: adam, learning_rate: 0.01, epochs: EPOCHS, batch_size: 32}
      """;

  private static Recipe sine(long units, long window, long samples, long epochs) {
    return RecipeCodec.parse(SINE.replace("UNITS", "" + units).replace("WINDOW", "" + window)
        .replace("SAMPLES", "" + samples).replace("EPOCHS", "" + epochs), "big.yaml");
  }

  @Test
  void everyShippedRecipeFitsEachDefaultWithAMarginOfTenOrMore() throws IOException {
    List<Path> recipes;
    try (Stream<Path> files = Files.list(Path.of("models"))) {
      recipes = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    }
    assertTrue(recipes.size() >= 10, "recipes found: " + recipes);
    for (Path file : recipes) {
      RecipeBudget b = RecipeBudget.check(RecipeCodec.read(file), file.toString());
      System.out.printf(Locale.ROOT, "%-28s parameters %,12d  activations %,14d  data %,12d  steps %,10d%n",
          file.getFileName(), b.parameters(), b.activations(), b.data(), b.steps());
      assertTrue(b.parameters() * 10 <= Budget.PARAMETERS.defaultLimit(), file + " parameters " + b.parameters());
      assertTrue(b.activations() * 10 <= Budget.ACTIVATIONS.defaultLimit(), file + " activations " + b.activations());
      assertTrue(b.data() * 10 <= Budget.DATA.defaultLimit(), file + " data " + b.data());
      assertTrue(b.steps() * 10 <= Budget.STEPS.defaultLimit(), file + " steps " + b.steps());
    }
  }

  @Test
  void figuresOfASmallRecipeAreExact() {
    RecipeBudget b = RecipeBudget.of(sine(8, 20, 100, 3));
    // lstm: 4·8·(1+8+1) = 320, dense: 8 + 1 = 9
    assertEquals(329, b.parameters());
    // batch 32 × 20 steps × widest 32 (4 × units) × 2 layers
    assertEquals(32L * 20 * 32 * 2, b.activations());
    assertEquals(100L * 20, b.data());
    assertEquals(3L * 4, b.steps()); // ⌈100 / 32⌉ = 4 per epoch
  }

  @Test
  void aMillionUnitsIsRefusedNamingTheLimitAndHowToRaiseIt() {
    BudgetException e = assertThrows(BudgetException.class, () -> RecipeBudget.check(sine(1_000_000, 20, 100, 3), "big.yaml"));
    assertEquals("recipe big.yaml: 4,000,009,000,001 parameters, over the limit of 50,000,000"
        + " (raise it with -Drnnx.budget.parameters=N, e.g. in RNNX_JAVA_OPTS)", e.getMessage());
    assertEquals(Budget.PARAMETERS, e.budget());
  }

  @Test
  void unitsWhoseGateWidthOverflowsAnIntAreRefusedNotWrapped() {
    RecipeException e = assertThrows(RecipeException.class, () -> sine(1_000_000_000, 20, 100, 3));
    assertEquals("big.yaml: field 'model.layers[0]': layer 'lstm': units is 1000000000, expected at most 536870911"
        + " (four gate blocks of units must fit a dimension)", e.getMessage());
  }

  @Test
  void hugeWindowsSamplesAndEpochsAreRefused() {
    assertEquals("recipe big.yaml: 2,048,000,000 activations per batch, over the limit of 200,000,000"
        + " (raise it with -Drnnx.budget.activations=N, e.g. in RNNX_JAVA_OPTS)",
        assertThrows(BudgetException.class, () -> RecipeBudget.check(sine(8, 1_000_000, 100, 3), "big.yaml")).getMessage());
    assertEquals("recipe big.yaml: 2,000,000,000 data values, over the limit of 100,000,000"
        + " (raise it with -Drnnx.budget.data=N, e.g. in RNNX_JAVA_OPTS)",
        assertThrows(BudgetException.class, () -> RecipeBudget.check(sine(8, 20, 100_000_000, 3), "big.yaml")).getMessage());
    assertEquals("recipe big.yaml: 400,000,000 training steps, over the limit of 1,000,000"
        + " (raise it with -Drnnx.budget.steps=N, e.g. in RNNX_JAVA_OPTS)",
        assertThrows(BudgetException.class, () -> RecipeBudget.check(sine(8, 20, 128, 100_000_000), "big.yaml")).getMessage());
  }

  @Test
  void aSystemPropertyRaisesTheLimit() {
    System.setProperty(Budget.PARAMETERS.property(), "5_000_000_000_000");
    System.setProperty(Budget.ACTIVATIONS.property(), "6000000000");
    try {
      assertEquals(4_000_009_000_001L, RecipeBudget.check(sine(1_000_000, 20, 100, 3), "big.yaml").parameters());
      System.setProperty(Budget.PARAMETERS.property(), "lots");
      assertEquals("system property rnnx.budget.parameters is 'lots', expected a positive integer",
          assertThrows(IllegalArgumentException.class, Budget.PARAMETERS::limit).getMessage());
    } finally {
      System.clearProperty(Budget.PARAMETERS.property());
      System.clearProperty(Budget.ACTIVATIONS.property());
    }
  }
}
