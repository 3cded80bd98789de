/**
 * Trained parameters as named float tensors in the canonical (Keras) layout, their safetensors
 * file format, and the provenance every artifact carries.
 */
package dev.rnnx.weights;
