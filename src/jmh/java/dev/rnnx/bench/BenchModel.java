package dev.rnnx.bench;

import dev.rnnx.spec.Bidirectional;
import dev.rnnx.spec.Cell;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Gru;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.Lstm;
import dev.rnnx.spec.MergeMode;
import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.ModelInput;
import dev.rnnx.spec.ModelSpec;
import dev.rnnx.spec.RnnDecoder;
import dev.rnnx.spec.RnnEncoder;
import dev.rnnx.spec.Seq2Seq;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.SpecialTokens;
import dev.rnnx.spec.Tensor;
import dev.rnnx.spec.TransformerEncoder;
import dev.rnnx.tf.InitialWeights;
import dev.rnnx.weights.Weights;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The models of the inference benchmarks (issue 5), at fixed shapes, with seeded weights (no
 * training: speed does not depend on the values) and the FLOP count each one's GFLOP/s is
 * computed from. FLOPs count the multiply-adds of matrix products only (2 per multiply-add), as
 * DESIGN.md's formulas do: per time step and sequence, LSTM {@code 8H(I+H)}, GRU {@code 6H(I+H)};
 * biases, activations, softmax and normalisation are left out.
 */
public enum BenchModel {

  /** One LSTM layer, I=64, H=256, T=50, returning the whole sequence {@code [B, 50, 256]}. */
  LSTM("lstm", "LSTM I=64 H=256 T=50, return_sequences"),
  /** One GRU layer (reset_after, ONNX linear_before_reset=1) of the same shape. */
  GRU("gru", "GRU I=64 H=256 T=50 (reset_after), return_sequences"),
  /** Two bidirectional LSTM layers (concat), I=64, H=256 per direction, T=50. */
  BILSTM2("bilstm2", "2-layer bidirectional LSTM I=64 H=256 T=50, concat"),
  /** One Transformer encoder block, d=128, 4 heads, feed-forward 512, T=64. */
  TRANSFORMER("transformer", "Transformer encoder block d=128, 4 heads, ff=512, T=64"),
  /** LSTM encoder-decoder (H=256, E=64, vocabularies 64), source 30, greedy decode of 30 tokens. */
  SEQ2SEQ("seq2seq", "seq2seq LSTM H=256 E=64 V=64, source 30, greedy decode of 30 tokens");

  /** Input features of the recurrent models. */
  public static final int I = 64;
  /** Hidden units of every recurrent layer. */
  public static final int H = 256;
  /** Time steps of the recurrent models. */
  public static final int T = 50;
  /** The Transformer's model width. */
  public static final int D = 128;
  /** The Transformer's heads. */
  public static final int HEADS = 4;
  /** The Transformer's feed-forward width. */
  public static final int FF = 512;
  /** The Transformer's sequence length. */
  public static final int T_TRANSFORMER = 64;
  /** The seq2seq model's vocabularies (source and target). */
  public static final int VOCABULARY = 64;
  /** The seq2seq model's embedding width. */
  public static final int E = 64;
  /** The seq2seq source length. */
  public static final int SOURCE = 30;
  /** Tokens the seq2seq greedy decode produces. */
  public static final int DECODE = 30;
  /** The seed of every benchmark model's weights and inputs. */
  public static final long SEED = 5;

  private final String id;
  private final String description;

  BenchModel(String id, String description) {
    this.id = id;
    this.description = description;
  }

  /** The name used in JMH parameters and tables. */
  public String id() {
    return id;
  }

  /** One line saying what the model is. */
  public String description() {
    return description;
  }

  /** The model by its {@link #id()}. */
  public static BenchModel of(String id) {
    for (BenchModel m : values()) {
      if (m.id.equals(id.toLowerCase(Locale.ROOT))) {
        return m;
      }
    }
    throw new IllegalArgumentException("unknown benchmark model '" + id + "', expected one of "
        + Arrays.stream(values()).map(BenchModel::id).toList());
  }

