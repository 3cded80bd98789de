package dev.rnnx.tf;

import dev.rnnx.spec.ParameterSpec;
import dev.rnnx.spec.SpecialTokens;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * Greedy decoding in one TensorFlow graph (the {@code greedy_decoder} form): the encoder once, then
 * a forward-only {@code whileLoop} of decoder steps from BOS, each taking the argmax (the lower id
 * on a tie) of the next-token distribution, until every sequence has produced EOS or
 * {@code max_target_length} tokens exist. The output {@code tokens [B, max_target_length]} holds
 * each sequence's tokens up to and including its EOS, then PAD. An RNN carries its states and the
 * last token; a Transformer re-runs its decoder on the whole prefix each step. The loop body cannot
 * capture outer values, so the memory, the lengths and every parameter travel as loop variables.
 */
final class GreedyDecoder {

  private GreedyDecoder() {}

  static Operand<TInt64> build(Graph graph, Ops tf, Seq2SeqGraph g, Operand<TInt64> source, Operand<TInt32> lengths) {
    Seq2SeqGraph.Encoded enc = encode(g, source, lengths);
    boolean recurrent = g.model.recurrent();
    int maxT = g.model.maxTargetLength();
    Operand<TInt32> batch = AttentionOps.size(tf, source, 0);
    List<Output<?>> vars = new ArrayList<>();
    vars.add(tf.constant(0).asOutput()); // 0: step
    vars.add(tf.zeros(tf.stack(List.of(batch, tf.constant(0))), TInt64.class).asOutput()); // 1: tokens emitted [B, i]
    // 2: the decoder input: the last token [B] (RNN) or the prefix [B, i+1] (Transformer), BOS first
    Operand<TInt64> bos = tf.fill(recurrent ? tf.expandDims(batch, tf.constant(0)) : tf.stack(List.of(batch, tf.constant(1))),
        tf.constant((long) SpecialTokens.BOS));
    vars.add(bos.asOutput());
    vars.add(tf.fill(tf.expandDims(batch, tf.constant(0)), tf.constant(false)).asOutput()); // 3: done [B]
    vars.add(enc.memory().asOutput()); // 4
    vars.add(lengths.asOutput()); // 5
    final int s0 = vars.size();
    enc.states().forEach(s -> vars.add(s.asOutput()));
    final int nStates = enc.states().size();
    final int p0 = vars.size();
    List<String> names = g.model.parameters().stream().map(ParameterSpec::name).toList();
    for (String name : names) {
      vars.add(g.params.get(name).asOutput());
    }
    Output<?>[] done = graph.whileLoop(vars.toArray(new Output<?>[0]),
        (cond, in, out) -> {
          Ops t = Ops.create(cond);
          Operand<TBool> more = t.math.less(in[0].expect(TInt32.class), t.constant(maxT));
          Operand<TBool> open = t.math.logicalNot(t.all(in[3].expect(TBool.class), t.constant(0)));
          out[0] = t.math.logicalAnd(more, open).asOutput();
        },
        (body, in, out) -> {
          Ops t = Ops.create(body);
          Map<String, Operand<TFloat32>> params = new LinkedHashMap<>();
          for (int k = 0; k < names.size(); k++) {
            params.put(names.get(k), in[p0 + k].expect(TFloat32.class));
          }
          Seq2SeqGraph step = new Seq2SeqGraph(g.model, t, TfParameters.of(params));
          Seq2SeqGraph.Encoded e = new Seq2SeqGraph.Encoded(in[4].expect(TFloat32.class), List.of(), in[5].expect(TInt32.class));
          Operand<TFloat32> logits;
          List<Operand<TFloat32>> states = new ArrayList<>();
          for (int k = 0; k < nStates; k++) {
            states.add(in[s0 + k].expect(TFloat32.class));
          }
          if (recurrent) {
            Seq2SeqGraph.Step s = step.rnnStep(e, in[2].expect(TInt64.class), states);
            logits = s.logits();
            states = s.states();
          } else {
            logits = step.transformerNext(e, in[2].expect(TInt64.class));
          }
          Operand<TInt64> best = t.math.argMax(logits, t.constant(-1), TInt64.class);
          Operand<TBool> finished = in[3].expect(TBool.class);
          Operand<TInt64> emitted = t.select(finished, t.zerosLike(best), best); // PAD once finished
          for (int k = 0; k < in.length; k++) {
            out[k] = in[k];
          }
          out[0] = t.math.add(in[0].expect(TInt32.class), t.constant(1)).asOutput();
          out[1] = t.concat(List.of(in[1].expect(TInt64.class), t.expandDims(emitted, t.constant(1))), t.constant(1)).asOutput();
          out[2] = recurrent ? best.asOutput()
              : t.concat(List.of(in[2].expect(TInt64.class), t.expandDims(best, t.constant(1))), t.constant(1)).asOutput();
          out[3] = t.math.logicalOr(finished, t.math.equal(best, t.constant((long) SpecialTokens.EOS))).asOutput();
          for (int k = 0; k < nStates; k++) {
            out[s0 + k] = states.get(k).asOutput();
          }
        },
        "greedy_decoder");
    Operand<TInt64> tokens = Seq2SeqForms.padSteps(tf, done[1].expect(TInt64.class), maxT);
    return tf.ensureShape(tokens, org.tensorflow.ndarray.Shape.of(-1, maxT));
  }

  private static Seq2SeqGraph.Encoded encode(Seq2SeqGraph g, Operand<TInt64> source, Operand<TInt32> lengths) {
    if (!g.model.recurrent()) {
      return g.encode(source, lengths, -1);
    }
    int maxS = g.model.maxSourceLength();
    Seq2SeqGraph.Encoded padded = g.encode(Seq2SeqForms.padSteps(g.tf, source, maxS), lengths, maxS);
    return new Seq2SeqGraph.Encoded(Seq2SeqForms.sliceSteps(g.tf, padded.memory(), AttentionOps.size(g.tf, source, 1)),
        padded.states(), lengths);
  }
}
