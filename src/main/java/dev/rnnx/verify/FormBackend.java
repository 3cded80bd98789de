package dev.rnnx.verify;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Tensor;
import java.util.Map;
import java.util.function.Function;

/**
 * A backend made of one model form's run function, e.g. a {@code tf.TfForm}, a DJL model of
 * {@code <form>.onnx}, or a {@code ref.ReferenceForm}.
 */
public final class FormBackend implements Backend {

  private final String name;
  private final Function<Map<String, ? extends Tensor>, Map<String, FloatTensor>> run;
  private final AutoCloseable resource;

  /**
   * @param name report name ({@code ref}, {@code tf-java}, {@code djl-ort}, {@code djl-tf})
   * @param run computes the form's outputs
   * @param resource closed with the backend, or null
   */
  public FormBackend(String name, Function<Map<String, ? extends Tensor>, Map<String, FloatTensor>> run, AutoCloseable resource) {
    this.name = name;
    this.run = run;
    this.resource = resource;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Map<String, FloatTensor> run(Map<String, ? extends Tensor> inputs) {
    return run.apply(inputs);
  }

  @Override
  public void close() {
    if (resource != null) {
      try {
        resource.close();
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException("closing backend " + name + ": " + e.getMessage(), e);
      }
    }
  }
}
