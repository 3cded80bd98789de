package dev.rnnx.imports.onnx;

import ai.onnx.proto.OnnxMl;
import dev.rnnx.imports.ImportException;
import dev.rnnx.ref.ReferenceForms;
import dev.rnnx.ref.onnx.OnnxEvaluator;
import dev.rnnx.ref.onnx.Value;
import dev.rnnx.spec.Embedding;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.Tensor;
import dev.rnnx.weights.Weights;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

/**
 * Runs the original graph (on the pure-Java ONNX evaluator) and the imported model (on the
 * reference forward) on the same seeded input and refuses the import when they differ: the check
 * behind lifting patterns whose plumbing varies by exporter (the Transformer encoder block, self-attention).
 */
final class NumericCheck {

  /** The largest difference accepted (the evaluator computes in float32 where the graph says so). */
  static final double TOLERANCE = 1e-4;

  private NumericCheck() {}

  static void check(Path file, OnnxMl.ModelProto original, String input, String output, Sequential model, Weights weights,
      boolean timeMajor, String what) {
    int batch = 2;
    int time = 3;
    Random r = new Random(11);
    Tensor x;
    if (model.input().tokens()) {
      int vocabulary = ((Embedding) model.layers().get(0)).inputDim();
      long[] ids = new long[batch * time];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = r.nextInt(vocabulary);
      }
      x = LongTensor.of(ids, batch, time);
    } else {
      float[] v = new float[batch * time * model.inputFeatures()];
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) r.nextGaussian();
      }
      x = FloatTensor.of(v, batch, time, model.inputFeatures());
    }
    FloatTensor mine = ReferenceForms.form(model, weights, ModelForm.MODEL).run(Map.of(Sequential.INPUT, x)).get("output");
    Tensor fed = timeMajor ? TimeMajor.swap(x) : x;
    Value in = fed instanceof LongTensor l ? Value.ofInt64(l.shape(), l.data())
        : Value.ofFloats(fed.shape(), ((FloatTensor) fed).data());
    Value out;
    try {
      out = new OnnxEvaluator(original).run(Map.of(input, in)).get(output);
    } catch (RuntimeException e) {
      throw new ImportException(file + ": " + what + " cannot be checked on the pure-Java ONNX evaluator ("
          + e.getMessage() + ")", e);
    }
    FloatTensor theirs = new FloatTensor(out.shape(), out.toFloatArray());
    if (timeMajor && theirs.rank() == 3) {
      theirs = (FloatTensor) TimeMajor.swap(theirs);
    }
    double worst = java.util.Arrays.equals(theirs.shape(), mine.shape()) ? 0 : Double.POSITIVE_INFINITY;
    for (int i = 0; worst < Double.POSITIVE_INFINITY && i < mine.size(); i++) {
      worst = Math.max(worst, Math.abs((double) mine.data()[i] - theirs.data()[i]));
    }
    if (!(worst <= TOLERANCE)) {
      throw new ImportException(file + ": " + what + " does not compute what rnnx's layers compute (max difference "
          + worst + " on a seeded input); supported: PyTorch's TransformerEncoderLayer (post-norm or norm_first, relu"
          + " or exact gelu, no mask), and its MultiheadAttention as self-attention without masks");
    }
  }
}
