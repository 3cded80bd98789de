package dev.rnnx.onnx;

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
import dev.rnnx.spec.RecurrentLayer;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.SimpleRnn;
import dev.rnnx.spec.TimeDistributed;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every recurrent kind and option, exported with seeded random weights and run on raw ONNX Runtime
 * and on the reference evaluator, both against {@link KerasOracle} at atol 1e-5 ({@link Parity}).
 * Batches of 6 sequences of 6 steps hold every length 1 … 6 when the model reads lengths.
 */
class RecurrentParityTest {

  private static final int FEATURES = 3;
  private static final int BATCH = 6;
  private static final int TIME = 6;

  /** Builds one recurrent layer with the options every case varies. */
  interface Cell {
    RecurrentLayer make(String name, boolean returnSequences, boolean returnState, boolean goBackwards, boolean stateInputs);
  }

  /** The recurrent kinds, with their variants. */
  static List<Arguments> cells() {
    return List.of(
        Arguments.of("simple_rnn tanh", simpleRnn(Activation.TANH)),
        Arguments.of("simple_rnn relu", simpleRnn(Activation.RELU)),
        Arguments.of("simple_rnn sigmoid", simpleRnn(Activation.SIGMOID)),
        Arguments.of("lstm", lstm(false, Activation.SIGMOID, Activation.TANH)),
        Arguments.of("lstm peephole", lstm(true, Activation.SIGMOID, Activation.TANH)),
        Arguments.of("gru reset_after", gru(true, Activation.SIGMOID, Activation.TANH)),
        Arguments.of("gru reset_before", gru(false, Activation.SIGMOID, Activation.TANH)));
  }

  static Cell simpleRnn(Activation a) {
    return (name, seq, state, back, stateIn) -> SimpleRnn.builder(name, 5).activation(a).returnSequences(seq)
        .returnState(state).goBackwards(back).stateInputs(stateIn).build();
  }

  static Cell lstm(boolean peephole, Activation recurrent, Activation a) {
    return (name, seq, state, back, stateIn) -> Lstm.builder(name, 4).peephole(peephole).recurrentActivation(recurrent)
        .activation(a).returnSequences(seq).returnState(state).goBackwards(back).stateInputs(stateIn).build();
  }

  static Cell gru(boolean resetAfter, Activation recurrent, Activation a) {
    return (name, seq, state, back, stateIn) -> Gru.builder(name, 4).resetAfter(resetAfter).recurrentActivation(recurrent)
        .activation(a).returnSequences(seq).returnState(state).goBackwards(back).stateInputs(stateIn).build();
  }

  private static ModelInput features(boolean lengths) {
    return lengths ? ModelInput.ofFeatures(FEATURES).withLengths() : ModelInput.ofFeatures(FEATURES);
  }

