package dev.rnnx.serve;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rnnx.decode.SearchOptions;
import dev.rnnx.djl.Generation;
import dev.rnnx.djl.RnnxModel;
import dev.rnnx.djl.RunFolder;
import dev.rnnx.djl.Seq2SeqGenerator;
import dev.rnnx.djl.ServingPredictor;
import dev.rnnx.djl.SimilarWords;
import dev.rnnx.djl.Task;
import dev.rnnx.onnx.OnnxInterface;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.InputContract;
import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.TensorSpec;
import dev.rnnx.spec.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * One model as the server exposes it: its name, version {@value #VERSION}, metadata (the main
 * form's inputs from its {@link InputContract}, its outputs), and the work of its endpoints:
 * {@code infer} on the main form's named tensors through {@link RnnxModel#tensors()} (the predictor
 * pool, and the dynamic batcher when the model was loaded with one), {@code generate} for a
 * seq2seq run, {@code most_similar} for a word2vec run.
 */
final class ServedModel {

  /** The one version of every served model. */
  static final String VERSION = "1";

  private final String name;
  private final RnnxModel model;
  private final String form;
  private final InputContract contract;
  private final List<String> outputNames;
  private final ServingPredictor<Map<String, ? extends Tensor>, Map<String, FloatTensor>> predictor;
  private final Seq2SeqGenerator generator;
  private final SimilarWords similar;
  private final byte[] metadata;

  ServedModel(String name, RnnxModel model) {
    this.name = name;
    this.model = model;
    this.form = model.mainForm();
    this.contract = model.contract(form);
    this.outputNames = model.outputNames(form);
    this.predictor = model.tensors(form);
    this.generator = model.task() == Task.GENERATION ? model.generator() : null;
    this.similar = model.task() == Task.EMBEDDING ? model.similarWords() : null;
    this.metadata = InferenceCodec.write(metadataJson());
  }

  String name() {
    return name;
  }

  RnnxModel model() {
    return model;
  }

  /** The model metadata response (KServe v2). */
  byte[] metadata() {
    return metadata;
  }

