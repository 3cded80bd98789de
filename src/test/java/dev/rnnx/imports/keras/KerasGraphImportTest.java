package dev.rnnx.imports.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.imports.ImportException;
import dev.rnnx.imports.ImportedModel;
import dev.rnnx.imports.ModelImports;
import dev.rnnx.ref.ReferenceForms;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Graph;
import dev.rnnx.spec.GraphMerge;
import dev.rnnx.spec.GraphNode;
import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.MultiHeadAttention;
import dev.rnnx.spec.Tensor;
import dev.rnnx.tensorio.Npy;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Functional Keras graphs (several inputs and outputs, merges, cross-attention) against Keras's outputs on the reference. */
class KerasGraphImportTest {

  static final Path DIR = Path.of("models", "keras");

  /** A graph fixture's inputs by graph input name ({@code <fixture>_input_<name>.npy}). */
  static Map<String, Tensor> inputs(Graph g, String fixture) {
    Map<String, Tensor> in = new LinkedHashMap<>();
    g.inputs().forEach(i -> in.put(i.name(), Npy.read(DIR.resolve(fixture + "_input_" + i.name() + ".npy"))));
    return in;
  }

  /** A graph fixture's expected outputs by output name ({@code <fixture>_expected_<name>.npy}). */
  static Map<String, FloatTensor> expected(Graph g, String fixture) {
    Map<String, FloatTensor> out = new LinkedHashMap<>();
    g.outputs().forEach(o -> out.put(o, (FloatTensor) Npy.read(DIR.resolve(fixture + "_expected_" + o + ".npy"))));
    return out;
  }

  /** The largest difference over every output, checking shapes. */
  static double maxError(Map<String, FloatTensor> got, Map<String, FloatTensor> want) {
    assertEquals(want.keySet(), got.keySet());
    double max = 0;
    for (var e : want.entrySet()) {
      FloatTensor g = got.get(e.getKey());
      assertEquals(java.util.Arrays.toString(e.getValue().shape()), java.util.Arrays.toString(g.shape()), e.getKey());
      for (int i = 0; i < g.data().length; i++) {
        max = Math.max(max, Math.abs(g.data()[i] - e.getValue().data()[i]));
      }
    }
    return max;
  }

  @ParameterizedTest
  @MethodSource("dev.rnnx.imports.keras.KerasGraphFixtures#all")
  void graphFixturesGiveKerasOutputsOnTheReference(String file, String fixture) {
    ImportedModel m = ModelImports.read(DIR.resolve(file));
    Graph g = (Graph) m.model();
    double err = maxError(ReferenceForms.form(g, m.weights(), ModelForm.MODEL).run(inputs(g, fixture)), expected(g, fixture));
    assertTrue(err < 1e-5, file + ": max abs error " + err);
  }

  @Test
  void theTwoInputModelKeepsItsInputsOutputsMergesAndCrossAttention() {
    ImportedModel m = ModelImports.read(DIR.resolve("graph_two_inputs_keras2.h5"));
    Graph g = (Graph) m.model();
    assertEquals(List.of("input_a", "input_b"), g.inputs().stream().map(i -> i.name()).toList());
    assertEquals(List.of("classes", "per_step"), g.outputs());
    GraphNode cross = g.nodes().stream().filter(n -> n.name().equals("cross_attention")).findFirst().orElseThrow();
    assertTrue(cross.layer() instanceof MultiHeadAttention && cross.crossAttention());
    assertEquals(List.of("decoder", "encoder"), cross.inputs());
    assertEquals(GraphMerge.ADD, g.nodes().stream().filter(n -> n.name().equals("residual")).findFirst().orElseThrow().merge());
    // the key kernel reads the encoder's 4 features, the query kernel the decoder's 5
    assertEquals(List.of(4L, 6L), java.util.Arrays.stream(m.weights().get("cross_attention/key/kernel").shape()).boxed().toList());
    assertEquals(List.of(5L, 6L), java.util.Arrays.stream(m.weights().get("cross_attention/query/kernel").shape()).boxed().toList());
    assertTrue(m.notes().stream().anyMatch(n -> n.contains("'dropout'")), m.notes().toString());
  }

