package dev.rnnx.tf;

import dev.rnnx.ref.DoubleTensor;
import dev.rnnx.ref.RefInput;
import dev.rnnx.ref.RefLayers;
import dev.rnnx.spec.Attention;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.GlobalAveragePooling;
import dev.rnnx.spec.Layer;
import dev.rnnx.spec.LayerNormalization;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.ModelInputs;
import dev.rnnx.spec.MultiHeadAttention;
import dev.rnnx.spec.PositionalEncoding;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.Tensor;
import dev.rnnx.spec.TransformerEncoder;
import dev.rnnx.weights.Weights;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the parity tests of issue 4's models compare against: a double-precision forward written
 * in these tests (the attention family in {@link OracleMath}, the seq2seq and word2vec forms in
 * {@link Seq2SeqOracle} and {@link Word2VecOracle}), while the official {@code ref} forwards of
 * those kinds are being written. The earlier kinds go through {@code ref}'s own layer forwards.
 * Switching a family to the official reference is one line in each method below.
 */
final class Oracle {

  private Oracle() {}

  /** A Sequential model's outputs. Official: {@code new ReferenceModel(model, weights).forward(inputs)}. */
  static Map<String, DoubleTensor> sequential(Sequential model, Weights weights, Map<String, ? extends Tensor> inputs) {
    return sequentialHere(model, weights, inputs);
  }

  /** One seq2seq form's outputs. */
  static Map<String, DoubleTensor> seq2seq(dev.rnnx.spec.Seq2Seq model, Weights weights, String form,
      Map<String, ? extends Tensor> inputs) {
    return new Seq2SeqOracle(model, weights).run(form, inputs);
  }

  /** One word2vec form's outputs. */
  static Map<String, DoubleTensor> word2vec(dev.rnnx.spec.Word2Vec model, Weights weights, String form,
      Map<String, ? extends Tensor> inputs) {
    return new Word2VecOracle(model, weights).run(form, inputs);
  }

  private static List<DoubleTensor> layerHere(Layer layer, Weights weights, Map<String, ? extends Tensor> inputs, DoubleTensor x,
      int[] lengths) {
    if (layer instanceof LayerNormalization l) {
      return List.of(OracleMath.from3(OracleMath.layerNorm(OracleMath.to3(x),
          l.scale() ? OracleMath.vec(weights, l.name() + "/gamma") : null, l.center() ? OracleMath.vec(weights, l.name() + "/beta") : null,
          l.epsilon())));
    }
    if (layer instanceof PositionalEncoding p) {
      if (x.dim(1) > p.maxLength()) {
        throw new IllegalArgumentException("longer than max_length");
      }
      return List.of(OracleMath.from3(OracleMath.positions(OracleMath.to3(x), p.scaleInput())));
    }
    if (layer instanceof Attention a) {
      return List.of(OracleMath.from3(OracleMath.selfAttention(weights, a.name(), a.score(), a.causal(), OracleMath.to3(x), lengths)));
    }
    if (layer instanceof MultiHeadAttention m) {
      return List.of(OracleMath.from3(OracleMath.multiHead(weights, m.name(), m.heads(), m.keyDim(), OracleMath.to3(x),
          OracleMath.to3(x), lengths, m.causal())));
    }
    if (layer instanceof TransformerEncoder t) {
      return List.of(OracleMath.from3(OracleMath.encoderBlock(weights, t.name(), t.heads(), t.epsilon(), t.causal(),
          OracleMath.to3(x), lengths)));
    }
    if (layer instanceof GlobalAveragePooling) {
      return List.of(OracleMath.from2(OracleMath.pool(OracleMath.to3(x), lengths)));
    }
    Map<String, DoubleTensor> states = new LinkedHashMap<>();
    for (String s : layer.stateInputNames()) {
      states.put(s, DoubleTensor.of((FloatTensor) inputs.get(Sequential.stateInputName(layer, s))));
    }
    return RefLayers.forward(layer).forward(layer, new RefInput(x, lengths, states), weights);
  }

  private static Map<String, DoubleTensor> sequentialHere(Sequential model, Weights weights, Map<String, ? extends Tensor> inputs) {
    ModelInputs.check(model, inputs);
    Tensor main = inputs.get(Sequential.INPUT);
    DoubleTensor x = main instanceof LongTensor ids ? DoubleTensor.of(ids) : DoubleTensor.of((FloatTensor) main);
    int[] lengths = model.input().lengths() ? ((LongTensor) inputs.get(Sequential.LENGTHS)).toIntArray() : null;
    List<DoubleTensor> outputs = null;
    for (Layer layer : model.layers()) {
      outputs = layerHere(layer, weights, inputs, x, lengths);
      x = outputs.get(0);
    }
    Map<String, DoubleTensor> named = new LinkedHashMap<>();
    for (int i = 0; i < outputs.size(); i++) {
      named.put(model.outputs().get(i).name(), outputs.get(i));
    }
    return named;
  }
}
