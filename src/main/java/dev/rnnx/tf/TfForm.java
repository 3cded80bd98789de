package dev.rnnx.tf;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.Tensor;
import dev.rnnx.weights.Provenance;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * One form of a model ({@link ModelForm}) as a live TensorFlow session: a Sequential model's
 * {@code model} ({@link TfServingModel}), a seq2seq model's {@code training}, {@code encoder},
 * {@code decoder_step} and {@code greedy_decoder}, word2vec's {@code embedding} and
 * {@code most_similar}. Built by {@link TfForms}; thread-safe; closing waits for running calls.
 */
public interface TfForm extends AutoCloseable {

  /** The form's name, inputs and outputs. */
  ModelForm form();

  /**
   * Runs the form.
   *
   * @param inputs every input of {@link ModelForm#inputs()}: floats as {@link FloatTensor}, int32
   *     and int64 inputs as {@link dev.rnnx.spec.LongTensor}
   * @return the outputs named and ordered as {@link ModelForm#outputs()}; integer outputs as float
   *     tensors holding the exact integer values
   * @throws IllegalArgumentException when an input is missing, unknown, misshapen, not finite or
   *     out of range (checked before any native call)
   * @throws IllegalStateException after {@link #close()}
   */
  Map<String, FloatTensor> run(Map<String, ? extends Tensor> inputs);

  /**
   * Writes the form as a SavedModel (tag {@code serve}, signature {@code serving_default}, the
   * form's inputs and outputs with their declared types) with {@code rnnx-provenance.json} beside
   * {@code saved_model.pb}. The folder is built as a temporary sibling and moved into place.
   */
  void exportSavedModel(Path dir, Provenance provenance) throws IOException;

  /** Closes the session and the graph. */
  @Override
  void close();
}
