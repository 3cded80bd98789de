package dev.rnnx.onnx;

import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.Seq2Seq;
import dev.rnnx.spec.SpecialTokens;
import dev.rnnx.spec.TransformerStack;
import dev.rnnx.weights.Weights;
import java.util.List;

/**
 * The Transformer forms of a {@link Seq2Seq} model, for {@link Seq2SeqForms} ({@link TransformerOps};
 * multi-head attention as standard ops below opset 23, ONNX {@code Attention} from 23):
 *
 * <pre>
 * embed         Gather(table, ids) · √E + positional encoding (tables of max_source_length and
 *               max_target_length rows)
 * encoder       encoder blocks with the source padding mask ─▶ memory [B, S, E]
 * decoder       decoder blocks: causal self-attention, cross-attention on memory with the source
 *               padding mask, feed-forward; logits = ·output/kernel + output/bias; LogSoftmax
 * decoder step  the decoder on the whole prefix; Gather(position −1) before the output projection
 * greedy        Loop of max_target_length iterations carrying (finished, tokens [B, max_target_length]);
 *               iteration i runs the decoder on [BOS, tokens[:, :max−1]] (fixed length, causal) and
 *               reads position i
 * </pre>
 *
 * The greedy Loop body reads the weights and the encoder outputs of the main graph by name.
 */
final class TransformerSeq2SeqForms {

  private final Seq2Seq model;
  private final Weights weights;
  private final int opset;
  private final DecoderLoops loops;

  TransformerSeq2SeqForms(Seq2Seq model, Weights weights, int opset, DecoderLoops loops) {
    this.model = model;
    this.weights = weights;
    this.opset = opset;
    this.loops = loops;
  }

  private boolean attentionOp() {
    return opset >= AttentionOps.ATTENTION_OP_OPSET;
  }

  private String embed(GraphBuilder g, String name, String table, String ids, TimeAxis time, int maxLength) {
    String e = name + "/embedded";
    g.node("Gather", name + "/embedding", List.of(g.sharedInitializer(table, () -> weights.get(table)), ids), List.of(e),
        Attributes.integer("axis", 0));
    return TransformerOps.positionalEncoding(g, name + "/positions", e, time, maxLength, model.embeddingDim(), true, null);
  }

  private String encodeTransformer(GraphBuilder g, TimeAxis source, String memoryName) {
    TransformerStack enc = (TransformerStack) model.encoder();
    AttentionMask mask = new AttentionMask(g, "source/self_mask", source, source, false);
    String x = embed(g, "encoder", "source_embedding/embeddings", "source", source, model.maxSourceLength());
    for (int b = 0; b < enc.layers(); b++) {
      String p = "encoder/block_" + b;
      x = TransformerOps.encoderBlock(g, p, p, x, model.embeddingDim(), enc.heads(), enc.epsilon(), mask, attentionOp(),
          weights, b == enc.layers() - 1 ? memoryName : null);
    }
    return x;
  }

  /** The decoder over target ids [B, T] → hidden [B, T, E]. */
  private String decodeTransformer(GraphBuilder g, String n, String target, String memory, TimeAxis source) {
    TransformerStack dec = (TransformerStack) model.decoder();
    TimeAxis time = new TimeAxis(g, n + "/time", target, null);
    AttentionMask self = new AttentionMask(g, n + "/self_mask", time, time, true);
    AttentionMask cross = new AttentionMask(g, n + "/cross_mask", time, source, false);
    String y = embed(g, n, "target_embedding/embeddings", target, time, model.maxTargetLength());
    for (int b = 0; b < dec.layers(); b++) {
      y = TransformerOps.decoderBlock(g, n + "/block_" + b, "decoder/block_" + b, y, memory, model.embeddingDim(), dec.heads(),
          dec.epsilon(), self, cross, attentionOp(), weights, null);
    }
    return y;
  }

  private String project(GraphBuilder g, String n, String hidden, int rank, String out) {
    String logits = AttentionOps.linear(g, n + "/output", hidden, "output", weights, true, null);
    g.logSoftmaxLastAxis(n + "/LogSoftmax", logits, out, rank);
    return out;
  }

  /** Builds form {@code form} into {@code g}. */
  void build(String form, GraphBuilder g) {
    switch (form) {
      case ModelForm.ENCODER -> encodeTransformer(g, new TimeAxis(g, "source/time", "source", "source_lengths"), "memory");
      case ModelForm.TRAINING -> {
        TimeAxis source = new TimeAxis(g, "source/time", "source", "source_lengths");
        String memory = encodeTransformer(g, source, null);
        project(g, "decoder", decodeTransformer(g, "decoder", "target", memory, source), 3, "log_probs");
      }
      case ModelForm.DECODER_STEP -> {
        TimeAxis source = new TimeAxis(g, "source/time", "memory", "source_lengths");
        String hidden = decodeTransformer(g, "decoder", "target", "memory", source);
        String last = "decoder/last";
        g.node("Gather", "decoder/last_position", List.of(hidden, g.int64Scalar("decoder/last_index", -1)), List.of(last),
            Attributes.integer("axis", 1));
        project(g, "decoder", last, 2, "log_probs");
      }
      case ModelForm.GREEDY_DECODER -> {
        int max = model.maxTargetLength();
        TimeAxis source = new TimeAxis(g, "source/time", "source", "source_lengths");
        String memory = encodeTransformer(g, source, null);
        DecoderLoops.Start start = loops.greedyStart(g);
        String bosShape = "greedy/bos_column_shape";
        g.node("Concat", "greedy/bos_column_shape_Concat", List.of(start.batch(), g.int64Initializer("greedy/one", 1)),
            List.of(bosShape), Attributes.integer("axis", 0));
        String bosColumn = "greedy/bos_column";
        g.node("Expand", "greedy/bos_column_Expand", List.of(g.int64Scalar("greedy/bos_column_id", SpecialTokens.BOS),
            bosShape), List.of(bosColumn));
        GraphBuilder body = g.body("greedy_body");
        String i = "greedy/i";
        loops.declareBodyInputs(body, i, "greedy/cond_in", List.of("greedy/finished", "greedy/tokens"));
        String shifted = "greedy/shifted";
        body.node("Slice", "greedy/shift_Slice", List.of("greedy/tokens", body.int64Initializer("greedy/shift_start", 0),
            body.int64Initializer("greedy/shift_end", max - 1), body.int64Initializer("greedy/shift_axis", 1)),
            List.of(shifted));
        String prefix = "greedy/prefix";
        body.node("Concat", "greedy/prefix_Concat", List.of(bosColumn, shifted), List.of(prefix),
            Attributes.integer("axis", 1));
        String hidden = decodeTransformer(body, "greedy", prefix, memory, source);
        String here = "greedy/current";
        body.node("Gather", "greedy/current_position", List.of(hidden, i), List.of(here), Attributes.integer("axis", 1));
        String logProbs = project(body, "greedy", here, 2, "greedy/log_probs");
        DecoderLoops.Chosen next = loops.choose(body, "greedy", logProbs, i, "greedy/finished", "greedy/tokens");
        loops.declareBodyOutputs(body, "greedy/cond_in", List.of(next.finished(), next.tokens()), List.of());
        g.node("Loop", "greedy_loop", List.of(start.trips(), "", start.finished(), start.tokens()),
            List.of("greedy/finished_final", "tokens"), Attributes.graphAttribute("body", body.graph().build()));
      }
      case ModelForm.DECODER_CROSS_CACHE, ModelForm.DECODER_STEP_CACHED -> new TransformerCachedForms(model, weights).build(form, g);
      default -> throw new IllegalStateException("form " + form);
    }
  }
}
