package dev.rnnx.onnx;

import ai.onnx.proto.OnnxMl;
import dev.rnnx.spec.DType;
import dev.rnnx.spec.Seq2Seq;
import dev.rnnx.spec.SpecialTokens;
import java.util.List;

/**
 * The parts of a seq2seq decoding {@code Loop} that the recurrent and the Transformer forms share:
 * the body's declared inputs and outputs (iteration number, condition, loop-carried values at fixed
 * shapes, scan outputs), the greedy loop's start values and one iteration's token choice (ArgMax,
 * PAD once finished, the token written at column i, finished |= token == EOS).
 */
final class DecoderLoops {

  private final Seq2Seq model;

  DecoderLoops(Seq2Seq model) {
    this.model = model;
  }

  /** The Loop's inputs: trip count, BOS per sequence [B], all-false [B], PAD buffer [B, max]. */
  record Start(String trips, String bos, String finished, String tokens, String batch) {}

  /** The greedy Loop's start values, computed in the main graph from the {@code source} input. */
  Start greedyStart(GraphBuilder g) {
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
    return new Start(g.int64Scalar("greedy/trip_count", max), bos, finished, tokens, batch);
  }

  /** A step's choice: the token [B], the updated flags [B] and buffer [B, max]. */
  record Chosen(String token, String finished, String tokens) {}

  /** One greedy iteration's choice from {@code logProbs} [B, V], written at column {@code i}. */
  Chosen choose(GraphBuilder body, String n, String logProbs, String i, String finished, String tokens) {
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
  void declareBodyInputs(GraphBuilder body, String i, String cond, List<String> carried) {
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
  void declareBodyOutputs(GraphBuilder body, String cond, List<String> carried, List<String> scans) {
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
}
