package dev.rnnx.fuzz;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A structure-aware mutator of ONNX models: each mutant is a valid protobuf {@code ModelProto}
 * that differs from its seed model in one to three places: an initializer's dims, rank, zero axes,
 * element type, stored size or {@code raw_data} length; a graph input's dims or element type; an
 * attribute's value, type or list length (empty lists included); an optional input given as
 * {@code ""}, a dropped or extra input; node order; op type; domain; the opset.
 */
final class OnnxMutator {

  private static final List<String> OPS = List.of("LSTM", "GRU", "RNN", "MatMul", "Gemm", "Add", "Mul", "Gather",
      "Reshape", "Transpose", "Softmax", "LayerNormalization", "Conv", "Identity", "Concat", "Slice", "Squeeze",
      "Unsqueeze", "Tanh", "Sigmoid", "Cast", "ReverseSequence", "Where", "Expand", "TopK", "ArgMax");
  private static final List<String> DOMAINS = List.of("com.microsoft", "ai.onnx.ml", "custom.op", "ai.onnx");
  private static final int[] TYPES = {1, 2, 3, 6, 7, 9, 10, 11, 16, 0, 8, 40};
  private static final long[] DIMS = {0, 1, 2, 3, -1, 7, 64, 1 << 20, Integer.MAX_VALUE, Long.MAX_VALUE / 2};

  private final Random random;

  OnnxMutator(long seed) {
    this.random = new Random(seed);
  }

  /** A mutant of {@code seed}, with what was changed. */
  Mutant mutate(OnnxMl.ModelProto seed) {
    OnnxMl.ModelProto.Builder m = seed.toBuilder();
    List<String> done = new ArrayList<>();
    int n = 1 + (random.nextInt(4) == 0 ? random.nextInt(3) : 0);
    for (int i = 0; i < n; i++) {
      done.add(once(m));
    }
    return new Mutant(m.build(), String.join("; ", done));
  }

  /** A mutated model and what was changed. */
  record Mutant(OnnxMl.ModelProto model, String mutation) {}

  private String once(OnnxMl.ModelProto.Builder m) {
    OnnxMl.GraphProto.Builder g = m.getGraphBuilder();
    int kind = random.nextInt(14);
    switch (kind) {
      case 0, 1 -> {
        if (g.getInitializerCount() > 0) {
          return initializerDims(g.getInitializerBuilder(random.nextInt(g.getInitializerCount())));
        }
      }
      case 2 -> {
        if (g.getInitializerCount() > 0) {
          OnnxMl.TensorProto.Builder t = g.getInitializerBuilder(random.nextInt(g.getInitializerCount()));
          int type = TYPES[random.nextInt(TYPES.length)];
          t.setDataType(type);
          return "initializer " + t.getName() + " data_type " + type;
        }
      }
      case 3 -> {
        if (g.getInitializerCount() > 0) {
          OnnxMl.TensorProto.Builder t = g.getInitializerBuilder(random.nextInt(g.getInitializerCount()));
          if (t.hasRawData()) {
            int len = t.getRawData().size();
            int to = random.nextBoolean() ? random.nextInt(len + 1) : len + 1 + random.nextInt(16);
            t.setRawData(to <= len ? t.getRawData().substring(0, to)
                : t.getRawData().concat(ByteString.copyFrom(new byte[to - len])));
            return "initializer " + t.getName() + " raw_data " + len + " -> " + to + " bytes";
          }
          t.addFloatData(1f);
          return "initializer " + t.getName() + " one more float_data";
        }
      }
      case 4 -> {
        if (g.getInputCount() > 0) {
          return inputDims(g.getInputBuilder(random.nextInt(g.getInputCount())));
        }
      }
      case 5, 6, 7 -> {
        if (g.getNodeCount() > 0) {
          return attribute(g.getNodeBuilder(random.nextInt(g.getNodeCount())));
        }
      }
      case 8 -> {
        if (g.getNodeCount() > 0) {
          return inputs(g.getNodeBuilder(random.nextInt(g.getNodeCount())), g);
        }
      }
      case 9 -> {
        if (g.getNodeCount() > 1) {
          int a = random.nextInt(g.getNodeCount());
          int b = random.nextInt(g.getNodeCount());
          OnnxMl.NodeProto na = g.getNode(a);
          g.setNode(a, g.getNode(b));
          g.setNode(b, na);
          return "nodes " + a + " and " + b + " swapped";
        }
      }
      case 10 -> {
        if (g.getNodeCount() > 0) {
          OnnxMl.NodeProto.Builder node = g.getNodeBuilder(random.nextInt(g.getNodeCount()));
          String op = OPS.get(random.nextInt(OPS.size()));
          String was = node.getOpType();
          node.setOpType(op);
          return "node " + node.getName() + " op " + was + " -> " + op;
        }
      }
      case 11 -> {
        if (g.getNodeCount() > 0) {
          OnnxMl.NodeProto.Builder node = g.getNodeBuilder(random.nextInt(g.getNodeCount()));
          String d = DOMAINS.get(random.nextInt(DOMAINS.size()));
          node.setDomain(d);
          return "node " + node.getName() + " domain " + d;
        }
      }
      case 12 -> {
        if (m.getOpsetImportCount() > 0) {
          long v = new long[] {1, 7, 9, 13, 14, 22, 23, 30}[random.nextInt(8)];
          m.getOpsetImportBuilder(0).setVersion(v);
          return "opset " + v;
        }
      }
      default -> {
        if (g.getInitializerCount() > 0) {
          OnnxMl.TensorProto.Builder t = g.getInitializerBuilder(random.nextInt(g.getInitializerCount()));
          return resized(t);
        }
      }
    }
    return "nothing";
  }