  @Test
  void activationLayersFoldIntoTheDenseTheyReadKeepingKerasOutputNames() {
    ImportedModel m = ModelImports.read(DIR.resolve("graph_activation_keras2.h5"));
    Graph g = (Graph) m.model();
    assertEquals(List.of("probs", "pooled"), g.outputs());
    GraphNode probs = g.nodes().stream().filter(n -> n.name().equals("probs")).findFirst().orElseThrow();
    assertEquals(dev.rnnx.spec.Activation.SOFTMAX, ((dev.rnnx.spec.Dense) probs.layer()).activation());
    assertTrue(m.weights().names().contains("probs/kernel") && !m.weights().names().contains("logits/kernel"));
    GraphNode td = g.nodes().stream().filter(n -> n.name().equals("td")).findFirst().orElseThrow();
    assertEquals(dev.rnnx.spec.Activation.TANH, ((dev.rnnx.spec.TimeDistributed) td.layer()).layer().activation());
    assertEquals(List.of("td"), g.nodes().stream().filter(n -> n.name().equals("pool")).findFirst().orElseThrow().inputs());
  }

  @Test
  void aSharedLayerBecomesOneNodePerCallSharingItsWeights() {
    ImportedModel m = ModelImports.read(DIR.resolve("graph_shared_keras2.h5"));
    Graph g = (Graph) m.model();
    assertEquals(List.of("encoder", "encoder_call2", "summary", "summary_call2", "proj", "proj_call2", "diff", "score"),
        g.nodes().stream().map(GraphNode::name).toList());
    assertEquals(List.of("b"), g.nodes().get(1).inputs());
    assertEquals(List.of("proj", "proj_call2"), g.nodes().get(6).inputs());
    assertEquals(List.of("score", "proj_call2"), g.outputs());
    assertTrue(m.weights().names().stream().noneMatch(n -> n.contains("_call2")), m.weights().names().toString());
    assertEquals(g.parameters().size(), m.weights().names().size());
  }

  @Test
  void aBidirectionalWithTwoOutputsIsItsConcatReadAsHalves() {
    ImportedModel m = ModelImports.read(DIR.resolve("graph_bidirectional_none_keras2.h5"));
    Graph g = (Graph) m.model();
    assertEquals(List.of("bi", "bi_forward", "fwd_dense", "bi_backward", "swapped", "pool"),
        g.nodes().stream().map(GraphNode::name).toList());
    assertEquals(dev.rnnx.spec.GraphMerge.SECOND_HALF, g.nodes().get(3).merge());
    assertEquals(List.of("bi_backward", "bi_forward"), g.nodes().get(4).inputs());
    assertEquals(List.of("fwd_dense", "pool", "bi_backward"), g.outputs());
    Graph outputs = (Graph) ModelImports.read(DIR.resolve("bad").resolve("bidirectional_none_outputs.h5")).model();
    assertEquals(List.of("bidirectional_forward", "bidirectional_backward"), outputs.outputs());
  }

  @Test
  void anAttentionKeyApartFromTheValueIsTheNodesThirdInput() {
    ImportedModel m = ModelImports.read(DIR.resolve("graph_attention_key_keras2.h5"));
    Graph g = (Graph) m.model();
    GraphNode cross = g.nodes().stream().filter(n -> n.name().equals("cross")).findFirst().orElseThrow();
    assertEquals(List.of("decoder", "encoder", "key_proj"), cross.inputs()); // Keras 2 recorded kwargs key before value
    assertEquals("key_proj", cross.keyInput());
    assertEquals(List.of(5L, 6L), java.util.Arrays.stream(m.weights().get("cross/key/kernel").shape()).boxed().toList());
    assertEquals(List.of(4L, 6L), java.util.Arrays.stream(m.weights().get("cross/value/kernel").shape()).boxed().toList());
    assertEquals(List.of("decoder", "encoder", "att_key"),
        g.nodes().stream().filter(n -> n.name().equals("dot")).findFirst().orElseThrow().inputs());
  }

