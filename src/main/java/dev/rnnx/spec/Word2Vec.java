package dev.rnnx.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * word2vec (Mikolov et al., 2013; seed 002): word vectors learnt by predicting words from their
 * neighbours within {@code window} positions. CBOW predicts the centre word from the mean of its
 * context words' vectors; skip-gram predicts each context word from the centre word's vector.
 * The score of a word w for a hidden vector h is {@code h · context[w]} (plus
 * {@code context_bias[w]} with the full softmax). With negative sampling, each true pair is
 * scored by {@code log σ(h · c_w)} and {@code negatives} words drawn from the unigram
 * distribution to the 3/4 power by {@code log σ(−h · c_n)}.
 *
 * <p>Parameters: {@code embeddings [V, D]} (the word vectors), {@code context [V, D]}, and with
 * the full softmax {@code context_bias [V]}. Exported models: {@code embedding} (ids int64 [N] →
 * {@code vectors} [N, D]) and {@code most_similar} (ids int64 [B], {@code k} int64 [1] →
 * {@code indices} int64 [B, k], {@code scores} [B, k], the cosine similarities of the nearest
 * other words by normalised embeddings).
 *
 * @param name model name
 * @param vocabulary word ids 0 … V − 1 (the first four are {@link SpecialTokens})
 * @param dimension vector width D
 * @param architecture CBOW or skip-gram
 * @param window context words on each side
 * @param objective full softmax or negative sampling
 * @param negatives negative samples per true pair (negative sampling only)
 */
public record Word2Vec(String name, int vocabulary, int dimension, Architecture architecture, int window,
    Objective objective, int negatives) implements ModelSpec {

  /** Recipe kind. */
  public static final String KIND = "word2vec";

  /** How context and centre words relate. */
  public enum Architecture {
    /** Continuous bag of words: context → centre. */
    CBOW,
    /** Skip-gram: centre → each context word. */
    SKIP_GRAM;

    /** The recipe name. */
    public String recipeName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** What training maximises. */
  public enum Objective {
    /** The full softmax over the vocabulary. */
    SOFTMAX,
    /** Negative sampling. */
    NEGATIVE_SAMPLING;

    /** The recipe name. */
    public String recipeName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Validates the fields. */
  public Word2Vec {
    Layer.checkName(name);
    if (vocabulary <= SpecialTokens.FIRST_TEXT) {
      throw new IllegalArgumentException("model '" + name + "': vocabulary " + vocabulary + " must exceed the special tokens");
    }
    Layer.checkPositive(name, "dimension", dimension);
    Layer.checkPositive(name, "window", window);
    if (architecture == null || objective == null) {
      throw new IllegalArgumentException("model '" + name + "': architecture and objective are required");
    }
    if (objective == Objective.NEGATIVE_SAMPLING) {
      Layer.checkPositive(name, "negatives", negatives);
    }
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public List<ModelForm> forms() {
    int d = Shape.DYNAMIC;
    TensorSpec ids = new TensorSpec("ids", Shape.of(d), DType.INT64);
    TensorSpec k = new TensorSpec("k", Shape.of(1), DType.INT64);
    InputContract.Input idsIn = new InputContract.Input("ids", DType.INT64, InputContract.axes(ids.shape(), "batch"),
        new InputContract.Ids(vocabulary, "word ids of the vocabulary"));
    InputContract.Input kIn = new InputContract.Input("k", DType.INT64, InputContract.axes(k.shape()),
        new InputContract.Range(1, maxK(), "the words other than the query and the special tokens"));
    return List.of(
        new ModelForm(ModelForm.EMBEDDING, List.of(ids), List.of(new TensorSpec("vectors", Shape.of(d, dimension))),
            new InputContract(List.of(idsIn))),
        new ModelForm(ModelForm.MOST_SIMILAR, List.of(ids, k),
            List.of(new TensorSpec("indices", Shape.of(d, d), DType.INT64), new TensorSpec("scores", Shape.of(d, d))),
            new InputContract(List.of(idsIn, kIn))));
  }

  /** The largest {@code k} {@code most_similar} serves: every word but the query and the special tokens. */
  public int maxK() {
    return vocabulary - SpecialTokens.FIRST_TEXT - 1;
  }

  @Override
  public List<ParameterSpec> parameters() {
    List<ParameterSpec> p = new ArrayList<>();
    p.add(new ParameterSpec("embeddings", new int[] {vocabulary, dimension}));
    p.add(new ParameterSpec("context", new int[] {vocabulary, dimension}));
    if (objective == Objective.SOFTMAX) {
      p.add(new ParameterSpec("context_bias", new int[] {vocabulary}));
    }
    return p;
  }
}
