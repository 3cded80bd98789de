package dev.rnnx.tf;

import dev.rnnx.spec.Gru;
import dev.rnnx.spec.Lstm;
import dev.rnnx.spec.RecurrentLayer;
import dev.rnnx.spec.RnnDecoder;
import dev.rnnx.spec.RnnEncoder;
import dev.rnnx.spec.Seq2Seq;
import dev.rnnx.spec.TransformerStack;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Stack;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * The arithmetic of a {@link Seq2Seq} model on its canonical parameters, shared by the training
 * graph and every serving form so that they compute one function.
 *
 * <ul>
 *   <li>RNN encoder: the source embeddings through an LSTM or GRU ({@link Recurrence}, unrolled
 *       over a fixed S with the source lengths): memory zero past L, final state after step L−1.
 *   <li>RNN decoder without attention: {@code s_t = cell(E[y_{t−1}], s_{t−1})}, logits
 *       {@code s_t · W_o + b_o}. With attention (Bahdanau's ordering): the query is
 *       {@code h_{t−1}}, the keys and values the memory (source padding masked), the context
 *       {@code c_t = Σ α_j m_j}; the cell reads {@code [E[y_{t−1}]; c_t]} (the decoder kernel's
 *       first E rows take the embedding, computed for every step at once, the last H the
 *       context), logits {@code [h_t; c_t] · W_o + b_o}. {@code s_0} is the encoder's final state.
 *   <li>Transformer: embeddings × √E plus the sinusoidal positions; post-LN encoder blocks with
 *       the source padding mask; decoder blocks of causal self-attention, cross-attention on the
 *       memory (source padding masked) and the feed-forward part; logits {@code y · W_o + b_o}.
 * </ul>
 *
 * Every value's batch axis is dynamic; the RNN parts unroll over static lengths (the serving forms
 * pad to the model's maximum lengths and slice, which changes nothing: padded source steps are
 * masked, and a decoder step never reads later ones).
 */
final class Seq2SeqGraph {

  /**
   * What the encoder produced.
   *
   * @param memory {@code [B, S, H]}
   * @param states the final states, h first (RNN only; empty for a Transformer)
   * @param lengths the source lengths {@code [B]}
   */
  record Encoded(Operand<TFloat32> memory, List<Operand<TFloat32>> states, Operand<TInt32> lengths) {}

  /**
   * One RNN decoder step.
   *
   * @param logits {@code [B, V_t]}
   * @param states the new states, h first
   * @param attention the attention weights {@code [B, S]}, or null without attention
   */
  record Step(Operand<TFloat32> logits, List<Operand<TFloat32>> states, Operand<TFloat32> attention) {}

  final Seq2Seq model;
  final Ops tf;
  final TfParameters params;
  final int embedding;
  final int width;
  final int vocabulary;
  private Operand<TFloat32> table;

  Seq2SeqGraph(Seq2Seq model, Ops tf, TfParameters params) {
    this.model = model;
    this.tf = tf;
    this.params = params;
    this.embedding = model.embeddingDim();
    this.width = model.memoryWidth();
    this.vocabulary = model.targetVocabulary();
  }

  /** The recurrent layer record that reads {@code <name>/kernel|recurrent_kernel|bias} (Keras's defaults). */
  RecurrentLayer recurrentLayer(String name, boolean stateInputs) {
    RnnEncoder e = (RnnEncoder) model.encoder();
    return e.cell() == dev.rnnx.spec.Cell.LSTM
        ? Lstm.builder(name, e.units()).returnSequences(true).returnState(true).stateInputs(stateInputs).build()
        : Gru.builder(name, e.units()).resetAfter(true).returnSequences(true).returnState(true).stateInputs(stateInputs).build();
  }

  /** The recurrent cell's state names, {@code [h]} or {@code [h, c]}; empty for a Transformer. */
  List<String> stateNames() {
    return model.encoder() instanceof RnnEncoder e ? e.cell().states() : List.of();
  }

  private Operand<TFloat32> embed(String table, Operand<TInt64> ids) {
    return tf.gather(params.get(table + "/embeddings"), ids, tf.constant(0));
  }

  private Operand<TFloat32> positions(Operand<TFloat32> x) {
    if (table == null) {
      table = AttentionOps.positionTable(tf, Math.max(model.maxSourceLength(), model.maxTargetLength()), embedding);
    }
    return AttentionOps.addPositions(tf, x, table, embedding, true);
  }

