package dev.rnnx.experiment;

import dev.rnnx.pipeline.Charts;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Plots one curve per variant: the mean over seeds of a quantity recorded at the same steps. */
final class ExperimentPlot {

  private ExperimentPlot() {}

  static void meanCurves(Path png, String title, String xTitle, String yTitle, List<VariantResult> results) throws IOException {
    XYChart chart = new XYChartBuilder().width(1000).height(600).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    chart.getStyler().setYAxisLogarithmic(true);
    for (VariantResult r : results) {
      List<SeedRun> runs = r.runs();
      int n = runs.stream().mapToInt(s -> s.steps().size()).min().orElse(0);
      if (n == 0) {
        continue;
      }
      double[] x = new double[n];
      double[] y = new double[n];
      for (int i = 0; i < n; i++) {
        x[i] = runs.get(0).steps().get(i);
        final int k = i;
        // floor keeps a solved run's tiny losses plottable on the log axis
        y[i] = Math.max(1e-6, runs.stream().mapToDouble(s -> s.losses().get(k)).average().orElse(Double.NaN));
      }
      chart.addSeries(r.variant().name(), x, y).setMarker(SeriesMarkers.NONE);
    }
    Charts.savePng(chart, png);
  }
}
