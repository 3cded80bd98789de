package dev.rnnx.decode;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Seq2Seq;
import dev.rnnx.spec.Tensor;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A {@link Decoder} over any backend's {@code decoder_step_cached} form, one source sequence at
 * batch size 1: the {@code decoder_cross_cache} form's outputs for that source are computed once
 * (by the caller) and fed at every step; the state is the self-attention cache, {@code past_key_i}
 * and {@code past_value_i} ({@code [1, heads, t, head_dim]}, empty before BOS), replaced by the
 * step's {@code present_key_i} and {@code present_value_i}. The same tokens as {@link FormDecoder}
 * over {@code decoder_step}, each step reading one token instead of the whole prefix. One row of
 * {@link BatchFormDecoder#cached}, one call per step.
 */
public final class CachedFormDecoder implements Decoder<Map<String, FloatTensor>> {

  private final BatchFormDecoder batch;

  /**
   * @param spec a Transformer seq2seq model
   * @param step the backend's {@code decoder_step_cached} form
   * @param crossCache the {@code decoder_cross_cache} form's outputs for this one source ({@code [1, heads, S, head_dim]} each)
   * @param sourceLength its source length
   * @throws IllegalArgumentException for a recurrent model or a cross cache that misses a layer
   */
  public CachedFormDecoder(Seq2Seq spec, Function<Map<String, Tensor>, Map<String, FloatTensor>> step,
      Map<String, FloatTensor> crossCache, long sourceLength) {
    this.batch = BatchFormDecoder.cached(spec, step, crossCache, new long[] {sourceLength});
  }

  @Override
  @SuppressWarnings("unchecked")
  public Map<String, FloatTensor> start() {
    return (Map<String, FloatTensor>) batch.start(0);
  }

  @Override
  @SuppressWarnings("unchecked")
  public Step<Map<String, FloatTensor>> step(Map<String, FloatTensor> state, int token) {
    Step<Object> s = batch.step(new int[] {0}, List.of(state), new int[] {token}).get(0);
    return new Step<>(s.logProbs(), (Map<String, FloatTensor>) s.state());
  }
}
