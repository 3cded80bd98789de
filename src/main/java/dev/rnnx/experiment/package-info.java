/**
 * The seeds' experiments, reproduced: grids of recipe variants over several seeds, with a table
 * and plots of the results. {@code rnnx experiment NAME} runs them.
 */
package dev.rnnx.experiment;