  @Test
  void aNestedSequentialModelIsFlattenedWithItsWeights() {
    ImportedModel m = ModelImports.read(DIR.resolve("graph_nested_keras2.h5"));
    Graph g = (Graph) m.model();
    assertEquals(List.of("enc_gru", "enc_proj", "decoder", "cross", "pool"), g.nodes().stream().map(GraphNode::name).toList());
    assertEquals(List.of("enc_proj", "decoder"), List.of(g.nodes().get(3).inputs().get(1), g.nodes().get(3).inputs().get(0)));
    assertEquals(List.of("pool", "enc_proj"), g.outputs());
    assertEquals(List.of(4L, 4L), java.util.Arrays.stream(m.weights().get("enc_proj/kernel").shape()).boxed().toList());
    dev.rnnx.spec.Sequential s = (dev.rnnx.spec.Sequential) ModelImports.read(DIR.resolve("nested_sequential_keras2.h5")).model();
    assertEquals(List.of("lstm", "gru", "dense"), s.layers().stream().map(dev.rnnx.spec.Layer::name).toList());
    Graph f = (Graph) ModelImports.read(DIR.resolve("graph_nested_functional_keras2.h5")).model();
    assertEquals(List.of("p_lstm", "p_gru", "p_add", "p_out", "head"), f.nodes().stream().map(GraphNode::name).toList());
    assertEquals(List.of("a"), f.nodes().get(0).inputs()); // the nested model's input x_in read as the tensor passed for it
    assertEquals(List.of("head", "p_out"), f.outputs());
  }

  @Test
  void aFlattenFixesTheTimeAxisOfTheInputItsSequenceComesFrom() {
    ImportedModel m = ModelImports.read(DIR.resolve("graph_flatten_keras2.h5"));
    Graph g = (Graph) m.model();
    ModelForm form = g.forms().get(0);
    assertEquals(dev.rnnx.spec.Shape.of(dev.rnnx.spec.Shape.DYNAMIC, 6, 3), form.inputs().get(0).shape());
    assertEquals(dev.rnnx.spec.Shape.of(dev.rnnx.spec.Shape.DYNAMIC, dev.rnnx.spec.Shape.DYNAMIC, 2), form.inputs().get(1).shape());
    Map<String, Tensor> wrong = new LinkedHashMap<>();
    wrong.put("a", new FloatTensor(new long[] {1, 5, 3}, new float[15]));
    wrong.put("b", new FloatTensor(new long[] {1, 4, 2}, new float[8]));
    dev.rnnx.spec.InvalidInputException e = assertThrows(dev.rnnx.spec.InvalidInputException.class,
        () -> ReferenceForms.form(g, m.weights(), ModelForm.MODEL).run(wrong));
    assertTrue(e.getMessage().contains("'a'"), e.getMessage());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "graph_cycle.h5|layer 'dense_1' is part of a cycle",
      "graph_unknown_tensor.h5|layer 'add_1' reads 'dense_9', which no layer of the config defines",
      "graph_unsupported_branch.h5|layer 'conv1d' is of class Conv1D, which rnnx cannot import",
      "graph_mask_pooling.h5|layer 'pool' (global_average_pooling) would read the mask that 'lstm_1' (go_backwards) passes on",
      "graph_mask_merge.h5|layer 'lstm_1' would read the mask that merge 'add_1' combines from different masks",
      "graph_activation_shared.h5|layer 'act' (Activation) reads 'dense_1'; rnnx imports an Activation layer only right after a Dense layer"})
  void badGraphsAreRefusedNamingFileAndLayer(String file, String message) {
    Path p = DIR.resolve("bad").resolve(file);
    ImportException e = assertThrows(ImportException.class, () -> ModelImports.read(p));
    assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }
}
