package dev.rnnx.pipeline;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws the training curves per epoch as one PNG: the training and validation loss on top, and
 * below it every metric recorded per epoch (accuracy, exact match, word2vec's nearest-same-class
 * fraction; {@code val_} ones as validation), on a 0–1 axis when every value is a fraction. A loss spanning more than a decade is drawn on a
 * log scale with a labelled tick every fraction of a decade (0.01, 0.016, 0.025, 0.04, …: the loss
 * itself, two significant digits), a narrower one on a linear scale. A curve with no finite value
 * is left out, legend included.
 */
public final class LossPlot {

  /** A loss whose largest value is more than this many times its smallest is drawn on a log scale. */
  static final double LOG_SCALE_RATIO = 10;

  private LossPlot() {}

  /**
   * Writes the plot atomically.
   *
   * @param metrics per-epoch metrics by name ({@code val_<name>} for the validation set); none draws the loss alone
   */
  public static void write(Path png, String title, String lossName, List<Double> train, List<Double> validation,
      Map<String, List<Double>> metrics) throws IOException {
    List<XYChart> panels = new ArrayList<>();
    panels.add(lossChart(title, lossName, train, validation));
    XYChart m = metricChart(metrics);
    if (m != null) {
      panels.add(m);
    }
    Charts.savePng(panels, png);
  }

  static XYChart lossChart(String title, String lossName, List<Double> train, List<Double> validation) {
    List<Double> all = new ArrayList<>(train);
    all.addAll(validation);
    double min = all.stream().filter(Double::isFinite).mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    double max = all.stream().filter(Double::isFinite).mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    boolean log = min > 0 && max / min > LOG_SCALE_RATIO;
    XYChart chart = new XYChartBuilder().width(900).height(460).title(title).xAxisTitle("epoch")
        .yAxisTitle("loss (" + lossName + (log ? ", log scale" : "") + ")").build();
    style(chart);
    if (log) {
      // log10 of the loss on a linear axis, each tick labelled with the loss itself
      double lo = Math.floor(Math.log10(min) * 20) / 20;
      double hi = Math.ceil(Math.log10(max) * 20) / 20;
      chart.getStyler().setYAxisMin(lo).setYAxisMax(hi);
      chart.getStyler().setyAxisTickLabelsFormattingFunction(LossPlot::powerOfTenLabel);
    }
    addSeries(chart, "training", train, log, SeriesMarkers.CIRCLE);
    addSeries(chart, "validation", validation, log, SeriesMarkers.DIAMOND);
    return chart;
  }

  static XYChart metricChart(Map<String, List<Double>> metrics) {
    XYChart chart = new XYChartBuilder().width(900).height(360).title("metrics per epoch").xAxisTitle("epoch")
        .yAxisTitle("metric").build();
    style(chart);
    // metrics rise towards 1: the legend goes where the curves are not
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
    for (Map.Entry<String, List<Double>> e : metrics.entrySet()) {
      String key = e.getKey();
      boolean validation = key.startsWith("val_");
      String name = validation ? key.substring(4) + " (validation)"
          : metrics.containsKey("val_" + key) ? key + " (training)" : key;
      addSeries(chart, name, e.getValue(), false, validation ? SeriesMarkers.DIAMOND : SeriesMarkers.CIRCLE);
    }
    boolean fractions = metrics.values().stream().flatMap(List::stream).filter(Double::isFinite).allMatch(v -> v >= 0 && v <= 1);
    if (chart.getSeriesMap().isEmpty()) {
      return null;
    }
    if (fractions) {
      // an invisible 0-1 span keeps the axis at 0-1 (a constant metric is drawn at its value, not mid-panel)
      XYSeries span = chart.addSeries(" ", new double[] {1, 1}, new double[] {0, 1});
      span.setMarker(SeriesMarkers.NONE).setLineStyle(SeriesLines.NONE).setShowInLegend(false);
    }
    return chart;
  }

  /** The label of a log10 position: the loss there, with two significant digits. */
  static String powerOfTenLabel(double log10) {
    double v = Math.pow(10, log10);
    if (v >= 1e4 || v < 1e-3) {
      return String.format(Locale.ROOT, "%.1e", v);
    }
    return new java.math.BigDecimal(v).round(new java.math.MathContext(2)).stripTrailingZeros().toPlainString();
  }

  private static void style(XYChart chart) {
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    chart.getStyler().setXAxisDecimalPattern("#");
    chart.getStyler().setYAxisTickMarkSpacingHint(40);
  }

  private static void addSeries(XYChart chart, String name, List<Double> values, boolean log, org.knowm.xchart.style.markers.Marker marker) {
    if (values.stream().noneMatch(Double::isFinite)) {
      return;
    }
    double[] x = IntStream.rangeClosed(1, values.size()).asDoubleStream().toArray();
    double[] y = values.stream().mapToDouble(v -> log ? Math.log10(v) : v).toArray();
    chart.addSeries(name, x, y).setMarker(marker);
  }
}
