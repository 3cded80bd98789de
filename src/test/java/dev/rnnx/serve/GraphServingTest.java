package dev.rnnx.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rnnx.djl.RnnxModel;
import dev.rnnx.imports.ImportedModel;
import dev.rnnx.imports.ModelImports;
import dev.rnnx.pipeline.ImportRun;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Graph;
import dev.rnnx.spec.Tensor;
import dev.rnnx.tensorio.Npy;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A graph model (a Keras functional model with two inputs and two outputs, imported) served over
 * loopback: its metadata lists both inputs and outputs, an {@code infer} with both inputs answers
 * both outputs bit for bit as the in-process model does and within 1e-5 of Keras's recorded
 * outputs, and a request missing an input is a 400 naming it.
 */
class GraphServingTest {

  private static final Path KERAS = Path.of("models", "keras");
  private static final String FIXTURE = "graph_two_inputs_keras2";

  @TempDir
  static Path dir;

  static Graph graph;
  static RnnxModel model;
  static ModelServer server;
  static Loopback http;

  @BeforeAll
  static void start() throws Exception {
    ImportedModel m = ModelImports.read(KERAS.resolve(FIXTURE + ".h5"));
    graph = (Graph) m.model();
    Path run = dir.resolve("graph");
    ImportRun.Result r = ImportRun.write(m, run, ImportRun.defaultLength(m), 17, new PrintStream(OutputStream.nullOutputStream()));
    assertTrue(r.passed());
    model = RnnxModel.load(run);
    server = ModelServer.start(Map.of("graph", model), ServerOptions.DEFAULTS.withPort(0), null);
    http = new Loopback(server.port());
  }

  @AfterAll
  static void stop() {
    server.close();
    model.close();
  }

  @Test
  void metadataListsEveryInputAndOutput() throws Exception {
    Loopback.Reply r = http.get("/v2/models/graph");
    assertEquals(200, r.status(), r.body());
    JsonNode meta = r.json();
    assertEquals(graph.inputs().stream().map(i -> i.name()).toList(),
        List.of(meta.get("inputs").get(0).get("name").asText(), meta.get("inputs").get(1).get("name").asText()));
    assertEquals(graph.outputs(), List.of(meta.get("outputs").get(0).get("name").asText(), meta.get("outputs").get(1).get("name").asText()));
  }

  @Test
  void bothOutputsEqualTheInProcessModelBitForBitAndKerasWithin1e5() throws Exception {
    Map<String, Tensor> inputs = new LinkedHashMap<>();
    StringBuilder body = new StringBuilder("{\"inputs\":[");
    for (var in : graph.inputs()) {
      FloatTensor x = (FloatTensor) Npy.read(KERAS.resolve(FIXTURE + "_input_" + in.name() + ".npy"));
      inputs.put(in.name(), x);
      String one = Loopback.infer(in.name(), x.shape(), x.data(), null);
      // one tensor object out of the single-input request Loopback writes
      body.append(inputs.size() > 1 ? "," : "").append(one, one.indexOf('[') + 1, one.lastIndexOf(']'));
    }
    body.append("]}");
    Loopback.Reply r = http.post("/v2/models/graph/infer", body.toString());
    assertEquals(200, r.status(), r.body());
    Map<String, FloatTensor> local = model.tensors().predict(inputs);
    for (String out : graph.outputs()) {
      float[] served = Loopback.outputData(r.body(), out);
      float[] here = local.get(out).data();
      float[] keras = ((FloatTensor) Npy.read(KERAS.resolve(FIXTURE + "_expected_" + out + ".npy"))).data();
      assertEquals(here.length, served.length, out);
      assertEquals(keras.length, served.length, out);
      for (int k = 0; k < here.length; k++) {
        assertEquals(Float.floatToRawIntBits(here[k]), Float.floatToRawIntBits(served[k]), out + "[" + k + "]");
        assertEquals(keras[k], served[k], 1e-5, out + "[" + k + "] against Keras");
      }
    }
  }

  @Test
  void aMissingInputIsA400NamingIt() throws Exception {
    String onlyFirst = graph.inputs().get(0).name();
    FloatTensor x = (FloatTensor) Npy.read(KERAS.resolve(FIXTURE + "_input_" + onlyFirst + ".npy"));
    Loopback.Reply r = http.post("/v2/models/graph/infer", Loopback.infer(onlyFirst, x.shape(), x.data(), null));
    assertEquals(400, r.status(), r.body());
    assertTrue(r.body().contains(graph.inputs().get(1).name()), r.body());
  }
}
