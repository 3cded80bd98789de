package dev.rnnx.decode;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.RnnDecoder;
import dev.rnnx.spec.Seq2Seq;
import dev.rnnx.spec.Tensor;
import dev.rnnx.spec.TensorSpec;
import dev.rnnx.spec.TransformerStack;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A {@link BatchDecoder} over any backend's {@code decoder_step} or {@code decoder_step_cached}
 * form, for a batch of sources of different lengths padded to one source time: each call feeds
 * every row at once, the per-source tensors (memory, or the cross-attention keys and values)
 * repeated for each row of that source and {@code source_lengths} giving each row its source's
 * length, so that padding is masked as in a batch of one. The same steps as {@link FormDecoder}
 * and {@link CachedFormDecoder}, row by row.
 *
 * <ul>
 *   <li>RNN {@code decoder_step}: a row's state is its {@code state_*} tensors ({@code [1, units]});
 *   <li>Transformer {@code decoder_step}: a row's state is its prefix (BOS first); every row of a
 *       step holds a prefix of the same length, so {@code target} is {@code [rows, t]};
 *   <li>Transformer {@code decoder_step_cached}: a row's state is its self-attention cache
 *       {@code past_key_i}, {@code past_value_i} ({@code [1, heads, t, head_dim]}).
 * </ul>
 */
public final class BatchFormDecoder implements BatchDecoder<Object> {

  private enum Kind { RNN, PREFIX, CACHED }

  private final Kind kind;
  private final Function<Map<String, Tensor>, Map<String, FloatTensor>> step;
  private final Map<String, FloatTensor> perSource;
  private final long[] lengths;
  private final List<Map<String, FloatTensor>> starts;
  private final boolean attends;

  private BatchFormDecoder(Kind kind, Function<Map<String, Tensor>, Map<String, FloatTensor>> step,
      Map<String, FloatTensor> perSource, long[] lengths, List<Map<String, FloatTensor>> starts, boolean attends) {
    this.kind = kind;
    this.step = step;
    this.perSource = perSource;
    this.lengths = lengths.clone();
    this.starts = starts;
    this.attends = attends;
  }

  /**
   * A decoder over the {@code decoder_step} form.
   *
   * @param encoderOutputs the {@code encoder} form's outputs for the batch ({@code memory}
   *     {@code [sources, source_time, width]}, and an RNN's {@code state_*})
   * @param lengths each source's length
   * @throws IllegalArgumentException when the lengths do not match the batch
   */
  public static BatchFormDecoder steps(Seq2Seq spec, Function<Map<String, Tensor>, Map<String, FloatTensor>> step,
      Map<String, FloatTensor> encoderOutputs, long[] lengths) {
    FloatTensor memory = encoderOutputs.get("memory");
    checkBatch(memory, "memory", lengths);
    if (spec.decoder() instanceof RnnDecoder d) {
      List<Map<String, FloatTensor>> starts = new ArrayList<>();
      for (int s = 0; s < lengths.length; s++) {
        Map<String, FloatTensor> state = new LinkedHashMap<>();
        for (String name : d.cell().states()) {
          FloatTensor all = encoderOutputs.get("state_" + name);
          checkBatch(all, "state_" + name, lengths);
          state.put("state_" + name, gather(all, new int[] {s}));
        }
        starts.add(Map.copyOf(state));
      }
      return new BatchFormDecoder(Kind.RNN, step, Map.of("memory", memory), lengths, starts, d.attends());
    }
    return new BatchFormDecoder(Kind.PREFIX, step, Map.of("memory", memory), lengths, List.of(), true);
  }

  /**
   * A decoder over the Transformer's {@code decoder_step_cached} form.
   *
   * @param crossCache the {@code decoder_cross_cache} form's outputs for the batch's memory
   *     ({@code [sources, heads, source_time, head_dim]} each)
   * @param lengths each source's length
   * @throws IllegalArgumentException for a recurrent model, or a cross cache that misses a layer
   *     or does not match the batch
   */
  public static BatchFormDecoder cached(Seq2Seq spec, Function<Map<String, Tensor>, Map<String, FloatTensor>> step,
      Map<String, FloatTensor> crossCache, long[] lengths) {
    if (!(spec.decoder() instanceof TransformerStack dec)) {
      throw new IllegalArgumentException("model '" + spec.name() + "': a key-value cache needs a Transformer decoder");
    }
    Map<String, FloatTensor> cross = new LinkedHashMap<>();
    Map<String, FloatTensor> empty = new LinkedHashMap<>();
    for (TensorSpec in : spec.form(ModelForm.DECODER_STEP_CACHED).inputs()) {
      if (in.name().startsWith("cross_")) {
        FloatTensor c = crossCache.get(in.name());
        if (c == null) {
          throw new IllegalArgumentException("cross-attention cache: no '" + in.name() + "' among " + crossCache.keySet());
        }
        checkBatch(c, in.name(), lengths);
        cross.put(in.name(), c);
      } else if (in.name().startsWith("past_")) {
        empty.put(in.name(), new FloatTensor(new long[] {1, dec.heads(), 0, spec.embeddingDim() / dec.heads()}, new float[0]));
      }
    }
    return new BatchFormDecoder(Kind.CACHED, step, cross, lengths, List.of(Map.copyOf(empty)), true);
  }

