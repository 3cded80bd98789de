package dev.rnnx.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.data.Split;
import dev.rnnx.spec.Activation;
import dev.rnnx.spec.BinaryAdditionTask;
import dev.rnnx.spec.Clipping;
import dev.rnnx.spec.Dense;
import dev.rnnx.spec.Loss;
import dev.rnnx.spec.Lstm;
import dev.rnnx.spec.ModelInput;
import dev.rnnx.spec.OptimizerKind;
import dev.rnnx.spec.Recipe;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.TimeDistributed;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.Summary;

/** TensorBoard event files: TFRecord framing, CRCs, and every per-epoch scalar of a training, also across a resume. */
class TensorBoardLogTest {

  private static final Split ADDITION = new Split(TaskFixtures.binaryAddition(64, 8, 1), TaskFixtures.binaryAddition(24, 8, 2));

  private static Recipe adder(int epochs) {
    Sequential model = new Sequential("adder", ModelInput.ofFeatures(2), List.of(
        Lstm.builder("lstm", 5).returnSequences(true).build(),
        new TimeDistributed("out", new Dense("inner", 1, Activation.SIGMOID, true))));
    return TaskFixtures.recipe("adder", 3, model, new BinaryAdditionTask(8, 64, 24), Loss.BINARY_CROSSENTROPY, OptimizerKind.ADAM,
        0.02, epochs, 16, Clipping.NONE, true);
  }

  /** Reads every event file of a folder: the first event of each names the version; scalars by "tag@step". */
  static Map<String, Float> scalars(Path dir) throws IOException {
    Map<String, Float> out = new TreeMap<>();
    List<Path> files = EventFiles.list(dir);
    assertEquals(1, files.size(), "one event file in " + dir + ": " + files);
    for (Path file : files) {
      assertTrue(file.getFileName().toString().matches("events\\.out\\.tfevents\\.\\d{10}\\..+\\.v2"), file.toString());
      List<Event> events = EventFiles.read(file);
      assertEquals(EventFiles.FILE_VERSION, events.get(0).getFileVersion());
      for (Event e : events.subList(1, events.size())) {
        assertTrue(e.getWallTime() > 1.6e9, "wall time in seconds: " + e.getWallTime());
        for (Summary.Value v : e.getSummary().getValueList()) {
          Float previous = out.put(v.getTag() + "@" + e.getStep(), v.getSimpleValue());
          assertEquals(null, previous, "each scalar once: " + v.getTag() + "@" + e.getStep());
        }
      }
    }
    return out;
  }

  @Test
  void recordsAreFramedAsTfRecordsWithMaskedCrc32c(@TempDir Path dir) throws IOException {
    Path file;
    try (EventFiles.Writer w = EventFiles.create(dir)) {
      w.scalar("epoch_loss", 7, 0.0035, 1.7e9);
      file = w.file();
    }
    byte[] bytes = Files.readAllBytes(file);
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    long length = b.getLong();
    // masked CRC32C written out by hand: rotate right 15, add 0xa282ead8
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, 8);
    int c = (int) crc.getValue();
    assertEquals(((c >>> 15) | (c << 17)) + 0xa282ead8, b.getInt());
    byte[] data = new byte[(int) length];
    b.get(data);
    assertEquals("brain.Event:2", Event.parseFrom(data).getFileVersion());
    assertEquals(0xa282ead8, EventFiles.maskedCrc(new byte[0], 0, 0), "CRC32C of nothing is 0, masked: the delta");
    Event scalar = EventFiles.read(file).get(1);
    assertEquals(7, scalar.getStep());
    assertEquals(1.7e9, scalar.getWallTime());
    assertEquals("epoch_loss", scalar.getSummary().getValue(0).getTag());
    assertEquals(0.0035f, scalar.getSummary().getValue(0).getSimpleValue());
    bytes[bytes.length - 6] ^= 1;
    Files.write(file, bytes);
    IOException e = assertThrows(IOException.class, () -> EventFiles.read(file));
    assertTrue(e.getMessage().contains("data CRC"), e.getMessage());
  }

  @Test
  void trainingWritesEveryScalarPerEpochAndAResumeKeepsEachEpochOnce(@TempDir Path tmp) throws IOException {
    Recipe recipe = adder(3);
    Path logs = tmp.resolve("whole");
    TrainingResult whole = Trainer.train(recipe, ADDITION, TrainingOptions.builder().logDir(logs).build());
    Map<String, Float> train = scalars(logs.resolve("train"));
    Map<String, Float> validation = scalars(logs.resolve("validation"));
    Map<String, Float> expectedTrain = new TreeMap<>();
    Map<String, Float> expectedValidation = new TreeMap<>();
    for (int epoch = 1; epoch <= 3; epoch++) {
      int i = epoch - 1;
      expectedTrain.put("epoch_loss@" + epoch, whole.trainLoss().get(i).floatValue());
      expectedTrain.put("epoch_learning_rate@" + epoch, 0.02f);
      expectedTrain.put("epoch_accuracy@" + epoch, whole.metrics().get("accuracy").get(i).floatValue());
      expectedTrain.put("epoch_exact_match@" + epoch, whole.metrics().get("exact_match").get(i).floatValue());
      expectedValidation.put("epoch_loss@" + epoch, whole.validationLoss().get(i).floatValue());
      expectedValidation.put("epoch_accuracy@" + epoch, whole.metrics().get("val_accuracy").get(i).floatValue());
      expectedValidation.put("epoch_exact_match@" + epoch, whole.metrics().get("val_exact_match").get(i).floatValue());
    }
    assertEquals(expectedTrain, train);
    assertEquals(expectedValidation, validation);

    // interrupted after epoch 2 with a checkpoint every 2 epochs, resumed: epochs 1..3 once each, same values
    Path run = tmp.resolve("resumed");
    Path ckpt = run.resolve("checkpoints");
    Recipe longer = adder(3);
    Trainer.train(longer, ADDITION, TrainingOptions.builder().logDir(run.resolve("logs")).checkpointDir(ckpt).stopAfterEpochs(2)
        .build());
    Map<String, Float> interrupted = scalars(run.resolve("logs/train"));
    assertEquals(8, interrupted.size(), interrupted.toString());
    double firstWallTime = EventFiles.read(EventFiles.list(run.resolve("logs/train")).get(0)).get(1).getWallTime();
    Trainer.train(longer, ADDITION, TrainingOptions.builder().logDir(run.resolve("logs")).checkpointDir(ckpt).resume(ckpt).build());
    assertEquals(expectedTrain, scalars(run.resolve("logs/train")));
    assertEquals(expectedValidation, scalars(run.resolve("logs/validation")));
    assertEquals(firstWallTime, EventFiles.read(EventFiles.list(run.resolve("logs/train")).get(0)).get(1).getWallTime(),
        "epochs before the checkpoint keep their wall time");

    // a fresh run into the same folder replaces the files
    Trainer.train(recipe, ADDITION, TrainingOptions.builder().logDir(logs).build());
    assertEquals(expectedTrain, scalars(logs.resolve("train")));
  }
}