  /**
   * The encoder over {@code source [B, S]}.
   *
   * @param steps S, static, for the RNN's unrolling (ignored by a Transformer, which reads any S)
   */
  Encoded encode(Operand<TInt64> source, Operand<TInt32> lengths, int steps) {
    Operand<TFloat32> x = embed("source_embedding", source);
    if (model.encoder() instanceof TransformerStack enc) {
      Operand<TFloat32> bias = AttentionOps.paddingBias(tf, lengths, AttentionOps.size(tf, source, 1));
      Operand<TFloat32> h = positions(x);
      for (int i = 0; i < enc.layers(); i++) {
        h = AttentionOps.encoderBlock(tf, params, "encoder/block_" + i, embedding, enc.heads(), enc.ffDim(), enc.epsilon(), h, bias);
      }
      return new Encoded(h, List.of(), lengths);
    }
    LayerContext ctx = LayerContext.unrolled(tf, params, steps, lengths, Map.of());
    Recurrence.Run run = Recurrence.unrolled(ctx, recurrentLayer("encoder", false), "encoder/", "encoder_", false, embedding,
        Unrolled.sequence(x, steps));
    return new Encoded(tf.stack(run.steps(), Stack.axis(1L)), run.states(), lengths);
  }

  /**
   * The teacher-forced decoder's logits {@code [B, T, V_t]} for the decoder input
   * {@code [B, T]} (BOS first).
   *
   * @param steps T, static, for the RNN's unrolling (ignored by a Transformer)
   */
  Operand<TFloat32> logits(Encoded enc, Operand<TInt64> decoderInput, int steps) {
    Operand<TFloat32> y = embed("target_embedding", decoderInput);
    if (model.decoder() instanceof TransformerStack) {
      return AttentionOps.dense3(tf, transformerDecoder(enc, y), embedding, params.get("output/kernel"), params.get("output/bias"),
          vocabulary);
    }
    RnnDecoder dec = (RnnDecoder) model.decoder();
    Operand<TFloat32> hidden;
    int outWidth;
    if (!dec.attends()) {
      Map<String, Operand<TFloat32>> initial = new LinkedHashMap<>();
      for (int i = 0; i < enc.states().size(); i++) {
        initial.put("decoder_" + stateNames().get(i) + "0", enc.states().get(i));
      }
      LayerContext ctx = LayerContext.unrolled(tf, params, steps, null, initial);
      Recurrence.Run run = Recurrence.unrolled(ctx, recurrentLayer("decoder", true), "decoder/", "decoder_", false, embedding,
          Unrolled.sequence(y, steps));
      hidden = tf.stack(run.steps(), Stack.axis(1L));
      outWidth = width;
    } else {
      AttentionDecoder decoder = new AttentionDecoder(enc);
      Cell cell = decoder.cell;
      Operand<TFloat32> flat = tf.reshape(y, tf.constant(new int[] {-1, embedding}));
      Operand<TFloat32> projected = tf.reshape(cell.project(tf, flat, decoder.embeddingPart, "decoder/"),
          tf.constant(new int[] {-1, steps, cell.projectedWidth()}));
      List<Operand<TFloat32>> xs = Unrolled.sequence(projected, steps).steps(tf);
      List<Operand<TFloat32>> states = enc.states();
      List<Operand<TFloat32>> outputs = new ArrayList<>();
      List<Operand<TFloat32>> contexts = new ArrayList<>();
      for (int t = 0; t < steps; t++) {
        Step step = decoder.step(xs.get(t), states);
        states = step.states();
        outputs.add(states.get(0));
        contexts.add(decoder.lastContext);
      }
      hidden = tf.concat(List.of(tf.stack(outputs, Stack.axis(1L)), tf.stack(contexts, Stack.axis(1L))), tf.constant(-1));
      outWidth = 2 * width;
    }
    return tf.reshape(AttentionOps.dense3(tf, hidden, outWidth, params.get("output/kernel"), params.get("output/bias"), vocabulary),
        tf.constant(new int[] {-1, steps, vocabulary}));
  }

  /** The Transformer decoder's last hidden values {@code [B, T, E]} for embedded decoder inputs. */
  private Operand<TFloat32> transformerDecoder(Encoded enc, Operand<TFloat32> y) {
    TransformerStack dec = (TransformerStack) model.decoder();
    Operand<TFloat32> h = positions(y);
    Operand<TFloat32> selfBias = AttentionOps.causalBias(tf, AttentionOps.size(tf, y, 1));
    Operand<TFloat32> crossBias = AttentionOps.paddingBias(tf, enc.lengths(), AttentionOps.size(tf, enc.memory(), 1));
    for (int i = 0; i < dec.layers(); i++) {
      h = AttentionOps.decoderBlock(tf, params, "decoder/block_" + i, embedding, dec.heads(), dec.ffDim(), dec.epsilon(), h, selfBias,
          enc.memory(), crossBias);
    }
    return h;
  }

