package dev.rnnx.tf;

import dev.rnnx.spec.Initializer;
import dev.rnnx.spec.Cell;
import dev.rnnx.spec.Layer;
import dev.rnnx.spec.ModelSpec;
import dev.rnnx.spec.ParameterSpec;
import dev.rnnx.spec.RnnEncoder;
import dev.rnnx.spec.Seq2Seq;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.Word2Vec;
import dev.rnnx.spec.Shape;
import dev.rnnx.weights.Weights;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Initial weights drawn in Java, exactly as {@link Initializer} defines each distribution. A
 * Sequential model's layers declare theirs through their builders
 * ({@link TfLayerBuilder#initialValues}), from each layer's own initializers: {@code kernel} ← the
 * kernel initializer, {@code recurrent_kernel} ← the recurrent initializer, {@code bias} ← the
 * bias initializer (then +1 on an LSTM's forget block with {@code unit_forget_bias}), {@code peephole} ← the kernel initializer (as Keras's
 * {@code PeepholeLSTMCell}, one {@code [H]} vector per gate i, f, o), {@code embeddings} ← the
 * embedding's initializer. A bidirectional layer draws both directions from the wrapped layer's.
 *
 * <p>The attention family has no initializer fields; it starts as Keras's layers do: every
 * {@code kernel} (also {@code query_kernel}, {@code key_kernel}, {@code score_vector}) Glorot
 * uniform, every {@code bias} and {@code beta} zero, every {@code gamma} one.
 *
 * <p>{@link Seq2Seq}: embeddings U(±0.05), recurrent {@code kernel} Glorot uniform,
 * {@code recurrent_kernel} orthogonal, {@code bias} zero (+1 on an LSTM's forget block, Keras's
 * {@code unit_forget_bias}), attention and Transformer parameters as above, {@code output/kernel}
 * Glorot uniform, {@code output/bias} zero. {@link Word2Vec}, as word2vec itself:
 * {@code embeddings} U(±0.5/D), {@code context} and {@code context_bias} zero.
 *
 * <p>Every parameter has its own random stream, derived from the seed and the parameter's name, so
 * one parameter's values do not depend on the other layers of the model.
 */
public final class InitialWeights {

  /** Keras's correction of the truncated normal's standard deviation (truncation at ±2σ). */
  static final double TRUNCATION_CORRECTION = 0.87962566103423978;

  private InitialWeights() {}

  /** The initial parameters of any model kind, in {@link ModelSpec#parameters()} order. */
  public static Weights generate(ModelSpec model, long seed) {
    if (model instanceof Sequential s) {
      return generate(s, seed);
    }
    if (model instanceof dev.rnnx.spec.Graph g) {
      return generate(g, seed);
    }
    Map<String, dev.rnnx.spec.FloatTensor> tensors = new LinkedHashMap<>();
    for (ParameterSpec p : model.parameters()) {
      Random random = new Random(Seeds.derive(seed, nameHash(p.name())));
      float[] values = model instanceof Seq2Seq s2s ? drawSeq2Seq(s2s, p, random) : drawWord2Vec((Word2Vec) model, p, random);
      tensors.put(p.name(), new dev.rnnx.spec.FloatTensor(Arrays.stream(p.shape()).asLongStream().toArray(), values));
    }
    return new Weights(tensors);
  }

  private static float[] drawSeq2Seq(Seq2Seq model, ParameterSpec p, Random random) {
    String name = p.name();
    String role = name.substring(name.lastIndexOf('/') + 1);
    if (role.equals("embeddings")) {
      return sample(Initializer.EMBEDDING, p.shape(), random);
    }
    boolean recurrentPart = model.encoder() instanceof RnnEncoder && (name.startsWith("encoder/") || name.startsWith("decoder/"));
    if (recurrentPart) {
      return switch (role) {
        case "kernel" -> sample(Initializer.GLOROT_UNIFORM, p.shape(), random);
        case "recurrent_kernel" -> sample(Initializer.ORTHOGONAL, p.shape(), random);
        case "bias" -> {
          float[] v = new float[(int) p.size()];
          if (((RnnEncoder) model.encoder()).cell() == Cell.LSTM) {
            int h = p.shape()[0] / 4;
            for (int j = h; j < 2 * h; j++) {
              v[j] = 1f;
            }
          }
          yield v;
        }
        default -> throw unknown(p, role);
      };
    }
    return attentionFamily(p, role, random);
  }

  private static float[] drawWord2Vec(Word2Vec model, ParameterSpec p, Random random) {
    if (p.name().equals("embeddings")) {
      float[] v = new float[(int) p.size()];
      double limit = 0.5 / model.dimension();
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) ((2 * random.nextDouble() - 1) * limit);
      }
      return v;
    }
    return new float[(int) p.size()];
  }

  /** Keras's starting values of the attention family's parameters, by role. */
  static float[] attentionFamily(ParameterSpec p, String role, Random random) {
    return switch (role) {
      case "kernel", "query_kernel", "key_kernel", "score_vector" -> sample(Initializer.GLOROT_UNIFORM, p.shape(), random);
      case "bias", "beta" -> new float[(int) p.size()];
      case "gamma" -> sample(new Initializer(Initializer.Kind.ONES, 1), p.shape(), random);
      default -> throw unknown(p, role);
    };
  }

  /** The initial parameters of a model, in {@link Sequential#parameters()} order. */
  public static Weights generate(Sequential model, long seed) {
    Map<String, dev.rnnx.spec.FloatTensor> tensors = new LinkedHashMap<>();
    List<Shape> inputs = model.layerInputShapes();
    for (int l = 0; l < model.layers().size(); l++) {
      Layer layer = model.layers().get(l);
      for (ParameterSpec p : layer.parameters(inputs.get(l))) {
        String role = p.name().substring(p.name().lastIndexOf('/') + 1);
        Random random = new Random(Seeds.derive(seed, nameHash(p.name())));
        float[] values = TfLayers.builder(layer.kind()).initialValues(layer, p, role, random);
        tensors.put(p.name(), new dev.rnnx.spec.FloatTensor(Arrays.stream(p.shape()).asLongStream().toArray(), values));
      }
    }
    return new Weights(tensors);
  }

  /** The initial parameters of a graph model, node by node, each layer's drawn as in a sequential model. */
  private static Weights generate(dev.rnnx.spec.Graph model, long seed) {
    Map<String, dev.rnnx.spec.FloatTensor> tensors = new LinkedHashMap<>();
    Map<String, Shape> shapes = model.tensorShapes();
    for (dev.rnnx.spec.GraphNode node : model.nodes()) {
      for (ParameterSpec p : node.parameters(node.inputs().stream().map(shapes::get).toList())) {
        String role = p.name().substring(p.name().lastIndexOf('/') + 1);
        Random random = new Random(Seeds.derive(seed, nameHash(p.name())));
        float[] values = TfLayers.builder(node.kind()).initialValues(node.layer(), p, role, random);
        tensors.put(p.name(), new dev.rnnx.spec.FloatTensor(Arrays.stream(p.shape()).asLongStream().toArray(), values));
      }
    }
    return new Weights(tensors);
  }

  /** The refusal of a parameter role a layer has no initializer for. */
  static IllegalArgumentException unknown(ParameterSpec p, String role) {
    return new IllegalArgumentException("no initializer for parameter '" + p.name() + "' (role '" + role + "')");
  }

  /**
   * Values of one initializer for one shape. Fans as Keras: for a matrix {@code [in, out]}
   * fan-in {@code in} and fan-out {@code out}; for a vector both are its length.
   */
  static float[] sample(Initializer init, int[] shape, Random random) {
    int n = product(shape);
    int fanIn = shape.length == 0 ? 1 : shape.length == 1 ? shape[0] : n / shape[shape.length - 1];
    int fanOut = shape.length == 0 ? 1 : shape[shape.length - 1];
    if (shape.length > 2) {
      throw new IllegalArgumentException("initializers take vectors and matrices, got shape " + Arrays.toString(shape));
    }
    float[] v = new float[n];
    double scale = init.scale();
    switch (init.kind()) {
      case ZEROS -> { }
      case ONES -> Arrays.fill(v, 1f);
      case NORMAL -> fill(v, () -> random.nextGaussian() * scale);
      case UNIFORM -> uniform(v, scale, random);
      case GLOROT_UNIFORM -> uniform(v, Math.sqrt(6.0 / (fanIn + fanOut)), random);
      case GLOROT_NORMAL -> truncatedNormal(v, Math.sqrt(2.0 / (fanIn + fanOut)) / TRUNCATION_CORRECTION, random);
      case HE_UNIFORM -> uniform(v, Math.sqrt(6.0 / fanIn), random);
      case HE_NORMAL -> truncatedNormal(v, Math.sqrt(2.0 / fanIn) / TRUNCATION_CORRECTION, random);
      case ORTHOGONAL -> {
        int cols = fanOut;
        float[] q = orthogonal(new int[] {n / cols, cols}, random);
        for (int i = 0; i < n; i++) {
          v[i] = (float) (q[i] * scale);
        }
      }
    }
    return v;
  }

  private static void fill(float[] v, java.util.function.DoubleSupplier s) {
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) s.getAsDouble();
    }
  }

  private static void uniform(float[] v, double limit, Random random) {
    fill(v, () -> (2 * random.nextDouble() - 1) * limit);
  }

  /** N(0, σ²) redrawn until inside ±2σ. */
  private static void truncatedNormal(float[] v, double sigma, Random random) {
    fill(v, () -> {
      double g;
      do {
        g = random.nextGaussian();
      } while (Math.abs(g) > 2);
      return g * sigma;
    });
  }

  /**
   * Keras's orthogonal initialiser: a Gaussian matrix of shape (max, min) of (rows, cols), its QR
   * factor Q with R's diagonal made positive, transposed when there are fewer rows than columns.
   * Gram-Schmidt yields exactly that Q, since it produces a positive diagonal by construction.
   */
  static float[] orthogonal(int[] shape, Random random) {
    int cols = shape[shape.length - 1];
    int rows = product(shape) / cols;
    int tall = Math.max(rows, cols);
    int narrow = Math.min(rows, cols);
    double[][] q = new double[narrow][tall]; // column vectors of the (tall x narrow) matrix
    for (int i = 0; i < tall; i++) {
      for (int j = 0; j < narrow; j++) {
        q[j][i] = random.nextGaussian();
      }
    }
    for (int j = 0; j < narrow; j++) {
      for (int pass = 0; pass < 2; pass++) { // re-orthogonalise once for accuracy
        for (int k = 0; k < j; k++) {
          double dot = 0;
          for (int i = 0; i < tall; i++) {
            dot += q[k][i] * q[j][i];
          }
          for (int i = 0; i < tall; i++) {
            q[j][i] -= dot * q[k][i];
          }
        }
      }
      double norm = 0;
      for (int i = 0; i < tall; i++) {
        norm += q[j][i] * q[j][i];
      }
      norm = Math.sqrt(norm);
      for (int i = 0; i < tall; i++) {
        q[j][i] /= norm;
      }
    }
    float[] v = new float[rows * cols];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        v[r * cols + c] = (float) (rows < cols ? q[r][c] : q[c][r]);
      }
    }
    return v;
  }

  /** A stable 64-bit hash of a parameter name (FNV-1a). */
  static long nameHash(String name) {
    long h = 0xcbf29ce484222325L;
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return h;
  }

  private static int product(int[] shape) {
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    return n;
  }
}
