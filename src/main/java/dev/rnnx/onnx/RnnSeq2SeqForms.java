package dev.rnnx.onnx;

import dev.rnnx.spec.Cell;
import dev.rnnx.spec.Gru;
import dev.rnnx.spec.Lstm;
import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.RecurrentLayer;
import dev.rnnx.spec.RnnDecoder;
import dev.rnnx.spec.RnnEncoder;
import dev.rnnx.spec.Seq2Seq;
import dev.rnnx.weights.Weights;
import java.util.ArrayList;
import java.util.List;

/**
 * The recurrent forms of a {@link Seq2Seq} model, for {@link Seq2SeqForms}. The cells are ONE
 * native {@code LSTM}/{@code GRU} node each; gates, layouts and {@code linear_before_reset} as in
 * {@link RecurrentConverter}:
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
 * Every Loop body reads the weights and the encoder outputs of the main graph by name.
 */
final class RnnSeq2SeqForms {

  private final Seq2Seq model;
  private final Weights weights;
  private final DecoderLoops loops;
  private final RecurrentConverter cells = new RecurrentConverter(GateLayout.load());

  RnnSeq2SeqForms(Seq2Seq model, Weights weights, DecoderLoops loops) {
    this.model = model;
    this.weights = weights;
    this.loops = loops;
  }

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

  /** Builds form {@code form} into {@code g}. */
  void build(String form, GraphBuilder g) {
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
          loops.declareBodyInputs(body, i, "decoder_loop/cond_in", carriedIn);
          String e = "decoder_loop/embedded";
          body.node("Gather", "decoder_loop/step_input", List.of(timeMajor, i), List.of(e), Attributes.integer("axis", 0));
          Step s = step(body, "decoder_loop", e, carriedIn.get(0), lstm() ? carriedIn.get(1) : null, enc.memory, valid,
              "decoder_loop/log_probs");
          List<String> carriedOut = lstm() ? List.of(s.h, s.c) : List.of(s.h);
          loops.declareBodyOutputs(body, "decoder_loop/cond_in", carriedOut, List.of(s.logProbs));
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
        DecoderLoops.Start start = loops.greedyStart(g);
        GraphBuilder body = g.body("greedy_body");
        String i = "greedy/i";
        List<String> carriedIn = new ArrayList<>(List.of("greedy/previous", "greedy/h_in"));
        if (lstm()) {
          carriedIn.add("greedy/c_in");
        }
        carriedIn.addAll(List.of("greedy/finished", "greedy/tokens"));
        loops.declareBodyInputs(body, i, "greedy/cond_in", carriedIn);
        String embedded = embedTarget(body, "greedy", "greedy/previous");
        Step s = step(body, "greedy", embedded, "greedy/h_in", lstm() ? "greedy/c_in" : null, enc.memory, valid,
            "greedy/log_probs");
        DecoderLoops.Chosen next = loops.choose(body, "greedy", s.logProbs, i, "greedy/finished", "greedy/tokens");
        List<String> carriedOut = new ArrayList<>(List.of(next.token(), s.h));
        if (lstm()) {
          carriedOut.add(s.c);
        }
        carriedOut.addAll(List.of(next.finished(), next.tokens()));
        loops.declareBodyOutputs(body, "greedy/cond_in", carriedOut, List.of());
        List<String> loopIn = new ArrayList<>(List.of(start.trips(), "", start.bos(), enc.h));
        if (lstm()) {
          loopIn.add(enc.c);
        }
        loopIn.addAll(List.of(start.finished(), start.tokens()));
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
}
