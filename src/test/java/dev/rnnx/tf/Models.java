package dev.rnnx.tf;

import dev.rnnx.spec.Activation;
import dev.rnnx.spec.Bidirectional;
import dev.rnnx.spec.Dense;
import dev.rnnx.spec.Embedding;
import dev.rnnx.spec.Gru;
import dev.rnnx.spec.Initializer;
import dev.rnnx.spec.Layer;
import dev.rnnx.spec.Lstm;
import dev.rnnx.spec.MergeMode;
import dev.rnnx.spec.ModelInput;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.SimpleRnn;
import dev.rnnx.spec.TimeDistributed;
import java.util.ArrayList;
import java.util.List;

/** The models the parity tests walk: every layer kind and option, with and without lengths. */
final class Models {

  private Models() {}

  private static Sequential model(String name, ModelInput input, Layer... layers) {
    return new Sequential(name, input, List.of(layers));
  }

  private static final ModelInput F3 = ModelInput.ofFeatures(3);
  private static final ModelInput F3L = ModelInput.ofFeatures(3).withLengths();

  /** Every case, each with and without lengths where the case reads sequences. */
  static List<Sequential> all() {
    List<Sequential> base = new ArrayList<>();
    // SimpleRNN: activations, sequences, backwards, state in and out
    for (Activation a : List.of(Activation.TANH, Activation.RELU, Activation.SIGMOID)) {
      base.add(model("simple_" + a, F3, SimpleRnn.builder("rnn", 5).activation(a).returnSequences(true).build()));
    }
    base.add(model("simple_state", F3, SimpleRnn.builder("rnn", 4).goBackwards(true).stateInputs(true).returnState(true).build()));
    base.add(model("simple_nobias", F3, SimpleRnn.builder("rnn", 4).useBias(false).build(),
        new Dense("dense", 2, Activation.LINEAR, true)));
    // LSTM: defaults, peepholes, backwards, state in and out, other activations
    base.add(model("lstm_last", F3, Lstm.of("lstm", 6, false), new Dense("dense", 2, Activation.LINEAR, true)));
    base.add(model("lstm_peephole", F3, Lstm.builder("lstm", 5).peephole(true).returnSequences(true).returnState(true).build()));
    // 128 units and more: one recurrent product per gate (Cell.LstmCell.PER_GATE_UNITS)
    base.add(model("lstm_wide_peephole", F3, Lstm.builder("lstm", 128).peephole(true).returnSequences(true).returnState(true)
        .build()));
    base.add(model("lstm_backwards", F3, Lstm.builder("lstm", 5).goBackwards(true).returnSequences(true).build()));
    base.add(model("lstm_state_in", F3, Lstm.builder("lstm", 4).stateInputs(true).returnState(true).peephole(true)
        .goBackwards(true).build()));
    base.add(model("lstm_acts", F3, Lstm.builder("lstm", 4).activation(Activation.SOFTSIGN)
        .recurrentActivation(Activation.HARD_SIGMOID).useBias(false).returnSequences(true).build()));
    // GRU: reset_after both ways, backwards, state in and out, other activations
    for (boolean after : new boolean[] {true, false}) {
      base.add(model("gru_reset_after_" + after, F3, Gru.builder("gru", 5).resetAfter(after).returnSequences(true)
          .returnState(true).build()));
      base.add(model("gru_backwards_state_" + after, F3, Gru.builder("gru", 4).resetAfter(after).goBackwards(true)
          .stateInputs(true).build()));
    }
    base.add(model("gru_acts", F3, Gru.builder("gru", 4).activation(Activation.ELU).recurrentActivation(Activation.HARD_SIGMOID)
        .useBias(false).returnSequences(true).build()));
    base.add(model("gru_softplus", F3, Gru.builder("gru", 4).activation(Activation.SOFTPLUS).resetAfter(false).build()));
    // Bidirectional: every merge mode, every wrapped kind, sequences or last, states
    for (MergeMode mode : MergeMode.values()) {
      base.add(model("bi_lstm_" + mode.recipeName(), F3, new Bidirectional("bi",
          Lstm.builder("inner", 4).returnSequences(true).build(), mode)));
      base.add(model("bi_gru_last_" + mode.recipeName(), F3, new Bidirectional("bi",
          Gru.builder("inner", 4).build(), mode)));
    }
    base.add(model("bi_simple_state", F3, new Bidirectional("bi",
        SimpleRnn.builder("inner", 3).returnSequences(true).returnState(true).stateInputs(true).build(), MergeMode.CONCAT)));
    base.add(model("bi_lstm_state", F3, new Bidirectional("bi",
        Lstm.builder("inner", 3).returnState(true).stateInputs(true).peephole(true).build(), MergeMode.SUM)));
    // Stacks, dense activations, time-distributed softmax
    base.add(model("stacked", F3, Gru.builder("gru", 5).returnSequences(true).build(),
        new Bidirectional("bi", Lstm.builder("inner", 4).returnSequences(true).build(), MergeMode.CONCAT),
        Lstm.builder("lstm", 3).goBackwards(true).build(), new Dense("dense", 3, Activation.SOFTMAX, true)));
    List<Layer> dense = new ArrayList<>();
    dense.add(SimpleRnn.builder("rnn", 4).returnSequences(true).build());
    int k = 0;
    for (Activation a : Activation.values()) {
      dense.add(new Dense("dense_" + k++, 4, a, true, Initializer.GLOROT_UNIFORM, Initializer.ZEROS));
    }
    base.add(new Sequential("dense_activations", F3, dense));
    base.add(model("time_distributed", F3, Lstm.builder("lstm", 5).returnSequences(true).build(),
        new TimeDistributed("td", new Dense("inner", 3, Activation.SOFTMAX, true))));
    List<Sequential> all = new ArrayList<>();
    for (Sequential m : base) {
      all.add(m);
      all.add(new Sequential(m.name() + "_lengths", F3L, m.layers()));
    }
    // Embedding (token ids) with and without lengths
    all.add(model("embedding", ModelInput.ofTokens(), new Embedding("embed", 11, 4, Initializer.EMBEDDING),
        Gru.builder("gru", 5).returnSequences(true).build(), new TimeDistributed("td", new Dense("inner", 3, Activation.SOFTMAX, true))));
    all.add(model("embedding_lengths", ModelInput.ofTokens().withLengths(), new Embedding("embed", 11, 4, Initializer.EMBEDDING),
        new Bidirectional("bi", Lstm.builder("inner", 4).build(), MergeMode.AVE), new Dense("dense", 3, Activation.SOFTMAX, true)));
    return all;
  }
}
