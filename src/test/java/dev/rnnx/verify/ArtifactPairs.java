package dev.rnnx.verify;

import ai.onnx.proto.OnnxMl;
import dev.rnnx.onnx.OnnxExporter;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.ParameterSpec;
import dev.rnnx.spec.Recipe;
import dev.rnnx.spec.RecipeCodec;
import dev.rnnx.spec.Sequential;
import dev.rnnx.tf.TfServingModel;
import dev.rnnx.weights.Provenance;
import dev.rnnx.weights.Safetensors;
import dev.rnnx.weights.Weights;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Two artifacts of one model for the weight comparison's tests: rnnx's {@code models/sine-lstm.yaml}
 * with seeded weights written as a run folder ({@code weights.safetensors}, {@code model.onnx},
 * {@code saved_model/}), and an ONNX file with one gate block of its first recurrent node's
 * recurrence weights {@code R} scaled.
 */
public final class ArtifactPairs {

  private ArtifactPairs() {}

  /** Writes the sine-lstm run folder into {@code dir}; returns {@code model.onnx} (saved_model/ is beside it). */
  public static Path sineLstm(Path dir) throws IOException {
    String yaml = Files.readString(Path.of("models/sine-lstm.yaml"));
    Recipe recipe = RecipeCodec.parse(yaml, "sine-lstm.yaml");
    Random rnd = new Random(7);
    Map<String, FloatTensor> m = new LinkedHashMap<>();
    for (ParameterSpec p : recipe.model().parameters()) {
      float[] v = new float[(int) p.size()];
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) (rnd.nextGaussian() * 0.3);
      }
      m.put(p.name(), new FloatTensor(Arrays.stream(p.shape()).asLongStream().toArray(), v));
    }
    Weights w = new Weights(m);
    Provenance prov = new Provenance(recipe.name(), yaml, recipe.seed(), Map.of(), Map.of());
    Safetensors.write(dir.resolve("weights.safetensors"), w, prov.toMetadata());
    Path onnx = dir.resolve("model.onnx");
    OnnxExporter.write(OnnxExporter.export(recipe.model(), w, 17, prov).get("model"), onnx);
    try (TfServingModel s = TfServingModel.build((Sequential) recipe.model(), w)) {
      s.exportSavedModel(dir.resolve("saved_model"), prov);
    }
    return onnx;
  }

  /**
   * Writes {@code from} to {@code to} with gate block {@code block} (in ONNX order: LSTM i, o, f, c;
   * GRU z, r, h) of the first recurrent node's {@code R} multiplied by {@code factor}, in every direction.
   *
   * @return {@code to}
   */
  public static Path scaleGateBlock(Path from, Path to, int block, float factor) throws IOException {
    OnnxMl.ModelProto m = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(from));
    OnnxMl.GraphProto.Builder g = m.getGraph().toBuilder();
    OnnxMl.NodeProto node = g.getNodeList().stream().filter(n -> n.getOpType().matches("LSTM|GRU|RNN")).findFirst()
        .orElseThrow(() -> new IllegalArgumentException(from + " has no LSTM, GRU or RNN node"));
    long hidden = node.getAttributeList().stream().filter(a -> a.getName().equals("hidden_size")).findFirst()
        .orElseThrow().getI();
    int gates = node.getOpType().equals("LSTM") ? 4 : node.getOpType().equals("GRU") ? 3 : 1;
    Mutations.replaceInitializer(g, node.getInput(2), v -> {
      float[] w = v.clone();
      long perDirection = gates * hidden * hidden;
      for (int i = 0; i < w.length; i++) {
        long row = (i % perDirection) / hidden;
        if (row / hidden == block) {
          w[i] *= factor;
        }
      }
      return w;
    });
    Files.write(to, m.toBuilder().setGraph(g).build().toByteArray());
    return to;
  }
}
