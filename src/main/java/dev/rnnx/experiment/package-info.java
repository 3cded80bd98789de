/**
 * The seeds' experiments, reproduced: grids of recipe variants over several seeds, the seq2seq
 * comparison on dates, and seed 001's comparison on its own corpus ({@link
 * dev.rnnx.experiment.TanakaExperiment}, resumable per epoch), with tables and plots of the
 * results. {@code rnnx experiment NAME} runs them.
 */
package dev.rnnx.experiment;
