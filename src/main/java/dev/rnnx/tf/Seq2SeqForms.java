package dev.rnnx.tf;

import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.ParameterSpec;
import dev.rnnx.spec.Seq2Seq;
import dev.rnnx.weights.Weights;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * The serving forms of a {@link Seq2Seq} model ({@link Seq2Seq#forms()}): {@code training},
 * {@code encoder}, {@code decoder_step} and {@code greedy_decoder}, each its own graph with the
 * weights as constants, all built on {@link Seq2SeqGraph}. The RNN forms pad sources to
 * {@code max_source_length} and targets to {@code max_target_length}, run the unrolled
 * recurrences the training graph runs, and slice the outputs back to the inputs' lengths.
 */
final class Seq2SeqForms {

  private Seq2SeqForms() {}

  /** Every form, by name, in {@link Seq2Seq#forms()} order. */
  static Map<String, TfForm> build(Seq2Seq model, Weights weights) {
    Map<String, TfForm> forms = new LinkedHashMap<>();
    try {
      for (ModelForm form : model.forms()) {
        forms.put(form.name(), build(model, weights, form));
      }
      return forms;
    } catch (RuntimeException | Error e) {
      forms.values().forEach(TfForm::close);
      throw e;
    }
  }

  private static TfForm build(Seq2Seq model, Weights weights, ModelForm form) {
    return TfGraphForm.build(model.name(), form, (graph, tf, in) -> {
      Seq2SeqGraph g = new Seq2SeqGraph(model, tf, constants(tf, model, weights));
      Map<String, Operand<?>> out = new LinkedHashMap<>();
      int v = model.targetVocabulary();
      int h = model.memoryWidth();
      switch (form.name()) {
        case ModelForm.TRAINING -> {
          Operand<TInt64> source = in.get("source").asOutput().expect(TInt64.class);
          Operand<TInt64> target = in.get("target").asOutput().expect(TInt64.class);
          Seq2SeqGraph.Encoded enc = encode(g, source, lengths(in));
          Operand<TFloat32> logits;
          if (model.recurrent()) {
            int maxT = model.maxTargetLength();
            logits = sliceSteps(tf, g.logits(enc, padSteps(tf, target, maxT), maxT), AttentionOps.size(tf, target, 1));
          } else {
            logits = g.logits(enc, target, -1);
          }
          out.put("log_probs", GraphShapes.declare(tf, TfActivations.lastAxis(tf, tf.reshape(logits,
              tf.concat(List.of(GraphShapes.dims(tf, target, 0, 1), tf.constant(new int[] {v})), tf.constant(0))), tf.nn::logSoftmax),
              -1, -1, v));
        }
        case ModelForm.ENCODER -> {
          Seq2SeqGraph.Encoded enc = encode(g, in.get("source").asOutput().expect(TInt64.class), lengths(in));
          out.put("memory", GraphShapes.declare(tf, enc.memory(), -1, -1, h));
          for (int i = 0; i < enc.states().size(); i++) {
            out.put("state_" + g.stateNames().get(i), GraphShapes.declare(tf, enc.states().get(i), -1, h));
          }
        }
        case ModelForm.DECODER_STEP -> {
          Operand<TFloat32> memory = in.containsKey("memory") ? in.get("memory").asOutput().expect(TFloat32.class) : null;
          Seq2SeqGraph.Encoded enc = new Seq2SeqGraph.Encoded(memory, List.of(), in.containsKey("source_lengths") ? lengths(in) : null);
          if (model.recurrent()) {
            List<Operand<TFloat32>> states = new ArrayList<>();
            g.stateNames().forEach(s -> states.add(in.get("state_" + s).asOutput().expect(TFloat32.class)));
            Seq2SeqGraph.Step step = g.rnnStep(enc, in.get("token").asOutput().expect(TInt64.class), states);
            out.put("log_probs", GraphShapes.declare(tf, tf.nn.logSoftmax(step.logits()), -1, v));
            for (int i = 0; i < states.size(); i++) {
              out.put("new_state_" + g.stateNames().get(i), GraphShapes.declare(tf, step.states().get(i), -1, h));
            }
            if (step.attention() != null) {
              out.put("attention", GraphShapes.declare(tf, step.attention(), -1, -1));
            }
          } else {
            Operand<TFloat32> logits = g.transformerNext(enc, in.get("target").asOutput().expect(TInt64.class));
            out.put("log_probs", GraphShapes.declare(tf, tf.nn.logSoftmax(logits), -1, v));
          }
        }
        case ModelForm.DECODER_CROSS_CACHE, ModelForm.DECODER_STEP_CACHED -> new TransformerCachedGraph(model, tf, g.params)
            .build(form.name(), in, out);
        case ModelForm.GREEDY_DECODER -> out.put("tokens", GreedyDecoder.build(graph, tf, g, in.get("source").asOutput()
            .expect(TInt64.class), lengths(in)));
        default -> throw new IllegalArgumentException("no TensorFlow graph for form '" + form.name() + "'");
      }
      return out;
    });
  }

  private static Operand<TInt32> lengths(Map<String, Operand<?>> in) {
    return in.get("source_lengths").asOutput().expect(TInt32.class);
  }

  /** The encoder on any S: a Transformer directly, an RNN on the source padded to max_source_length, memory sliced back. */
  private static Seq2SeqGraph.Encoded encode(Seq2SeqGraph g, Operand<TInt64> source, Operand<TInt32> lengths) {
    if (!g.model.recurrent()) {
      return g.encode(source, lengths, -1);
    }
    int maxS = g.model.maxSourceLength();
    Seq2SeqGraph.Encoded padded = g.encode(padSteps(g.tf, source, maxS), lengths, maxS);
    return new Seq2SeqGraph.Encoded(sliceSteps(g.tf, padded.memory(), AttentionOps.size(g.tf, source, 1)), padded.states(), lengths);
  }

  /** Ids {@code [B, n]} padded with PAD (0) to {@code [B, max]}. */
  static Operand<TInt64> padSteps(Ops tf, Operand<TInt64> ids, int max) {
    Operand<TInt32> extra = tf.math.sub(tf.constant(max), AttentionOps.size(tf, ids, 1));
    Operand<TInt32> paddings = tf.reshape(tf.concat(List.of(tf.constant(new int[] {0, 0, 0}), tf.expandDims(extra, tf.constant(0))),
        tf.constant(0)), tf.constant(new int[] {2, 2}));
    return tf.pad(ids, paddings, tf.constant(0L));
  }

  /** The first {@code steps} steps of {@code x [B, n, d]}. */
  static Operand<TFloat32> sliceSteps(Ops tf, Operand<TFloat32> x, Operand<TInt32> steps) {
    Operand<TInt32> size = tf.concat(List.of(tf.constant(new int[] {-1}), tf.expandDims(steps, tf.constant(0)),
        tf.constant(new int[] {-1})), tf.constant(0));
    return tf.slice(x, tf.constant(new int[] {0, 0, 0}), size);
  }

  /** The weights as graph constants named {@code <part>/<role>}. */
  static TfParameters constants(Ops tf, Seq2Seq model, Weights weights) {
    Map<String, Operand<TFloat32>> constants = new LinkedHashMap<>();
    for (ParameterSpec p : model.parameters()) {
      constants.put(p.name(), TfTensors.constant(TfNames.named(tf, p.name()), weights.get(p.name())));
    }
    return TfParameters.of(constants);
  }
}
