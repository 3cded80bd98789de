package dev.rnnx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training progress: plain epoch lines off a terminal, a bar redrawn in place on one. */
class ProgressListenerTest {

  private static String drive(boolean terminal, int columns, double validation, Map<String, Double> metrics) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream log = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        ProgressListener p = new ProgressListener(2, log, terminal, columns)) {
      for (int epoch = 1; epoch <= 2; epoch++) {
        for (int step = 1; step <= 4; step++) {
          p.onStep(epoch, step, 4, 0.5 / epoch);
        }
        p.onEpoch(epoch, 0.25 / epoch, validation);
        if (!metrics.isEmpty()) {
          p.onEpochMetrics(epoch, metrics);
        }
        p.onEpochEnd(epoch, 1.25);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void offATerminalEachEpochIsOnePlainLine() {
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("accuracy", 0.875);
    metrics.put("val_accuracy", 0.5);
    String log = drive(false, 80, 0.0035, metrics);
    assertEquals("epoch 1/2 loss 0.25000 val_loss 0.00350 accuracy 0.8750 val_accuracy 0.5000 1.3 s\n"
        + "epoch 2/2 loss 0.12500 val_loss 0.00350 accuracy 0.8750 val_accuracy 0.5000 1.3 s\n", log.replace("\r\n", "\n"));
  }

  @Test
  void aMissingValidationLossIsOmittedNotNaN() {
    String log = drive(false, 80, Double.NaN, Map.of());
    assertFalse(log.contains("NaN") || log.contains("val"), log);
    assertTrue(log.startsWith("epoch 1/2 loss 0.25000 1.3 s"), log);
  }

  @Test
  void onATerminalTheBarIsRedrawnInPlaceFittedToTheWidthThenReplacedByTheEpochLine() {
    String log = drive(true, 40, 0.0035, Map.of());
    String[] lines = log.split("\n");
    assertEquals(2, lines.length, log);
    for (String line : lines) {
      String[] frames = line.replace("\033[K", "").split("\r");
      for (int i = 0; i < frames.length - 1; i++) { // the bar fits; the epoch line is never cut
        assertTrue(frames[i].length() < 40, "frame wider than the terminal: '" + frames[i] + "'");
      }
      assertTrue(frames[frames.length - 1].matches("epoch \\d/2 loss \\S+ val_loss 0\\.00350 1\\.3 s"), line);
    }
    assertTrue(log.contains("epoch 1/2 [") && log.contains("] 4/4 loss 0.50000"), log);
    assertEquals("epoch 1/2 [======] 4/4 loss 0.50000", new ProgressListener(2, System.out, true, 40).bar(1, 4, 4, 0.5)
        .replaceAll("=+", "======"));
    assertEquals("epoch 1/2 4/4 loss 0.50000", new ProgressListener(2, System.out, true, 30).bar(1, 4, 4, 0.5));
  }

  @Test
  void smallLossesKeepThreeSignificantDigits() {
    assertEquals("3.500e-05", ProgressListener.number(3.5e-5));
    assertEquals("0.00350", ProgressListener.number(0.0035));
  }

  /** {@code rnnx run} with standard output not a terminal (as {@code > log}): one line per epoch, no carriage return. */
  @Test
  void aPipedRunLogsOneLinePerEpoch(@TempDir Path dir) {
    PrintStream saved = System.out;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CliRun r;
    try {
      System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
      r = CliRun.of("run", "models/sine-lstm.yaml", "--out", dir.resolve("run").toString());
    } finally {
      System.setOut(saved);
    }
    String log = bytes.toString(StandardCharsets.UTF_8);
    assertEquals(0, r.code(), log + r.err());
    assertFalse(log.contains("\r"), log);
    Pattern epochLine = Pattern.compile("epoch +(\\d+)/20 loss \\d\\.\\d{5} val_loss \\d\\.\\d{5} \\d+\\.\\d s");
    List<String> epochs = Arrays.stream(log.split("\n")).filter(l -> l.startsWith("epoch")).toList();
    assertEquals(20, epochs.size(), log);
    for (int i = 0; i < 20; i++) {
      var m = epochLine.matcher(epochs.get(i));
      assertTrue(m.matches(), epochs.get(i));
      assertEquals(i + 1, Integer.parseInt(m.group(1)));
    }
  }
}
