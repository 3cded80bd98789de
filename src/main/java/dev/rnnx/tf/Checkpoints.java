package dev.rnnx.tf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.rnnx.spec.StrictParsing;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rnnx.weights.AtomicFiles;
import dev.rnnx.weights.Safetensors;
import dev.rnnx.weights.Weights;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A training checkpoint on disk: every graph variable (parameters, optimiser slots, Adam's power
 * accumulators) in {@code epoch-NNNNNN.safetensors}, and {@code checkpoint.json} with the epoch,
 * the step count, the histories so far and a fingerprint of what was trained. Each file is written
 * atomically, the weights first: the JSON is the commit point and names its weights file, so a
 * crash at any moment leaves the previous checkpoint intact. Older weights files are deleted after
 * the JSON moves.
 */
final class Checkpoints {

  /** The index file of a checkpoint folder. */
  static final String INDEX = "checkpoint.json";
  /** The format tag inside the index. */
  static final String FORMAT = "rnnx-tf-checkpoint/1";

  private static final ObjectMapper JSON = StrictParsing.configure(JsonMapper.builder()).build()
      .enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * A checkpoint's contents.
   *
   * @param epoch epochs completed
   * @param steps optimisation steps taken
   * @param fingerprint what was trained (model, training settings, seed, data)
   * @param trainLoss per epoch so far
   * @param validationLoss per epoch so far
   * @param epochSeconds wall time of each epoch so far
   * @param metrics per epoch so far
   * @param evaluations periodic evaluations so far
   * @param variables every graph variable by op name
   */
  record State(int epoch, int steps, String fingerprint, List<Double> trainLoss, List<Double> validationLoss,
      List<Double> epochSeconds, Map<String, List<Double>> metrics, List<Evaluation> evaluations, Weights variables) {}

  private Checkpoints() {}

  static void write(Path dir, State s) throws IOException {
    Files.createDirectories(dir);
    String weightsFile = String.format(Locale.ROOT, "epoch-%06d.safetensors", s.epoch());
    Safetensors.write(dir.resolve(weightsFile), s.variables(),
        Map.of("format", FORMAT, "epoch", Integer.toString(s.epoch()), "steps", Integer.toString(s.steps())));
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("epoch", s.epoch());
    root.put("steps", s.steps());
    root.put("fingerprint", s.fingerprint());
    root.put("weights", weightsFile);
    root.set("train_loss", doubles(s.trainLoss()));
    root.set("validation_loss", doubles(s.validationLoss()));
    root.set("epoch_seconds", doubles(s.epochSeconds()));
    ObjectNode metrics = root.putObject("metrics");
    s.metrics().forEach((k, v) -> metrics.set(k, doubles(v)));
    ArrayNode evaluations = root.putArray("evaluations");
    for (Evaluation e : s.evaluations()) {
      ObjectNode n = evaluations.addObject();
      n.put("step", e.step());
      n.put("epoch", e.epoch());
      n.put("validation_loss", Double.toString(e.validationLoss()));
      ObjectNode m = n.putObject("metrics");
      e.metrics().forEach((k, v) -> m.put(k, Double.toString(v)));
    }
    AtomicFiles.writeString(dir.resolve(INDEX), JSON.writeValueAsString(root));
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.toList()) {
        String name = p.getFileName().toString();
        if (name.startsWith("epoch-") && name.endsWith(".safetensors") && !name.equals(weightsFile)) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  /**
   * Reads the checkpoint in {@code dir}.
   *
   * @throws IllegalArgumentException when there is none or it is damaged
   */
  static State read(Path dir) {
    Path index = dir.resolve(INDEX);
    JsonNode root;
    try {
      root = JSON.readTree(Files.readString(index));
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("no checkpoint to resume from: " + index + " does not exist");
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("checkpoint " + index + " is not valid JSON: " + StrictParsing.problem(e));
    } catch (IOException e) {
      throw new IllegalArgumentException("checkpoint " + index + " cannot be read: " + e.getMessage());
    }
    if (root == null || !FORMAT.equals(root.path("format").asText())) {
      throw new IllegalArgumentException("checkpoint " + index + " is not an " + FORMAT + " index");
    }
    Safetensors.Contents contents = Safetensors.read(dir.resolve(root.path("weights").asText()));
    if (!Integer.toString(root.path("epoch").asInt()).equals(contents.metadata().get("epoch"))) {
      throw new IllegalArgumentException("checkpoint " + index + " names epoch " + root.path("epoch").asInt()
          + " but its weights file holds epoch " + contents.metadata().get("epoch"));
    }
    Map<String, List<Double>> metrics = new LinkedHashMap<>();
    root.path("metrics").fields().forEachRemaining(e -> metrics.put(e.getKey(), doubles(e.getValue())));
    List<Evaluation> evaluations = new ArrayList<>();
    for (JsonNode n : root.path("evaluations")) {
      Map<String, Double> m = new LinkedHashMap<>();
      n.path("metrics").fields().forEachRemaining(e -> m.put(e.getKey(), Double.parseDouble(e.getValue().asText())));
      evaluations.add(new Evaluation(n.path("step").asInt(), n.path("epoch").asInt(),
          Double.parseDouble(n.path("validation_loss").asText()), m));
    }
    return new State(root.path("epoch").asInt(), root.path("steps").asInt(), root.path("fingerprint").asText(),
        doubles(root.path("train_loss")), doubles(root.path("validation_loss")), epochSeconds(root), metrics, evaluations,
        contents.weights());
  }

  /** The per-epoch wall times; NaN for each epoch of an index written before they were recorded. */
  private static List<Double> epochSeconds(JsonNode root) {
    List<Double> seconds = doubles(root.path("epoch_seconds"));
    while (seconds.size() < root.path("train_loss").size()) {
      seconds.add(0, Double.NaN);
    }
    return seconds;
  }

  /** Doubles as strings, so that NaN survives and every value reads back bit for bit. */
  private static ArrayNode doubles(List<Double> values) {
    ArrayNode a = JSON.createArrayNode();
    values.forEach(v -> a.add(Double.toString(v)));
    return a;
  }

  private static List<Double> doubles(JsonNode node) {
    List<Double> out = new ArrayList<>();
    node.forEach(n -> out.add(Double.parseDouble(n.asText())));
    return out;
  }
}
