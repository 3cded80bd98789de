package dev.rnnx.data;

/**
 * A task's examples divided into training and validation sets.
 *
 * @param train examples to fit
 * @param validation held-out examples
 */
public record Split(Dataset train, Dataset validation) {}
