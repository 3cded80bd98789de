package dev.rnnx.verify;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Tensor;
import java.util.Map;

/**
 * One way of computing a model's outputs: the Java reference, a live TF session, or a model file
 * on a DJL engine. Every backend takes and returns tensors by name.
 */
public interface Backend extends AutoCloseable {

  /** Short name used in reports: {@code ref}, {@code tf-java}, {@code djl-ort}, {@code djl-tf}. */
  String name();

  /**
   * Computes the outputs for one set of inputs.
   *
   * @throws IllegalArgumentException when the inputs do not fit the model
   */
  Map<String, FloatTensor> run(Map<String, ? extends Tensor> inputs);

  /** Releases native resources; the default does nothing. */
  @Override
  default void close() {}
}
