package dev.rnnx.imports.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Keras 3's {@code .weights.h5} names a layer's sublayer groups by attribute, and HDF5 lists them
 * alphabetically: the reader must put them back in the layer's own order.
 */
class KerasSublayerOrderTest {

  private static List<String> ordered(List<String> inFile) {
    List<String> names = new ArrayList<>(inFile);
    names.sort(Comparator.comparingInt(KerasHdf5::sublayerRank).thenComparing(Comparator.naturalOrder()));
    return names;
  }

  @Test
  void multiHeadAttentionReadsQueryKeyValueThenOutput() {
    assertEquals(List.of("query_dense", "key_dense", "value_dense", "output_dense"),
        ordered(List.of("key_dense", "output_dense", "query_dense", "value_dense")));
  }

  @Test
  void bidirectionalReadsForwardBeforeBackwardAndOthersByName() {
    assertEquals(List.of("forward_layer", "backward_layer", "a", "b"), ordered(List.of("b", "backward_layer", "a", "forward_layer")));
  }
}
