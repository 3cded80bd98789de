package dev.rnnx.tf;

import dev.rnnx.ref.DoubleTensor;
import dev.rnnx.ref.RefInput;
import dev.rnnx.ref.RefLayers;
import dev.rnnx.spec.Cell;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Gru;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.Lstm;
import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.RecurrentLayer;
import dev.rnnx.spec.RnnDecoder;
import dev.rnnx.spec.RnnEncoder;
import dev.rnnx.spec.Seq2Seq;
import dev.rnnx.spec.Tensor;
import dev.rnnx.spec.TransformerStack;
import dev.rnnx.weights.Weights;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The seq2seq forms in double precision, written from {@link Seq2Seq}'s and {@link RnnDecoder}'s
 * Javadoc: the recurrent cells are {@code ref}'s LSTM and GRU forwards (one call per step for the
 * attention decoder), attention and Transformer blocks are {@link OracleMath}'s.
 */
final class Seq2SeqOracle {

  private final Seq2Seq model;
  private final Weights w;

  Seq2SeqOracle(Seq2Seq model, Weights weights) {
    this.model = model;
    this.w = weights;
  }

  Map<String, DoubleTensor> run(String form, Map<String, ? extends Tensor> in) {
    Map<String, DoubleTensor> out = new LinkedHashMap<>();
    switch (form) {
      case ModelForm.TRAINING -> {
        Encoded e = encode((LongTensor) in.get("source"), ints(in.get("source_lengths")));
        out.put("log_probs", teacherForced(e, (LongTensor) in.get("target")));
      }
      case ModelForm.ENCODER -> {
        Encoded e = encode((LongTensor) in.get("source"), ints(in.get("source_lengths")));
        out.put("memory", OracleMath.from3(e.memory));
        if (model.recurrent()) {
          List<String> states = ((RnnEncoder) model.encoder()).cell().states();
          for (int i = 0; i < states.size(); i++) {
            out.put("state_" + states.get(i), OracleMath.from2(e.states.get(i)));
          }
        }
      }
      case ModelForm.DECODER_STEP -> {
        double[][][] memory = in.containsKey("memory") ? OracleMath.to3(DoubleTensor.of((FloatTensor) in.get("memory"))) : null;
        int[] lengths = in.containsKey("source_lengths") ? ints(in.get("source_lengths")) : null;
        if (model.recurrent()) {
          List<String> names = ((RnnEncoder) model.encoder()).cell().states();
          List<double[][]> states = names.stream().map(s -> to2((FloatTensor) in.get("state_" + s))).toList();
          Step step = rnnStep(((LongTensor) in.get("token")).data(), states, memory, lengths);
          out.put("log_probs", OracleMath.from2(step.logProbs));
          for (int i = 0; i < names.size(); i++) {
            out.put("state_" + names.get(i), OracleMath.from2(step.states.get(i)));
          }
          if (step.alpha != null) {
            out.put("attention", OracleMath.from2(step.alpha));
          }
        } else {
          LongTensor target = (LongTensor) in.get("target");
          double[][][] hidden = transformerDecoder(target, memory, lengths);
          int t = hidden[0].length - 1;
          double[][] last = new double[hidden.length][];
          for (int b = 0; b < hidden.length; b++) {
            last[b] = OracleMath.logSoftmax(OracleMath.affine(hidden[b][t], OracleMath.mat(w, "output/kernel"),
                OracleMath.vec(w, "output/bias")));
          }
          out.put("log_probs", OracleMath.from2(last));
        }
      }
      default -> throw new IllegalArgumentException("no oracle for form " + form);
    }
    return out;
  }

  record Encoded(double[][][] memory, List<double[][]> states, int[] lengths) {}

  record Step(double[][] logProbs, List<double[][]> states, double[][] alpha) {}

  static int[] ints(Tensor t) {
    return ((LongTensor) t).toIntArray();
  }

  static double[][] to2(FloatTensor t) {
    int b = (int) t.dim(0);
    int d = (int) t.dim(1);
    double[][] x = new double[b][d];
    for (int i = 0; i < b; i++) {
      for (int j = 0; j < d; j++) {
        x[i][j] = t.data()[i * d + j];
      }
    }
    return x;
  }

  static double[][] to2(DoubleTensor t) {
    int b = t.dim(0);
    int d = t.dim(1);
    double[][] x = new double[b][d];
    for (int i = 0; i < b; i++) {
      System.arraycopy(t.data(), i * d, x[i], 0, d);
    }
    return x;
  }

  private double[][][] embed(String table, LongTensor ids) {
    double[][] e = OracleMath.mat(w, table + "/embeddings");
    int b = (int) ids.dim(0);
    int t = (int) ids.dim(1);
    double[][][] x = new double[b][t][];
    for (int i = 0; i < b; i++) {
      for (int j = 0; j < t; j++) {
        x[i][j] = e[(int) ids.data()[i * t + j]].clone();
      }
    }
    return x;
  }

  private RecurrentLayer rnn(String name, boolean stateInputs) {
    Cell cell = ((RnnEncoder) model.encoder()).cell();
    int h = model.memoryWidth();
    return cell == Cell.LSTM
        ? Lstm.builder(name, h).returnSequences(true).returnState(true).stateInputs(stateInputs).build()
        : Gru.builder(name, h).resetAfter(true).returnSequences(true).returnState(true).stateInputs(stateInputs).build();
  }

