package dev.rnnx.cli;

import dev.rnnx.tf.TrainingListener;
import java.io.PrintStream;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Shows training on the terminal: one progress bar over all steps, the loss as its message. */
final class ProgressListener implements TrainingListener, AutoCloseable {

  private final int epochs;
  private final PrintStream log;
  private ProgressBar bar;

  ProgressListener(int epochs, PrintStream log) {
    this.epochs = epochs;
    this.log = log;
  }

  @Override
  public void onStep(int epoch, int step, int stepsPerEpoch, double batchLoss) {
    if (bar == null) {
      bar = new ProgressBarBuilder().setTaskName("training").setInitialMax((long) stepsPerEpoch * epochs)
          .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).continuousUpdate().build();
    }
    bar.step();
    bar.setExtraMessage(String.format(Locale.ROOT, " epoch %d/%d loss %.5f", epoch, epochs, batchLoss));
  }

  @Override
  public void onEpoch(int epoch, double trainLoss, double validationLoss) {
    if (bar != null) {
      bar.setExtraMessage(String.format(Locale.ROOT, " epoch %d/%d loss %.5f val %.5f", epoch, epochs, trainLoss, validationLoss));
      if (epoch == epochs) {
        close();
      }
    }
  }

  @Override
  public void close() {
    if (bar != null) {
      bar.close();
      bar = null;
    }
  }
}