  private String initializerDims(OnnxMl.TensorProto.Builder t) {
    List<Long> dims = new ArrayList<>(t.getDimsList());
    int how = random.nextInt(4);
    if (how == 0 && !dims.isEmpty()) {
      dims.remove(random.nextInt(dims.size()));
    } else if (how == 1) {
      dims.add(random.nextInt(dims.size() + 1), 1 + (long) random.nextInt(3));
    } else if (!dims.isEmpty()) {
      int at = random.nextInt(dims.size());
      dims.set(at, how == 2 ? 0 : Math.max(0, dims.get(at) + (random.nextBoolean() ? 1 : -1)));
    }
    t.clearDims().addAllDims(dims);
    return "initializer " + t.getName() + " dims " + dims + " (data kept)";
  }

  /** New dims and data of exactly that size: shapes wrong for the kernel, bytes right for the header. */
  private String resized(OnnxMl.TensorProto.Builder t) {
    List<Long> dims = new ArrayList<>(t.getDimsList());
    if (dims.isEmpty()) {
      dims.add(1L);
    }
    int at = random.nextInt(dims.size());
    dims.set(at, random.nextInt(3) == 0 ? 0 : Math.max(1, dims.get(at) + random.nextInt(5) - 2));
    long n = 1;
    for (long d : dims) {
      n *= d;
    }
    if (n > 4_000_000) {
      return "nothing";
    }
    int bytes = t.getDataType() == 7 || t.getDataType() == 11 ? 8 : t.getDataType() == 10 ? 2 : 4;
    t.clearDims().addAllDims(dims).clearFloatData().clearInt64Data().clearInt32Data().clearDoubleData()
        .setRawData(ByteString.copyFrom(new byte[(int) (n * bytes)]));
    return "initializer " + t.getName() + " resized to " + dims;
  }

  private String inputDims(OnnxMl.ValueInfoProto.Builder v) {
    if (!v.getTypeBuilder().hasTensorType()) {
      return "nothing";
    }
    OnnxMl.TypeProto.Tensor.Builder t = v.getTypeBuilder().getTensorTypeBuilder();
    if (random.nextInt(3) == 0) {
      int type = TYPES[random.nextInt(TYPES.length)];
      t.setElemType(type);
      return "input " + v.getName() + " elem_type " + type;
    }
    OnnxMl.TensorShapeProto.Builder s = t.getShapeBuilder();
    if (s.getDimCount() > 0 && random.nextBoolean()) {
      int at = random.nextInt(s.getDimCount());
      long d = DIMS[random.nextInt(DIMS.length)];
      s.setDim(at, OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
      return "input " + v.getName() + " axis " + at + " = " + d;
    }
    s.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(1));
    return "input " + v.getName() + " one more axis";
  }

