package dev.rnnx.spec;

/**
 * A remark {@code rnnx summary} prints under its table for one layer: a heading that layers of a
 * kind share (printed once) and the layer's own line under it.
 *
 * @param heading the sentence the layers of one kind share, e.g. how an LSTM compares with a GRU
 * @param line the layer's own figures, e.g. {@code lstm: 1,944 parameters instead of 2,496}
 */
public record SummaryNote(String heading, String line) {}