  /**
   * Each kind with go_backwards on and off, sequence or last output, lengths or none; return_state
   * and state inputs vary with them so that every pair of options meets.
   */
  static Stream<Arguments> singleDirection() {
    List<Arguments> cases = new ArrayList<>();
    for (Arguments c : cells()) {
      for (boolean back : new boolean[] {false, true}) {
        for (boolean seq : new boolean[] {true, false}) {
          for (boolean lengths : new boolean[] {true, false}) {
            boolean state = seq == lengths;
            boolean stateIn = back != seq;
            String label = c.get()[0] + (back ? " go_backwards" : "") + (seq ? " sequences" : " last")
                + (lengths ? " lengths" : "") + (state ? " return_state" : "") + (stateIn ? " state_inputs" : "");
            RecurrentLayer layer = ((Cell) c.get()[1]).make("rnn", seq, state, back, stateIn);
            cases.add(Arguments.of(label, new Sequential("single", features(lengths), List.of(layer))));
          }
        }
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("singleDirection")
  void singleDirectionMatchesOracle(String label, Sequential model) throws Exception {
    check(label, model, 17);
  }

  /** Bidirectional layers: each merge mode over each kind, sequence and last output, with lengths. */
  static Stream<Arguments> bidirectional() {
    List<Arguments> cases = new ArrayList<>();
    int k = 0;
    for (Arguments c : cells()) {
      String kind = (String) c.get()[0];
      if (kind.equals("simple_rnn relu") || kind.equals("simple_rnn sigmoid")) {
        continue;
      }
      for (MergeMode merge : MergeMode.values()) {
        for (boolean seq : new boolean[] {true, false}) {
          boolean state = k % 3 == 0;
          boolean stateIn = k % 2 == 1;
          boolean lengths = k % 7 != 3;
          k++;
          String label = "bidirectional " + kind + " " + merge.recipeName() + (seq ? " sequences" : " last")
              + (lengths ? " lengths" : "") + (state ? " return_state" : "") + (stateIn ? " state_inputs" : "");
          RecurrentLayer inner = ((Cell) c.get()[1]).make("inner", seq, state, false, stateIn);
          cases.add(Arguments.of(label, new Sequential("bi", features(lengths), List.of(new Bidirectional("bi", inner, merge)))));
        }
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bidirectional")
  void bidirectionalMatchesOracle(String label, Sequential model) throws Exception {
    check(label, model, 17);
  }

  /** hard_sigmoid, softsign, softplus and elu inside every recurrent op and after dense layers; softmax heads. */
  static Stream<Arguments> activations() {
    List<Arguments> cases = new ArrayList<>();
    for (Activation a : List.of(Activation.HARD_SIGMOID, Activation.SOFTSIGN, Activation.SOFTPLUS, Activation.ELU)) {
      String n = a.recipeName();
      cases.add(Arguments.of("simple_rnn " + n + " go_backwards lengths",
          new Sequential("act", features(true), List.of(simpleRnn(a).make("rnn", true, true, true, false)))));
      cases.add(Arguments.of("lstm activation " + n,
          new Sequential("act", features(true), List.of(lstm(false, Activation.SIGMOID, a).make("lstm", true, true, false, true)))));
      cases.add(Arguments.of("lstm peephole recurrent_activation " + n,
          new Sequential("act", features(false), List.of(lstm(true, a, Activation.TANH).make("lstm", false, true, false, false)))));
      cases.add(Arguments.of("gru activation " + n + " recurrent_activation " + n,
          new Sequential("act", features(true), List.of(gru(false, a, a).make("gru", true, false, false, false)))));
      cases.add(Arguments.of("bidirectional gru recurrent_activation " + n,
          new Sequential("act", features(true), List.of(new Bidirectional("bi",
              gru(true, a, Activation.TANH).make("gru", true, true, false, false), MergeMode.CONCAT)))));
      cases.add(Arguments.of("dense " + n + " after lstm",
          new Sequential("act", features(false), List.of(Lstm.of("lstm", 4, false), new Dense("dense", 3, a, true)))));
      cases.add(Arguments.of("time_distributed " + n,
          new Sequential("act", features(true), List.of(Gru.builder("gru", 4).returnSequences(true).build(),
              new TimeDistributed("td", new Dense("inner", 3, a, true))))));
    }
    cases.add(Arguments.of("dense softmax after lstm",
        new Sequential("act", features(false), List.of(Lstm.of("lstm", 4, false), new Dense("dense", 5, Activation.SOFTMAX, true)))));
    cases.add(Arguments.of("time_distributed softmax with lengths",
        new Sequential("act", features(true), List.of(Lstm.of("lstm", 4, true),
            new TimeDistributed("td", new Dense("inner", 5, Activation.SOFTMAX, true))))));
    cases.add(Arguments.of("dense softmax on a sequence, no bias",
        new Sequential("act", features(false), List.of(SimpleRnn.builder("rnn", 4).returnSequences(true).build(),
            new Dense("dense", 5, Activation.SOFTMAX, false)))));
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("activations")
  void activationsMatchOracle(String label, Sequential model) throws Exception {
    check(label, model, 17);
  }

  static Embedding embedding() {
    return new Embedding("embedding", 11, 4, Initializer.EMBEDDING);
  }

  /** Stacks: embeddings (int64 ids), several recurrent layers, heads; lengths and state inputs throughout. */
  static Stream<Arguments> stacks() {
    return Stream.of(
        Arguments.of("embedding -> bi-gru concat -> lstm go_backwards -> time_distributed softmax, lengths",
            taggerStack()),
        Arguments.of("embedding -> simple_rnn -> gru return_state, no lengths",
            new Sequential("stack", ModelInput.ofTokens(), List.of(embedding(),
                SimpleRnn.builder("rnn", 5).returnSequences(true).build(),
                Gru.builder("gru", 4).returnState(true).build()))),
        Arguments.of("lstm state_inputs -> bi-lstm peephole sum state_inputs return_state, lengths",
            new Sequential("stack", features(true), List.of(
                Lstm.builder("lstm", 5).returnSequences(true).stateInputs(true).build(),
                new Bidirectional("bi", Lstm.builder("inner", 3).peephole(true).stateInputs(true).returnState(true).build(),
                    MergeMode.SUM)))),
        Arguments.of("gru go_backwards -> simple_rnn go_backwards -> dense, lengths",
            new Sequential("stack", features(true), List.of(
                Gru.builder("gru", 5).returnSequences(true).goBackwards(true).build(),
                SimpleRnn.builder("rnn", 4).returnSequences(true).goBackwards(true).stateInputs(true).build(),
                new Dense("dense", 2, Activation.TANH, true)))),
        Arguments.of("embedding -> bi-rnn ave -> bi-gru mul last, lengths",
            new Sequential("stack", ModelInput.ofTokens().withLengths(), List.of(embedding(),
                new Bidirectional("bi1", SimpleRnn.builder("inner", 4).returnSequences(true).build(), MergeMode.AVE),
                new Bidirectional("bi2", Gru.builder("inner", 3).build(), MergeMode.MUL)))));
  }

  static Sequential taggerStack() {
    return new Sequential("tagger", ModelInput.ofTokens().withLengths(), List.of(embedding(),
        new Bidirectional("bigru", Gru.builder("inner", 4).returnSequences(true).build(), MergeMode.CONCAT),
        Lstm.builder("lstm", 5).returnSequences(true).goBackwards(true).build(),
        new TimeDistributed("tags", new Dense("inner", 3, Activation.SOFTMAX, true))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stacks")
  void stacksMatchOracle(String label, Sequential model) throws Exception {
    check(label, model, 17);
  }

  /** The tagger stack at every opset that has ReverseSequence, longer sequences too. */
  static Stream<Arguments> opsets() {
    return Stream.of(10, 11, 13, 14, 17, 18, 21, 22).map(Arguments::of);
  }

  @ParameterizedTest(name = "tagger stack at opset {0}")
  @MethodSource("opsets")
  void everyOpsetMatchesOracle(int opset) throws Exception {
    Sequential model = taggerStack();
    Parity.check("tagger stack, opset " + opset + ", T 25", model, TestModels.randomWeights(model, 5, 1.0),
        TestModels.randomInputs(model, 30, 25, opset), opset);
  }

  /** Opset 9 has no ReverseSequence: everything else still exports there. */
  @org.junit.jupiter.api.Test
  void opset9MatchesOracleWithoutGoBackwardsSequences() throws Exception {
    Sequential model = new Sequential("old", ModelInput.ofTokens().withLengths(), List.of(embedding(),
        new Bidirectional("bi", Lstm.builder("inner", 4).peephole(true).returnSequences(true).stateInputs(true).build(),
            MergeMode.AVE),
        Gru.builder("gru", 3).goBackwards(true).returnState(true).resetAfter(false).build()));
    Parity.check("opset 9 stack", model, TestModels.randomWeights(model, 9, 1.0), TestModels.randomInputs(model, 6, 6, 9), 9);
    Sequential softmax = new Sequential("old", features(false), List.of(Lstm.of("lstm", 4, true),
        new TimeDistributed("td", new Dense("inner", 5, Activation.SOFTMAX, true))));
    Parity.check("opset 9 softmax", softmax, TestModels.randomWeights(softmax, 9, 1.0),
        TestModels.randomInputs(softmax, 3, 6, 9), 9);
  }

  /**
   * Unbounded activations (relu, elu, softplus) inside a recurrent op let the states grow step by
   * step (a GRU whose update gate is elu reaches |h| ≈ 16 at scale 1): their weights are halved,
   * so that float32 rounding stays well inside the absolute tolerance.
   */
  /** Every activation, the simple RNN and every merge at both ends of the supported range. */
  @ParameterizedTest(name = "activations and merges at opset {0}")
  @org.junit.jupiter.params.provider.ValueSource(ints = {9, 22})
  void activationsAndMergesAtTheEndsOfTheOpsetRange(int opset) throws Exception {
    Sequential model = new Sequential("edges", ModelInput.ofTokens().withLengths(), List.of(embedding(),
        SimpleRnn.builder("rnn", 4).activation(Activation.HARD_SIGMOID).returnSequences(true).stateInputs(true).build(),
        new Bidirectional("bi1", SimpleRnn.builder("inner", 3).activation(Activation.SOFTSIGN).returnSequences(true).build(),
            MergeMode.MUL),
        new Bidirectional("bi2", Gru.builder("inner", 3).recurrentActivation(Activation.HARD_SIGMOID)
            .activation(Activation.ELU).returnSequences(true).build(), MergeMode.SUM),
        new TimeDistributed("td", new Dense("inner", 4, Activation.SOFTPLUS, true)),
        new Bidirectional("bi3", Lstm.builder("inner", 3).activation(Activation.SOFTSIGN).peephole(true).stateInputs(true)
            .build(), MergeMode.CONCAT),
        new Dense("head", 3, Activation.SOFTMAX, true)));
    Parity.check("activations and merges, opset " + opset, model, TestModels.randomWeights(model, opset, 0.7),
        TestModels.randomInputs(model, BATCH, TIME, opset), opset);
  }

  private static void check(String label, Sequential model, int opset) throws Exception {
    boolean unbounded = model.layers().stream().anyMatch(RecurrentParityTest::unbounded);
    Parity.check(label, model, TestModels.randomWeights(model, label.hashCode(), unbounded ? 0.5 : 1.0),
        TestModels.randomInputs(model, BATCH, TIME, label.hashCode() * 31L), opset);
  }

  private static final java.util.Set<Activation> UNBOUNDED = java.util.EnumSet.of(Activation.RELU, Activation.ELU,
      Activation.SOFTPLUS);

  private static boolean unbounded(Layer layer) {
    RecurrentLayer rnn = layer instanceof Bidirectional b ? b.layer() : layer instanceof RecurrentLayer r ? r : null;
    if (rnn == null) {
      return false;
    }
    Activation gate = rnn instanceof Lstm l ? l.recurrentActivation() : rnn instanceof Gru g ? g.recurrentActivation()
        : rnn.activation();
    return UNBOUNDED.contains(rnn.activation()) || UNBOUNDED.contains(gate);
  }
}
