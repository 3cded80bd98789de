package dev.rnnx.ref;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.ModelSpec;
import dev.rnnx.spec.ParameterSpec;
import dev.rnnx.spec.Seq2Seq;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.Word2Vec;
import dev.rnnx.weights.Weights;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The single entry point to the reference for any {@link ModelSpec}: every form the model is
 * exported in ({@link ModelSpec#forms()}), by name, as a {@link ReferenceForm}. A sequential
 * model's {@code model} form is {@link ReferenceModel}; a seq2seq model's forms are
 * {@link RefSeq2Seq}'s; word2vec's are {@link RefWord2Vec}'s.
 */
public final class ReferenceForms {

  private ReferenceForms() {}

  /**
   * The reference of every form of a model.
   *
   * @return the forms by name, in the model's order
   * @throws IllegalArgumentException when the weights do not fit the model
   */
  public static Map<String, ReferenceForm> of(ModelSpec model, Weights weights) {
    Map<String, ReferenceForm> forms;
    if (model instanceof Sequential s) {
      ReferenceModel m = new ReferenceModel(s, weights);
      forms = new LinkedHashMap<>();
      forms.put(ModelForm.MODEL, m::forward);
    } else if (model instanceof Seq2Seq s) {
      forms = new RefSeq2Seq(s, weights).forms();
    } else {
      forms = new RefWord2Vec((Word2Vec) model, weights).forms();
    }
    List<String> declared = model.forms().stream().map(ModelForm::name).toList();
    if (!declared.equals(List.copyOf(forms.keySet()))) {
      throw new IllegalStateException("model '" + model.name() + "' declares forms " + declared + ", the reference has "
          + forms.keySet());
    }
    return Collections.unmodifiableMap(forms);
  }

  /**
   * One form of a model.
   *
   * @throws IllegalArgumentException naming the known forms
   */
  public static ReferenceForm form(ModelSpec model, Weights weights, String name) {
    model.form(name);
    return of(model, weights).get(name);
  }

  /**
   * Checks that the weights hold exactly the model's parameters, with their shapes and finite values.
   *
   * @return the weights
   * @throws IllegalArgumentException naming the first parameter that does not match
   */
  public static Weights checkFits(ModelSpec model, Weights weights) {
    if (model instanceof Sequential s) {
      return weights.checkFits(s);
    }
    List<ParameterSpec> specs = model.parameters();
    for (ParameterSpec p : specs) {
      if (!weights.contains(p.name())) {
        throw new IllegalArgumentException("weights lack parameter '" + p.name() + "' of model '" + model.name() + "'");
      }
      FloatTensor t = weights.get(p.name());
      long[] want = Arrays.stream(p.shape()).asLongStream().toArray();
      if (!Arrays.equals(want, t.shape())) {
        throw new IllegalArgumentException("parameter '" + p.name() + "' has shape " + t.shapeString() + ", expected "
            + Arrays.toString(want));
      }
      for (int i = 0; i < t.data().length; i++) {
        if (!Float.isFinite(t.data()[i])) {
          throw new IllegalArgumentException("parameter '" + p.name() + "' holds " + t.data()[i] + " at flat index " + i
              + ", expected finite values");
        }
      }
    }
    if (weights.tensors().size() != specs.size()) {
      List<String> extra = weights.names().stream().filter(n -> specs.stream().noneMatch(p -> p.name().equals(n))).toList();
      throw new IllegalArgumentException("weights hold parameters " + extra + " that model '" + model.name() + "' does not have");
    }
    return weights;
  }
}