  private Map<String, Object> metadataJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("versions", List.of(VERSION));
    m.put("platform", (RnnxModel.ONNX_RUNTIME.equals(model.engine()) ? "onnxruntime_onnx" : "tensorflow_savedmodel"));
    List<Map<String, Object>> inputs = new ArrayList<>();
    for (InputContract.Input in : contract.inputs()) {
      inputs.add(tensorJson(in.name(), InferenceCodec.datatype(in.type()), shape(in.axes())));
    }
    m.put("inputs", inputs);
    Map<String, List<Long>> shapes = outputShapes();
    List<Map<String, Object>> outputs = new ArrayList<>();
    for (String out : outputNames) {
      outputs.add(tensorJson(out, "FP32", shapes.getOrDefault(out, List.of(-1L))));
    }
    m.put("outputs", outputs);
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("task", model.task().name().toLowerCase(java.util.Locale.ROOT));
    parameters.put("form", form);
    parameters.put("forms", model.forms());
    parameters.put("engine", model.engine());
    m.put("parameters", parameters);
    return m;
  }

  private static Map<String, Object> tensorJson(String name, String datatype, List<Long> shape) {
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("name", name);
    t.put("datatype", datatype);
    t.put("shape", shape);
    return t;
  }

  private static List<Long> shape(List<InputContract.Axis> axes) {
    if (axes == null) {
      return List.of(-1L);
    }
    return axes.stream().map(InputContract.Axis::size).toList();
  }

  /** Output shapes (-1 for a dynamic axis) from the ONNX file the form runs on, else from the run's recipe. */
  private Map<String, List<Long>> outputShapes() {
    Map<String, List<Long>> shapes = new LinkedHashMap<>();
    Path source = model.source();
    Path onnx = Files.isRegularFile(source) ? source : model.recipe() != null ? new RunFolder(source, model.recipe()).onnxFile(form) : null;
    if (RnnxModel.ONNX_RUNTIME.equals(model.engine()) && onnx != null && Files.isRegularFile(onnx)) {
      for (OnnxInterface.Port p : OnnxInterface.read(onnx).outputs()) {
        shapes.put(p.name(), shape(p.input().axes()));
      }
    } else if (model.recipe() != null) {
      for (ModelForm f : model.recipe().model().forms()) {
        if (f.name().equals(form)) {
          for (TensorSpec t : f.outputs()) {
            List<Long> dims = new ArrayList<>();
            for (int d : t.shape().dims()) {
              dims.add((long) d);
            }
            shapes.put(t.name(), dims);
          }
        }
      }
    }
    return shapes;
  }

  /**
   * {@code POST .../infer}: the response body.
   *
   * @param headerLength the request's {@code Inference-Header-Content-Length} (binary data after
   *     the JSON), or -1
   */
  InferenceCodec.Encoded infer(byte[] body, int headerLength, RequestIds ids) {
    if (generator != null || similar != null) {
      JsonNode root = headerLength < 0 ? InferenceCodec.readObject(body) : InferenceCodec.readObject(body, headerLength);
      if (root.path("inputs").path(0).path("datatype").asText("").equals("BYTES")) {
        JsonNode id = root.get("id");
        if (id != null && !id.isTextual()) {
          throw ApiException.badRequest("'id' is " + id + ", expected a string");
        }
        ids.set(id == null ? null : id.asText());
        List<TextTensors.Output> outputs = generator != null
            ? generateAll(root, TextTensors.read(root, "text_input", body, headerLength))
            : similarAll(root, TextTensors.read(root, "word", body, headerLength));
        return TextTensors.response(root, name, VERSION, id == null ? null : id.asText(), outputs);
      }
    }
    InferenceCodec.InferRequest r = InferenceCodec.inferRequest(body, headerLength, contract, outputNames);
    ids.set(r.id());
    Map<String, FloatTensor> out = predictor.predict(r.inputs());
    return InferenceCodec.inferResponse(name, VERSION, r, out);
  }

  /**
   * Whether {@link #inferAsync} returns without waiting for the engine: the model batches, and its
   * {@code infer} takes no text ({@code BYTES} on a seq2seq or word2vec run goes through {@link #infer}).
   */
  boolean asynchronous() {
    return predictor.asynchronous() && generator == null && similar == null;
  }

  /**
   * {@code POST .../infer} without waiting: the body is read and checked, and the request queued on
   * the model's dynamic batcher, in the calling thread (a refusal is thrown there); the response
   * body is encoded on {@code encoder} once the batch has run.
   */
  CompletableFuture<InferenceCodec.Encoded> inferAsync(byte[] body, int headerLength, RequestIds ids, Executor encoder) {
    InferenceCodec.InferRequest r = InferenceCodec.inferRequest(body, headerLength, contract, outputNames);
    ids.set(r.id());
    return predictor.predictAsync(r.inputs())
        .thenApplyAsync(out -> InferenceCodec.inferResponse(name, VERSION, r, out), encoder);
  }

  /**
   * {@code infer} with a {@code BYTES} tensor on a seq2seq run: input {@code text_input}, {@code
   * BYTES} {@code [n]}; each string generated as by {@link #generate} (the request's {@code
   * parameters} as there); the outputs {@code text_output}, {@code BYTES} {@code [n]}, and {@code
   * score}, {@code FP64} {@code [n]}.
   */
  private List<TextTensors.Output> generateAll(JsonNode root, List<String> texts) {
    JsonNode p = root.has("parameters") ? root.get("parameters") : InferenceCodec.JSON.createObjectNode();
    SearchOptions options = new SearchOptions(intParameter(p, "beam_width", 1), doubleParameter(p, "length_penalty"),
        intParameter(p, "max_length", 0));
    List<String> out = new ArrayList<>();
    List<Double> scores = new ArrayList<>();
    for (String text : texts) {
      Generation g = generator.generate(text, options);
      out.add(g.text());
      scores.add(g.score());
    }
    long[] shape = {texts.size()};
    return List.of(new TextTensors.Output("text_output", "BYTES", shape, out), new TextTensors.Output("score", "FP64", shape, scores));
  }

  /**
   * {@code infer} with a {@code BYTES} tensor on a word2vec run: input {@code word}, {@code BYTES}
   * {@code [n]}, and the request's parameter {@code k} (default 5); the outputs {@code neighbours},
   * {@code BYTES} {@code [n, k]}, each word's k nearest words best first as {@link #mostSimilar}
   * answers them, and {@code scores}, {@code FP64} {@code [n, k]}, their cosine similarities.
   */
  private List<TextTensors.Output> similarAll(JsonNode root, List<String> words) {
    int k = intParameter(root.has("parameters") ? root.get("parameters") : InferenceCodec.JSON.createObjectNode(), "k", 5);
    List<String> neighbours = new ArrayList<>();
    List<Double> scores = new ArrayList<>();
    for (String word : words) {
      List<SimilarWords.Neighbour> nearest = similar.mostSimilar(word, k);
      if (nearest.size() != k) {
        throw ApiException.badRequest("request: input 'word': '" + word + "' has " + nearest.size() + " neighbours, expected k = " + k);
      }
      for (SimilarWords.Neighbour n : nearest) {
        neighbours.add(n.word());
        scores.add(n.score());
      }
    }
    long[] shape = {words.size(), k};
    return List.of(new TextTensors.Output("neighbours", "BYTES", shape, neighbours), new TextTensors.Output("scores", "FP64", shape, scores));
  }

  /**
   * {@code POST .../generate} on a seq2seq run: {@code {"text_input": "...", "parameters":
   * {"beam_width": 1, "max_length": 0, "length_penalty": 0}}} to {@code {"model_name",
   * "model_version", "text_output", "score", "alternatives"}} (Triton's generate extension).
   */
  byte[] generate(byte[] request) {
    JsonNode body = InferenceCodec.readObject(request);
    if (generator == null) {
      throw ApiException.badRequest("model '" + name + "' serves task " + taskName() + "; generate needs a seq2seq run");
    }
    JsonNode text = body.get("text_input");
    if (text == null || !text.isTextual()) {
      throw ApiException.badRequest("'text_input' is " + (text == null ? "missing" : text.toString()) + ", expected a string");
    }
    JsonNode p = body.has("parameters") ? body.get("parameters") : InferenceCodec.JSON.createObjectNode();
    SearchOptions options = new SearchOptions(intParameter(p, "beam_width", 1), doubleParameter(p, "length_penalty"),
        intParameter(p, "max_length", 0));
    Generation g = generator.generate(text.asText(), options);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("model_name", name);
    out.put("model_version", VERSION);
    out.put("text_output", g.text());
    out.put("score", g.score());
    out.put("alternatives", g.alternatives());
    out.put("unknown_tokens", g.unknownTokens());
    return InferenceCodec.write(out);
  }

  /**
   * {@code POST .../most_similar} on a word2vec run: {@code {"word": "cat", "k": 5}} to {@code
   * {"model_name", "model_version", "word", "neighbours": [{"word", "score"}, ...]}}, best first.
   */
  byte[] mostSimilar(byte[] request) {
    JsonNode body = InferenceCodec.readObject(request);
    if (similar == null) {
      throw ApiException.badRequest("model '" + name + "' serves task " + taskName() + "; most_similar needs a word2vec run");
    }
    JsonNode word = body.get("word");
    if (word == null || !word.isTextual()) {
      throw ApiException.badRequest("'word' is " + (word == null ? "missing" : word.toString()) + ", expected a string");
    }
    int k = intParameter(body, "k", 5);
    List<Map<String, Object>> neighbours = new ArrayList<>();
    for (SimilarWords.Neighbour n : similar.mostSimilar(word.asText(), k)) {
      neighbours.add(Map.of("word", n.word(), "score", n.score()));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("model_name", name);
    out.put("model_version", VERSION);
    out.put("word", similar.normalise(word.asText()));
    out.put("neighbours", neighbours);
    return InferenceCodec.write(out);
  }

  private String taskName() {
    return model.task().name().toLowerCase(java.util.Locale.ROOT);
  }

  private static int intParameter(JsonNode node, String key, int fallback) {
    JsonNode v = node.get(key);
    if (v == null) {
      return fallback;
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      throw ApiException.badRequest("'" + key + "' is " + v + ", expected an integer");
    }
    return v.asInt();
  }

  private static double doubleParameter(JsonNode node, String key) {
    JsonNode v = node.get(key);
    if (v == null) {
      return 0;
    }
    if (!v.isNumber()) {
      throw ApiException.badRequest("'" + key + "' is " + v + ", expected a number");
    }
    return v.asDouble();
  }

  /** Where a request's {@code id} goes once read, for the access log. */
  interface RequestIds {
    void set(String id);
  }
}