  /** The model's spec. */
  public ModelSpec spec() {
    return switch (this) {
      case LSTM -> new Sequential("bench-lstm", ModelInput.ofFeatures(I),
          List.of(Lstm.builder("lstm", H).returnSequences(true).build()));
      case GRU -> new Sequential("bench-gru", ModelInput.ofFeatures(I),
          List.of(Gru.builder("gru", H).resetAfter(true).returnSequences(true).build()));
      case BILSTM2 -> new Sequential("bench-bilstm2", ModelInput.ofFeatures(I), List.of(
          new Bidirectional("bi1", Lstm.builder("inner", H).returnSequences(true).build(), MergeMode.CONCAT),
          new Bidirectional("bi2", Lstm.builder("inner", H).returnSequences(true).build(), MergeMode.CONCAT)));
      case TRANSFORMER -> new Sequential("bench-transformer", ModelInput.ofFeatures(D),
          List.of(new TransformerEncoder("block", HEADS, FF, 1e-5, false)));
      case SEQ2SEQ -> new Seq2Seq("bench-seq2seq", VOCABULARY, VOCABULARY, E, new RnnEncoder(Cell.LSTM, H),
          new RnnDecoder(Cell.LSTM, H, null, 0), SOURCE, DECODE);
    };
  }

  /** The form each benchmark call runs: the model itself, or the seq2seq greedy decoder. */
  public String form() {
    return this == SEQ2SEQ ? ModelForm.GREEDY_DECODER : ModelForm.MODEL;
  }

  /**
   * Seeded weights: the spec's own initialisers; the seq2seq output bias of EOS is set to −100 so
   * that greedy decoding never stops early and every call decodes exactly {@link #DECODE} tokens.
   */
  public Weights weights() {
    Weights w = InitialWeights.generate(spec(), SEED);
    if (this != SEQ2SEQ) {
      return w;
    }
    Map<String, FloatTensor> tensors = new LinkedHashMap<>(w.tensors());
    FloatTensor bias = tensors.get("output/bias");
    float[] b = bias.data().clone();
    b[SpecialTokens.EOS] = -100f;
    tensors.put("output/bias", new FloatTensor(bias.shape(), b));
    return new Weights(tensors);
  }

  /** Seeded inputs of one call at {@code batch}: Gaussian features, or source ids with full lengths. */
  public Map<String, Tensor> inputs(int batch) {
    Random random = new Random(SEED * 31 + batch);
    Map<String, Tensor> in = new LinkedHashMap<>();
    if (this == SEQ2SEQ) {
      long[] ids = new long[batch * SOURCE];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = SpecialTokens.FIRST_TEXT + random.nextInt(VOCABULARY - SpecialTokens.FIRST_TEXT);
      }
      long[] lengths = new long[batch];
      Arrays.fill(lengths, SOURCE);
      in.put("source", LongTensor.of(ids, batch, SOURCE));
      in.put("source_lengths", LongTensor.of(lengths, batch));
      return in;
    }
    int steps = this == TRANSFORMER ? T_TRANSFORMER : T;
    int features = this == TRANSFORMER ? D : I;
    float[] x = new float[batch * steps * features];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) random.nextGaussian();
    }
    in.put(Sequential.INPUT, FloatTensor.of(x, batch, steps, features));
    return in;
  }

  /** The output shape of one call at {@code batch}. */
  public long[] outputShape(int batch) {
    return switch (this) {
      case LSTM, GRU -> new long[] {batch, T, H};
      case BILSTM2 -> new long[] {batch, T, 2L * H};
      case TRANSFORMER -> new long[] {batch, T_TRANSFORMER, D};
      case SEQ2SEQ -> new long[] {batch, DECODE};
    };
  }

  /** FLOPs of one sequence (matrix products only, 2 per multiply-add). */
  public long flopsPerSequence() {
    return switch (this) {
      case LSTM -> lstm(I, H) * T;
      case GRU -> 6L * H * (I + H) * T;
      case BILSTM2 -> 2 * lstm(I, H) * T + 2 * lstm(2 * H, H) * T;
      case TRANSFORMER -> {
        long t = T_TRANSFORMER;
        long projections = 4 * 2 * t * D * D; // Q, K, V, output
        long attention = 2 * (2 * t * t * D); // Q·Kᵀ and A·V over all heads
        long feedForward = 2 * (2 * t * D * FF);
        yield projections + attention + feedForward;
      }
      case SEQ2SEQ -> lstm(E, H) * SOURCE + (lstm(E, H) + 2L * H * VOCABULARY) * DECODE;
    };
  }

  /** FLOPs of one call at {@code batch}. */
  public long flops(int batch) {
    return flopsPerSequence() * batch;
  }

  private static long lstm(int in, int units) {
    return 8L * units * (in + units);
  }
}
