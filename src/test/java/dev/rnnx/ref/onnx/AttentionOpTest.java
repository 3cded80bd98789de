package dev.rnnx.ref.onnx;

import static dev.rnnx.ref.onnx.TestModels.attr;
import static dev.rnnx.ref.onnx.TestModels.info;
import static dev.rnnx.ref.onnx.TestModels.node;
import static dev.rnnx.ref.onnx.TestModels.out;
import static dev.rnnx.ref.onnx.TestModels.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import ai.onnxruntime.OrtException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@code Attention}-23 against an oracle written here from the operator's equations (one query
 * row at a time, heads sliced out of the columns by hand), and against ONNX Runtime 1.28's CPU
 * kernel where it runs the case.
 */
class AttentionOpTest {

  static final double TOL = 1e-12;

  /** The oracle: returns Y 3-D {@code [B, Tq, Hq·dv]} from 3-D inputs; mask as booleans [B][Tq][S] or null. */
  static double[] oracle(Value q, Value k, Value v, int qHeads, int kvHeads, boolean[][][] mask, boolean causal,
      double scale, double softcap) {
    int b = (int) q.dim(0);
    int tq = (int) q.dim(1);
    int s = (int) k.dim(1);
    int d = (int) q.dim(2) / qHeads;
    int dv = (int) v.dim(2) / kvHeads;
    double[] y = new double[b * tq * qHeads * dv];
    for (int n = 0; n < b; n++) {
      for (int h = 0; h < qHeads; h++) {
        int g = h * kvHeads / qHeads;
        for (int i = 0; i < tq; i++) {
          double[] w = new double[s];
          double max = Double.NEGATIVE_INFINITY;
          for (int j = 0; j < s; j++) {
            double dot = 0;
            for (int c = 0; c < d; c++) {
              dot += q.getDouble((n * tq + i) * qHeads * d + h * d + c) * k.getDouble((n * s + j) * kvHeads * d + g * d + c);
            }
            double score = dot * scale;
            boolean allowed = (mask == null || mask[n][i][j]) && (!causal || j <= i);
            score = allowed ? score : Double.NEGATIVE_INFINITY;
            if (softcap > 0) {
              score = softcap * Math.tanh(score / softcap);
            }
            w[j] = score;
            max = Math.max(max, score);
          }
          double sum = 0;
          for (int j = 0; j < s; j++) {
            w[j] = Math.exp(w[j] - max);
            sum += w[j];
          }
          for (int c = 0; c < dv; c++) {
            double acc = 0;
            for (int j = 0; j < s; j++) {
              acc += w[j] / sum * v.getDouble((n * s + j) * kvHeads * dv + g * dv + c);
            }
            y[(n * tq + i) * qHeads * dv + h * dv + c] = acc;
          }
        }
      }
    }
    return y;
  }

  static ModelProto model(boolean withMask, DataType maskType, long[] maskShape, AttributeProto... attrs) {
    List<String> ins = new ArrayList<>(List.of("q", "k", "v"));
    List<ValueInfoProto> infos = new ArrayList<>(List.of(info("q", DataType.FLOAT, (long[]) null),
        info("k", DataType.FLOAT, (long[]) null), info("v", DataType.FLOAT, (long[]) null)));
    if (withMask) {
      ins.add("m");
      infos.add(info("m", maskType, maskShape));
    }
    return TestModels.model(23, List.of(node("Attention", ins, List.of("y"), attrs)), infos,
        List.of(out("y", DataType.FLOAT)), List.of());
  }

  /** Sequence 0 sees every key, sequence 1 only its first {@code valid} keys. */
  static boolean[][][] padding(int b, int tq, int s, int valid) {
    boolean[][][] m = new boolean[b][tq][s];
    for (int n = 0; n < b; n++) {
      for (int i = 0; i < tq; i++) {
        for (int j = 0; j < s; j++) {
          m[n][i][j] = n == 0 || j < valid;
        }
      }
    }
    return m;
  }

  static Value boolMask(boolean[][][] m) {
    int b = m.length;
    int tq = m[0].length;
    int s = m[0][0].length;
    long[] d = new long[b * tq * s];
    for (int n = 0; n < b; n++) {
      for (int i = 0; i < tq; i++) {
        for (int j = 0; j < s; j++) {
          d[(n * tq + i) * s + j] = m[n][i][j] ? 1 : 0;
        }
      }
    }
    return Value.ofLongs(DataType.BOOL, new long[] {b, 1, tq, s}, d);
  }

  static void assertValues(double[] want, Value got, double tol) {
    assertEquals(want.length, got.size());
    for (int i = 0; i < want.length; i++) {
      assertEquals(want[i], got.getDouble(i), tol, "element " + i);
    }
  }

  static Map<String, Value> feeds(Value q, Value k, Value v, Value m) {
    Map<String, Value> f = new LinkedHashMap<>(Map.of("q", q, "k", k, "v", v));
    if (m != null) {
      f.put("m", m);
    }
    return f;
  }

