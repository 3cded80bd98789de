package dev.rnnx.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rnnx.spec.Layer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
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
    assertEquals(List.of("attention", "bidirectional", "dense", "embedding", "flatten", "global_average_pooling", "global_max_pooling",
        "gru", "layer_normalization", "lstm", "multi_head_attention", "normalization", "positional_encoding", "simple_rnn", "time_distributed",
        "transformer_encoder"), kinds);
    assertEquals(kinds, OnnxConverters.kinds());
    Map<String, Integer> minimum = Map.of("attention", 11, "multi_head_attention", 11, "positional_encoding", 11,
        "global_average_pooling", 11, "global_max_pooling", 11, "layer_normalization", 17, "transformer_encoder", 17);
    for (String kind : kinds) {
      assertEquals(minimum.getOrDefault(kind, 7), OnnxConverters.minimumOpset(kind), kind);
      boolean attentionOp = kind.equals("attention") || kind.equals("multi_head_attention") || kind.equals("transformer_encoder");
      assertEquals(!attentionOp, OnnxConverters.find(kind, 17) == OnnxConverters.find(kind, 23), kind);
      assertSame(OnnxConverters.find(kind, 17), OnnxConverters.find(kind, 22), kind);
    }
  }

  @Test
  void aLayerBelowItsOpsetIsNamedWithWhatItNeeds() {
    OnnxExportException e = assertThrows(OnnxExportException.class,
        () -> OnnxConverters.find(dev.rnnx.spec.LayerNormalization.of("norm"), 16));
    assertEquals("layer 'norm' (layer_normalization) needs opset 17 or newer (ONNX LayerNormalization), got opset 16",
        e.getMessage());
    e = assertThrows(OnnxExportException.class,
        () -> OnnxConverters.find(new dev.rnnx.spec.MultiHeadAttention("mha", 2, 4, false), 10));
    assertEquals("layer 'mha' (multi_head_attention) needs opset 11 or newer (Range for its masks), got opset 10",
        e.getMessage());
  }

  @Test
  void unknownKindIsNamed() {
    OnnxExportException e = assertThrows(OnnxExportException.class, () -> OnnxConverters.find("conv1d", 17));
    assertEquals("no ONNX converter for layer kind 'conv1d', expected one of [attention, bidirectional, dense, embedding,"
        + " flatten, global_average_pooling, global_max_pooling, gru, layer_normalization, lstm, multi_head_attention, normalization, positional_encoding, simple_rnn,"
        + " time_distributed, transformer_encoder]", e.getMessage());
  }

  @Test
  void opsetBelowTheConvertersIsNamed() {
    OnnxExportException e = assertThrows(OnnxExportException.class, () -> OnnxConverters.find("lstm", 6));
    assertEquals("layer kind 'lstm' cannot be exported at opset 6, its converters need opset 7 or newer", e.getMessage());
  }
}
