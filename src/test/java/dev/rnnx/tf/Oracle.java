package dev.rnnx.tf;

import dev.rnnx.ref.DoubleTensor;
import dev.rnnx.ref.ReferenceForms;
import dev.rnnx.ref.ReferenceModel;
import dev.rnnx.spec.Seq2Seq;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.Tensor;
import dev.rnnx.spec.Word2Vec;
import dev.rnnx.weights.Weights;
import java.util.Map;

/**
 * What the tf parity tests compare against: the double-precision reference ({@code ref}), itself
 * tied to ONNX's node tests and to hand-built ONNX graphs.
 */
final class Oracle {

  private Oracle() {}

  static Map<String, DoubleTensor> sequential(Sequential model, Weights weights, Map<String, ? extends Tensor> inputs) {
    return new ReferenceModel(model, weights).forward(inputs);
  }

  static Map<String, DoubleTensor> seq2seq(Seq2Seq model, Weights weights, String form, Map<String, ? extends Tensor> inputs) {
    return ReferenceForms.form(model, weights, form).forward(inputs);
  }

  static Map<String, DoubleTensor> word2vec(Word2Vec model, Weights weights, String form, Map<String, ? extends Tensor> inputs) {
    return ReferenceForms.form(model, weights, form).forward(inputs);
  }
}
