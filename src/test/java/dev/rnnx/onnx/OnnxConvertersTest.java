package dev.rnnx.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rnnx.spec.Layer;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The converter table covers every layer kind and fails loudly otherwise. */
class OnnxConvertersTest {

  @Test
  void everyLayerKindHasAConverter() throws Exception {
    List<String> kinds = Arrays.stream(Layer.class.getPermittedSubclasses())
        .flatMap(c -> c.isInterface() ? Arrays.stream(c.getPermittedSubclasses()) : Stream.of(c))
        .map(c -> {
          try {
            return (String) c.getField("KIND").get(null);
          } catch (ReflectiveOperationException e) {
            throw new AssertionError(c + " has no public KIND", e);
          }
        }).sorted().toList();
    assertEquals(List.of("bidirectional", "dense", "embedding", "gru", "lstm", "simple_rnn", "time_distributed"), kinds);
    assertEquals(kinds, OnnxConverters.kinds());
    for (String kind : kinds) {
      assertEquals(7, OnnxConverters.minimumOpset(kind));
      assertSame(OnnxConverters.find(kind, 17), OnnxConverters.find(kind, 22));
    }
  }

  @Test
  void unknownKindIsNamed() {
    OnnxExportException e = assertThrows(OnnxExportException.class, () -> OnnxConverters.find("conv1d", 17));
    assertEquals("no ONNX converter for layer kind 'conv1d', expected one of "
        + "[bidirectional, dense, embedding, gru, lstm, simple_rnn, time_distributed]", e.getMessage());
  }

  @Test
  void opsetBelowTheConvertersIsNamed() {
    OnnxExportException e = assertThrows(OnnxExportException.class, () -> OnnxConverters.find("lstm", 6));
    assertEquals("layer kind 'lstm' cannot be exported at opset 6, its converters need opset 7 or newer", e.getMessage());
  }
}
