package dev.rnnx.experiment;

import dev.rnnx.spec.Recipe;
import java.util.function.UnaryOperator;

/**
 * One row of an experiment grid: a named change to the base recipe.
 *
 * @param name short label for tables and plots
 * @param description what differs from the base, in the seeds' words
 * @param change derives the variant's recipe from the base recipe
 * @param seedReport what the seed notes report for it, or "—"
 */
public record Variant(String name, String description, UnaryOperator<Recipe> change, String seedReport) {}
