package dev.rnnx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rnnx.onnx.OnnxExporter;
import dev.rnnx.ref.ReferenceForms;
import dev.rnnx.spec.AttentionScore;
import dev.rnnx.spec.Cell;
import dev.rnnx.spec.Dense;
import dev.rnnx.spec.Embedding;
import dev.rnnx.spec.GlobalAveragePooling;
import dev.rnnx.spec.Graph;
import dev.rnnx.spec.GraphInput;
import dev.rnnx.spec.GraphMerge;
import dev.rnnx.spec.GraphNode;
import dev.rnnx.spec.ModelInput;
import dev.rnnx.spec.MultiHeadAttention;
import dev.rnnx.spec.ExportSpec;
import dev.rnnx.spec.Lstm;
import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.ModelSpec;
import dev.rnnx.spec.RecipeCodec;
import dev.rnnx.spec.RnnDecoder;
import dev.rnnx.spec.RnnEncoder;
import dev.rnnx.spec.Seq2Seq;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.TensorSpec;
import dev.rnnx.spec.TransformerStack;
import dev.rnnx.spec.Word2Vec;
import dev.rnnx.tf.InitialWeights;
import dev.rnnx.tf.TfForms;
import dev.rnnx.weights.Weights;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import ai.onnx.proto.OnnxMl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every step of the "add a model kind" checklist (docs/ARCHITECTURE.md) that has one entry point:
 * for a small model of every kind a recipe can name, the reference ({@link ReferenceForms#of}),
 * TensorFlow ({@link TfForms#build}) and ONNX ({@link OnnxExporter}) build exactly the forms the
 * spec declares ({@link ModelSpec#forms()}), with the declared input and output names.
 */
class ModelFacesTest {

  static Stream<ModelSpec> modelsOfEveryKind() {
    return Stream.of(
        new Sequential("seq", 2, List.of(Lstm.builder("lstm", 3).build(), new Dense("out", 1, dev.rnnx.spec.Activation.LINEAR, true))),
        new Seq2Seq("s2s_rnn", 9, 8, 4, new RnnEncoder(Cell.GRU, 5), new RnnDecoder(Cell.GRU, 5, AttentionScore.DOT, 3), 12, 6),
        new Seq2Seq("s2s_transformer", 9, 8, 6, new TransformerStack(1, 2, 7, 1e-3), new TransformerStack(1, 2, 5, 1e-3), 12, 6),
        new Word2Vec("w2v", 10, 2, Word2Vec.Architecture.SKIP_GRAM, 2, Word2Vec.Objective.NEGATIVE_SAMPLING, 3),
        new Graph("graph", List.of(new GraphInput("a", ModelInput.ofFeatures(2)), new GraphInput("b", ModelInput.ofTokens())),
            List.of(GraphNode.of(Lstm.builder("enc", 3).returnSequences(true).build(), "a"),
                GraphNode.of(new Embedding("emb", 7, 3, dev.rnnx.spec.Initializer.EMBEDDING), "b"),
                GraphNode.of(new MultiHeadAttention("cross", 2, 2, false), "emb", "enc"),
                GraphNode.merge("sum", GraphMerge.ADD, "emb", "cross"),
                GraphNode.of(new GlobalAveragePooling("pool"), "sum"),
                GraphNode.of(new Dense("out", 1, dev.rnnx.spec.Activation.LINEAR, true), "pool")),
            List.of("out", "sum")));
  }

  @Test
  void everyModelKindHasAnExample() {
    assertEquals(new TreeSet<>(RecipeCodec.modelKinds()), new TreeSet<>(modelsOfEveryKind().map(ModelSpec::kind).toList()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modelsOfEveryKind")
  void everyFaceBuildsTheDeclaredForms(ModelSpec model) {
    List<String> names = model.forms().stream().map(ModelForm::name).toList();
    Weights weights = InitialWeights.generate(model, 5);

    assertEquals(names, List.copyOf(ReferenceForms.of(model, weights).keySet()), "ref forms");

    try (TfForms tf = TfForms.build(model, weights)) {
      assertEquals(names, tf.names(), "tf forms");
      for (ModelForm form : model.forms()) {
        assertEquals(form, tf.form(form.name()).form(), "tf form " + form.name());
      }
    }

    Map<String, OnnxMl.ModelProto> onnx = OnnxExporter.export(model, weights, ExportSpec.DEFAULT_OPSET,
        LayerFacesTest.provenance());
    assertEquals(names, List.copyOf(onnx.keySet()), "onnx forms");
    for (ModelForm form : model.forms()) {
      OnnxMl.GraphProto g = onnx.get(form.name()).getGraph();
      assertEquals(form.inputs().stream().map(TensorSpec::name).toList(),
          g.getInputList().stream().map(OnnxMl.ValueInfoProto::getName).toList(), "onnx inputs of " + form.name());
      assertEquals(form.outputs().stream().map(o -> OnnxExporter.outputName(form, o.name())).toList(),
          g.getOutputList().stream().map(OnnxMl.ValueInfoProto::getName).toList(), "onnx outputs of " + form.name());
    }
  }
}
