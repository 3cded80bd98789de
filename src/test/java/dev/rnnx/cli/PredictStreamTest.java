package dev.rnnx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rnnx.djl.RnnxModel;
import dev.rnnx.djl.ServingRuns;
import dev.rnnx.spec.FloatTensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rnnx predict RUN --input FILE --stream --chunk N}: one JSON line per chunk, the last equal to the whole sequence's output. */
class PredictStreamTest {

  @TempDir Path tmp;

  @Test
  void chunksPrintOneLineEachAndEndAtTheWholeSequencesOutput() throws Exception {
    Path run = ServingRuns.zoo(tmp.resolve("sine-lstm"), "sine-lstm");
    Path in = tmp.resolve("x.json");
    Files.writeString(in, "{\"input\": [[[0.1], [0.5], [-0.3], [0.8], [0.2], [-0.6], [0.4]]]}");
    CliRun o = CliRun.of("predict", run.toString(), "--input", in.toString(), "--stream", "--chunk", "3");
    assertEquals(0, o.code(), o.err());
    String[] lines = o.out().strip().split("\n");
    assertEquals(3, lines.length, o.out()); // steps 0-3, 3-6, 6-7
    JsonNode last = new ObjectMapper().readTree(lines[2]);
    assertEquals(6, last.get("steps").get(0).asInt());
    assertEquals(7, last.get("steps").get(1).asInt());
    float[] x = {0.1f, 0.5f, -0.3f, 0.8f, 0.2f, -0.6f, 0.4f};
    try (RnnxModel m = RnnxModel.load(run)) {
      float whole = m.tensors().predict(Map.of("input", FloatTensor.of(x, 1, 7, 1))).get("output").data()[0];
      JsonNode out = last.get("output").get("output");
      double streamed = first(out);
      assertEquals(whole, streamed, 1e-5, lines[2]);
    }
  }

  @Test
  void aChunkOfZeroStepsAndABidirectionalModelAreRefused() throws Exception {
    Path bi = ServingRuns.zoo(tmp.resolve("bidirectional-tagger"), "bidirectional-tagger");
    Path in = tmp.resolve("x.json");
    Files.writeString(in, "{\"input\": [[[0.1], [0.5]]]}");
    CliRun o = CliRun.of("predict", bi.toString(), "--input", in.toString(), "--stream");
    assertEquals(ExitCodes.BAD_INPUT, o.code(), o.err());
    assertTrue(o.err().contains("cannot stream: layer 'bidirectional' (bidirectional) reads each sequence backwards"), o.err());
    o = CliRun.of("predict", bi.toString(), "--input", in.toString(), "--stream", "--chunk", "0");
    assertEquals(ExitCodes.BAD_INPUT, o.code(), o.err());
    assertTrue(o.err().contains("--chunk is 0, expected at least 1 step"), o.err());
  }

  /** The first number in a JSON value (nested arrays, or {shape, data}). */
  private static double first(JsonNode n) {
    if (n.isNumber()) {
      return n.asDouble();
    }
    if (n.has("data")) {
      return first(n.get("data"));
    }
    return first(n.get(0));
  }
}
