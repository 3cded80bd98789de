/**
 * Parity: the same seeded inputs through every backend, compared elementwise with Polygraphy's
 * rule, summarised per output and backend pair, printed and written as JSON.
 */
package dev.rnnx.verify;