  /** One RNN decoder step from {@code token [B]} and the states before it. */
  Step rnnStep(Encoded enc, Operand<TInt64> token, List<Operand<TFloat32>> states) {
    RnnDecoder dec = (RnnDecoder) model.decoder();
    Operand<TFloat32> y = embed("target_embedding", token);
    if (!dec.attends()) {
      Cell cell = Cell.of(recurrentLayer("decoder", true));
      List<Operand<TFloat32>> next = cell.step(tf, cell.project(tf, y, params, "decoder/"), states,
          cell.stepWeights(tf, params, "decoder/"));
      Operand<TFloat32> logits = tf.nn.biasAdd(tf.linalg.matMul(next.get(0), params.get("output/kernel")), params.get("output/bias"));
      return new Step(logits, next, null);
    }
    AttentionDecoder decoder = new AttentionDecoder(enc);
    Step step = decoder.step(decoder.cell.project(tf, y, decoder.embeddingPart, "decoder/"), states);
    Operand<TFloat32> logits = tf.nn.biasAdd(tf.linalg.matMul(tf.concat(List.of(step.states().get(0), decoder.lastContext),
        tf.constant(-1)), params.get("output/kernel")), params.get("output/bias"));
    return new Step(logits, step.states(), step.attention());
  }

  /** The Transformer's logits {@code [B, V_t]} of the token after {@code prefix [B, t]}. */
  Operand<TFloat32> transformerNext(Encoded enc, Operand<TInt64> prefix) {
    Operand<TFloat32> h = transformerDecoder(enc, embed("target_embedding", prefix));
    Operand<TInt32> last = tf.math.sub(AttentionOps.size(tf, prefix, 1), tf.constant(1));
    Operand<TFloat32> lastHidden = tf.gather(h, last, tf.constant(1)); // [B, E]
    return tf.nn.biasAdd(tf.linalg.matMul(lastHidden, params.get("output/kernel")), params.get("output/bias"));
  }

  /** The attention decoder's per-memory preparation: the kernel split, the step weights, the additive keys, the mask. */
  private final class AttentionDecoder {
    final RnnDecoder dec = (RnnDecoder) model.decoder();
    final Cell cell = Cell.of(recurrentLayer("decoder", true));
    final Encoded enc;
    final TfParameters embeddingPart;
    final Operand<TFloat32> contextKernel;
    final List<Operand<TFloat32>> weights;
    final Operand<TFloat32> keys;
    final Operand<TFloat32> bias;
    Operand<TFloat32> lastContext;

    AttentionDecoder(Encoded enc) {
      this.enc = enc;
      List<? extends Operand<TFloat32>> parts = tf.splitV(params.get("decoder/kernel"), tf.constant(new int[] {embedding, width}),
          tf.constant(0), 2L).output();
      Operand<TFloat32> embeddingKernel = parts.get(0);
      contextKernel = parts.get(1);
      embeddingPart = name -> name.equals("decoder/kernel") ? embeddingKernel : params.get(name);
      weights = cell.stepWeights(tf, params, "decoder/");
      keys = dec.attention() == dev.rnnx.spec.AttentionScore.ADDITIVE
          ? AttentionOps.additiveKeys(tf, params, "attention", dec.attentionUnits(), enc.memory(), width) : null;
      Operand<TFloat32> padding = AttentionOps.paddingBias(tf, enc.lengths(), AttentionOps.size(tf, enc.memory(), 1));
      bias = tf.squeeze(padding, org.tensorflow.op.core.Squeeze.axis(List.of(1L))); // [B, S]
    }

    /** One step: attend with {@code h_{t−1}}, then the cell on the projected embedding plus the context's share. */
    Step step(Operand<TFloat32> projectedEmbedding, List<Operand<TFloat32>> states) {
      List<Operand<TFloat32>> attended = AttentionOps.attendOnce(tf, params, "attention", dec.attention(), dec.attentionUnits(),
          states.get(0), width, enc.memory(), width, keys, bias);
      lastContext = attended.get(0);
      Operand<TFloat32> xw = Cell.sum(tf, projectedEmbedding, tf.linalg.matMul(lastContext, contextKernel));
      return new Step(null, cell.step(tf, xw, states, weights), attended.get(1));
    }
  }
}
