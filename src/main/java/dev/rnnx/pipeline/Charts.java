package dev.rnnx.pipeline;

import dev.rnnx.weights.AtomicFiles;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

/** Writes charts as PNG files, atomically and without a display. */
public final class Charts {

  private Charts() {}

  /** Renders {@code chart} to {@code png} through a temporary sibling. */
  public static void savePng(Chart<?, ?> chart, Path png) throws IOException {
    savePng(List.of(chart), png);
  }

  /** Renders {@code charts} one below the other into one PNG, through a temporary sibling. */
  public static void savePng(List<? extends Chart<?, ?>> charts, Path png) throws IOException {
    System.setProperty("java.awt.headless", "true");
    List<BufferedImage> images = new ArrayList<>();
    for (Chart<?, ?> c : charts) {
      images.add(BitmapEncoder.getBufferedImage(c));
    }
    int width = images.stream().mapToInt(BufferedImage::getWidth).max().orElse(1);
    int height = images.stream().mapToInt(BufferedImage::getHeight).sum();
    BufferedImage all = new BufferedImage(width, Math.max(1, height), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = all.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, width, height);
    int y = 0;
    for (BufferedImage image : images) {
      g.drawImage(image, 0, y, null);
      y += image.getHeight();
    }
    g.dispose();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ImageIO.write(all, "png", bytes);
    AtomicFiles.write(png, bytes.toByteArray());
  }
}
