package dev.rnnx.pipeline;

import dev.rnnx.weights.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

/** Writes charts as PNG files, atomically and without a display. */
public final class Charts {

  private Charts() {}

  /** Renders {@code chart} to {@code png} through a temporary sibling. */
  public static void savePng(Chart<?, ?> chart, Path png) throws IOException {
    System.setProperty("java.awt.headless", "true");
    AtomicFiles.write(png, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
  }
}
