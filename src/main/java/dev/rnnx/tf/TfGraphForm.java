package dev.rnnx.tf;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.Tensor;
import dev.rnnx.spec.TensorSpec;
import dev.rnnx.weights.Provenance;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Signature;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * A form's forward-only graph with the weights as constants, its session and its signature: one
 * placeholder per input of {@link ModelForm#inputs()} (named as the input, its declared type and
 * shape), one identity per output (named as the output). Inputs are checked in Java first
 * against the form's {@link ModelForm#contract()}.
 */
final class TfGraphForm implements TfForm {

  /** Builds the form's outputs from its inputs. */
  @FunctionalInterface
  interface Body {
    /**
     * @param inputs the placeholders by input name
     * @return every output of the form by name (float32, or int64 for integer outputs)
     */
    Map<String, Operand<?>> build(Graph graph, Ops tf, Map<String, Operand<?>> inputs);
  }

  private final ModelForm form;
  private final LiveGraph live;

  private TfGraphForm(ModelForm form, LiveGraph live) {
    this.form = form;
    this.live = live;
  }

  /**
   * Builds a form's graph and opens its session.
   */
  static TfGraphForm build(String modelName, ModelForm form, Body body) {
    Graph graph = new Graph();
    try {
      Ops tf = Ops.create(graph);
      Signature.Builder signature = Signature.builder().key(TfServingModel.SIGNATURE_KEY);
      Map<String, Operand<?>> inputs = new LinkedHashMap<>();
      for (TensorSpec spec : form.inputs()) {
        Operand<?> placeholder = LiveGraph.placeholder(tf, spec);
        signature.input(spec.name(), placeholder);
        inputs.put(spec.name(), placeholder);
      }
      Map<String, Operand<?>> built = body.build(graph, tf, inputs);
      List<Operand<?>> outputs = new ArrayList<>();
      for (TensorSpec spec : form.outputs()) {
        Operand<?> out = built.get(spec.name());
        if (out == null) {
          throw new IllegalStateException("form '" + form.name() + "' built no output '" + spec.name() + "'");
        }
        Class<?> want = switch (spec.dtype()) {
          case FLOAT32 -> TFloat32.class;
          case INT64 -> TInt64.class;
          case INT32 -> TInt32.class;
        };
        if (out.asOutput().type() != want) {
          throw new IllegalStateException("form '" + form.name() + "' output '" + spec.name() + "' is " + out.asOutput().dataType());
        }
        // an input may share the output's name (a decoder step's states): ops get unique names,
        // the signature keeps the form's names
        Operand<?> named = tf.withName(spec.name()).identity(out);
        outputs.add(named);
        signature.output(spec.name(), named);
      }
      LiveGraph live = new LiveGraph("form '" + form.name() + "' of model '" + modelName + "'", graph, signature.build(),
          form.inputs(), List.copyOf(inputs.values()), form.outputs(), outputs);
      return new TfGraphForm(form, live);
    } catch (RuntimeException | Error e) {
      graph.close();
      throw e;
    }
  }

  @Override
  public ModelForm form() {
    return form;
  }

  @Override
  public Map<String, FloatTensor> run(Map<String, ? extends Tensor> inputs) {
    return live.run(inputs, form.contract()::check);
  }

  @Override
  public void exportSavedModel(Path dir, Provenance provenance) throws IOException {
    live.exportSavedModel(dir, provenance);
  }

  @Override
  public void close() {
    live.close();
  }
}
