package dev.rnnx.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rnnx.cli.Main;
import dev.rnnx.data.VocabularyFile;
import dev.rnnx.decode.SearchOptions;
import dev.rnnx.spec.InvalidInputException;
import dev.rnnx.djl.RnnxModel;
import dev.rnnx.djl.Seq2SeqGenerator;
import dev.rnnx.djl.SimilarWords;
import dev.rnnx.djl.Task;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.Recipe;
import dev.rnnx.spec.RecipeCodec;
import dev.rnnx.tf.TrainingOptions;
import dev.rnnx.weights.Safetensors;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The main job for seq2seq and word2vec recipes, end to end on small models: every form exported,
 * verified on four backends, generation identical across backends, then served by
 * {@code rnnx predict}.
 */
class RunPipelineFormsTest {

  @TempDir
  static Path dir;

  static RunReport attention;

  private static final String DATES = """
      name: tiny-dates
      seed: 3
      model:
        type: seq2seq
        source_vocabulary: 45
        target_vocabulary: 15
        embedding_dim: 16
        max_source_length: 40
        max_target_length: 11
        encoder: {type: rnn, cell: gru, units: 24}
        decoder: {type: rnn, cell: gru, units: 24, attention: general}
      data: {task: dates, samples: 400, long_share: 0.3}
      training: {loss: categorical_crossentropy, optimizer: adam, learning_rate: 0.01, epochs: 2, batch_size: 32,
                 metrics: [accuracy]}
      """;

  static RunReport run(String yaml, String name) throws Exception {
    Recipe recipe = RecipeCodec.parse(yaml, name);
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    RunReport o = RunPipeline.run(recipe, dir.resolve(name), TrainingOptions.defaults(),
        new PrintStream(log, true, StandardCharsets.UTF_8));
    assertTrue(o.passed(), log.toString(StandardCharsets.UTF_8));
    return o;
  }

  @BeforeAll
  static void trainAttentionModel() throws Exception {
    attention = run(DATES, "attention");
  }

  @Test
  void everyFormIsWrittenVerifiedAndReported() throws Exception {
    Path out = dir.resolve("attention");
    for (String form : List.of(ModelForm.TRAINING, ModelForm.ENCODER, ModelForm.DECODER_STEP, ModelForm.GREEDY_DECODER)) {
      assertTrue(Files.isRegularFile(out.resolve(form + ".onnx")), form);
      assertTrue(Files.isRegularFile(out.resolve("saved_model").resolve(form).resolve("saved_model.pb")), form);
      assertTrue(attention.verification().form(form).passed(), form);
    }
    assertTrue(Files.isRegularFile(out.resolve("vocabulary.json")));
    JsonNode report = new ObjectMapper().readTree(out.resolve("report.json").toFile());
    assertEquals("seq2seq", report.get("model_kind").asText());
    assertTrue(report.get("passed").asBoolean());
    assertTrue(report.get("training").get("final_loss").asDouble() > 0);
    JsonNode agreement = report.get("generation").get("agreement_with_ref");
    assertEquals(5, agreement.size(), "ONNX Loop, TF while loop live and saved, and the step form on both DJL engines");
    agreement.forEach(a -> assertEquals(0, a.get("mismatches").asInt(), a.toString()));
    assertTrue(report.get("comparisons").size() >= 4 * 3, "every form against three candidates");
    assertTrue(report.get("generation").get("bleu4").asDouble() >= 0);
  }

