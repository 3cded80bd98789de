package dev.rnnx.tf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.data.Split;
import dev.rnnx.spec.AttentionScore;
import dev.rnnx.spec.Cell;
import dev.rnnx.spec.DType;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.ModelSpec;
import dev.rnnx.spec.Seq2Seq;
import dev.rnnx.spec.Tensor;
import dev.rnnx.spec.TensorSpec;
import dev.rnnx.spec.Word2Vec;
import dev.rnnx.weights.Provenance;
import dev.rnnx.weights.Weights;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Signature;
import org.tensorflow.proto.DataType;

/**
 * Every form of seq2seq (RNN with attention, Transformer) and word2vec models exported as a
 * SavedModel ({@code saved_model/<form>/}), reloaded, and called through its signature with int64
 * and int32 inputs at sizes never seen at build time: the same numbers as the live session.
 */
class FormsSavedModelTest {

  private static final Provenance PROVENANCE = new Provenance("forms", "name: forms\n", 42, Map.of("rnnx", "test"),
      Map.of("final_loss", 0.1));

  static void roundTrip(ModelSpec model, Weights weights, Path dir, Map<String, Map<String, Tensor>> inputsByForm) throws IOException {
    try (TfForms forms = TfForms.build(model, weights)) {
      forms.exportSavedModels(dir, PROVENANCE);
      for (String name : forms.names()) {
        Path formDir = dir.resolve(name);
        assertTrue(Files.isRegularFile(formDir.resolve("saved_model.pb")), name);
        assertTrue(Files.isRegularFile(formDir.resolve(Provenance.SAVED_MODEL_FILE)), name);
        ModelForm form = model.form(name);
        Map<String, Tensor> inputs = inputsByForm.get(name);
        Map<String, FloatTensor> live = forms.form(name).run(inputs);
        try (SavedModelBundle bundle = SavedModelBundle.load(formDir.toString(), TfServingModel.TAG)) {
          Signature signature = bundle.function(TfServingModel.SIGNATURE_KEY).signature();
          assertEquals(Set.copyOf(form.inputs().stream().map(TensorSpec::name).toList()), signature.inputNames(), name);
          assertEquals(Set.copyOf(form.outputs().stream().map(TensorSpec::name).toList()), signature.outputNames(), name);
          for (TensorSpec spec : form.inputs()) {
            assertEquals(dataType(spec.dtype()), signature.getInputs().get(spec.name()).dataType, name + " " + spec.name());
          }
          for (TensorSpec spec : form.outputs()) {
            assertEquals(dataType(spec.dtype()), signature.getOutputs().get(spec.name()).dataType, name + " " + spec.name());
            long[] declared = signature.getOutputs().get(spec.name()).shape.asArray();
            assertArrayEquals(java.util.Arrays.stream(spec.shape().dims()).asLongStream().toArray(), declared, name + " " + spec.name());
          }
          Map<String, org.tensorflow.Tensor> feeds = new HashMap<>();
          try {
            for (TensorSpec spec : form.inputs()) {
              Tensor t = inputs.get(spec.name());
              feeds.put(spec.name(), switch (spec.dtype()) {
                case FLOAT32 -> TfTensors.toNative((FloatTensor) t);
                case INT64 -> TfTensors.toInt64((LongTensor) t);
                case INT32 -> TfTensors.toInt32((LongTensor) t);
              });
            }
            try (Result result = bundle.function(TfServingModel.SIGNATURE_KEY).call(feeds)) {
              for (String out : live.keySet()) {
                FloatTensor loaded = LiveGraph.floats(result.get(out).orElseThrow());
                assertArrayEquals(live.get(out).shape(), loaded.shape(), name + " " + out);
                assertArrayEquals(live.get(out).data(), loaded.data(), 0f, name + " " + out);
              }
            }
          } finally {
            feeds.values().forEach(org.tensorflow.Tensor::close);
          }
        }
      }
    }
  }

  private static DataType dataType(DType t) {
    return switch (t) {
      case FLOAT32 -> DataType.DT_FLOAT;
      case INT64 -> DataType.DT_INT64;
      case INT32 -> DataType.DT_INT32;
    };
  }

  static Map<String, Map<String, Tensor>> seq2seqInputs(Seq2Seq model) {
    Map<String, Map<String, Tensor>> in = new HashMap<>();
    for (ModelForm form : model.forms()) {
      in.put(form.name(), Seq2SeqFixtures.inputs(model, form, 5, 3, 11, 4));
    }
    return in;
  }

  @Test
  void seq2seqFormsRoundTrip(@TempDir Path tmp) throws IOException {
    for (Seq2Seq model : List.of(Seq2SeqFixtures.rnn("lstm_additive", Cell.LSTM, AttentionScore.ADDITIVE),
        Seq2SeqFixtures.transformer("transformer", 2, 2))) {
      roundTrip(model, Seq2SeqFixtures.randomWeights(model, 4, 0.5), tmp.resolve(model.name()), seq2seqInputs(model));
    }
  }

  @Test
  void word2vecFormsRoundTrip(@TempDir Path tmp) throws IOException {
    Word2Vec model = Word2VecTest.model(Word2Vec.Architecture.CBOW, Word2Vec.Objective.SOFTMAX);
    Map<String, Map<String, Tensor>> in = Map.of(
        ModelForm.EMBEDDING, Map.of("ids", LongTensor.of(new long[] {4, 5, 61}, 3)),
        ModelForm.MOST_SIMILAR, Map.of("ids", LongTensor.of(new long[] {4, 5}, 2), "k", LongTensor.of(new long[] {6}, 1)));
    roundTrip(model, Seq2SeqFixtures.randomWeights(model, 4, 0.5), tmp.resolve("w2v"), in);
  }

  @Test
  void dataOfTheWrongKindIsNamed() {
    Seq2Seq model = TranslationFixtures.rnn(Cell.GRU, 4, null);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Trainer.train(
        TranslationFixtures.recipe("r", 1, model, dev.rnnx.spec.OptimizerKind.ADAM, 0.01, 1, 8),
        new Split(TaskFixtures.binaryAddition(4, 4, 1), TaskFixtures.binaryAddition(2, 4, 2)), TrainingOptions.defaults()));
    assertTrue(e.getMessage().contains("trains on a TranslationSplit, got Split"), e.getMessage());
  }
}
