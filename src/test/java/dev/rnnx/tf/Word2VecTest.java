package dev.rnnx.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.data.Corpus;
import dev.rnnx.data.Vocabulary;
import dev.rnnx.ref.DoubleTensor;
import dev.rnnx.spec.Clipping;
import dev.rnnx.spec.ExportSpec;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.GrammarCorpusTask;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.Loss;
import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.OptimizerKind;
import dev.rnnx.spec.Recipe;
import dev.rnnx.spec.Tensor;
import dev.rnnx.spec.Tolerances;
import dev.rnnx.spec.TrainingSpec;
import dev.rnnx.spec.Word2Vec;
import dev.rnnx.weights.Weights;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * word2vec: the served forms against the oracle (ties to the lower id, zero rows, the query and
 * the special ids left out), and every architecture and objective learning a two-class corpus.
 */
class Word2VecTest {

  static final GrammarCorpusTask TASK = new GrammarCorpusTask(100);
  static final Vocabulary VOCABULARY = new Vocabulary(TASK.words().subList(4, TASK.words().size()));
  static final List<String> ANIMALS = GrammarCorpusTask.CLASSES.get("animal");
  static final List<String> FOODS = GrammarCorpusTask.CLASSES.get("food");

  static Word2Vec model(Word2Vec.Architecture architecture, Word2Vec.Objective objective) {
    return new Word2Vec("w2v_" + architecture.recipeName() + "_" + objective.recipeName(), TASK.vocabulary(), 16, architecture, 2,
        objective, 4);
  }

