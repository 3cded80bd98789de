package dev.rnnx.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import dev.rnnx.imports.ImportedModel;
import dev.rnnx.imports.ModelImports;
import dev.rnnx.spec.Graph;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The ONNX form of a masked graph model: one compaction per masked input, every recurrent node that
 * reads a mask taking that input's lengths as its {@code sequence_lens}, the others none.
 */
class GraphMaskFormsTest {

  static final Path FIXTURE = Path.of("models", "keras", "graph_masking_keras2.h5");

  @Test
  void eachMaskedInputIsCompactedOnceAndItsReadersTakeItsLengths() {
    ImportedModel m = ModelImports.read(FIXTURE);
    OnnxMl.GraphProto g = OnnxExporter.export(m.model(), m.weights(), 17, TestModels.provenance()).get("model").getGraph();
    assertEquals(2, g.getNodeList().stream().filter(n -> n.getOpType().equals("TopK")).count()); // features and tokens
    Set<String> lengths = new TreeSet<>();
    for (OnnxMl.NodeProto n : g.getNodeList()) {
      if (List.of("LSTM", "GRU", "RNN").contains(n.getOpType())) {
        assertTrue(n.getInputCount() > 4 && !n.getInput(4).isEmpty(), n.getName() + " reads no sequence_lens");
        lengths.add(n.getInput(4));
      }
    }
    assertEquals(Set.of("features/mask/lengths", "tokens/mask/lengths"), lengths);
    // the encoder's compacted sequence feeds the stacked GRU and the Bidirectional; its restoration feeds the per-step Dense
    assertTrue(g.getNodeList().stream().anyMatch(n -> n.getOutputList().contains("encoder")), "no restored 'encoder'");
    assertTrue(g.getNodeList().stream().anyMatch(n -> n.getOutputList().contains("encoder/compacted")), "no 'encoder/compacted'");
  }

  @Test
  void aMaskedGraphNeedsOpsetEleven() {
    ImportedModel m = ModelImports.read(FIXTURE);
    Graph g = (Graph) m.model();
    OnnxExportException e = assertThrows(OnnxExportException.class, () -> OnnxExporter.export(g, m.weights(), 10, TestModels.provenance()));
    assertTrue(e.getMessage().contains("needs opset 11 or later"), e.getMessage());
  }
}
