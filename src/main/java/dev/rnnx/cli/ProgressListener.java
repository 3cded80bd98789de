package dev.rnnx.cli;

import dev.rnnx.tf.TrainingListener;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/**
 * Shows training on the run's log: one plain line per epoch (epoch, loss, validation loss when
 * there is a validation set, each metric, seconds). On a terminal the current epoch is also drawn
 * in place as a bar, fitted to the terminal's width, and replaced by the epoch's line when it
 * ends; elsewhere (a file, a pipe) nothing but the epoch lines is written, so a log holds no
 * carriage return.
 */
final class ProgressListener implements TrainingListener, AutoCloseable {

  private static final long REDRAW_NANOS = 100_000_000L;

  private final int epochs;
  private final PrintStream log;
  private final boolean terminal;
  private final int columns;
  private StringBuilder epochLine;
  private boolean barShown;
  private long lastDraw;

  /**
   * @param epochs the number of epochs of the recipe
   * @param log where the lines go
   * @param terminal whether {@code log} is a terminal (draw the bar in place)
   * @param columns the terminal's width
   */
  ProgressListener(int epochs, PrintStream log, boolean terminal, int columns) {
    this.epochs = epochs;
    this.log = log;
    this.terminal = terminal;
    this.columns = Math.max(20, columns);
  }

  /** A listener for standard output: a bar when it is a terminal (and {@code TERM} is not dumb), lines otherwise. */
  static ProgressListener forStandardOutput(int epochs) {
    boolean terminal = System.console() != null && !"dumb".equals(System.getenv("TERM"));
    return new ProgressListener(epochs, System.out, terminal, columns(System.getenv("COLUMNS")));
  }

  /** The width in {@code COLUMNS} (exported by the launcher), else 80. */
  static int columns(String env) {
    try {
      return env == null ? 80 : Integer.parseInt(env.strip());
    } catch (NumberFormatException e) {
      return 80;
    }
  }

  @Override
  public void onStep(int epoch, int step, int stepsPerEpoch, double batchLoss) {
    long now = System.nanoTime();
    if (!terminal || (barShown && now - lastDraw < REDRAW_NANOS && step < stepsPerEpoch)) {
      return;
    }
    lastDraw = now;
    barShown = true;
    log.print("\r" + bar(epoch, step, stepsPerEpoch, batchLoss) + "\033[K");
    log.flush();
  }

  /** The in-place line: {@code epoch 3/20 [=====>    ] 25/50 loss 0.00412}, the bar shrunk (or dropped) to fit. */
  String bar(int epoch, int step, int stepsPerEpoch, double batchLoss) {
    String head = String.format(Locale.ROOT, "epoch %" + digits(epochs) + "d/%d ", epoch, epochs);
    String tail = String.format(Locale.ROOT, " %" + digits(stepsPerEpoch) + "d/%d loss %s", step, stepsPerEpoch,
        number(batchLoss));
    int room = Math.min(30, columns - 1 - head.length() - tail.length() - 2);
    if (room < 5) {
      String plain = head + tail.strip();
      return plain.length() < columns ? plain : plain.substring(0, columns - 1);
    }
    int done = (int) ((long) room * step / stepsPerEpoch);
    StringBuilder b = new StringBuilder(head).append('[');
    b.append("=".repeat(Math.max(0, done - 1))).append(done == room ? "=" : done > 0 ? ">" : "");
    b.append(" ".repeat(room - Math.max(done, 0))).append(']').append(tail);
    return b.toString();
  }

  @Override
  public void onEpoch(int epoch, double trainLoss, double validationLoss) {
    epochLine = new StringBuilder(String.format(Locale.ROOT, "epoch %" + digits(epochs) + "d/%d loss %s", epoch, epochs,
        number(trainLoss)));
    if (Double.isFinite(validationLoss)) {
      epochLine.append(" val_loss ").append(number(validationLoss));
    }
  }

  @Override
  public void onEpochMetrics(int epoch, Map<String, Double> metrics) {
    if (epochLine != null) {
      metrics.forEach((k, v) -> {
        if (!Double.isNaN(v)) {
          epochLine.append(' ').append(k).append(' ').append(String.format(Locale.ROOT, "%.4f", v));
        }
      });
    }
  }

  @Override
  public void onEpochEnd(int epoch, double seconds) {
    if (epochLine == null) {
      return;
    }
    epochLine.append(String.format(Locale.ROOT, " %.1f s", seconds));
    log.print((barShown ? "\r\033[K" : "") + epochLine + System.lineSeparator());
    log.flush();
    epochLine = null;
    barShown = false;
  }

  /** A loss as a person reads it: five decimals, or three significant digits below 0.001. */
  static String number(double v) {
    return v != 0 && Math.abs(v) < 1e-3 ? String.format(Locale.ROOT, "%.3e", v) : String.format(Locale.ROOT, "%.5f", v);
  }

  private static int digits(int n) {
    return String.valueOf(n).length();
  }

  /** Clears a bar left half drawn (training stopped mid-epoch). */
  @Override
  public void close() {
    if (barShown) {
      log.print("\r\033[K");
      log.flush();
      barShown = false;
    }
  }
}
