package dev.rnnx.spec;

import java.util.List;

/**
 * A whole model a recipe trains: a {@link Sequential} stack, an encoder-decoder {@link Seq2Seq}, or
 * a {@link Word2Vec} embedding model, or a {@link Graph} of layers with several inputs and outputs.
 * Every backend handles each kind.
 */
public sealed interface ModelSpec permits Sequential, Seq2Seq, Word2Vec, Graph {

  /** The model's name. */
  String name();

  /** The kind as written in recipes: {@code sequential}, {@code seq2seq} or {@code word2vec}. */
  String kind();

  /** Every trainable parameter, in the canonical layout. */
  List<ParameterSpec> parameters();

  /** The forms this model is exported in, with their inputs and outputs. */
  List<ModelForm> forms();

  /**
   * One form by name.
   *
   * @throws IllegalArgumentException naming the known forms
   */
  default ModelForm form(String name) {
    return forms().stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow(() -> new IllegalArgumentException(
        "model '" + name() + "' has no form '" + name + "', expected one of " + forms().stream().map(ModelForm::name).toList()));
  }

  /** The total number of trainable scalars. */
  default long parameterCount() {
    return parameters().stream().mapToLong(ParameterSpec::size).sum();
  }
}
