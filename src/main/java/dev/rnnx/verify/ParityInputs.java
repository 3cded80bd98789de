package dev.rnnx.verify;

import dev.rnnx.onnx.OnnxInterface;
import dev.rnnx.spec.Embedding;
import dev.rnnx.spec.Graph;
import dev.rnnx.spec.GraphInput;
import dev.rnnx.spec.InputContract;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.ModelSpec;
import dev.rnnx.spec.Seq2Seq;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.SpecialTokens;
import dev.rnnx.spec.Tensor;
import dev.rnnx.spec.TensorSpec;
import dev.rnnx.spec.Word2Vec;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Seeded parity inputs for every input a model declares ({@link Sequential#inputs()}): every
 * combination of the given batch sizes and sequence lengths. The same seed gives the same inputs on
 * every machine.
 *
 * <ul>
 *   <li>{@code input}: features drawn from N(0, σ²), or token ids uniform in {@code 0 … V−1}.
 *   <li>{@code lengths}: a batch of one is full length T; a larger batch mixes lengths, always
 *       holding one sequence of length 1 and one of length T, the others uniform in between, at
 *       shuffled positions.
 *   <li>initial states {@code <layer>_<state>0}: N(0, σ²).
 * </ul>
 *
 * σ is 1 for the {@link #standard} grid. The {@link #saturating} grid uses σ = 3, which drives
 * sigmoid and tanh gates into their flat tails, where float32 rounding differences between
 * backends are largest; token ids are not scaled.
 *
 * <p>Every form of every model kind ({@link #forForm}, {@link #formGrid}, {@link #standardForms}):
 *
 * <ul>
 *   <li>seq2seq: {@code source} ids uniform in {@code 0 … V_s−1} at every step (padding included),
 *       {@code source_lengths} mixed as above, {@code target} BOS then ids uniform in
 *       {@code 0 … V_t−1}, {@code token} uniform in {@code 0 … V_t−1}, {@code memory} and the
 *       states N(0, 1); key-value caches N(0, 1), {@code cross_*} over the source steps and
 *       {@code past_*} over the target steps less one (empty at length 1). The requested length sets every source axis (capped at
 *       {@code max_source_length}) and every target axis (capped at {@code max_target_length}).
 *   <li>word2vec: {@code ids} uniform in {@code 0 … V−1}, one per batch entry; {@code k} is the
 *       requested length, capped at {@code V − 5} (the most {@code most_similar} serves).
 *   <li>graph: every input at the requested length (merges of sequences need equal steps), features
 *       N(0, 1) or ids uniform in the smallest vocabulary of the embeddings reading it; lengths 1, the
 *       training length and 4× it.
 * </ul>
 */
public final class ParityInputs {

  /** The standard deviation of the {@link #saturating} grid. */
  public static final double SATURATING_SCALE = 3.0;

  /**
   * The largest {@code k} of the standard {@code most_similar} cases. Beyond it the full ranking of
   * a large vocabulary holds pairs of words whose cosine scores differ by less than float32 noise
   * (about 2e-7): with 2,646 candidates, about one such pair per query, so exact index parity would
   * fail on ties alone.
   */
  public static final int STANDARD_MAX_K = 64;

  private ParityInputs() {}

  /** The default grid: batch sizes 1 and 7, sequence lengths 1, the training length and 4× it; N(0, 1). */
  public static List<ParityCase> standard(Sequential model, int trainingLength, long seed) {
    return grid(model, List.of(1, 7), standardLengths(model, trainingLength), seed);
  }

  /** The standard grid with values drawn from N(0, 3²) (opt-in): gate-saturating magnitudes. */
  public static List<ParityCase> saturating(Sequential model, int trainingLength, long seed) {
    return grid(model, List.of(1, 7), standardLengths(model, trainingLength), seed, SATURATING_SCALE);
  }

  /** Every combination of batch size and sequence length, values from N(0, 1). */
  public static List<ParityCase> grid(Sequential model, List<Integer> batchSizes, List<Integer> lengths, long seed) {
    return grid(model, batchSizes, lengths, seed, 1.0);
  }

  /**
   * Every combination of batch size and sequence length.
   *
   * @param scale the standard deviation of features and initial states
   * @throws IllegalArgumentException for a batch size or length below 1, or a scale that is not
   *     positive and finite
   */
  public static List<ParityCase> grid(Sequential model, List<Integer> batchSizes, List<Integer> lengths, long seed,
      double scale) {
    if (!(scale > 0) || Double.isInfinite(scale)) {
      throw new IllegalArgumentException("parity input scale is " + scale + ", expected a positive finite number");
    }
    List<ParityCase> cases = new ArrayList<>();
    Random random = new Random(seed);
    for (int batch : batchSizes) {
      for (int length : lengths) {
        if (batch < 1 || length < 1) {
          throw new IllegalArgumentException("parity batch size " + batch + " and length " + length + " must both be >= 1");
        }
        String name = "batch" + batch + "_len" + length
            + (scale == 1.0 ? "" : "_sigma" + BigDecimal.valueOf(scale).stripTrailingZeros().toPlainString());
        cases.add(new ParityCase(name, inputs(model, batch, length, random, scale)));
      }
    }
    return cases;
  }

  /**
   * One set of inputs for every declared model input, drawn from {@code random} in the order the
   * model declares them.
   */
  public static Map<String, Tensor> inputs(Sequential model, int batch, int length, Random random, double scale) {
    Map<String, Tensor> inputs = new LinkedHashMap<>();
    for (TensorSpec spec : model.inputs()) {
      String name = spec.name();
      if (name.equals(Sequential.INPUT)) {
        if (model.input().tokens()) {
          int vocabulary = ((Embedding) model.layers().get(0)).inputDim();
          long[] ids = new long[batch * length];
          for (int i = 0; i < ids.length; i++) {
            ids[i] = random.nextInt(vocabulary);
          }
          inputs.put(name, LongTensor.of(ids, batch, length));
        } else {
          inputs.put(name, gaussian(random, scale, batch, length, model.inputFeatures()));
        }
      } else if (name.equals(Sequential.LENGTHS)) {
        inputs.put(name, LongTensor.of(lengths(batch, length, random), batch));
      } else {
        inputs.put(name, gaussian(random, scale, batch, spec.shape().dim(1)));
      }
    }
    return inputs;
  }

  /**
   * Seeded inputs for one form of any model, in the order the form declares them (see the class
   * comment for what each input holds).
   *
   * @param length the time axes' length (capped at the model's limits), or for {@code most_similar} k
   * @throws IllegalArgumentException for a batch size or length below 1, or a form the model lacks
   */
  public static Map<String, Tensor> forForm(ModelSpec model, ModelForm form, int batch, int length, long seed) {
    return forForm(model, form, batch, length, new Random(seed));
  }

  /** {@link #forForm(ModelSpec, ModelForm, int, int, long)} drawing from {@code random}. */
  public static Map<String, Tensor> forForm(ModelSpec model, ModelForm form, int batch, int length, Random random) {
    if (batch < 1 || length < 1) {
      throw new IllegalArgumentException("parity batch size " + batch + " and length " + length + " must both be >= 1");
    }
    model.form(form.name());
    if (model instanceof Sequential s) {
      return inputs(s, batch, length, random, 1.0);
    }
    Map<String, Tensor> inputs = new LinkedHashMap<>();
    if (model instanceof Graph g) { // every input at the same length (merges of sequences need equal steps), or its fixed one
      for (GraphInput in : g.inputs()) {
        Integer vocabulary = g.contract().input(in.name()).rules().stream().filter(r -> r instanceof InputContract.Ids)
            .map(r -> (int) ((InputContract.Ids) r).count()).findFirst().orElse(null);
        int fixed = g.inputTensor(in).shape().dim(1);
        int steps = fixed > 0 ? fixed : length;
        inputs.put(in.name(), in.input().tokens() ? ids(random, vocabulary, false, batch, steps)
            : gaussian(random, 1.0, batch, steps, in.input().features()));
      }
      return inputs;
    }
    if (model instanceof Word2Vec w) {
      for (TensorSpec spec : form.inputs()) {
        if (spec.name().equals("k")) {
          inputs.put("k", LongTensor.of(new long[] {mostSimilarK(w, length)}, 1));
        } else {
          inputs.put(spec.name(), ids(random, w.vocabulary(), false, batch));
        }
      }
      return inputs;
    }
    Seq2Seq s = (Seq2Seq) model;
    int source = sourceSteps(s, length);
    int target = targetSteps(s, length);
    for (TensorSpec spec : form.inputs()) {
      switch (spec.name()) {
        case "source" -> inputs.put("source", ids(random, s.sourceVocabulary(), false, batch, source));
        case "source_lengths" -> inputs.put("source_lengths", LongTensor.of(lengths(batch, source, random), batch));
        case "target" -> inputs.put("target", ids(random, s.targetVocabulary(), true, batch, target));
        case "token" -> inputs.put("token", ids(random, s.targetVocabulary(), false, batch));
        case "memory" -> inputs.put("memory", gaussian(random, 1.0, batch, source, s.memoryWidth()));
        default -> {
          if (spec.shape().rank() == 4) {
            // a key-value cache [B, heads, steps, head_dim]: the source's steps, or the target's before the current token
            int steps = spec.name().startsWith("cross_") ? source : target - 1;
            inputs.put(spec.name(), gaussian(random, 1.0, batch, spec.shape().dim(1), steps, spec.shape().dim(3)));
          } else {
            inputs.put(spec.name(), gaussian(random, 1.0, batch, spec.shape().dim(1)));
          }
        }
      }
    }
    return inputs;
  }

  /**
   * One form's inputs for every combination of batch size and length, named after the axes the
   * form has ({@code batch7_src40_tgt11}, {@code batch1_k5}, …); combinations that give the same
   * inputs once capped appear once.
   */
  public static List<ParityCase> formGrid(ModelSpec model, ModelForm form, List<Integer> batchSizes, List<Integer> lengths,
      long seed) {
    Random random = new Random(seed);
    Map<String, ParityCase> cases = new LinkedHashMap<>();
    for (int batch : batchSizes) {
      for (int length : lengths) {
        String name = caseName(model, form, batch, length);
        if (!cases.containsKey(name)) {
          cases.put(name, new ParityCase(name, forForm(model, form, batch, length, random)));
        }
      }
    }
    return List.copyOf(cases.values());
  }

  /**
   * The default grid of every form, by form name: batch sizes 1 and 7; for a sequential model the
   * {@link #standard} lengths; for seq2seq lengths 1, half the longest limit and the longest (each
   * axis capped at its own limit); for word2vec k = 1 and k = min(V − 5, {@link #STANDARD_MAX_K}).
   */
  public static Map<String, List<ParityCase>> standardForms(ModelSpec model, int trainingLength, long seed) {
    Map<String, List<ParityCase>> grid = new LinkedHashMap<>();
    if (model instanceof Sequential s) {
      grid.put(ModelForm.MODEL, standard(s, trainingLength, seed));
      return grid;
    }
    List<Integer> lengths;
    if (model instanceof Seq2Seq s) {
      int max = Math.max(s.maxSourceLength(), s.maxTargetLength());
      lengths = List.copyOf(new LinkedHashSet<>(List.of(1, (max + 1) / 2, max)));
    } else if (model instanceof Graph) {
      lengths = List.copyOf(new LinkedHashSet<>(List.of(1, trainingLength, 4 * trainingLength)));
    } else {
      lengths = List.copyOf(new LinkedHashSet<>(List.of(1, mostSimilarK((Word2Vec) model, STANDARD_MAX_K))));
    }
    long formSeed = seed;
    for (ModelForm form : model.forms()) {
      grid.put(form.name(), formGrid(model, form, List.of(1, 7), lengths, formSeed++));
    }
    return grid;
  }

  private static String caseName(ModelSpec model, ModelForm form, int batch, int length) {
    StringBuilder name = new StringBuilder("batch" + batch);
    List<String> in = form.inputs().stream().map(TensorSpec::name).toList();
    if (model instanceof Sequential || model instanceof Graph) {
      name.append("_len").append(length);
    } else if (model instanceof Seq2Seq s) {
      if (in.contains("source") || in.contains("memory") || in.contains("cross_key_0")) {
        name.append("_src").append(sourceSteps(s, length));
      }
      if (in.contains("target") || in.contains("past_key_0")) {
        name.append("_tgt").append(targetSteps(s, length));
      }
    } else if (in.contains("k")) {
      name.append("_k").append(mostSimilarK((Word2Vec) model, length));
    }
    return name.toString();
  }

  private static int sourceSteps(Seq2Seq s, int length) {
    return Math.min(length, s.maxSourceLength());
  }

  private static int targetSteps(Seq2Seq s, int length) {
    return Math.min(length, s.maxTargetLength());
  }

  private static int mostSimilarK(Word2Vec w, int length) {
    return Math.min(length, w.vocabulary() - SpecialTokens.FIRST_TEXT - 1);
  }

  /** Ids uniform in {@code 0 … vocabulary−1}; with {@code bosFirst} every row starts with BOS. */
  private static LongTensor ids(Random random, int vocabulary, boolean bosFirst, long... shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    long[] ids = new long[Math.toIntExact(n)];
    long row = shape[shape.length - 1];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = bosFirst && i % row == 0 ? SpecialTokens.BOS : random.nextInt(vocabulary);
    }
    return LongTensor.of(ids, shape);
  }

  /**
   * Mixed sequence lengths for one batch: T for a batch of one; otherwise one sequence of length 1,
   * one of length T and the rest uniform in 1 … T, at shuffled positions.
   */
  public static long[] lengths(int batch, int time, Random random) {
    long[] l = new long[batch];
    if (batch == 1) {
      l[0] = time;
      return l;
    }
    l[0] = 1;
    l[1] = time;
    for (int i = 2; i < batch; i++) {
      l[i] = 1 + random.nextInt(time);
    }
    for (int i = batch - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      long v = l[i];
      l[i] = l[j];
      l[j] = v;
    }
    return l;
  }

  /**
   * The grid {@code rnnx verify} uses: the {@link #standard} grid (batch sizes 1 and 7, lengths 1,
   * T and 4T, which a model trained on length T has never seen, N(0, 1), mixed lengths), then one
   * gate-saturating case (batch 3, length T, N(0, 3²) features and initial states) and one case of
   * zeros (batch 2, length T, every feature and initial state 0; token ids and lengths still drawn).
   */
  public static List<ParityCase> verification(Sequential model, int trainingLength, long seed) {
    List<ParityCase> cases = new ArrayList<>(standard(model, trainingLength, seed));
    Random random = new Random(seed ^ 0x5eedL);
    cases.add(new ParityCase("batch3_len" + trainingLength + "_sigma3",
        inputs(model, 3, trainingLength, random, SATURATING_SCALE)));
    Map<String, Tensor> zeros = new LinkedHashMap<>(inputs(model, 2, trainingLength, random, 1.0));
    zeros.replaceAll((k, v) -> v instanceof FloatTensor f ? FloatTensor.zeros(f.shape()) : v);
    cases.add(new ParityCase("batch2_len" + trainingLength + "_zeros", zeros));
    return cases;
  }

  /**
   * The grid {@code rnnx verify} uses for every form, by form name: a sequential model's
   * {@link #verification} grid, any other model's {@link #standardForms}.
   */
  public static Map<String, List<ParityCase>> verificationForms(ModelSpec model, int trainingLength, long seed) {
    if (model instanceof Sequential s) {
      Map<String, List<ParityCase>> grid = new LinkedHashMap<>();
      grid.put(ModelForm.MODEL, verification(s, trainingLength, seed));
      return grid;
    }
    return standardForms(model, trainingLength, seed);
  }

  /**
   * Seeded inputs for an ONNX graph rnnx knows nothing else about, from its declared inputs
   * ({@link OnnxInterface}): every symbolic dimension is bound per case, a leading one (batch) to
   * 1, 1, 3, 3, 3, 2 and every other to 1, 8, 8, 32, 8, 8, the six cases being N(0, 1) features at
   * {@code [1, 1]}, {@code [1, 8]}, {@code [3, 8]}, {@code [3, 32]}, gate-saturating N(0, 3²) at
   * {@code [3, 8]}, and zeros at {@code [2, 8]}. Integer inputs that a {@code Gather} reads as rows
   * of a table are uniform over its rows; a recurrent node's {@code sequence_lens} mixes lengths in
   * 1 … the case's non-batch size ({@link #lengths}); other integers are 0 or 1.
   *
   * @throws IllegalArgumentException when an input declares no shape or a type rnnx cannot draw
   */
  public static List<ParityCase> forGraph(OnnxInterface graph, long seed) {
    int[][] sizes = {{1, 1}, {1, 8}, {3, 8}, {3, 32}, {3, 8}, {2, 8}};
    double[] scales = {1, 1, 1, 1, SATURATING_SCALE, 0};
    Random random = new Random(seed);
    List<ParityCase> cases = new ArrayList<>();
    Map<String, Integer> symbols = graph.symbols();
    for (int c = 0; c < sizes.length; c++) {
      Map<String, Long> binding = new LinkedHashMap<>();
      for (Map.Entry<String, Integer> s : symbols.entrySet()) {
        binding.put(s.getKey(), (long) (s.getValue() == 0 ? sizes[c][0] : sizes[c][1]));
      }
      Map<String, Tensor> in = new LinkedHashMap<>();
      for (OnnxInterface.Port p : graph.inputs()) {
        long[] shape = OnnxInterface.shapeFor(p, binding);
        int n = Math.toIntExact(java.util.Arrays.stream(shape).reduce(1, (a, b) -> a * b));
        if (p.input().floating()) {
          in.put(p.name(), scales[c] == 0 ? FloatTensor.zeros(shape) : gaussian(random, scales[c], shape));
        } else if (p.input().integer()) {
          long[] v = new long[n];
          if (p.sequenceLengths() && shape.length == 1) {
            v = lengths(n, sizes[c][1], random);
          } else {
            long bound = p.indexRows() > 0 ? p.indexRows() : 2;
            for (int i = 0; i < n; i++) {
              v[i] = (long) (random.nextDouble() * bound);
            }
          }
          in.put(p.name(), new LongTensor(shape, v));
        } else {
          throw new IllegalArgumentException("input '" + p.name() + "' is " + p.input().type() + ", which rnnx cannot draw;"
              + " give inputs with --inputs");
        }
      }
      String suffix = c == 4 ? "_sigma3" : c == 5 ? "_zeros" : "";
      cases.add(new ParityCase("batch" + sizes[c][0] + "_len" + sizes[c][1] + suffix, in));
    }
    return cases;
  }

  /** The model's fixed time length (a Flatten fixes it) where it has one, else 1, T and 4T. */
  private static List<Integer> standardLengths(Sequential model, int trainingLength) {
    int fixed = model.inputs().get(0).shape().dims()[1];
    return fixed > 0 ? List.of(fixed) : standardLengths(trainingLength);
  }

  private static List<Integer> standardLengths(int trainingLength) {
    if (trainingLength < 1) {
      throw new IllegalArgumentException("training length is " + trainingLength + ", expected a positive integer");
    }
    Set<Integer> lengths = new LinkedHashSet<>(List.of(1, trainingLength, 4 * trainingLength));
    return List.copyOf(lengths);
  }

  private static FloatTensor gaussian(Random random, double scale, long... shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    float[] v = new float[Math.toIntExact(n)];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (scale * random.nextGaussian());
    }
    return new FloatTensor(shape, v);
  }
}
