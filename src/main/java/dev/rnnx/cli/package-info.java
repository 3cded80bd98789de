/**
 * The {@code rnnx} command line (picocli). Exit codes: 0 success or parity, 1 parity mismatch,
 * 2 bad input (recipe, path, model file, tensor), 3 an internal or engine failure.
 */
package dev.rnnx.cli;
