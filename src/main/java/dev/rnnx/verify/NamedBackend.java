package dev.rnnx.verify;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Tensor;
import java.util.Map;

/**
 * A backend under another report name, e.g. {@code djl-ort[fp16]} for {@code djl-ort} on a
 * model's fp16 variant; closing it closes the backend it wraps.
 */
final class NamedBackend implements Backend {

  private final Backend backend;
  private final String name;

  NamedBackend(Backend backend, String name) {
    this.backend = backend;
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Map<String, FloatTensor> run(Map<String, ? extends Tensor> inputs) {
    return backend.run(inputs);
  }

  @Override
  public void close() {
    backend.close();
  }
}
