package dev.rnnx.tf;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.Summary;

/**
 * Training scalars as TensorBoard reads them, laid out as Keras's TensorBoard callback lays them
 * out: {@code <logDir>/train} holds {@code epoch_loss}, {@code epoch_<metric>} and
 * {@code epoch_learning_rate}; {@code <logDir>/validation} holds {@code epoch_loss} and
 * {@code epoch_<metric>} of the validation set. The step is the epoch, from 1. A value that is not
 * a number (the validation loss of a model with no validation set) is not written.
 *
 * <p>A fresh training replaces the event files already there. A resumed one rewrites them too, so
 * that every epoch appears once: the epochs up to the checkpoint come back from the checkpoint's
 * histories (stamped with their first wall time when the old files hold it), then the new epochs
 * follow.
 */
final class TensorBoardLog implements Closeable {

  /** The folder of the training scalars. */
  static final String TRAIN = "train";
  /** The folder of the validation scalars. */
  static final String VALIDATION = "validation";

  private final Path logDir;
  private final double learningRate;
  private final Map<String, Double> wallTimes;
  private final Map<String, EventFiles.Writer> writers = new LinkedHashMap<>();

  private TensorBoardLog(Path logDir, double learningRate, Map<String, Double> wallTimes) {
    this.logDir = logDir;
    this.learningRate = learningRate;
    this.wallTimes = wallTimes;
  }

  /**
   * Opens the log of a training, replacing the event files in {@code logDir}'s two folders.
   *
   * @param resumed the checkpoint training continues from, whose epochs are written first; null for a fresh start
   */
  static TensorBoardLog open(Path logDir, double learningRate, Checkpoints.State resumed) throws IOException {
    Map<String, Double> wallTimes = new HashMap<>();
    for (String folder : List.of(TRAIN, VALIDATION)) {
      for (Path file : EventFiles.list(logDir.resolve(folder))) {
        if (resumed != null) {
          try {
            for (Event e : EventFiles.read(file)) {
              for (Summary.Value v : e.getSummary().getValueList()) {
                wallTimes.putIfAbsent(key(folder, v.getTag(), e.getStep()), e.getWallTime());
              }
            }
          } catch (IOException damaged) {
            // a damaged old file: its epochs come back from the checkpoint, stamped now
          }
        }
        Files.delete(file);
      }
    }
    TensorBoardLog log = new TensorBoardLog(logDir, learningRate, wallTimes);
    if (resumed != null) {
      for (int i = 0; i < resumed.epoch() && i < resumed.trainLoss().size(); i++) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        int index = i;
        resumed.metrics().forEach((k, v) -> {
          if (index < v.size()) {
            metrics.put(k, v.get(index));
          }
        });
        log.epoch(i + 1, resumed.trainLoss().get(i),
            i < resumed.validationLoss().size() ? resumed.validationLoss().get(i) : Double.NaN, metrics);
      }
    }
    return log;
  }

  /**
   * Writes one epoch's scalars.
   *
   * @param metrics training metrics by name and validation metrics as {@code val_<name>}
   */
  void epoch(int epoch, double trainLoss, double validationLoss, Map<String, Double> metrics) throws IOException {
    scalar(TRAIN, "epoch_loss", epoch, trainLoss);
    scalar(VALIDATION, "epoch_loss", epoch, validationLoss);
    for (Map.Entry<String, Double> m : metrics.entrySet()) {
      if (m.getKey().startsWith("val_")) {
        scalar(VALIDATION, "epoch_" + m.getKey().substring(4), epoch, m.getValue());
      } else {
        scalar(TRAIN, "epoch_" + m.getKey(), epoch, m.getValue());
      }
    }
    scalar(TRAIN, "epoch_learning_rate", epoch, learningRate);
  }

  private void scalar(String folder, String tag, int step, double value) throws IOException {
    if (Double.isNaN(value)) {
      return;
    }
    EventFiles.Writer w = writers.get(folder);
    if (w == null) {
      w = EventFiles.create(logDir.resolve(folder));
      writers.put(folder, w);
    }
    Double wall = wallTimes.remove(key(folder, tag, step));
    w.scalar(tag, step, value, wall != null ? wall : EventFiles.now());
  }

  private static String key(String folder, String tag, long step) {
    return folder + "/" + tag + "@" + step;
  }

  @Override
  public void close() throws IOException {
    IOException first = null;
    for (EventFiles.Writer w : writers.values()) {
      try {
        w.close();
      } catch (IOException e) {
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