  @Test
  void threeDimensionalHeadsWithPaddingMaskMatchTheOracleAndOnnxRuntime() throws OrtException {
    Random r = new Random(1);
    Value q = random(r, 1.5, 2, 3, 8);
    Value k = random(r, 1.5, 2, 4, 8);
    Value v = random(r, 1.5, 2, 4, 6);
    boolean[][][] pad = padding(2, 3, 4, 2);
    ModelProto m = model(true, DataType.BOOL, new long[] {2, 1, 3, 4}, attr("q_num_heads", 2), attr("kv_num_heads", 2));
    Value y = new OnnxEvaluator(m).run(feeds(q, k, v, boolMask(pad))).get("y");
    assertArrayEquals(new long[] {2, 3, 6}, y.shape());
    assertValues(oracle(q, k, v, 2, 2, pad, false, 1 / Math.sqrt(4), 0), y, TOL);
    OrtParityTest.assertParity(m, feeds(q, k, v, boolMask(pad)));
  }

  @Test
  void causalSelfAttentionAndGroupedQueryHeads() throws OrtException {
    Random r = new Random(2);
    Value q = random(r, 1.5, 2, 4, 8);
    Value k = random(r, 1.5, 2, 4, 4);
    Value v = random(r, 1.5, 2, 4, 4);
    ModelProto m = model(false, null, null, attr("q_num_heads", 4), attr("kv_num_heads", 2), attr("is_causal", 1));
    Value y = new OnnxEvaluator(m).run(feeds(q, k, v, null)).get("y");
    assertValues(oracle(q, k, v, 4, 2, null, true, 1 / Math.sqrt(2), 0), y, TOL);
    OrtParityTest.assertParity(m, feeds(q, k, v, null));
  }

  @Test
  void floatMaskScaleAndSoftcap() {
    Random r = new Random(3);
    Value q = random(r, 2, 1, 2, 4);
    Value k = random(r, 2, 1, 3, 4);
    Value v = random(r, 2, 1, 3, 4);
    boolean[][][] pad = padding(1, 2, 3, 3);
    pad[0][1][2] = false;
    double[] add = new double[6];
    for (int i = 0; i < 6; i++) {
      add[i] = pad[0][i / 3][i % 3] ? 0 : Double.NEGATIVE_INFINITY;
    }
    Value mask = Value.ofDoubles(DataType.FLOAT, new long[] {2, 3}, add);
    ModelProto m = model(true, DataType.FLOAT, new long[] {2, 3}, attr("q_num_heads", 1), attr("kv_num_heads", 1),
        attr("scale", 0.5), attr("softcap", 3.0));
    Value y = new OnnxEvaluator(m).run(feeds(q, k, v, mask)).get("y");
    assertValues(oracle(q, k, v, 1, 1, pad, false, 0.5, 3.0), y, 1e-7);
  }

