package dev.rnnx.verify;

import dev.rnnx.pipeline.EngineBackends;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rnnx.spec.Activation;
import dev.rnnx.spec.Dense;
import dev.rnnx.spec.Lstm;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.TimeDistributed;
import dev.rnnx.weights.Weights;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/** The four report formats of a failing verification, read back as their consumers read them. */
class ReportsTest {

  @Test
  void jsonHtmlJunitAndGoldenOfAFailingRun(@TempDir Path dir) throws Exception {
    Sequential m = new Sequential("reported", 2, List.of(Lstm.builder("lstm", 4).returnSequences(true).build(),
        new TimeDistributed("head", new Dense("head", 1, Activation.LINEAR, true))));
    Weights w = Mutations.weights(m, 31, 0.5);
    Path onnx = Mutations.export(m, w, dir.resolve("m.onnx"), x -> Mutations.lstmKerasGateOrder(x, "lstm"));
    VerifyOptions o = VerifyOptions.builder().backends(List.of("djl-ort", "ref-onnx")).build();
    VerifyReport r = Verification.verifyModel(m, w, form -> new FormFiles(onnx, null), 5, 7, null, ParityCriteria.of(Criterion.DEFAULT),
        o, Map.of("kind", "model", "model", "reported"), EngineBackends.INSTANCE);
    assertFalse(r.passed());
    Path out = dir.resolve("report");
    VerifyReports.write(r, out);

    JsonNode json = new ObjectMapper().readTree(out.resolve("report.json").toFile());
    for (String key : List.of("schema", "subject", "passed", "reference", "candidates", "criteria", "comparisons", "cases",
        "non_finite", "backend_errors", "backend_seconds", "divergences", "error_growth", "inputs", "notes",
        "timings_seconds", "versions")) {
      assertTrue(json.has(key), key);
    }
    assertEquals(List.of("djl-ort", "ref-onnx"), List.of(json.get("candidates").get(0).asText(), json.get("candidates").get(1).asText()));
    JsonNode d = json.get("divergences").get(0);
    assertEquals("lstm", d.get("layer").asText());
    assertTrue(d.get("gates").has("f"));
    assertEquals(8, json.get("inputs").get("cases").size());
    JsonNode stats = json.get("cases").get(0).get("stats");
    assertEquals(16, stats.get("histogram").get("counts").size());
    assertTrue(json.get("cases").get(2).get("stats").has("per_step_max_abs_err"));
    JsonNode growth = json.get("error_growth").get(0);
    assertEquals(8, growth.get("points").size());
    assertEquals(20, growth.get("points").get(2).get("length").asInt(), "batch1_len20: 4T");
    assertEquals(2, json.get("divergences").size(), "ref-onnx runs the same file, so it fails and is localised too");

    String html = Files.readString(out.resolve("report.html"), StandardCharsets.UTF_8);
    assertTrue(html.startsWith("<!DOCTYPE html>") && html.contains("parity FAILS"));
    assertFalse(Pattern.compile("<script|<link|<img|<iframe|src=|url\\(|@import", Pattern.CASE_INSENSITIVE).matcher(html).find(),
        "self-contained: nothing loaded from elsewhere");
    assertFalse(html.replace("http://www.w3.org/2000/svg", "").contains("http"), "no network address at all");
    Matcher svg = Pattern.compile("<svg.*?</svg>", Pattern.DOTALL).matcher(html);
    int charts = 0;
    while (svg.find()) {
      parse(svg.group());
      charts++;
    }
    assertTrue(charts >= 4, "histograms, growth per case, per step, and the divergence's step errors: " + charts);
    assertTrue(html.contains("first in canonical order"), "the divergence is on the page");
    assertTrue(html.indexOf("<table class=verdicts>") < html.indexOf("<svg"), "the verdict table comes before any chart");
    assertTrue(Pattern.compile("→ gates? [a-z, ]*f").matcher(html).find(), "the verdict names the diverging gates");
    assertTrue(html.contains("<table class=departs>") && html.contains("<line class=\"tol\""), "departures and tolerances");

    Document junit = parse(Files.readString(out.resolve("junit.xml")));
    assertEquals("16", junit.getDocumentElement().getAttribute("tests"));
    assertEquals("16", junit.getDocumentElement().getAttribute("failures"));
    assertEquals(2, junit.getElementsByTagName("testsuite").getLength());
    assertTrue(junit.getElementsByTagName("failure").item(0).getTextContent().contains("first divergence: djl-ort"));

    assertTrue(Files.isRegularFile(out.resolve("golden/test_data_set_7/output_0.pb")));
    assertTrue(Files.isRegularFile(out.resolve("golden/model.onnx")));
  }

  private static Document parse(String xml) throws Exception {
    return DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
  }
}
