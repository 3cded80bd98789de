package dev.rnnx.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

/** loss.png: readable loss axes, no empty curves, metrics in a second panel. */
class LossPlotTest {

  private static List<Double> decay(double from, double to, int n) {
    List<Double> v = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      v.add(from * Math.pow(to / from, i / (n - 1.0)));
    }
    return v;
  }

  @Test
  void aLossOverDecadesIsOnALogScaleLabelledBetweenDecades() {
    XYChart chart = LossPlot.lossChart("t", "categorical_crossentropy", decay(2.5, 0.0035, 20), decay(2.2, 0.005, 20));
    assertEquals(List.of("training", "validation"), List.copyOf(chart.getSeriesMap().keySet()));
    assertEquals("loss (categorical_crossentropy, log scale)", chart.getYAxisTitle());
    // the points are log10 of the loss, the labels the loss itself
    assertEquals(Math.log10(0.0035), chart.getSeriesMap().get("training").getYData()[19], 1e-12);
    var label = chart.getStyler().getyAxisTickLabelsFormattingFunction();
    assertEquals("0.004", label.apply(Math.log10(0.004)));
    assertEquals("0.0063", label.apply(-2.2));
    assertEquals("0.01", label.apply(-2.0));
    assertEquals("2.5", label.apply(Math.log10(2.5)));
    assertEquals("3.2e-04", label.apply(-3.5));
    assertEquals(Math.floor(Math.log10(0.0035) * 20) / 20, chart.getStyler().getYAxisMin(), 1e-12);
  }

  @Test
  void aNarrowLossIsLinearAndAnEmptyValidationCurveIsLeftOut() {
    List<Double> nan = new ArrayList<>(List.of(Double.NaN, Double.NaN, Double.NaN));
    XYChart chart = LossPlot.lossChart("t", "sampled_softmax", List.of(3.1, 2.8, 2.7), nan);
    assertEquals(List.of("training"), List.copyOf(chart.getSeriesMap().keySet()), "no validation legend without data");
    assertEquals("loss (sampled_softmax)", chart.getYAxisTitle());
    assertNull(chart.getStyler().getyAxisTickLabelsFormattingFunction());
    assertEquals(2.7, chart.getSeriesMap().get("training").getYData()[2]);
    assertNull(LossPlot.metricChart(Map.of()), "no metrics, no panel");
  }

  @Test
  void metricsGetTheirOwnPanelInTheSamePng(@TempDir Path dir) throws Exception {
    Map<String, List<Double>> metrics = new LinkedHashMap<>();
    metrics.put("accuracy", List.of(0.2, 0.6, 0.9));
    metrics.put("exact_match", List.of(0.0, 0.1, 0.7));
    metrics.put("val_accuracy", List.of(0.25, 0.55, 0.85));
    metrics.put("val_exact_match", List.of(0.0, 0.05, 0.6));
    XYChart chart = LossPlot.metricChart(metrics);
    assertEquals(List.of("accuracy (training)", "exact_match (training)", "accuracy (validation)", "exact_match (validation)"),
        chart.getSeriesMap().values().stream().filter(XYSeries::isShowInLegend).map(XYSeries::getName).toList());
    assertEquals(0.6, chart.getSeriesMap().get("exact_match (validation)").getYData()[2]);
    XYSeries span = chart.getSeriesMap().get(" ");
    assertEquals(List.of(0.0, 1.0), List.of(span.getYData()[0], span.getYData()[1]), "fractions on a 0-1 axis");
    assertFalse(span.isShowInLegend());
    XYChart neighbours = LossPlot.metricChart(Map.of("nearest_same_class", List.of(1.0, 1.0)));
    assertEquals(List.of("nearest_same_class"),
        neighbours.getSeriesMap().values().stream().filter(XYSeries::isShowInLegend).map(XYSeries::getName).toList(),
        "no validation twin, no suffix");
    assertNull(LossPlot.metricChart(Map.of("bleu", List.of(Double.NaN))), "a metric with no value draws no panel");

    Path png = dir.resolve("loss.png");
    LossPlot.write(png, "dates: loss per epoch", "categorical_crossentropy", decay(2.5, 0.0035, 3), decay(2.2, 0.005, 3), metrics);
    BufferedImage both = ImageIO.read(png.toFile());
    assertEquals(900, both.getWidth());
    assertEquals(460 + 360, both.getHeight(), "loss panel above the metrics panel");
    LossPlot.write(png, "w2v", "sampled_softmax", List.of(3.0, 2.0), List.of(Double.NaN, Double.NaN), Map.of());
    assertEquals(460, ImageIO.read(png.toFile()).getHeight(), "loss alone");
    try (var files = Files.list(dir)) {
      assertFalse(files.anyMatch(p -> p.getFileName().toString().startsWith(".")), "no temporary file left");
    }
    assertTrue(Files.size(png) > 1000);
  }
}
