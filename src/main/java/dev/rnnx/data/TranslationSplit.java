package dev.rnnx.data;

/**
 * A translation task's examples, divided.
 *
 * @param train examples to fit
 * @param validation held-out examples
 * @param sourceVocabulary source tokens
 * @param targetVocabulary target tokens
 */
public record TranslationSplit(TranslationExamples train, TranslationExamples validation, Vocabulary sourceVocabulary,
    Vocabulary targetVocabulary) {}
