package dev.rnnx.onnx;

import ai.onnx.proto.OnnxMl;
import dev.rnnx.spec.Cell;
import dev.rnnx.spec.DType;
import dev.rnnx.spec.Gru;
import dev.rnnx.spec.Lstm;
import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.RecurrentLayer;
import dev.rnnx.spec.RnnDecoder;
import dev.rnnx.spec.RnnEncoder;
import dev.rnnx.spec.Seq2Seq;
import dev.rnnx.spec.SpecialTokens;
import dev.rnnx.spec.TransformerStack;
import dev.rnnx.weights.Provenance;
import dev.rnnx.weights.Weights;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The four forms of a {@link Seq2Seq} model ({@link Seq2Seq#forms()}), one ONNX model each.
 *
 * <p>Recurrent (the cells are ONE native {@code LSTM}/{@code GRU} node each; gates, layouts and
 * {@code linear_before_reset} as in {@link RecurrentConverter}):
 *
 * <pre>
 * encoder       source ─Gather(source_embedding)─Transpose─▶ encoder cell (sequence_lens = source_lengths)
 *               ─▶ memory = Transpose(Squeeze(Y)) [B, S, H] (zero past each length), state_h/_c = Y_h/Y_c
 * decoder step  token ─Gather(target_embedding)─▶ e [B, E]; with attention (query = state_h):
 *               α = Softmax(Where(valid, score(state_h, memory), −∞)) [B, S], c = α·memory [B, H],
 *               x = Concat(e, c); decoder cell on Unsqueeze(x) with initial state_h/_c ─▶ h
 *               log_probs = LogSoftmax(Gemm(Concat(h, c) or h, output/kernel, output/bias))
 * training      no attention: the decoder cell over the whole embedded target (teacher forcing),
 *               initial states = the encoder's Y_h/Y_c, then MatMul + Add + LogSoftmax [B, T, V];
 *               attention: Loop over T, its body one decoder step reading step i of the embedded
 *               target; log_probs are the Loop's scan output [T, B, V], transposed
 * greedy        Loop of max_target_length iterations carrying (previous token, states, finished
 *               flags, tokens [B, max_target_length]); each iteration one decoder step, ArgMax
 *               (select_last_index = 0: ties go to the lowest id), PAD once finished, the token
 *               written at column i with Where(Equal(columns, i), …); finished |= token == EOS
 * </pre>
 *
 * <p>Transformer ({@link TransformerOps}; multi-head attention as standard ops below opset 23,
 * ONNX {@code Attention} from 23):
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
 * Every Loop body reads the weights and the encoder outputs of the main graph by name and keeps
 * its loop-carried values at fixed shapes. Needs opset 12 (ArgMax's select_last_index) for a
 * recurrent model, 17 (LayerNormalization) for a Transformer.
 */
final class Seq2SeqForms {

  /** The oldest opset of a recurrent seq2seq export: ArgMax's {@code select_last_index}. */
  static final int RNN_OPSET = 12;

  private final Seq2Seq model;
  private final Weights weights;
  private final int opset;
  private final OpsetTable opsets;
  private final RecurrentConverter cells = new RecurrentConverter(GateLayout.load());

  private Seq2SeqForms(Seq2Seq model, Weights weights, int opset, OpsetTable opsets) {
    this.model = model;
    this.weights = weights;
    this.opset = opset;
    this.opsets = opsets;
  }

  /** Every form, in {@link Seq2Seq#forms()} order. */
  static Map<String, OnnxMl.ModelProto> export(Seq2Seq model, Weights weights, int opset, Provenance provenance) {
    OpsetTable opsets = OpsetTable.load();
    if (model.recurrent() && opset < RNN_OPSET) {
      throw new OnnxExportException("model '" + model.name() + "' (seq2seq, rnn) needs opset " + RNN_OPSET
          + " or newer (ArgMax with select_last_index for greedy decoding), got opset " + opset);
    }
    if (!model.recurrent() && opset < TransformerOps.LAYER_NORMALIZATION_OPSET) {
      throw new OnnxExportException("model '" + model.name() + "' (seq2seq, transformer) needs opset "
          + TransformerOps.LAYER_NORMALIZATION_OPSET + " or newer (ONNX LayerNormalization), got opset " + opset);
    }
    Seq2SeqForms forms = new Seq2SeqForms(model, weights, opset, opsets);
    Map<String, OnnxMl.ModelProto> out = new LinkedHashMap<>();
    for (ModelForm form : model.forms()) {
      GraphBuilder g = new GraphBuilder(model.name() + "_" + form.name(), opset, opsets);
      for (var in : form.inputs()) {
        g.claim(in.name());
        g.input(ValueInfos.valueInfo(in.name(), in.dtype(), dims(in.name(), in.shape().rank(), in.shape().dims())));
      }
      if (model.recurrent()) {
        forms.rnn(form.name(), g);
      } else {
        forms.transformer(form.name(), g);
      }
      for (var o : form.outputs()) {
        String name = OnnxExporter.outputName(form, o.name());
        g.output(ValueInfos.valueInfo(name, o.dtype(), dims(o.name(), o.shape().rank(), o.shape().dims())));
      }
      out.put(form.name(), OnnxExporter.assemble(g, describe(model, form), model.name(), opset, opsets, provenance));
    }
    return out;
  }

  /** Symbolic dimension names per tensor, so that source and target lengths stay distinct. */
  private static Object[] dims(String tensor, int rank, int... fixed) {
    Object[] d = switch (tensor) {
      case "source" -> new Object[] {"batch", "source_time"};
      case "source_lengths", "token" -> new Object[] {"batch"};
      case "target" -> new Object[] {"batch", "target_time"};
      case "memory" -> new Object[] {"batch", "source_time", null};
      case "attention" -> new Object[] {"batch", "source_time"};
      case "log_probs" -> rank == 3 ? new Object[] {"batch", "target_time", null} : new Object[] {"batch", null};
      default -> new Object[rank];
    };
    for (int i = 0; i < d.length; i++) {
      if (d[i] == null) {
        d[i] = i == 0 ? "batch" : fixed != null && fixed.length > i && fixed[i] > 0 ? (Object) fixed[i] : "dim" + i;
      }
    }
    return d;
  }

  private static String describe(Seq2Seq m, ModelForm form) {
    String parts = m.recurrent()
        ? ((RnnEncoder) m.encoder()).cell().recipeName() + " " + ((RnnEncoder) m.encoder()).units()
            + (((RnnDecoder) m.decoder()).attends() ? ", " + ((RnnDecoder) m.decoder()).attention().recipeName() + " attention" : "")
        : "transformer " + ((TransformerStack) m.encoder()).layers() + "+" + ((TransformerStack) m.decoder()).layers() + " blocks";
    return "model '" + m.name() + "' (seq2seq, " + parts + "), form '" + form.name() + "': "
        + form.inputs().stream().map(t -> t.name()).toList() + " -> " + form.outputs().stream().map(t -> t.name()).toList();
  }

  // ---- recurrent ---------------------------------------------------------------------------------

  private RecurrentLayer cell(String name) {
    RnnEncoder e = (RnnEncoder) model.encoder();
    return e.cell() == Cell.LSTM ? Lstm.builder(name, e.units()).build() : Gru.builder(name, e.units()).resetAfter(true).build();
  }

  private boolean lstm() {
    return ((RnnEncoder) model.encoder()).cell() == Cell.LSTM;
  }

  private RnnDecoder decoder() {
    return (RnnDecoder) model.decoder();
  }

  /** The encoder's outputs: memory [B, S, H] (or null), and Y_h, Y_c [1, B, H]. */
  private record Encoded(String memory, String h, String c) {}

  private Encoded encode(GraphBuilder g, boolean memory, String memoryName) {
    String emb = "encoder/embedded";
    g.node("Gather", "encoder/embedding", List.of(g.initializer("source_embedding/embeddings",
        weights.get("source_embedding/embeddings")), "source"), List.of(emb), Attributes.integer("axis", 0));
    String x = "encoder/X";
    g.transpose("encoder/to_time_major", emb, x, 1, 0, 2);
    String y = memory ? "encoder/Y" : "";
    String c = lstm() ? "encoder/Y_c" : "";
    cells.cell(cell("encoder"), "encoder", "encoder/" + (lstm() ? "LSTM" : "GRU"), x, "source_lengths", "", "", y, "encoder/Y_h",
        c, weights, g);
    String m = null;
    if (memory) {
      String squeezed = "encoder/Y_squeezed";
      g.squeeze("encoder/squeeze_Y", y, squeezed, 1);
      m = memoryName != null ? memoryName : "encoder/memory";
      g.transpose("encoder/to_batch_major", squeezed, m, 1, 0, 2);
    }
    return new Encoded(m, "encoder/Y_h", lstm() ? c : null);
  }

  /** One decoder step's outputs: log_probs [B, V], h, c [1, B, H], attention [B, S] (or null). */
  private record Step(String logProbs, String h, String c, String attention) {}

  /**
   * One decoder step.
   *
   * @param embedded the previous token's embedding [B, E]
   * @param h0 the previous state [1, B, H] (and {@code c0} for LSTM)
   * @param memory the encoder memory [B, S, H] and {@code valid} its bool [B, S] mask (attention only)
   */
  private Step step(GraphBuilder g, String n, String embedded, String h0, String c0, String memory, String valid,
      String logProbsName) {
    int h = decoder().units();
    String input = embedded;
    String context = null;
    String attention = null;
    if (decoder().attends()) {
      String query = n + "/query";
      g.squeeze(n + "/query_Squeeze", h0, query, 0);
      String query3 = n + "/query_step";
      g.unsqueeze(n + "/query_Unsqueeze", query, query3, 1);
      String scores = AttentionOps.scores(g, n + "/attention", decoder().attention(), query3, memory, h, "attention", weights);
      String mask = n + "/mask";
      g.unsqueeze(n + "/mask_Unsqueeze", valid, mask, 1);
      String alpha = AttentionOps.maskedSoftmax(g, n + "/attention", scores, mask, 3);
      String context3 = n + "/context_step";
      g.node("MatMul", n + "/context_MatMul", List.of(alpha, memory), List.of(context3));
      context = n + "/context";
      g.squeeze(n + "/context_Squeeze", context3, context, 1);
      attention = n + "/attention_weights";
      g.squeeze(n + "/attention_Squeeze", alpha, attention, 1);
      input = n + "/cell_input";
      g.node("Concat", n + "/cell_input_Concat", List.of(embedded, context), List.of(input), Attributes.integer("axis", 1));
    }
    String x = n + "/X";
    g.unsqueeze(n + "/X_Unsqueeze", input, x, 0);
    String h1 = n + "/Y_h";
    String c1 = lstm() ? n + "/Y_c" : "";
    cells.cell(cell("decoder"), "decoder", n + "/" + (lstm() ? "LSTM" : "GRU"), x, "", h0, lstm() ? c0 : "", "", h1, c1,
        weights, g);
    String hidden = n + "/h";
    g.squeeze(n + "/h_Squeeze", h1, hidden, 0);
    String features = hidden;
    if (context != null) {
      features = n + "/output_features";
      g.node("Concat", n + "/output_features_Concat", List.of(hidden, context), List.of(features),
          Attributes.integer("axis", 1));
    }
    String logits = n + "/logits";
    g.node("Gemm", n + "/output_Gemm", List.of(features, g.sharedInitializer("output/kernel", () -> weights.get("output/kernel")),
        g.sharedInitializer("output/bias", () -> weights.get("output/bias"))), List.of(logits));
    g.logSoftmaxLastAxis(n + "/LogSoftmax", logits, logProbsName, 2);
    return new Step(logProbsName, h1, lstm() ? c1 : null, attention);
  }

  private String embedTarget(GraphBuilder g, String name, String ids) {
    String e = name + "/embedded";
    g.node("Gather", name + "/embedding", List.of(g.sharedInitializer("target_embedding/embeddings",
        () -> weights.get("target_embedding/embeddings")), ids), List.of(e), Attributes.integer("axis", 0));
    return e;
  }

  private void rnn(String form, GraphBuilder g) {
    boolean attends = decoder().attends();
    switch (form) {
      case ModelForm.ENCODER -> {
        Encoded enc = encode(g, true, "memory");
        g.squeeze("encoder/state_h", enc.h, "state_h", 0);
        if (lstm()) {
          g.squeeze("encoder/state_c", enc.c, "state_c", 0);
        }
      }
      case ModelForm.DECODER_STEP -> {
        String h0 = "decoder/h0";
        g.unsqueeze("decoder/h0_Unsqueeze", "state_h", h0, 0);
        String c0 = null;
        if (lstm()) {
          c0 = "decoder/c0";
          g.unsqueeze("decoder/c0_Unsqueeze", "state_c", c0, 0);
        }
        String valid = attends ? new TimeAxis(g, "source/time", "memory", "source_lengths").valid() : null;
        Step s = step(g, "decoder", embedTarget(g, "decoder", "token"), h0, c0, attends ? "memory" : null, valid, "log_probs");
        g.squeeze("decoder/state_h", s.h, OnnxExporter.RENAMED_OUTPUT_PREFIX + "state_h", 0);
        if (lstm()) {
          g.squeeze("decoder/state_c", s.c, OnnxExporter.RENAMED_OUTPUT_PREFIX + "state_c", 0);
        }
        if (attends) {
          g.node("Identity", "decoder/attention", List.of(s.attention), List.of("attention"));
        }
      }
      case ModelForm.TRAINING -> {
        Encoded enc = encode(g, attends, null);
        String embedded = embedTarget(g, "decoder", "target");
        String timeMajor = "decoder/X";
        g.transpose("decoder/to_time_major", embedded, timeMajor, 1, 0, 2);
        if (!attends) {
          String y = "decoder/Y";
          cells.cell(cell("decoder"), "decoder", "decoder/" + (lstm() ? "LSTM" : "GRU"), timeMajor, "", enc.h,
              lstm() ? enc.c : "", y, "", "", weights, g);
          String squeezed = "decoder/Y_squeezed";
          g.squeeze("decoder/squeeze_Y", y, squeezed, 1);
          String hidden = "decoder/hidden";
          g.transpose("decoder/to_batch_major", squeezed, hidden, 1, 0, 2);
          String logits = AttentionOps.linear(g, "decoder/output", hidden, "output", weights, true, null);
          g.logSoftmaxLastAxis("decoder/LogSoftmax", logits, "log_probs", 3);
        } else {
          String valid = new TimeAxis(g, "source/time", "source", "source_lengths").valid();
          TimeAxis target = new TimeAxis(g, "target/time", "target", null);
          GraphBuilder body = g.body("decoder_loop_body");
          String i = "decoder_loop/i";
          List<String> carriedIn = lstm() ? List.of("decoder_loop/h_in", "decoder_loop/c_in")
              : List.of("decoder_loop/h_in");
          declareBodyInputs(body, i, "decoder_loop/cond_in", carriedIn);
          String e = "decoder_loop/embedded";
          body.node("Gather", "decoder_loop/step_input", List.of(timeMajor, i), List.of(e), Attributes.integer("axis", 0));
          Step s = step(body, "decoder_loop", e, carriedIn.get(0), lstm() ? carriedIn.get(1) : null, enc.memory, valid,
              "decoder_loop/log_probs");
          List<String> carriedOut = lstm() ? List.of(s.h, s.c) : List.of(s.h);
          declareBodyOutputs(body, "decoder_loop/cond_in", carriedOut, List.of(s.logProbs));
          List<String> loopOut = new ArrayList<>(lstm() ? List.of("decoder_loop/h_final", "decoder_loop/c_final")
              : List.of("decoder_loop/h_final"));
          loopOut.add("decoder_loop/log_probs_time_major");
          List<String> loopIn = new ArrayList<>(List.of(target.length(), ""));
          loopIn.add(enc.h);
          if (lstm()) {
            loopIn.add(enc.c);
          }
          g.node("Loop", "decoder_loop", loopIn, loopOut, Attributes.graphAttribute("body", body.graph().build()));
          g.transpose("decoder/to_batch_major", "decoder_loop/log_probs_time_major", "log_probs", 1, 0, 2);
        }
      }
      case ModelForm.GREEDY_DECODER -> {
        Encoded enc = encode(g, attends, null);
        String valid = attends ? new TimeAxis(g, "source/time", "source", "source_lengths").valid() : null;
        Greedy start = greedyStart(g);
        GraphBuilder body = g.body("greedy_body");
        String i = "greedy/i";
        List<String> carriedIn = new ArrayList<>(List.of("greedy/previous", "greedy/h_in"));
        if (lstm()) {
          carriedIn.add("greedy/c_in");
        }
        carriedIn.addAll(List.of("greedy/finished", "greedy/tokens"));
        declareBodyInputs(body, i, "greedy/cond_in", carriedIn);
        String embedded = embedTarget(body, "greedy", "greedy/previous");
        Step s = step(body, "greedy", embedded, "greedy/h_in", lstm() ? "greedy/c_in" : null, enc.memory, valid,
            "greedy/log_probs");
        Chosen next = choose(body, "greedy", s.logProbs, i, "greedy/finished", "greedy/tokens");
        List<String> carriedOut = new ArrayList<>(List.of(next.token, s.h));
        if (lstm()) {
          carriedOut.add(s.c);
        }
        carriedOut.addAll(List.of(next.finished, next.tokens));
        declareBodyOutputs(body, "greedy/cond_in", carriedOut, List.of());
        List<String> loopIn = new ArrayList<>(List.of(start.trips, "", start.bos, enc.h));
        if (lstm()) {
          loopIn.add(enc.c);
        }
        loopIn.addAll(List.of(start.finished, start.tokens));
        List<String> loopOut = new ArrayList<>(List.of("greedy/previous_final", "greedy/h_final"));
        if (lstm()) {
          loopOut.add("greedy/c_final");
        }
        loopOut.addAll(List.of("greedy/finished_final", "tokens"));
        g.node("Loop", "greedy_loop", loopIn, loopOut, Attributes.graphAttribute("body", body.graph().build()));
      }
      default -> throw new IllegalStateException("form " + form);
    }
  }

  // ---- greedy decoding, shared -------------------------------------------------------------------

  /** The Loop's inputs: trip count, BOS per sequence [B], all-false [B], PAD buffer [B, max]. */
  private record Greedy(String trips, String bos, String finished, String tokens, String batch) {}

  private Greedy greedyStart(GraphBuilder g) {
    int max = model.maxTargetLength();
    String shape = "greedy/source_shape";
    g.node("Shape", "greedy/source_Shape", List.of("source"), List.of(shape));
    String batch = "greedy/batch";
    g.node("Slice", "greedy/batch_Slice", List.of(shape, g.int64Initializer("greedy/batch_start", 0),
        g.int64Initializer("greedy/batch_end", 1), g.int64Initializer("greedy/batch_axis", 0)), List.of(batch));
    String bos = "greedy/bos";
    g.node("Expand", "greedy/bos_Expand", List.of(g.int64Scalar("greedy/bos_id", SpecialTokens.BOS), batch), List.of(bos));
    String finished = "greedy/none_finished";
    g.node("Expand", "greedy/finished_Expand", List.of(g.boolInitializer("greedy/false", new long[0], false), batch),
        List.of(finished));
    String bufferShape = "greedy/buffer_shape";
    g.node("Concat", "greedy/buffer_shape_Concat", List.of(batch, g.int64Initializer("greedy/max_target_length", max)),
        List.of(bufferShape), Attributes.integer("axis", 0));
    String tokens = "greedy/padding";
    g.node("Expand", "greedy/buffer_Expand", List.of(g.int64Scalar("greedy/pad_id", SpecialTokens.PAD), bufferShape),
        List.of(tokens));
    return new Greedy(g.int64Scalar("greedy/trip_count", max), bos, finished, tokens, batch);
  }

  /** A step's choice: the token [B], the updated flags [B] and buffer [B, max]. */
  private record Chosen(String token, String finished, String tokens) {}

  private Chosen choose(GraphBuilder body, String n, String logProbs, String i, String finished, String tokens) {
    int max = model.maxTargetLength();
    String best = n + "/best";
    body.node("ArgMax", n + "/ArgMax", List.of(logProbs), List.of(best), Attributes.integer("axis", 1),
        Attributes.integer("keepdims", 0), Attributes.integer("select_last_index", 0));
    String token = n + "/token";
    body.node("Where", n + "/pad_when_finished", List.of(finished, body.int64Scalar(n + "/pad_after_end", SpecialTokens.PAD), best),
        List.of(token));
    long[] columns = new long[max];
    for (int c = 0; c < max; c++) {
      columns[c] = c;
    }
    String here = n + "/column";
    body.node("Equal", n + "/column_Equal", List.of(body.int64Tensor(n + "/columns", new long[] {1, max}, columns), i),
        List.of(here));
    String tokenColumn = n + "/token_column";
    body.unsqueeze(n + "/token_Unsqueeze", token, tokenColumn, 1);
    String written = n + "/tokens_out";
    body.node("Where", n + "/write_token", List.of(here, tokenColumn, tokens), List.of(written));
    String ended = n + "/ended";
    body.node("Equal", n + "/ended_Equal", List.of(token, body.int64Scalar(n + "/eos_id", SpecialTokens.EOS)), List.of(ended));
    String done = n + "/finished_out";
    body.node("Or", n + "/finished_Or", List.of(finished, ended), List.of(done));
    return new Chosen(token, done, written);
  }

  /** A Loop body's inputs: iteration number, condition, then the loop-carried values (types only). */
  private void declareBodyInputs(GraphBuilder body, String i, String cond, List<String> carried) {
    body.claim(i);
    body.claim(cond);
    body.input(ValueInfos.valueInfo(i, DType.INT64));
    body.input(ValueInfos.boolInfo(cond));
    for (String c : carried) {
      body.claim(c);
      body.input(carriedInfo(c));
    }
  }

  /** A Loop body's outputs: the condition (passed through), the loop-carried values, the scan outputs. */
  private void declareBodyOutputs(GraphBuilder body, String cond, List<String> carried, List<String> scans) {
    String condOut = cond.replace("cond_in", "cond_out");
    body.node("Identity", condOut, List.of(cond), List.of(condOut));
    body.output(ValueInfos.boolInfo(condOut));
    for (String c : carried) {
      body.output(carriedInfo(c));
    }
    for (String s : scans) {
      body.output(ValueInfos.valueInfo(s, DType.FLOAT32, "batch", model.targetVocabulary()));
    }
  }

  /** The type of a loop-carried value, by its role. */
  private OnnxMl.ValueInfoProto carriedInfo(String name) {
    if (name.endsWith("/finished") || name.endsWith("/finished_out")) {
      return ValueInfos.boolInfo(name, "batch");
    }
    if (name.endsWith("/tokens") || name.endsWith("/tokens_out")) {
      return ValueInfos.valueInfo(name, DType.INT64, "batch", model.maxTargetLength());
    }
    if (name.endsWith("/previous") || name.endsWith("/token")) {
      return ValueInfos.valueInfo(name, DType.INT64, "batch");
    }
    return ValueInfos.valueInfo(name, DType.FLOAT32, 1, "batch", model.memoryWidth());
  }

  // ---- transformer -------------------------------------------------------------------------------

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

  private void transformer(String form, GraphBuilder g) {
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
        Greedy start = greedyStart(g);
        String bosShape = "greedy/bos_column_shape";
        g.node("Concat", "greedy/bos_column_shape_Concat", List.of(start.batch, g.int64Initializer("greedy/one", 1)),
            List.of(bosShape), Attributes.integer("axis", 0));
        String bosColumn = "greedy/bos_column";
        g.node("Expand", "greedy/bos_column_Expand", List.of(g.int64Scalar("greedy/bos_column_id", SpecialTokens.BOS),
            bosShape), List.of(bosColumn));
        GraphBuilder body = g.body("greedy_body");
        String i = "greedy/i";
        declareBodyInputs(body, i, "greedy/cond_in", List.of("greedy/finished", "greedy/tokens"));
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
        Chosen next = choose(body, "greedy", logProbs, i, "greedy/finished", "greedy/tokens");
        declareBodyOutputs(body, "greedy/cond_in", List.of(next.finished, next.tokens), List.of());
        g.node("Loop", "greedy_loop", List.of(start.trips, "", start.finished, start.tokens),
            List.of("greedy/finished_final", "tokens"), Attributes.graphAttribute("body", body.graph().build()));
      }
      default -> throw new IllegalStateException("form " + form);
    }
  }
}