  /** ref's recurrent forward: outputs [sequence, h(, c)]. */
  private List<DoubleTensor> runRnn(RecurrentLayer layer, double[][][] x, int[] lengths, List<double[][]> initial) {
    Map<String, DoubleTensor> states = new LinkedHashMap<>();
    if (initial != null) {
      for (int i = 0; i < layer.states().size(); i++) {
        states.put(layer.states().get(i), OracleMath.from2(initial.get(i)));
      }
    }
    return RefLayers.forward(layer).forward(layer, new RefInput(OracleMath.from3(x), lengths, states), w);
  }

  Encoded encode(LongTensor source, int[] lengths) {
    if (model.recurrent()) {
      List<DoubleTensor> out = runRnn(rnn("encoder", false), embed("source_embedding", source), lengths, null);
      List<double[][]> states = out.subList(1, out.size()).stream().map(Seq2SeqOracle::to2).toList();
      return new Encoded(OracleMath.to3(out.get(0)), states, lengths);
    }
    TransformerStack enc = (TransformerStack) model.encoder();
    double[][][] x = OracleMath.positions(embed("source_embedding", source), true);
    for (int i = 0; i < enc.layers(); i++) {
      x = OracleMath.encoderBlock(w, "encoder/block_" + i, enc.heads(), enc.epsilon(), false, x, lengths);
    }
    return new Encoded(x, List.of(), lengths);
  }

  private double[][][] transformerDecoder(LongTensor target, double[][][] memory, int[] lengths) {
    TransformerStack dec = (TransformerStack) model.decoder();
    double[][][] y = OracleMath.positions(embed("target_embedding", target), true);
    for (int i = 0; i < dec.layers(); i++) {
      y = OracleMath.decoderBlock(w, "decoder/block_" + i, dec.heads(), dec.epsilon(), y, memory, lengths);
    }
    return y;
  }

  DoubleTensor teacherForced(Encoded e, LongTensor target) {
    int b = (int) target.dim(0);
    int t = (int) target.dim(1);
    double[][] wo = OracleMath.mat(w, "output/kernel");
    double[] bo = OracleMath.vec(w, "output/bias");
    double[][][] logProbs = new double[b][t][];
    if (!model.recurrent()) {
      double[][][] hidden = transformerDecoder(target, e.memory, e.lengths);
      for (int i = 0; i < b; i++) {
        for (int j = 0; j < t; j++) {
          logProbs[i][j] = OracleMath.logSoftmax(OracleMath.affine(hidden[i][j], wo, bo));
        }
      }
      return OracleMath.from3(logProbs);
    }
    RnnDecoder dec = (RnnDecoder) model.decoder();
    if (!dec.attends()) {
      List<DoubleTensor> out = runRnn(rnn("decoder", true), embed("target_embedding", target), null, e.states);
      double[][][] h = OracleMath.to3(out.get(0));
      for (int i = 0; i < b; i++) {
        for (int j = 0; j < t; j++) {
          logProbs[i][j] = OracleMath.logSoftmax(OracleMath.affine(h[i][j], wo, bo));
        }
      }
      return OracleMath.from3(logProbs);
    }
    List<double[][]> states = e.states;
    for (int j = 0; j < t; j++) {
      long[] tokens = new long[b];
      for (int i = 0; i < b; i++) {
        tokens[i] = target.data()[i * t + j];
      }
      Step step = rnnStep(tokens, states, e.memory, e.lengths);
      for (int i = 0; i < b; i++) {
        logProbs[i][j] = step.logProbs[i];
      }
      states = step.states;
    }
    return OracleMath.from3(logProbs);
  }

  /** One decoder step from {@code tokens}: Bahdanau's ordering when attending. */
  Step rnnStep(long[] tokens, List<double[][]> states, double[][][] memory, int[] lengths) {
    RnnDecoder dec = (RnnDecoder) model.decoder();
    int b = tokens.length;
    double[][] e = OracleMath.mat(w, "target_embedding/embeddings");
    double[][][] x = new double[b][1][];
    double[][] alpha = dec.attends() ? new double[b][] : null;
    double[][] context = dec.attends() ? new double[b][] : null;
    for (int i = 0; i < b; i++) {
      x[i][0] = e[(int) tokens[i]].clone();
      if (dec.attends()) {
        int s = memory[i].length;
        alpha[i] = OracleMath.weights(w, "attention", dec.attention(), states.get(0)[i], memory[i],
            OracleMath.allowed(s, s, lengths, i, false));
        context[i] = OracleMath.weightedSum(alpha[i], memory[i]);
        x[i][0] = OracleMath.concat(x[i][0], context[i]);
      }
    }
    List<DoubleTensor> out = runRnn(rnn("decoder", true), x, null, states);
    List<double[][]> next = out.subList(1, out.size()).stream().map(Seq2SeqOracle::to2).toList();
    double[][] wo = OracleMath.mat(w, "output/kernel");
    double[] bo = OracleMath.vec(w, "output/bias");
    double[][] logProbs = new double[b][];
    for (int i = 0; i < b; i++) {
      double[] h = next.get(0)[i];
      logProbs[i] = OracleMath.logSoftmax(OracleMath.affine(dec.attends() ? OracleMath.concat(h, context[i]) : h, wo, bo));
    }
    return new Step(logProbs, next, alpha);
  }
}
