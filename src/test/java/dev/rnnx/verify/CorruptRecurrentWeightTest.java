package dev.rnnx.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.onnx.proto.OnnxMl;
import dev.rnnx.spec.Activation;
import dev.rnnx.spec.Dense;
import dev.rnnx.spec.Lstm;
import dev.rnnx.spec.Sequential;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The failing run of the report screenshots moves exactly one recurrent weight, by the delta asked. */
class CorruptRecurrentWeightTest {

  @Test
  void movesOneElementOfR(@TempDir Path dir) throws Exception {
    Sequential m = new Sequential("c", 1, List.of(Lstm.builder("lstm", 3).build(), new Dense("head", 1, Activation.LINEAR, true)));
    Path file = Mutations.export(m, Mutations.weights(m, 5, 0.5), dir.resolve("m.onnx"), x -> x);
    OnnxMl.ModelProto before = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(file));
    CorruptRecurrentWeight.main(new String[] {file.toString(), "0.25"});
    OnnxMl.ModelProto after = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(file));
    float[] r0 = values(before, "lstm/R");
    float[] r1 = values(after, "lstm/R");
    int changed = 0;
    for (int i = 0; i < r0.length; i++) {
      if (r0[i] != r1[i]) {
        changed++;
        assertEquals(9, i, "row H (gate o's unit 0), column 0 of R[0] when H = 3");
        assertEquals(r0[i] + 0.25f, r1[i]);
      }
    }
    assertEquals(1, changed);
  }

  private static float[] values(OnnxMl.ModelProto m, String name) {
    OnnxMl.TensorProto t = m.getGraph().getInitializerList().stream().filter(x -> x.getName().equals(name)).findFirst()
        .orElseThrow();
    ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    float[] v = new float[raw.remaining() / 4];
    raw.asFloatBuffer().get(v);
    return v;
  }
}
