package dev.rnnx.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The stream form's inputs and outputs, and the models it refuses with the reason. */
class StreamFormTest {

  private static final Dense HEAD = new Dense("out", 1, Activation.LINEAR, true);

  @Test
  void everyRecurrentLayerTakesAndReturnsItsStates() {
    Sequential m = new Sequential("stack", 2, List.of(SimpleRnn.builder("rnn", 5).returnSequences(true).build(),
        Lstm.builder("lstm", 4).returnSequences(true).build(), Gru.builder("gru", 3).build(), HEAD));
    StreamForm s = StreamForm.of(m);
    assertEquals(List.of("input", "lengths", "rnn_h0", "lstm_h0", "lstm_c0", "gru_h0"),
        s.form().inputs().stream().map(TensorSpec::name).toList());
    assertEquals(List.of("output", "rnn_h", "lstm_h", "lstm_c", "gru_h"), s.form().outputs().stream().map(TensorSpec::name).toList());
    assertEquals(s.stateInputs().size(), s.stateOutputs().size());
    assertEquals(5 + 4 + 4 + 3, s.stateFloats());
    assertEquals(false, s.sequenceOutput());
    assertTrue(s.recurrent().stream().allMatch(r -> r.returnState() && r.stateInputs()));
    assertEquals(StreamForm.NAME, s.form().name());
    assertEquals(DType.INT32, s.form().inputs().get(1).dtype());
  }

  @Test
  void layersThatNeedTheFutureAreRefusedWithTheReason() {
    refused(new Sequential("bi", 1, List.of(new Bidirectional("bi", Lstm.of("l", 3, true), MergeMode.CONCAT))),
        "model 'bi' cannot stream: layer 'bi' (bidirectional) reads each sequence backwards too");
    refused(new Sequential("back", 1, List.of(Gru.builder("g", 3).goBackwards(true).build(), HEAD)),
        "layer 'g' (gru) reads each sequence from its end (go_backwards)");
    refused(new Sequential("pool", 1, List.of(Lstm.of("l", 3, true), new GlobalAveragePooling("pool"), HEAD)),
        "layer 'pool' (global_average_pooling) pools over the whole sequence");
    refused(new Sequential("pos", 4, List.of(new PositionalEncoding("pe", 50, false), Lstm.of("l", 3, false))),
        "layer 'pe' (positional_encoding) adds an encoding of each step's absolute position");
    refused(new Sequential("masked", ModelInput.ofFeatures(1).withMask(0.0), List.of(Lstm.of("l", 3, false))),
        "its input is masked");
  }

  private static void refused(Sequential m, String expected) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StreamForm.of(m));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
    assertTrue(StreamForm.refusal(m).isPresent());
  }
}
