package dev.rnnx.imports.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import dev.rnnx.imports.ImportException;
import dev.rnnx.imports.ImportedModel;
import dev.rnnx.onnx.OnnxModels;
import dev.rnnx.spec.Sequential;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The importer is sound on graphs it was not written for: every node of the opset-17 fixtures is
 * mutated (another op, swapped or dropped inputs, no attributes); each mutant is either refused with
 * an {@link ImportException} or imported into a model that computes what the mutant graph computes
 * on the pure-Java ONNX evaluator. Nothing else escapes.
 */
class MutationSoundnessTest {

  @TempDir
  Path dir;

  @Test
  void everyMutantIsRefusedOrImportedFaithfully() throws IOException {
    int mutants = 0;
    int compared = 0;
    List<String> problems = new ArrayList<>();
    // the encoder's gelu forms are left out to keep the run short: their lift is the pre-norm and post-norm one's
    for (String fixture : Stream.concat(TorchFixtures.RECURRENT.stream(), TorchFixtures.ATTENTION.stream()).toList()) {
      OnnxMl.ModelProto m = OnnxModels.read(TorchFixtures.model(fixture, 17));
      for (int i = 0; i < m.getGraph().getNodeCount(); i++) {
        OnnxMl.NodeProto node = m.getGraph().getNode(i);
        List<OnnxMl.NodeProto> variants = new ArrayList<>();
        for (String op : List.of("Relu", "Squeeze", "Transpose", "Gather", "Concat", "Add", "MatMul", "Identity")) {
          variants.add(node.toBuilder().setOpType(op).build());
        }
        if (node.getInputCount() > 1) {
          variants.add(node.toBuilder().setInput(0, node.getInput(1)).setInput(1, node.getInput(0)).build());
          variants.add(node.toBuilder().clearInput().addInput(node.getInput(0)).build());
        }
        variants.add(node.toBuilder().clearAttribute().build());
        for (OnnxMl.NodeProto v : variants) {
          OnnxMl.ModelProto.Builder b = m.toBuilder();
          b.getGraphBuilder().setNode(i, v);
          OnnxMl.ModelProto mutant = b.build();
          Path f = dir.resolve("mutant.onnx");
          Files.write(f, mutant.toByteArray());
          mutants++;
          ImportedModel imported;
          try {
            imported = new OnnxImporter().read(f);
          } catch (ImportException e) {
            continue;
          } catch (RuntimeException e) {
            problems.add(fixture + " node " + i + " as " + v.getOpType() + ": " + e);
            continue;
          }
          Sequential model = (Sequential) imported.model();
          if (model.inputs().size() > 1) {
            continue;
          }
          try {
            NumericCheck.check(f, mutant, mutant.getGraph().getInput(0).getName(), mutant.getGraph().getOutput(0).getName(),
                model, imported.weights(), TorchFixtures.TIME_MAJOR.contains(fixture), "the mutant");
            compared++;
          } catch (ImportException e) {
            if (e.getMessage().contains("does not compute")) {
              problems.add(fixture + " node " + i + " as " + v.getOpType() + " " + v.getInputList() + ": " + e.getMessage());
            }
          }
        }
      }
    }
    assertEquals(List.of(), problems);
    System.out.println(mutants + " mutants, " + compared + " compared");
    assertTrue(mutants > 2000 && compared > 200, mutants + " mutants, " + compared + " compared");
  }
}
