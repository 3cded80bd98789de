package dev.rnnx.tf;

import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.Seq2Seq;
import dev.rnnx.spec.TransformerStack;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Squeeze;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * The key-value-cache forms of a Transformer {@link Seq2Seq} model in TensorFlow, as {@code
 * onnx.TransformerCachedForms} builds them: {@code decoder_cross_cache} projects the memory to each
 * decoder layer's cross-attention keys and values {@code [B, heads, S, hd]}; {@code
 * decoder_step_cached} reads one token at position {@code t = shape(past_key_0)[2]}, appends its
 * self-attention keys and values to the cache (no mask: the token sees every cached step), attends
 * to the cross cache with the source padding bias, and returns the log-probabilities and the
 * caches one step longer.
 */
final class TransformerCachedGraph {

  private final Seq2Seq model;
  private final Ops tf;
  private final TfParameters p;
  private final TransformerStack dec;
  private final int d;
  private final int hd;

  TransformerCachedGraph(Seq2Seq model, Ops tf, TfParameters p) {
    this.model = model;
    this.tf = tf;
    this.p = p;
    this.dec = (TransformerStack) model.decoder();
    this.d = model.embeddingDim();
    this.hd = d / dec.heads();
  }

  /** Builds form {@code form} from its inputs {@code in} into {@code out}. */
  void build(String form, Map<String, Operand<?>> in, Map<String, Operand<?>> out) {
    if (form.equals(ModelForm.DECODER_CROSS_CACHE)) {
      Operand<TFloat32> memory = in.get("memory").asOutput().expect(TFloat32.class);
      for (int i = 0; i < dec.layers(); i++) {
        String pre = "decoder/block_" + i + "/cross_attention";
        out.put("cross_key_" + i, declare(heads(memory, pre + "/key")));
        out.put("cross_value_" + i, declare(heads(memory, pre + "/value")));
      }
      return;
    }
    Operand<TFloat32> pastKey0 = in.get("past_key_0").asOutput().expect(TFloat32.class);
    Operand<TInt32> position = AttentionOps.size(tf, pastKey0, 2);
    Operand<TFloat32> signal = tf.gather(AttentionOps.positionTable(tf, model.maxTargetLength(), d), position, tf.constant(0));
    Operand<TFloat32> embedded = tf.expandDims(tf.gather(p.get("target_embedding/embeddings"),
        in.get("token").asOutput().expect(TInt64.class), tf.constant(0)), tf.constant(1)); // [B, 1, E]
    Operand<TFloat32> x = tf.math.add(tf.math.mul(embedded, tf.constant((float) Math.sqrt(d))), signal);
    Operand<TFloat32> crossKey0 = in.get("cross_key_0").asOutput().expect(TFloat32.class);
    Operand<TFloat32> crossBias = tf.expandDims(AttentionOps.paddingBias(tf, in.get("source_lengths").asOutput().expect(TInt32.class),
        AttentionOps.size(tf, crossKey0, 2)), tf.constant(1)); // [B, 1, 1, S]
    List<Operand<TFloat32>> present = new ArrayList<>();
    for (int i = 0; i < dec.layers(); i++) {
      String pre = "decoder/block_" + i;
      Operand<TFloat32> k = tf.concat(List.of(input(in, "past_key_" + i), heads(x, pre + "/self_attention/key")), tf.constant(2));
      Operand<TFloat32> v = tf.concat(List.of(input(in, "past_value_" + i), heads(x, pre + "/self_attention/value")),
          tf.constant(2));
      out.put("present_key_" + i, declare(k));
      out.put("present_value_" + i, declare(v));
      Operand<TFloat32> a = AttentionOps.layerNorm(tf, p, pre + "/self_attention_norm",
          Cell.sum(tf, x, attend(x, pre + "/self_attention", k, v, null)), dec.epsilon());
      Operand<TFloat32> c = AttentionOps.layerNorm(tf, p, pre + "/cross_attention_norm", Cell.sum(tf, a, attend(a,
          pre + "/cross_attention", input(in, "cross_key_" + i), input(in, "cross_value_" + i), crossBias)), dec.epsilon());
      x = AttentionOps.layerNorm(tf, p, pre + "/ffn_norm", Cell.sum(tf, c, AttentionOps.feedForward(tf, p, pre, c, d, dec.ffDim())),
          dec.epsilon());
    }
    int vocabulary = model.targetVocabulary();
    Operand<TFloat32> logits = tf.squeeze(AttentionOps.dense3(tf, x, d, p.get("output/kernel"), p.get("output/bias"), vocabulary),
        Squeeze.axis(List.of(1L)));
    out.put("log_probs", GraphShapes.declare(tf, tf.nn.logSoftmax(logits), -1, vocabulary));
  }

  private static Operand<TFloat32> input(Map<String, Operand<?>> in, String name) {
    return in.get(name).asOutput().expect(TFloat32.class);
  }

  private Operand<TFloat32> declare(Operand<TFloat32> cache) {
    return GraphShapes.declare(tf, cache, -1, dec.heads(), -1, hd);
  }

  /** {@code x [B, T, d]} projected by {@code <param>/kernel|bias}, as {@code [B, heads, T, hd]}. */
  private Operand<TFloat32> heads(Operand<TFloat32> x, String param) {
    return AttentionOps.splitHeads(tf, AttentionOps.dense3(tf, x, d, p.get(param + "/kernel"), p.get(param + "/bias"), d),
        dec.heads(), hd);
  }

  /** Attention of {@code x [B, 1, d]} on cached {@code k}, {@code v} {@code [B, heads, T, hd]}, after the output projection. */
  private Operand<TFloat32> attend(Operand<TFloat32> x, String prefix, Operand<TFloat32> k, Operand<TFloat32> v,
      Operand<TFloat32> bias) {
    Operand<TFloat32> s = tf.math.mul(AttentionOps.batchMatMul(tf, heads(x, prefix + "/query"), k, true),
        tf.constant((float) (1 / Math.sqrt(hd))));
    if (bias != null) {
      s = tf.math.add(s, bias);
    }
    Operand<TFloat32> context = AttentionOps.batchMatMul(tf, tf.nn.softmax(s), v, false); // [B, h, 1, hd]
    Operand<TFloat32> merged = tf.reshape(tf.linalg.transpose(context, tf.constant(new int[] {0, 2, 1, 3})),
        GraphShapes.dimsThen(tf, x, new int[] {0, 1}, d));
    return AttentionOps.dense3(tf, merged, d, p.get(prefix + "/output/kernel"), p.get(prefix + "/output/bias"), d);
  }
}