  @Test
  void predictGeneratesTextAndRefusesBadInput() {
    String run = dir.resolve("attention").toString();
    assertEquals(0, cli(run, "--text", "7 march 1998").code());
    Outcome tf = cli(run, "--text", "march 7, 1998", "--engine", "TensorFlow", "--beam", "3");
    assertEquals(0, tf.code(), tf.err());
    assertTrue(tf.out().lines().findFirst().orElse("").matches("[0-9-]*"), tf.out());
    // input is lower-cased as the (lower-case) training text was: no unknown token, the same answer
    Outcome lower = cli(run, "--text", "7 march 1998");
    Outcome upper = cli(run, "--text", "7 MARCH 1998");
    assertEquals(lower.out(), upper.out());
    assertEquals(1, upper.out().lines().count(), upper.out());
    assertFalse(upper.err().contains("vocabulary"), upper.err());
    // notes go to stderr, stdout keeps the one answer line; mostly unknown input is a warning
    Outcome some = cli(run, "--text", "7 märz 1998");
    assertEquals(1, some.out().lines().count(), some.out());
    assertTrue(some.err().contains("rnnx: 1 of the 11 input tokens are outside the vocabulary (read as <unk>)"), some.err());
    Outcome most = cli(run, "--text", "\u00e4\u00f6\u00fc 7");
    assertEquals(1, most.out().lines().count(), most.out());
    assertTrue(most.err().contains("rnnx: warning: 3 of the 5 input tokens are outside the vocabulary"), most.err());
    // every character of "hello" is known to the dates model, but the word never occurs in its training sources
    Outcome hello = cli(run, "--text", "Hello");
    assertEquals(0, hello.code(), hello.err());
    assertEquals(1, hello.out().lines().count(), hello.out());
    assertFalse(hello.err().contains("input tokens"), hello.err());
    assertTrue(hello.err().contains("rnnx: warning: 1 of the 1 input words never occur in the training sources (hello);"
        + " the output says little about this input"), hello.err());
    assertFalse(upper.err().contains("never occur"), upper.err());
    assertEquals(2, cli(run, "--text", "").code());
    assertEquals(2, cli(run, "--text", "x".repeat(41)).code());
    assertEquals(2, cli(run, "--text", "7 march 1998", "--beam", "0").code());
    Outcome wrongKind = cli(run, "--most-similar", "cat");
    assertEquals(2, wrongKind.code(), "a seq2seq run has no word table");
    assertTrue(wrongKind.err().contains("holds a seq2seq model, expected a word2vec run"), wrongKind.err());
    assertEquals(0, cli(run, "--text", "7 march 1998", "--end-token", "-").code());
    assertEquals(2, cli(run, "--text", "7 march 1998", "--end-token", "no-such-token").code());
  }

  @Test
  void word2vecRunsPassAndAnswerMostSimilar() throws Exception {
    RunReport w = run("""
        name: tiny-w2v
        seed: 5
        model: {type: word2vec, vocabulary: 62, dimension: 8, architecture: skip_gram, window: 2,
                objective: negative_sampling, negatives: 3}
        data: {task: grammar_corpus, sentences: 600}
        training: {loss: binary_crossentropy, optimizer: adam, learning_rate: 0.02, epochs: 2, batch_size: 128}
        """, "w2v");
    assertEquals(6, w.similarity().precisionAt5().size());
    assertTrue(w.similarity().meanPrecisionAt5() > 0.5, "classes emerge even in two epochs: " + w.similarity().precisionAt5());
    Outcome o = cli(dir.resolve("w2v").toString(), "--most-similar", "cat", "--k", "3");
    assertEquals(0, o.code(), o.err());
    assertEquals(3, o.out().lines().count(), o.out());
    Outcome unicorn = cli(dir.resolve("w2v").toString(), "--most-similar", "unicorn");
    assertEquals(2, unicorn.code());
    assertTrue(unicorn.err().contains("(lower case; input is lower-cased);"
        + " no word within edit distance 2"), unicorn.err());
    Outcome kat = cli(dir.resolve("w2v").toString(), "--most-similar", "kat");
    assertEquals(2, kat.code());
    assertTrue(kat.err().matches("(?s).*'kat' is not in the vocabulary .*; near matches: (\\w+, )*cat\\b.*"), kat.err());
    Outcome capital = cli(dir.resolve("w2v").toString(), "--most-similar", "Cat", "--k", "3");
    assertEquals(0, capital.code(), capital.err());
    assertEquals(o.out(), capital.out(), "Cat is read as cat");
    assertTrue(capital.err().contains("rnnx: read 'Cat' as 'cat' (the vocabulary is lower case)"), capital.err());
    assertEquals(2, cli(dir.resolve("w2v").toString(), "--most-similar", "cat", "--k", "0").code());
    Outcome wrongKind = cli(dir.resolve("w2v").toString(), "--text", "cat");
    assertEquals(2, wrongKind.code(), "a word2vec run generates no text");
    assertTrue(wrongKind.err().contains("holds a word2vec model, expected a seq2seq run"), wrongKind.err());

    // served through RnnxModel: the embedding translator returns the trained table's row, and
    // the pooled, warmed-up most_similar form answers what a single cold predictor (predict's) does
    Path run = dir.resolve("w2v");
    try (RnnxModel model = RnnxModel.load(run);
        RnnxModel single = RnnxModel.builder(run).optPoolSize(1).optWarmUp(false).build()) {
      SimilarWords alone = single.similarWords();
      assertEquals(Task.EMBEDDING, model.task());
      VocabularyFile vocabulary = VocabularyFile.read(run);
      FloatTensor table = Safetensors.read(run.resolve("weights.safetensors")).weights().get("embeddings");
      int id = vocabulary.source().id("cat");
      int d = Math.toIntExact(table.dim(1));
      float[] row = java.util.Arrays.copyOfRange(table.data(), id * d, (id + 1) * d);
      assertArrayEquals(row, model.embedding().predict("cat"), 1e-6f);
      assertEquals(alone.mostSimilar("cat", 3), model.similarWords().mostSimilar("cat", 3));
      assertThrows(InvalidInputException.class, () -> model.embedding().predict("unicorn"));
    }
  }

