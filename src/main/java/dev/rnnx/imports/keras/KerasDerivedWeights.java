package dev.rnnx.imports.keras;

import dev.rnnx.spec.Attention;
import dev.rnnx.spec.AttentionScore;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Layer;
import dev.rnnx.spec.Shape;
import java.util.Arrays;
import java.util.List;

/**
 * Layers whose rnnx parameters are built from what a Keras file stores, since rnnx's equivalent
 * layer is parameterised differently. Each is exact (up to float rounding):
 *
 * <ul>
 *   <li>{@code Attention(use_scale=True)}, score {@code s · q·k} with a scalar {@code scale}: rnnx
 *       {@code general}, {@code q · W · k}, with {@code W = s·I};
 *   <li>{@code Attention(score_mode="concat")} (Keras 2.9+ and 3), score {@code c · Σ tanh(s·(q + k))}
 *       with scalars {@code scale} s (1 without {@code use_scale}) and {@code concat_score_weight} c:
 *       rnnx {@code additive}, {@code v · tanh(q·W_q + k·W_k + b)}, with {@code W_q = W_k = s·I},
 *       {@code b = 0}, {@code v = c·1};
 *   <li>{@code AdditiveAttention}, score {@code Σ scale ⊙ tanh(q + k)} ({@code scale [d]}, 1 without
 *       {@code use_scale}): rnnx {@code additive} with {@code W_q = W_k = I}, {@code b = 0},
 *       {@code v = scale};
 * </ul>
 *
 * <p>Fine-tuning such an imported model trains the built parameters freely (the identity kernels
 * become full matrices): the model's inference is Keras's exactly, its training is rnnx's layer's.
 */
final class KerasDerivedWeights {

  private KerasDerivedWeights() {}

  /** Whether the layer's rnnx parameters are built from the file's rather than read as they are. */
  static boolean derives(KerasLayerConfig k) {
    return switch (k.className()) {
      case "Attention" -> k.config().path("use_scale").asBoolean(false) || concat(k);
      case "AdditiveAttention" -> true;
      default -> false;
    };
  }

  /** How many weights the file holds for a layer that {@link #derives}, or −1 where the wrapped layer's config says. */
  static int fileWeights(KerasLayerConfig k) {
    boolean scale = k.config().path("use_scale").asBoolean(k.className().equals("AdditiveAttention"));
    return switch (k.className()) {
      case "Attention" -> (scale ? 1 : 0) + (concat(k) ? 1 : 0);
      case "AdditiveAttention" -> scale ? 1 : 0;
      default -> -1;
    };
  }

  static boolean concat(KerasLayerConfig k) {
    return "concat".equals(k.config().path("score_mode").asText("dot"));
  }

  /**
   * The rnnx parameters of {@code layer} from the weights the file holds for Keras layer {@code k}.
   *
   * @param input the shape the layer receives
   */
  static List<FloatTensor> adapt(KerasLayers mapper, KerasLayerConfig k, Layer layer, List<FloatTensor> found, Shape input) {
    int want = fileWeights(k);
    if (found.size() != want) {
      throw mapper.refuse(k, "holds " + found.size() + " weight(s) in the file, expected " + want + " from its config (use_scale "
          + k.config().path("use_scale") + ", score_mode " + k.config().path("score_mode").asText("dot") + ")");
    }
    int d = input.dim(-1);
    Attention a = (Attention) layer;
    boolean scaled = want > (concat(k) ? 1 : 0);
    if (a.score() == AttentionScore.GENERAL) {
      return List.of(diagonal(d, scalar(mapper, k, found.get(0), "scale")));
    }
    float[] v = new float[d];
    float s = 1;
    if (k.className().equals("AdditiveAttention")) {
      if (scaled) {
        FloatTensor scale = found.get(0);
        if (!Arrays.equals(scale.shape(), new long[] {d})) {
          throw mapper.refuse(k, "weight 1 (scale) has shape " + Arrays.toString(scale.shape()) + " in the file, but the input"
              + " implies [" + d + "]");
        }
        v = scale.data().clone();
      } else {
        Arrays.fill(v, 1f);
      }
    } else {
      s = scaled ? scalar(mapper, k, found.get(0), "scale") : 1f;
      Arrays.fill(v, scalar(mapper, k, found.get(found.size() - 1), "concat_score_weight"));
    }
    return List.of(diagonal(d, s), diagonal(d, s), FloatTensor.zeros(d), new FloatTensor(new long[] {d}, v));
  }

  private static float scalar(KerasLayers mapper, KerasLayerConfig k, FloatTensor t, String name) {
    if (t.data().length != 1) {
      throw mapper.refuse(k, "weight '" + name + "' has shape " + Arrays.toString(t.shape()) + " in the file, expected a scalar");
    }
    return t.data()[0];
  }

  /** {@code s·I}, {@code [d, d]}. */
  private static FloatTensor diagonal(int d, float s) {
    float[] m = new float[d * d];
    for (int i = 0; i < d; i++) {
      m[i * d + i] = s;
    }
    return new FloatTensor(new long[] {d, d}, m);
  }
}
