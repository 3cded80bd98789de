package dev.rnnx.bench;

import dev.rnnx.decode.Decoder;
import dev.rnnx.ref.RefSeq2Seq;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.ParameterSpec;
import dev.rnnx.spec.Seq2Seq;
import dev.rnnx.spec.SpecialTokens;
import dev.rnnx.spec.TransformerStack;
import dev.rnnx.weights.Weights;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The Transformer decoder's key-value cache (issue 16): generating {@code length} tokens with the
 * reference decoder, without the cache ({@code decoder_step}: the whole prefix rerun at every
 * token) and with it ({@code decoder_step_cached}: one token against the carried keys and values).
 * The model is dates-transformer's shape (width 48, 4 heads, 2+2 blocks, ff 128) with
 * {@code max_target_length} 256 and seeded random weights, a source of 20 tokens; the tokens read
 * are fixed (teacher forcing), so both paths do the same steps. The score is the time for the whole
 * sequence; divide by {@code length} for the time per generated token (docs/SERVING.md).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 2, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "-Djava.awt.headless=true"})
public class KvCacheBenchmark {

  @Param({"16", "64", "256"})
  public int length;

  @Param({"false", "true"})
  public boolean cache;

  private Decoder<Object> decoder;
  private int[] tokens;

  /** dates-transformer's shape with room for 256 target tokens. */
  static Seq2Seq model() {
    return new Seq2Seq("kv-bench", 45, 15, 48, new TransformerStack(2, 4, 128, 1e-3), new TransformerStack(2, 4, 128, 1e-3), 40,
        256);
  }

  /** Seeded N(0, 0.1²) weights, LayerNorm gains 1. */
  static Weights weights(Seq2Seq model, long seed) {
    Random random = new Random(seed);
    Map<String, FloatTensor> t = new LinkedHashMap<>();
    for (ParameterSpec p : model.parameters()) {
      int n = 1;
      long[] shape = new long[p.shape().length];
      for (int i = 0; i < shape.length; i++) {
        shape[i] = p.shape()[i];
        n *= p.shape()[i];
      }
      float[] v = new float[n];
      for (int i = 0; i < n; i++) {
        v[i] = p.name().endsWith("/gamma") ? 1f : (float) (random.nextGaussian() * 0.1);
      }
      t.put(p.name(), new FloatTensor(shape, v));
    }
    return new Weights(t);
  }

  @Setup(Level.Trial)
  public void setUp() {
    Seq2Seq spec = model();
    RefSeq2Seq ref = new RefSeq2Seq(spec, weights(spec, 16));
    Random random = new Random(3);
    long[] source = new long[20];
    for (int i = 0; i < source.length; i++) {
      source[i] = SpecialTokens.FIRST_TEXT + random.nextInt(45 - SpecialTokens.FIRST_TEXT);
    }
    RefSeq2Seq.Encoded e = ref.encode(LongTensor.of(source, 1, 20), LongTensor.of(new long[] {20}, 1));
    decoder = cache ? ref.cachedDecoder(e, new int[] {20}, 0) : ref.decoder(e, new int[] {20}, 0);
    tokens = new int[length];
    tokens[0] = SpecialTokens.BOS;
    for (int i = 1; i < length; i++) {
      tokens[i] = SpecialTokens.FIRST_TEXT + random.nextInt(15 - SpecialTokens.FIRST_TEXT);
    }
  }

  /** Generates {@code length} tokens' log-probabilities. */
  @Benchmark
  public double[][] generate() {
    return decoder.follow(tokens);
  }
}
