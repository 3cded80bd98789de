package dev.rnnx.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.rnnx.decode.CachedFormDecoder;
import dev.rnnx.decode.Decoder;
import dev.rnnx.decode.FormDecoder;
import dev.rnnx.onnx.OnnxExporter;
import dev.rnnx.ref.RefSeq2Seq;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.ParameterSpec;
import dev.rnnx.spec.Seq2Seq;
import dev.rnnx.spec.SpecialTokens;
import dev.rnnx.spec.Tensor;
import dev.rnnx.spec.TransformerStack;
import dev.rnnx.weights.Provenance;
import dev.rnnx.weights.Weights;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The Transformer decoder's key-value cache (issue 16): generating {@code length} tokens with the
 * reference decoder, without the cache ({@code decoder_step}: the whole prefix rerun at every
 * token) and with it ({@code decoder_step_cached}: one token against the carried keys and values).
 * On {@code ref} ({@code RefSeq2Seq}'s decoders) and on ONNX Runtime (the exported forms through
 * {@link FormDecoder} and {@link CachedFormDecoder}; the memory from the reference encoder).
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

  /** {@code ref} (float64, pure Java) or {@code ort} (the exported ONNX forms on ONNX Runtime, one intra-op thread). */
  @Param({"ref", "ort"})
  public String backend;

  private Decoder<?> decoder;
  private OrtEnvironment env;
  private final Map<String, OrtSession> sessions = new LinkedHashMap<>();
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
    if (backend.equals("ref")) {
      decoder = cache ? ref.cachedDecoder(e, new int[] {20}, 0) : ref.decoder(e, new int[] {20}, 0);
    } else {
      Weights w = weights(spec, 16);
      env = OrtEnvironment.getEnvironment();
      try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
        options.setIntraOpNumThreads(1);
        for (var f : OnnxExporter.export(spec, w, new Provenance(spec.name(), "", 16, Map.of(), Map.of())).entrySet()) {
          sessions.put(f.getKey(), env.createSession(f.getValue().toByteArray(), options));
        }
      } catch (OrtException x) {
        throw new IllegalStateException(x);
      }
      Map<String, FloatTensor> encoded = Map.of("memory", e.memory().toFloat());
      decoder = cache
          ? new CachedFormDecoder(spec, ort(ModelForm.DECODER_STEP_CACHED), ort(ModelForm.DECODER_CROSS_CACHE).apply(
              Map.of("memory", e.memory().toFloat())), 20)
          : new FormDecoder(spec, ort(ModelForm.DECODER_STEP), encoded, 0, 20);
    }
    tokens = new int[length];
    tokens[0] = SpecialTokens.BOS;
    for (int i = 1; i < length; i++) {
      tokens[i] = SpecialTokens.FIRST_TEXT + random.nextInt(15 - SpecialTokens.FIRST_TEXT);
    }
  }

  /** A form on ONNX Runtime as a function of named tensors (float32 and int64/int32 inputs). */
  private Function<Map<String, Tensor>, Map<String, FloatTensor>> ort(String form) {
    OrtSession session = sessions.get(form);
    return in -> {
      Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
      try {
        for (var i : in.entrySet()) {
          long[] shape = i.getValue().shape();
          if (i.getValue() instanceof FloatTensor f) {
            feeds.put(i.getKey(), OnnxTensor.createTensor(env, FloatBuffer.wrap(f.data()), shape));
          } else if (i.getKey().equals("source_lengths")) {
            long[] v = ((LongTensor) i.getValue()).data();
            int[] ints = new int[v.length];
            for (int k = 0; k < v.length; k++) {
              ints[k] = (int) v[k];
            }
            feeds.put(i.getKey(), OnnxTensor.createTensor(env, IntBuffer.wrap(ints), shape));
          } else {
            feeds.put(i.getKey(), OnnxTensor.createTensor(env, LongBuffer.wrap(((LongTensor) i.getValue()).data()), shape));
          }
        }
        Map<String, FloatTensor> out = new LinkedHashMap<>();
        try (OrtSession.Result result = session.run(feeds)) {
          for (var r : result) {
            OnnxTensor t = (OnnxTensor) r.getValue();
            FloatBuffer b = t.getFloatBuffer();
            float[] v = new float[b.remaining()];
            b.get(v);
            out.put(r.getKey(), new FloatTensor(t.getInfo().getShape(), v));
          }
        }
        return out;
      } catch (OrtException x) {
        throw new IllegalStateException(x);
      } finally {
        feeds.values().forEach(OnnxTensor::close);
      }
    };
  }

  @TearDown(Level.Trial)
  public void tearDown() throws OrtException {
    for (OrtSession s : sessions.values()) {
      s.close();
    }
  }

  /** Generates {@code length} tokens' log-probabilities. */
  @Benchmark
  public double[][] generate() {
    return decoder.follow(tokens);
  }
}
