package dev.rnnx.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.onnx.proto.OnnxMl;
import dev.rnnx.onnx.OnnxInterface;
import dev.rnnx.spec.Budget;
import dev.rnnx.spec.BudgetException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Serving budgets: a model's declared warm-up size and its initializer bytes are checked before allocating. */
class ServingBudgetTest {

  @TempDir
  Path tmp;

  private Path rewrite(Path file, java.util.function.UnaryOperator<OnnxMl.GraphProto.Builder> change) throws IOException {
    OnnxMl.ModelProto.Builder model = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(file)).toBuilder();
    change.apply(model.getGraphBuilder());
    Files.write(file, model.build().toByteArray());
    return file;
  }

  @Test
  void aDeclaredFixedInputOfABillionStepsIsRefusedBeforeWarmUpAllocates() throws IOException {
    Path onnx = rewrite(TinyOnnx.write(tmp.resolve("long.onnx"), false), g -> {
      g.getInputBuilder(0).getTypeBuilder().getTensorTypeBuilder().getShapeBuilder().getDimBuilder(1).setDimValue(1_000_000_000L);
      return g;
    });
    BudgetException e = assertThrows(BudgetException.class,
        () -> RnnxModel.builder(onnx).optEngine("onnx").optPoolSize(1).build());
    assertEquals(Budget.WARMUP_ELEMENTS, e.budget());
    assertEquals("model " + onnx + ", form 'model': warm-up of input 'input' declared [1, 1000000000, 3]: 3,000,000,000 elements,"
        + " over the limit of 16,000,000 (raise it with -Drnnx.budget.warmup-elements=N, e.g. in RNNX_JAVA_OPTS)", e.getMessage());
  }

  @Test
  void initializersDeclaringMoreBytesThanTheLimitAreRefusedBeforeARuntimeSeesThem() throws IOException {
    Path onnx = rewrite(TinyOnnx.write(tmp.resolve("huge.onnx"), false), g -> {
      g.getInitializerBuilder(0).clearDims().addDims(1_000_000).addDims(1_000_000).clearFloatData();
      return g;
    });
    BudgetException e = assertThrows(BudgetException.class, () -> OnnxInterface.read(onnx));
    assertEquals("ONNX model " + onnx + ": 4,000,000,000,008 initializer bytes, over the limit of 2,147,483,648"
        + " (raise it with -Drnnx.budget.onnx-initializer-bytes=N, e.g. in RNNX_JAVA_OPTS)", e.getMessage());
    assertThrows(BudgetException.class, () -> RnnxModel.builder(onnx).optEngine("onnx").optPoolSize(1).build());
    OnnxMl.GraphProto wraps = OnnxMl.GraphProto.newBuilder().addInitializer(OnnxMl.TensorProto.newBuilder().setDataType(1)
        .addDims(1L << 40).addDims(1L << 40)).build();
    assertEquals(Long.MAX_VALUE, OnnxInterface.initializerBytes(wraps));
  }
}
