package dev.rnnx.pipeline;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Draws training and validation loss per epoch as a PNG (log scale). */
public final class LossPlot {

  private LossPlot() {}

  /** Writes the plot atomically. */
  public static void write(Path png, String title, String lossName, List<Double> train, List<Double> validation) throws IOException {
    XYChart chart = new XYChartBuilder().width(800).height(500).title(title)
        .xAxisTitle("epoch").yAxisTitle("loss (" + lossName + ")").build();
    chart.getStyler().setYAxisLogarithmic(allPositive(train) && allPositive(validation));
    chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
    double[] epochs = IntStream.rangeClosed(1, train.size()).asDoubleStream().toArray();
    chart.addSeries("training", epochs, train.stream().mapToDouble(Double::doubleValue).toArray())
        .setMarker(SeriesMarkers.CIRCLE);
    if (!validation.isEmpty()) {
      chart.addSeries("validation", epochs, validation.stream().mapToDouble(Double::doubleValue).toArray())
          .setMarker(SeriesMarkers.DIAMOND);
    }
    Charts.savePng(chart, png);
  }

  private static boolean allPositive(List<Double> values) {
    return values.stream().allMatch(v -> v > 0);
  }
}