  @Test
  void rnnxModelGeneratesWhatASinglePredictorDoesFromManyThreads() throws Exception {
    Path run = dir.resolve("attention");
    List<String> sources = List.of("7 march 1998", "march 7, 1998", "12/03/2001", "1 jan 2010");
    List<String> expected = new ArrayList<>();
    try (RnnxModel single = RnnxModel.builder(run).optPoolSize(1).optWarmUp(false).build()) {
      for (String s : sources) {
        expected.add(single.generator().generate(s, new SearchOptions(3, 0.6, 0)).text());
      }
    }
    try (RnnxModel model = RnnxModel.load(run)) {
      assertEquals(Task.GENERATION, model.task());
      Seq2SeqGenerator served = model.generator();
      List<Thread> threads = new ArrayList<>();
      List<String> got = java.util.Collections.synchronizedList(new ArrayList<>());
      for (int t = 0; t < 8; t++) {
        int k = t % sources.size();
        Thread th = new Thread(() -> got.add(k + ":" + served.generate(sources.get(k), new SearchOptions(3, 0.6, 0)).text()));
        th.start();
        threads.add(th);
      }
      for (Thread th : threads) {
        th.join();
      }
      assertEquals(8, got.size(), "a thread failed");
      for (String g : got) {
        int k = Integer.parseInt(g.substring(0, g.indexOf(':')));
        assertEquals(expected.get(k), g.substring(g.indexOf(':') + 1), sources.get(k));
      }
    }
  }

  @Test
  void transformerRunsPass() throws Exception {
    RunReport t = run(DATES.replace("name: tiny-dates", "name: tiny-transformer")
        .replace("encoder: {type: rnn, cell: gru, units: 24}", "encoder: {type: transformer, layers: 1, heads: 2, ff_dim: 32}")
        .replace("decoder: {type: rnn, cell: gru, units: 24, attention: general}",
            "decoder: {type: transformer, layers: 1, heads: 2, ff_dim: 32}")
        .replace("epochs: 2", "epochs: 1"), "transformer");
    assertTrue(t.generation().agreed());
  }

  @Test
  void verifyWritesTheSameReportsForEveryForm() throws Exception {
    Path run = dir.resolve("attention");
    CommandLine cl = Main.commandLine();
    StringWriter out = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(new StringWriter(), true));
    assertEquals(0, cl.execute("verify", run.toString(), "--backends", "djl-ort,djl-ort-disabled,ort,ref-onnx"), out.toString());
    Path report = run.resolve("verify");
    for (String f : List.of("report.json", "report.html", "junit.xml")) {
      assertTrue(Files.isRegularFile(report.resolve(f)), f);
    }
    JsonNode json = new ObjectMapper().readTree(report.resolve("report.json").toFile());
    assertEquals(4, json.get("forms").size());
    java.util.Set<String> forms = new java.util.TreeSet<>();
    json.get("comparisons").forEach(c -> forms.add(c.get("form").asText()));
    assertEquals(new java.util.TreeSet<>(List.of(ModelForm.TRAINING, ModelForm.ENCODER, ModelForm.DECODER_STEP,
        ModelForm.GREEDY_DECODER)), forms);
    assertTrue(json.get("comparisons").size() >= 4 * 4, "every form against four candidates, ort included");
    for (String form : forms) {
      assertTrue(Files.isRegularFile(report.resolve("golden").resolve(form).resolve("model.onnx")), form);
      assertTrue(Files.isRegularFile(report.resolve("golden").resolve(form).resolve("test_data_set_0").resolve("input_0.pb")),
          form);
    }
    assertTrue(Files.readString(report.resolve("junit.xml")).contains("rnnx.verify.encoder.ort"));
    // the golden sets feed back, form by form
    assertEquals(0, Main.commandLine().execute("verify", run.toString(), "--backends", "djl-ort", "--inputs",
        report.resolve("golden").toString(), "--report", dir.resolve("again").toString()));
  }

  record Outcome(int code, String out, String err) {}

  static Outcome cli(String run, String... args) {
    CommandLine cl = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    String[] all = new String[args.length + 2];
    all[0] = "predict";
    all[1] = run;
    System.arraycopy(args, 0, all, 2, args.length);
    return new Outcome(cl.execute(all), out.toString(), err.toString());
  }
}