  @Test
  void formsMatchTheOracle() {
    Word2Vec model = model(Word2Vec.Architecture.SKIP_GRAM, Word2Vec.Objective.NEGATIVE_SAMPLING);
    Weights random = Seq2SeqFixtures.randomWeights(model, 3, 0.5);
    Map<String, FloatTensor> t = new LinkedHashMap<>(random.tensors());
    float[] e = t.get("embeddings").data().clone();
    int d = model.dimension();
    java.util.Arrays.fill(e, 7 * d, 8 * d, 0f); // a zero row
    System.arraycopy(e, 5 * d, e, 9 * d, d); // rows 5 and 9 equal: a tie
    t.put("embeddings", new FloatTensor(t.get("embeddings").shape(), e));
    Weights weights = new Weights(t);
    try (TfForms forms = TfForms.build(model, weights)) {
      assertEquals(List.of("embedding", "most_similar"), forms.names());
      Map<String, Tensor> in = Map.of("ids", LongTensor.of(new long[] {0, 4, 7, 61, 9}, 5));
      double error = Expected.maxAbsError(forms.form(ModelForm.EMBEDDING).run(in).get("vectors"),
          Oracle.word2vec(model, weights, ModelForm.EMBEDDING, in).get("vectors"));
      assertEquals(0, error, "vectors are the table's rows");
      for (long k : new long[] {1, 5, 57}) {
        Map<String, Tensor> q = Map.of("ids", LongTensor.of(new long[] {5, 9, 7, 3, 30}, 5), "k", LongTensor.of(new long[] {k}, 1));
        Map<String, FloatTensor> actual = forms.form(ModelForm.MOST_SIMILAR).run(q);
        Map<String, DoubleTensor> expected = Oracle.word2vec(model, weights, ModelForm.MOST_SIMILAR, q);
        assertEquals(0, Expected.maxAbsError(actual.get("indices"), expected.get("indices")), "indices, k=" + k);
        double scores = Expected.maxAbsError(actual.get("scores"), expected.get("scores"));
        assertTrue(scores < 1e-5, "scores, k=" + k + ": " + scores);
        assertEquals(9f, actual.get("indices").data()[0], "word 5's nearest is its twin 9");
        assertEquals(5f, actual.get("indices").data()[(int) k], "word 9's nearest is its twin 5");
        assertEquals(1.0, actual.get("scores").data()[0], 1e-6);
        System.out.printf("most_similar k=%d: indices equal, scores max abs error %.2g%n", k, scores);
      }
      IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class, () -> forms.form(ModelForm.MOST_SIMILAR)
          .run(Map.of("ids", LongTensor.of(new long[] {5}, 1), "k", LongTensor.of(new long[] {58}, 1))));
      assertTrue(tooMany.getMessage().contains("expected 1 … 57"), tooMany.getMessage());
      assertThrows(IllegalArgumentException.class, () -> forms.form(ModelForm.EMBEDDING).run(Map.of("ids",
          LongTensor.of(new long[] {62}, 1))));
    }
  }

  /** "the ANIMAL sleeps" and "a FOOD play": the two classes never share a context. */
  static Corpus twoClassCorpus(int sentences, long seed) {
    Random random = new Random(seed);
    List<int[]> out = new ArrayList<>();
    for (int i = 0; i < sentences; i++) {
      boolean animal = random.nextBoolean();
      List<String> words = animal ? List.of("the", ANIMALS.get(random.nextInt(8)), "sleeps")
          : List.of("a", FOODS.get(random.nextInt(8)), "play");
      out.add(VOCABULARY.encode(words).ids());
    }
    return new Corpus(out, VOCABULARY);
  }

  static Recipe recipe(Word2Vec model, double lr, int epochs) {
    Loss loss = model.objective() == Word2Vec.Objective.SOFTMAX ? Loss.CATEGORICAL_CROSSENTROPY : Loss.BINARY_CROSSENTROPY;
    return new Recipe("w2v", "", 4, model, TASK, new TrainingSpec(loss, OptimizerKind.ADAM, lr, epochs, 32, Clipping.NONE, false),
        new ExportSpec(17, 100), Tolerances.DEFAULT);
  }

  static Stream<Named<Word2Vec>> models() {
    List<Named<Word2Vec>> all = new ArrayList<>();
    for (Word2Vec.Architecture a : Word2Vec.Architecture.values()) {
      for (Word2Vec.Objective o : Word2Vec.Objective.values()) {
        all.add(Named.of(a.recipeName() + ", " + o.recipeName(), model(a, o)));
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void sameClassWordsEndUpNearest(Word2Vec model) {
    Recipe recipe = recipe(model, 0.02, 8);
    Corpus corpus = twoClassCorpus(400, 1);
    TrainingResult result = Trainer.train(recipe, corpus, TrainingOptions.defaults());
    assertTrue(result.finalLoss() < 0.8 * result.trainLoss().get(0), result.trainLoss().toString());
    assertTrue(Double.isNaN(result.finalValidationLoss()));
    try (TfForms forms = TfForms.build(model, result.weights())) {
      int right = 0;
      int judged = 0;
      for (List<String> cls : List.of(ANIMALS, FOODS)) {
        long[] ids = cls.stream().mapToLong(VOCABULARY::id).toArray();
        FloatTensor nearest = forms.form(ModelForm.MOST_SIMILAR).run(Map.of("ids", LongTensor.of(ids, ids.length),
            "k", LongTensor.of(new long[] {7}, 1))).get("indices");
        for (float id : nearest.data()) {
          right += cls.contains(VOCABULARY.token((int) id)) ? 1 : 0;
          judged++;
        }
        for (int i = 0; i < ids.length; i++) {
          assertTrue(cls.contains(VOCABULARY.token((int) nearest.data()[i * 7])), model.name() + ": nearest of " + cls.get(i));
        }
      }
      System.out.printf("%s: loss %.3f -> %.3f, %.2f s/epoch; of the 7 nearest words of each class word, %d/%d share its class;"
          + " nearest_same_class over the 6 grammar classes %.3f%n", model.name(), result.trainLoss().get(0), result.finalLoss(),
          result.meanEpochSeconds(), right, judged, result.finalMetric("nearest_same_class"));
      assertTrue(right >= 0.9 * judged, right + " of " + judged);
    }
    TrainingResult again = Trainer.train(recipe(model, 0.02, 2), corpus, TrainingOptions.defaults());
    TrainingResult twice = Trainer.train(recipe(model, 0.02, 2), corpus, TrainingOptions.defaults());
    assertEquals(again.weights(), twice.weights(), "a seed gives the same weights, negatives included");
  }

  @Test
  void aResumedRunDrawsTheSameNegatives(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) {
    Word2Vec model = model(Word2Vec.Architecture.CBOW, Word2Vec.Objective.NEGATIVE_SAMPLING);
    Corpus corpus = twoClassCorpus(100, 2);
    TrainingResult whole = Trainer.train(recipe(model, 0.02, 3), corpus, TrainingOptions.defaults());
    Trainer.train(recipe(model, 0.02, 3), corpus, TrainingOptions.builder().checkpointDir(tmp).stopAfterEpochs(1).build());
    TrainingResult resumed = Trainer.train(recipe(model, 0.02, 3), corpus, TrainingOptions.builder().resume(tmp).build());
    assertEquals(whole.weights(), resumed.weights());
    assertEquals(whole.trainLoss(), resumed.trainLoss());
    assertEquals(whole.metrics(), resumed.metrics());
  }

  @Test
  void examplesFollowTheWindowAndSkipSpecialTokens() {
    Vocabulary v = VOCABULARY;
    int[] sentence = {v.id("the"), 3, v.id("cat"), v.id("sleeps"), v.id("near"), 0};
    Corpus corpus = new Corpus(List.of(sentence, new int[] {v.id("dog")}), v);
    Word2VecExamples skip = Word2VecExamples.of(model(Word2Vec.Architecture.SKIP_GRAM, Word2Vec.Objective.SOFTMAX), corpus);
    // "the cat sleeps near" after dropping UNK and PAD, window 2: 2 + 3 + 3 + 2 pairs; "dog" alone makes none
    assertEquals(10, skip.size());
    assertEquals(v.id("the"), skip.inputs()[0]);
    assertEquals(v.id("cat"), skip.targets()[0]);
    Word2VecExamples cbow = Word2VecExamples.of(model(Word2Vec.Architecture.CBOW, Word2Vec.Objective.SOFTMAX), corpus);
    assertEquals(4, cbow.size());
    assertEquals(4, cbow.width());
    assertEquals(v.id("the"), cbow.targets()[0]);
    assertEquals(List.of((long) v.id("cat"), (long) v.id("sleeps"), 0L, 0L),
        java.util.Arrays.stream(cbow.inputs(), 0, 4).boxed().toList());
    assertEquals(List.of(1f, 1f, 0f, 0f), List.of(cbow.mask()[0], cbow.mask()[1], cbow.mask()[2], cbow.mask()[3]));
    // negatives follow counts^0.75: "the", "cat", "sleeps", "near" once each, "dog" once, others never
    Random random = new Random(1);
    int[] drawn = new int[TASK.vocabulary()];
    for (int i = 0; i < 50_000; i++) {
      drawn[(int) skip.negative(random)]++;
    }
    for (int id = 0; id < drawn.length; id++) {
      boolean seen = List.of("the", "cat", "sleeps", "near", "dog").contains(v.token(id));
      if (seen) {
        assertEquals(10_000, drawn[id], 400, v.token(id));
      } else {
        assertEquals(0, drawn[id], v.token(id));
      }
    }
  }
}