  @Test
  void fourDimensionalInputsWithPastKeysAndEveryQkOutputMode() {
    Random r = new Random(4);
    Value q = random(r, 1, 1, 2, 2, 3);     // [B, heads, Tq, d]
    Value k = random(r, 1, 1, 2, 2, 3);
    Value v = random(r, 1, 1, 2, 2, 3);
    Value pk = random(r, 1, 1, 2, 1, 3);    // one past step
    Value pv = random(r, 1, 1, 2, 1, 3);
    List<ValueInfoProto> infos = new ArrayList<>();
    for (String n : List.of("q", "k", "v", "pk", "pv")) {
      infos.add(info(n, DataType.FLOAT, (long[]) null));
    }
    Map<Integer, Value> qk = new LinkedHashMap<>();
    Value y = null;
    for (int mode = 0; mode <= 3; mode++) {
      ModelProto m = TestModels.model(23, List.of(node("Attention", List.of("q", "k", "v", "", "pk", "pv"),
              List.of("y", "present_key", "present_value", "qk"), attr("is_causal", 1), attr("qk_matmul_output_mode", mode))),
          infos, List.of(out("y", DataType.FLOAT), out("present_key", DataType.FLOAT), out("present_value", DataType.FLOAT),
              out("qk", DataType.FLOAT)), List.of());
      Map<String, Value> res = new OnnxEvaluator(m).run(Map.of("q", q, "k", k, "v", v, "pk", pk, "pv", pv));
      qk.put(mode, res.get("qk"));
      y = res.get("y");
      assertArrayEquals(new long[] {1, 2, 3, 3}, res.get("present_key").shape());
      assertEquals(pk.getDouble(3), res.get("present_key").getDouble(9), 0, "head 1's past step comes first");
    }
    assertArrayEquals(new long[] {1, 2, 2, 3}, y.shape());
    // query 0 sees the past step and itself (keys 0, 1), not key 2: causal offset by the past length
    assertEquals(Double.NEGATIVE_INFINITY, qk.get(1).getDouble(2));
    assertEquals(qk.get(0).getDouble(1), qk.get(1).getDouble(1), 0);
    assertEquals(0, qk.get(3).getDouble(2), 0);
    double row = qk.get(3).getDouble(3) + qk.get(3).getDouble(4) + qk.get(3).getDouble(5);
    assertEquals(1, row, 1e-12);
    // the 4-D result equals the 3-D oracle on the same numbers laid out head-major in the columns
    Value q3 = merge(q);
    Value k3 = merge(concat(pk, k));
    Value v3 = merge(concat(pv, v));
    boolean[][][] allowed = new boolean[1][2][3];
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < 3; j++) {
        allowed[0][i][j] = j <= i + 1;
      }
    }
    double[] want3 = oracle(q3, k3, v3, 2, 2, allowed, false, 1 / Math.sqrt(3), 0);
    assertValues(want3, merge(y), TOL);
  }

  /** [B, H, T, d] → [B, T, H·d]. */
  static Value merge(Value x) {
    int b = (int) x.dim(0);
    int h = (int) x.dim(1);
    int t = (int) x.dim(2);
    int d = (int) x.dim(3);
    double[] r = new double[b * t * h * d];
    for (int n = 0; n < b; n++) {
      for (int g = 0; g < h; g++) {
        for (int i = 0; i < t; i++) {
          for (int c = 0; c < d; c++) {
            r[(n * t + i) * h * d + g * d + c] = x.getDouble(((n * h + g) * t + i) * d + c);
          }
        }
      }
    }
    return Value.ofDoubles(DataType.FLOAT, new long[] {b, t, (long) h * d}, r);
  }

  /** Along axis 2 of [B, H, T, d]. */
  static Value concat(Value a, Value b) {
    int n = (int) a.dim(0);
    int h = (int) a.dim(1);
    int ta = (int) a.dim(2);
    int tb = (int) b.dim(2);
    int d = (int) a.dim(3);
    double[] r = new double[n * h * (ta + tb) * d];
    for (int i = 0; i < n * h; i++) {
      for (int t = 0; t < ta + tb; t++) {
        for (int c = 0; c < d; c++) {
          r[(i * (ta + tb) + t) * d + c] = t < ta ? a.getDouble((i * ta + t) * d + c) : b.getDouble((i * tb + t - ta) * d + c);
        }
      }
    }
    return Value.ofDoubles(DataType.FLOAT, new long[] {n, h, ta + tb, d}, r);
  }

  @Test
  void refusesInputsThatDoNotFit() {
    Random r = new Random(5);
    ModelProto noHeads = model(false, null, null);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new OnnxEvaluator(noHeads)
        .run(feeds(random(r, 1, 1, 2, 4), random(r, 1, 1, 2, 4), random(r, 1, 1, 2, 4), null)));
    assertTrue(e.getMessage().contains("3-D inputs need q_num_heads and kv_num_heads"), e.getMessage());
    ModelProto masked = model(true, DataType.BOOL, null, attr("q_num_heads", 1), attr("kv_num_heads", 1));
    Value wrongMask = Value.ofLongs(DataType.BOOL, new long[] {1, 1, 3, 3}, new long[9]);
    e = assertThrows(IllegalArgumentException.class, () -> new OnnxEvaluator(masked)
        .run(feeds(random(r, 1, 1, 2, 4), random(r, 1, 1, 2, 4), random(r, 1, 1, 2, 4), wrongMask)));
    assertTrue(e.getMessage().contains("does not broadcast"), e.getMessage());
  }

  @Test
  void onnxRuntimeRequiresTheMaskToSpellOutTheQueryAxis() {
    // The ONNX spec lets attn_mask broadcast along every axis; ONNX Runtime 1.28's CPU kernel
    // insists that its second-to-last axis equals the query length, so rnnx expands masks to
    // [B, 1, Tq, S] before an Attention node (converters/runtimes.yaml: attention_mask_query_axis_broadcast).
    Random r = new Random(6);
    Value q = random(r, 1, 2, 3, 4);
    Value k = random(r, 1, 2, 3, 4);
    Value v = random(r, 1, 2, 3, 4);
    Value keyOnly = Value.ofLongs(DataType.BOOL, new long[] {2, 1, 1, 3}, new long[] {1, 1, 1, 1, 0, 0});
    ModelProto m = model(true, DataType.BOOL, new long[] {2, 1, 1, 3}, attr("q_num_heads", 1), attr("kv_num_heads", 1));
    Value y = new OnnxEvaluator(m).run(feeds(q, k, v, keyOnly)).get("y");
    assertEquals(Arrays.toString(new long[] {2, 3, 4}), Arrays.toString(y.shape()));
    OrtException e = assertThrows(OrtException.class, () -> OrtParityTest.ort(m, feeds(q, k, v, keyOnly)));
    assertTrue(e.getMessage().contains("inconsistent q_sequence_length"), e.getMessage());
  }
}
