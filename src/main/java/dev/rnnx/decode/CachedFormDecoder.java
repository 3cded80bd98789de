package dev.rnnx.decode;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.Seq2Seq;
import dev.rnnx.spec.Tensor;
import dev.rnnx.spec.TensorSpec;
import dev.rnnx.spec.TransformerStack;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A {@link Decoder} over any backend's {@code decoder_step_cached} form, one source sequence at
 * batch size 1: the {@code decoder_cross_cache} form's outputs for that source are computed once
 * (by the caller) and fed at every step; the state is the self-attention cache, {@code past_key_i}
 * and {@code past_value_i} ({@code [1, heads, t, head_dim]}, empty before BOS), replaced by the
 * step's {@code present_key_i} and {@code present_value_i}. The same tokens as {@link FormDecoder}
 * over {@code decoder_step}, each step reading one token instead of the whole prefix.
 */
public final class CachedFormDecoder implements Decoder<Map<String, FloatTensor>> {

  private final Function<Map<String, Tensor>, Map<String, FloatTensor>> step;
  private final Map<String, FloatTensor> cross;
  private final LongTensor sourceLength;
  private final Map<String, FloatTensor> start;

  /**
   * @param spec a Transformer seq2seq model
   * @param step the backend's {@code decoder_step_cached} form
   * @param crossCache the {@code decoder_cross_cache} form's outputs for this one source ({@code [1, heads, S, head_dim]} each)
   * @param sourceLength its source length
   * @throws IllegalArgumentException for a recurrent model or a cross cache that misses a layer
   */
  public CachedFormDecoder(Seq2Seq spec, Function<Map<String, Tensor>, Map<String, FloatTensor>> step,
      Map<String, FloatTensor> crossCache, long sourceLength) {
    if (!(spec.decoder() instanceof TransformerStack dec)) {
      throw new IllegalArgumentException("model '" + spec.name() + "': a key-value cache needs a Transformer decoder");
    }
    this.step = step;
    this.cross = new LinkedHashMap<>();
    Map<String, FloatTensor> empty = new LinkedHashMap<>();
    for (TensorSpec in : spec.form(ModelForm.DECODER_STEP_CACHED).inputs()) {
      if (in.name().startsWith("cross_")) {
        FloatTensor c = crossCache.get(in.name());
        if (c == null) {
          throw new IllegalArgumentException("cross-attention cache: no '" + in.name() + "' among " + crossCache.keySet());
        }
        cross.put(in.name(), c);
      } else if (in.name().startsWith("past_")) {
        empty.put(in.name(), new FloatTensor(new long[] {1, dec.heads(), 0, spec.embeddingDim() / dec.heads()}, new float[0]));
      }
    }
    this.sourceLength = LongTensor.of(new long[] {sourceLength}, 1);
    this.start = Map.copyOf(empty);
  }

  @Override
  public Map<String, FloatTensor> start() {
    return start;
  }

  @Override
  public Step<Map<String, FloatTensor>> step(Map<String, FloatTensor> state, int token) {
    Map<String, Tensor> in = new LinkedHashMap<>();
    in.put("token", LongTensor.of(new long[] {token}, 1));
    in.put("source_lengths", sourceLength);
    in.putAll(cross);
    in.putAll(state);
    Map<String, FloatTensor> out = step.apply(in);
    Map<String, FloatTensor> next = new LinkedHashMap<>();
    for (String name : state.keySet()) {
      next.put(name, out.get("present_" + name.substring("past_".length())));
    }
    FloatTensor lp = out.get("log_probs");
    double[] logProbs = new double[lp.size()];
    for (int i = 0; i < logProbs.length; i++) {
      logProbs[i] = lp.data()[i];
    }
    return new Step<>(logProbs, next);
  }
}
