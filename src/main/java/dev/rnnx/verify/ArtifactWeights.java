package dev.rnnx.verify;

import ai.onnx.proto.OnnxMl;
import dev.rnnx.onnx.OnnxExporter;
import dev.rnnx.onnx.OnnxModels;
import dev.rnnx.ref.onnx.TensorProtos;
import dev.rnnx.spec.Recipe;
import dev.rnnx.spec.RecipeCodec;
import dev.rnnx.weights.Provenance;
import dev.rnnx.weights.Safetensors;
import dev.rnnx.weights.Weights;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The parameter-by-parameter comparison of two artifacts that disagree ({@link ArtifactOpinions}),
 * for rnnx's own exports: the ONNX file carries rnnx provenance in {@code metadata_props} and the
 * SavedModel has the {@code weights.safetensors} it was exported from beside it (a run folder's
 * {@code saved_model/}) or inside it. The weights are exported again to ONNX at the file's opset, and
 * every initializer is compared bit for bit with the file's: the first that differs is named with
 * its layer, parameter, direction and gate block (ONNX order: LSTM i, o, f, c; GRU z, r, h; in
 * {@code B}, the input ({@code Wb}) or recurrence ({@code Rb}) half).
 *
 * <p>Artifacts from elsewhere need lifting into rnnx's canonical form first ({@code dev.rnnx.imports},
 * {@code ModelImporter}); that is not wired here, and the sentence says so.
 */
final class ArtifactWeights {

  private static final Map<String, List<String>> GATES = Map.of("LSTM", List.of("i", "o", "f", "c"),
      "GRU", List.of("z", "r", "h"), "RNN", List.of("h"));

  private ArtifactWeights() {}

  /** One sentence: the first differing parameter, that every weight is equal, or why nothing was compared. */
  static String compare(Path onnx, Path savedModel) {
    OnnxMl.ModelProto given = OnnxModels.read(onnx);
    Map<String, String> meta = new LinkedHashMap<>();
    given.getMetadataPropsList().forEach(e -> meta.put(e.getKey(), e.getValue()));
    String hook = "; comparing the weights of artifacts from elsewhere needs them imported into rnnx's canonical form"
        + " (dev.rnnx.imports), which verify does not do yet";
    if (!meta.containsKey("rnnx.recipe_yaml") || meta.get("rnnx.recipe_yaml").isBlank()) {
      return "not compared: " + onnx.getFileName() + " carries no rnnx recipe in its metadata_props" + hook;
    }
    Path weightsFile = savedModel.resolve("weights.safetensors");
    if (!Files.isRegularFile(weightsFile) && savedModel.toAbsolutePath().getParent() != null) {
      weightsFile = savedModel.toAbsolutePath().getParent().resolve("weights.safetensors");
    }
    if (!Files.isRegularFile(weightsFile)) {
      return "not compared: no weights.safetensors in or beside " + savedModel + hook;
    }
    try {
      Safetensors.Contents contents = Safetensors.read(weightsFile);
      Provenance prov = Provenance.fromMetadata(contents.metadata());
      Recipe recipe = RecipeCodec.parse(prov.recipeYaml(), weightsFile + " (recorded recipe)");
      Weights weights = contents.weights().checkFits(recipe.model());
      int opset = given.getOpsetImportList().stream().filter(o -> o.getDomain().isEmpty()).mapToInt(o -> (int) o.getVersion())
          .findFirst().orElse(17);
      Map<String, OnnxMl.ModelProto> forms = OnnxExporter.export(recipe.model(), weights, opset, prov);
      String stem = onnx.getFileName().toString().replaceFirst("\\.onnx$", "");
      OnnxMl.ModelProto expected = forms.getOrDefault(stem, forms.getOrDefault("model", forms.values().iterator().next()));
      return compare(given.getGraph(), expected.getGraph(), onnx.getFileName().toString(), weightsFile.toString());
    } catch (RuntimeException e) {
      return "not compared: " + weightsFile + " could not be exported again (" + e.getMessage() + ")";
    }
  }

  /** Compares the initializers of two graphs by name, in the second's order. */
  static String compare(OnnxMl.GraphProto given, OnnxMl.GraphProto expected, String givenName, String expectedName) {
    Map<String, OnnxMl.TensorProto> got = OnnxTaps.initializers(given);
    int differing = 0;
    String first = null;
    for (OnnxMl.TensorProto t : expected.getInitializerList()) {
      OnnxMl.TensorProto g = got.get(t.getName());
      if (g == null) {
        differing++;
        first = first != null ? first : "initializer '" + t.getName() + "' is missing from " + givenName;
        continue;
      }
      float[] a = TensorProtos.decode(g).toFloatArray();
      float[] b = TensorProtos.decode(t).toFloatArray();
      int at = firstDifference(a, b);
      if (at < 0) {
        continue;
      }
      differing++;
      if (first == null) {
        first = String.format(Locale.ROOT, "first differing: %s, element %d: %s in %s, %s from %s", where(given, t, at),
            at, at < a.length ? Float.toString(a[at]) : "-", givenName, at < b.length ? Float.toString(b[at]) : "-",
            expectedName);
      }
    }
    return differing == 0 ? "every one of the " + expected.getInitializerCount() + " initializers is equal bit for bit"
        + " (the artifacts differ in their graphs, not their weights)"
        : differing + " of " + expected.getInitializerCount() + " initializers differ; " + first;
  }

  private static int firstDifference(float[] a, float[] b) {
    for (int i = 0; i < Math.min(a.length, b.length); i++) {
      if (Float.floatToIntBits(a[i]) != Float.floatToIntBits(b[i])) {
        return i;
      }
    }
    return a.length == b.length ? -1 : Math.min(a.length, b.length);
  }

  /** {@code layer 'lstm', parameter R (initializer 'lstm/R'), direction 0, gate block o}: what an element is. */
  static String where(OnnxMl.GraphProto g, OnnxMl.TensorProto t, int element) {
    String name = t.getName();
    int slash = name.lastIndexOf('/');
    String layer = slash > 0 ? name.substring(0, name.indexOf('/')) : name;
    for (OnnxMl.NodeProto n : g.getNodeList()) {
      List<String> gates = GATES.get(n.getOpType());
      int input = n.getInputList().indexOf(name);
      if (gates == null || input < 1 || input > 3) {
        continue;
      }
      long hidden = n.getAttributeList().stream().filter(a -> a.getName().equals("hidden_size")).mapToLong(
          OnnxMl.AttributeProto::getI).findFirst().orElse(0);
      if (hidden <= 0 || t.getDimsCount() < 2) {
        break;
      }
      long gh = gates.size() * hidden;
      String param = List.of("W", "R", "B").get(input - 1);
      long cols = input == 3 ? 2 * gh : t.getDims(2);
      long perDirection = input == 3 ? 2 * gh : gh * cols;
      long direction = element / perDirection;
      long within = element % perDirection;
      long row = input == 3 ? within % gh : within / cols;
      String half = input == 3 ? (within < gh ? " (input bias Wb)" : " (recurrence bias Rb)") : "";
      return String.format(Locale.ROOT, "layer '%s', node '%s' (%s), parameter %s%s (initializer '%s'), direction %d,"
          + " gate block %s (ONNX order %s), unit %d", layer, n.getName(), n.getOpType(), param, half, name, direction,
          gates.get((int) (row / hidden)), String.join(", ", gates), row % hidden);
    }
    return "layer '" + layer + "', initializer '" + name + "'";
  }
}
