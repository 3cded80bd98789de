package dev.rnnx.ref;

import dev.rnnx.spec.Graph;
import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.ModelSpec;
import dev.rnnx.spec.Seq2Seq;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.Word2Vec;
import dev.rnnx.weights.Weights;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The single entry point to the reference for any {@link ModelSpec}: every form the model is
 * exported in ({@link ModelSpec#forms()}), by name, as a {@link ReferenceForm}. A sequential
 * model's {@code model} form is {@link ReferenceModel}; a seq2seq model's forms are
 * {@link RefSeq2Seq}'s; word2vec's are {@link RefWord2Vec}'s; a graph model's one form is {@link RefGraph}.
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
    } else if (model instanceof Graph g) {
      forms = new LinkedHashMap<>();
      forms.put(ModelForm.MODEL, new RefGraph(g, weights));
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
}
