/**
 * Parity, one path for every model kind: each form's seeded or given inputs through every backend
 * of the closed set {@link dev.rnnx.verify.BackendKind}, compared with Polygraphy's rules,
 * localised, and reported ({@code report.json}, {@code report.html}, {@code junit.xml}, golden
 * sets). This package depends on no engine: native backends are opened through a
 * {@link dev.rnnx.verify.BackendOpener} its caller passes in.
 */
package dev.rnnx.verify;
