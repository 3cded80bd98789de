package dev.rnnx.verify;

import ai.onnx.proto.OnnxMl;
import dev.rnnx.onnx.OnnxInterface;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.tensorio.ElementType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The inputs of a verification of artifacts from elsewhere: given ({@code --inputs}) or drawn from
 * the ONNX graph's declared inputs, checked against them, and the SavedModel's input and output
 * names matched to the ONNX file's (by name or {@code --map}).
 *
 * @param cases the input cases
 * @param source {@code generated (seed N)} or the inputs folder
 * @param types the element type of every input, for the golden files
 * @param savedModelNames reference name to SavedModel name, or {@code null} without a SavedModel
 */
record ArtifactInputs(List<ParityCase> cases, String source, Map<String, ElementType> types,
    Map<String, String> savedModelNames) {

  /**
   * @throws IllegalArgumentException when the inputs or names do not fit, listing every problem
   */
  static ArtifactInputs of(Path onnx, OnnxMl.ModelProto model, Path savedModel, SavedModelSignature signature,
      VerifyOptions options) {
    OnnxInterface graph = model != null ? OnnxInterface.of(model) : null;
    if (graph == null && options.inputs() == null) {
      throw new IllegalArgumentException("a SavedModel alone needs --inputs DIR: rnnx draws inputs from an ONNX graph's"
          + " declared inputs; give --onnx as well, or the inputs");
    }
    long seed = options.seed() != null ? options.seed() : 0;
    List<ParityCase> cases = options.inputs() != null ? ParityCase.read(options.inputs()) : ParityInputs.forGraph(graph, seed);
    String source = options.inputs() != null ? options.inputs().toString() : "generated (seed " + seed + ")";
    Map<String, ElementType> types = new LinkedHashMap<>();
    if (graph != null) {
      graph.inputs().forEach(p -> types.put(p.name(), ElementType.fromOnnx(p.onnxType())));
      cases = VerifyInputs.conform(cases, types);
      List<String> problems = new ArrayList<>();
      for (ParityCase c : cases) {
        try {
          graph.contract().check(c.inputs());
        } catch (IllegalArgumentException e) {
          List.of(e.getMessage().split("; ")).forEach(p -> problems.add(c.name() + ": " + p));
        }
      }
      VerifyInputs.refuse("the inputs do not fit " + onnx, problems);
    } else {
      cases.get(0).inputs().forEach((k, v) -> types.put(k, v instanceof FloatTensor ? ElementType.FLOAT : ElementType.INT64));
    }
    List<String> refInputs = graph != null ? graph.inputNames() : List.copyOf(cases.get(0).inputs().keySet());
    Map<String, String> names = null;
    if (signature != null) {
      List<String> problems = new ArrayList<>();
      List<String> refOutputs = graph != null ? graph.outputNames() : signature.outputs();
      String label = "SavedModel " + savedModel + " (signature " + options.signature() + ")";
      names = new LinkedHashMap<>(RenamedBackend.match("input", refInputs, signature.inputs(), options.nameMap(), label,
          problems));
      names.putAll(RenamedBackend.match("output", refOutputs, signature.outputs(), options.nameMap(), label, problems));
      VerifyInputs.refuse("names do not match", problems);
    }
    return new ArtifactInputs(cases, source, types, names);
  }
}