  private String attribute(OnnxMl.NodeProto.Builder node) {
    if (node.getAttributeCount() == 0 || random.nextInt(5) == 0) {
      String name = List.of("hidden_size", "direction", "activations", "axis", "perm", "layout", "clip",
          "activation_alpha", "transB", "group").get(random.nextInt(10));
      node.addAttribute(OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.INTS));
      return "node " + node.getName() + " new empty list attribute " + name;
    }
    int at = random.nextInt(node.getAttributeCount());
    OnnxMl.AttributeProto.Builder a = node.getAttributeBuilder(at);
    int how = random.nextInt(6);
    switch (how) {
      case 0 -> {
        node.removeAttribute(at);
        return "node " + node.getName() + " attribute " + a.getName() + " removed";
      }
      case 1 -> {
        a.setType(OnnxMl.AttributeProto.AttributeType.forNumber(1 + random.nextInt(8)));
        return "node " + node.getName() + " attribute " + a.getName() + " type " + a.getType();
      }
      case 2 -> {
        long v = DIMS[random.nextInt(DIMS.length)] * (random.nextBoolean() ? 1 : -1);
        a.setI(v);
        return "node " + node.getName() + " attribute " + a.getName() + " i=" + v;
      }
      case 3 -> {
        int k = random.nextInt(3);
        a.clearInts().clearFloats().clearStrings();
        for (int i = 0; i < k; i++) {
          a.addInts(random.nextInt(4) - 1).addFloats(random.nextFloat()).addStrings(ByteString.copyFromUtf8(
              List.of("Tanh", "Sigmoid", "Relu", "Gelu", "").get(random.nextInt(5))));
        }
        return "node " + node.getName() + " attribute " + a.getName() + " lists of " + k;
      }
      case 4 -> {
        a.setS(ByteString.copyFromUtf8(List.of("bidirectional", "reverse", "", "sideways").get(random.nextInt(4))));
        return "node " + node.getName() + " attribute " + a.getName() + " s=" + a.getS().toStringUtf8();
      }
      default -> {
        a.setF(new float[] {0f, -1f, Float.NaN, Float.POSITIVE_INFINITY, 1e30f}[random.nextInt(5)]);
        return "node " + node.getName() + " attribute " + a.getName() + " f=" + a.getF();
      }
    }
  }

  private String inputs(OnnxMl.NodeProto.Builder node, OnnxMl.GraphProto.Builder g) {
    int how = random.nextInt(4);
    if (how == 0 && node.getInputCount() > 0) {
      int at = random.nextInt(node.getInputCount());
      node.setInput(at, "");
      return "node " + node.getName() + " input " + at + " = \"\"";
    }
    if (how == 1 && node.getInputCount() > 0) {
      List<String> kept = new ArrayList<>(node.getInputList().subList(0, node.getInputCount() - 1));
      node.clearInput().addAllInput(kept);
      return "node " + node.getName() + " last input dropped";
    }
    if (how == 2) {
      String other = g.getInitializerCount() > 0 ? g.getInitializer(random.nextInt(g.getInitializerCount())).getName() : "";
      node.addInput(random.nextBoolean() ? "" : other);
      return "node " + node.getName() + " extra input '" + node.getInput(node.getInputCount() - 1) + "'";
    }
    if (node.getInputCount() > 0 && g.getInitializerCount() > 0) {
      int at = random.nextInt(node.getInputCount());
      String other = g.getInitializer(random.nextInt(g.getInitializerCount())).getName();
      node.setInput(at, other);
      return "node " + node.getName() + " input " + at + " = " + other;
    }
    return "nothing";
  }
}
