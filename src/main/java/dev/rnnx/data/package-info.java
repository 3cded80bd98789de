/**
 * The seed tasks' data, generated deterministically from a seed: nothing is downloaded. Sequence
 * tasks give a {@link dev.rnnx.data.Split} of {@link dev.rnnx.data.Dataset}s; the dates task
 * ({@link dev.rnnx.data.Dates}) a {@link dev.rnnx.data.TranslationSplit}; the grammar corpus
 * ({@link dev.rnnx.data.GrammarCorpus}) a {@link dev.rnnx.data.Corpus}; all through
 * {@link dev.rnnx.data.TaskData}. {@link dev.rnnx.data.Vocabulary} maps tokens to ids (the special
 * tokens first) and {@link dev.rnnx.data.Bleu} scores translations (corpus BLEU-4, exact match).
 */
package dev.rnnx.data;