  @Override
  public int sources() {
    return lengths.length;
  }

  @Override
  public Object start(int source) {
    return switch (kind) {
      case RNN -> starts.get(source);
      case PREFIX -> new long[0];
      case CACHED -> starts.get(0);
    };
  }

  @Override
  @SuppressWarnings("unchecked")
  public List<Step<Object>> step(int[] sources, List<Object> states, int[] tokens) {
    int rows = tokens.length;
    Map<String, Tensor> in = new LinkedHashMap<>();
    long[] rowLengths = new long[rows];
    for (int i = 0; i < rows; i++) {
      rowLengths[i] = lengths[sources[i]];
    }
    long[][] prefixes = null;
    if (kind == Kind.PREFIX) {
      prefixes = new long[rows][];
      long[] target = null;
      for (int i = 0; i < rows; i++) {
        long[] prefix = (long[]) states.get(i);
        if (target == null) {
          target = new long[rows * (prefix.length + 1)];
        } else if ((prefix.length + 1) * rows != target.length) {
          throw new IllegalArgumentException("prefixes of different lengths in one step: " + (target.length / rows - 1)
              + " and " + prefix.length);
        }
        prefixes[i] = Arrays.copyOf(prefix, prefix.length + 1);
        prefixes[i][prefix.length] = tokens[i];
        System.arraycopy(prefixes[i], 0, target, i * prefixes[i].length, prefixes[i].length);
      }
      in.put("target", LongTensor.of(target, rows, target.length / rows));
    } else {
      long[] t = new long[rows];
      for (int i = 0; i < rows; i++) {
        t[i] = tokens[i];
      }
      in.put("token", LongTensor.of(t, rows));
    }
    if (kind != Kind.PREFIX) {
      for (String name : ((Map<String, FloatTensor>) states.get(0)).keySet()) {
        List<FloatTensor> parts = new ArrayList<>(rows);
        states.forEach(s -> parts.add(((Map<String, FloatTensor>) s).get(name)));
        in.put(name, concat(parts));
      }
    }
    if (attends) {
      perSource.forEach((name, all) -> in.put(name, gather(all, sources)));
      in.put("source_lengths", LongTensor.of(rowLengths, rows));
    }
    Map<String, FloatTensor> out = step.apply(in);
    FloatTensor lp = out.get("log_probs");
    int vocabulary = lp.size() / rows;
    List<Step<Object>> steps = new ArrayList<>(rows);
    for (int i = 0; i < rows; i++) {
      double[] logProbs = new double[vocabulary];
      for (int w = 0; w < vocabulary; w++) {
        logProbs[w] = lp.data()[i * vocabulary + w];
      }
      Object next;
      if (kind == Kind.PREFIX) {
        next = prefixes[i];
      } else {
        Map<String, FloatTensor> state = new LinkedHashMap<>();
        String prefix = kind == Kind.RNN ? "new_" : "present_";
        for (String name : ((Map<String, FloatTensor>) states.get(i)).keySet()) {
          String output = prefix + (kind == Kind.RNN ? name : name.substring("past_".length()));
          state.put(name, gather(out.get(output), new int[] {i}));
        }
        next = state;
      }
      steps.add(new Step<>(logProbs, next));
    }
    return steps;
  }

  private static void checkBatch(FloatTensor t, String name, long[] lengths) {
    if (t == null) {
      throw new IllegalArgumentException("no '" + name + "' for the batch of " + lengths.length + " sources");
    }
    if (t.shape().length == 0 || t.shape()[0] != lengths.length) {
      throw new IllegalArgumentException("'" + name + "' has shape " + Arrays.toString(t.shape()) + ", expected "
          + lengths.length + " rows, one per source");
    }
  }

  /** Rows {@code rows} of {@code t} along its first axis, in that order (a tensor of {@code rows.length} rows). */
  public static FloatTensor gather(FloatTensor t, int[] rows) {
    long[] shape = t.shape();
    int size = t.size() / (int) shape[0];
    float[] data = new float[rows.length * size];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(t.data(), rows[i] * size, data, i * size, size);
    }
    shape[0] = rows.length;
    return new FloatTensor(shape, data);
  }

  /** Tensors of one row each, stacked along the first axis. */
  static FloatTensor concat(List<FloatTensor> parts) {
    long[] shape = parts.get(0).shape();
    int size = parts.get(0).size();
    float[] data = new float[parts.size() * size];
    for (int i = 0; i < parts.size(); i++) {
      System.arraycopy(parts.get(i).data(), 0, data, i * size, size);
    }
    shape[0] = parts.size();
    return new FloatTensor(shape, data);
  }
}
