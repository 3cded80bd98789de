/**
 * The oracle: a pure-Java, double-precision forward pass of every layer kind, computed from the
 * canonical weights. It needs no native code, so it can judge every native backend.
 */
package dev.rnnx.ref;
