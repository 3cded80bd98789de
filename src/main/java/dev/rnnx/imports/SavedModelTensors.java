package dev.rnnx.imports;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import dev.rnnx.spec.Budget;
import dev.rnnx.spec.FloatTensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The float32 tensors a TensorFlow SavedModel holds, read in pure Java (no TensorFlow library): the
 * {@code Const} nodes of {@code saved_model.pb}'s first meta graph (where rnnx's own SavedModels keep
 * their weights, one constant per canonical parameter name) and the variables of its
 * {@code variables/} checkpoint (a tensor bundle: an SSTable index of {@code BundleEntryProto}s and
 * data shards, where Keras and {@code tf.saved_model.save} keep theirs). Protobuf fields are read by
 * number from the TensorFlow protos ({@code SavedModel}, {@code MetaGraphDef}, {@code NodeDef},
 * {@code TensorProto}, {@code BundleEntryProto}); other element types are skipped. Sizes are checked
 * against {@link Budget#ONNX_INITIALIZER_BYTES} before anything is read.
 */
public final class SavedModelTensors {

  private static final int DT_FLOAT = 1;
  private static final long TABLE_MAGIC = 0xdb4775248b80fb57L;

  private SavedModelTensors() {}

  /**
   * The float {@code Const} nodes of {@code dir/saved_model.pb}, by node name.
   *
   * @throws ImportException naming the file when it is missing, too large or not a SavedModel proto
   */
  public static Map<String, FloatTensor> constants(Path dir) {
    Path pb = dir.resolve("saved_model.pb");
    byte[] bytes = readAll(pb);
    Map<String, FloatTensor> out = new LinkedHashMap<>();
    try {
      CodedInputStream in = CodedInputStream.newInstance(bytes);
      in.setRecursionLimit(64);
      in.setSizeLimit(Integer.MAX_VALUE);
      for (int tag; (tag = in.readTag()) != 0; ) {
        if (WireFormat.getTagFieldNumber(tag) == 2 && out.isEmpty()) { // SavedModel.meta_graphs
          CodedInputStream meta = in.readBytes().newCodedInput();
          for (int t; (t = meta.readTag()) != 0; ) {
            if (WireFormat.getTagFieldNumber(t) == 2) { // MetaGraphDef.graph_def
              CodedInputStream graph = meta.readBytes().newCodedInput();
              for (int g; (g = graph.readTag()) != 0; ) {
                if (WireFormat.getTagFieldNumber(g) == 1) { // GraphDef.node
                  node(graph.readBytes().newCodedInput(), out);
                } else {
                  graph.skipField(g);
                }
              }
            } else {
              meta.skipField(t);
            }
          }
        } else {
          in.skipField(tag);
        }
      }
    } catch (IOException | RuntimeException e) {
      throw new ImportException(pb + ": not a SavedModel proto (" + e.getMessage() + ")", e);
    }
    return out;
  }

  /**
   * The float variables of {@code dir/variables/}, by checkpoint key, in the index's (sorted) order;
   * empty when the SavedModel has no checkpoint.
   *
   * @throws ImportException naming the file when the checkpoint is malformed or compressed
   */
  public static Map<String, FloatTensor> variables(Path dir) {
    Path index = dir.resolve("variables").resolve("variables.index");
    Map<String, FloatTensor> out = new LinkedHashMap<>();
    if (!Files.isRegularFile(index)) {
      return out;
    }
    byte[] table = readAll(index);
    try {
      ByteBuffer footer = ByteBuffer.wrap(table, table.length - 48, 48).slice().order(ByteOrder.LITTLE_ENDIAN);
      if (footer.getLong(40) != TABLE_MAGIC) {
        throw new ImportException(index + ": not a TensorFlow checkpoint index (no table magic number)");
      }
      CodedInputStream f = CodedInputStream.newInstance(table, table.length - 48, 40);
      f.readRawVarint64(); // metaindex handle
      f.readRawVarint64();
      List<byte[][]> entries = new ArrayList<>();
      for (byte[][] idx : block(table, f.readRawVarint64(), f.readRawVarint64(), index)) {
        CodedInputStream h = CodedInputStream.newInstance(idx[1]);
        entries.addAll(block(table, h.readRawVarint64(), h.readRawVarint64(), index));
      }
      int shards = 1;
      for (byte[][] e : entries) {
        if (e[0].length == 0) { // the BundleHeaderProto
          CodedInputStream h = CodedInputStream.newInstance(e[1]);
          for (int t; (t = h.readTag()) != 0; ) {
            if (WireFormat.getTagFieldNumber(t) == 1) {
              shards = h.readInt32();
            } else if (WireFormat.getTagFieldNumber(t) == 2 && h.readEnum() != 0) {
              throw new ImportException(index + ": a big-endian checkpoint, expected little-endian");
            } else {
              h.skipField(t);
            }
          }
        }
      }
      for (byte[][] e : entries) {
        if (e[0].length > 0) {
          FloatTensor t = bundleEntry(dir, e[1], shards, index);
          if (t != null) {
            out.put(new String(e[0], java.nio.charset.StandardCharsets.UTF_8), t);
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof ImportException ie) {
        throw ie;
      }
      throw new ImportException(index + ": not a TensorFlow checkpoint index (" + e.getMessage() + ")", e);
    }
    return out;
  }

  private static void node(CodedInputStream n, Map<String, FloatTensor> out) throws IOException {
    String name = null;
    String op = null;
    FloatTensor value = null;
    for (int t; (t = n.readTag()) != 0; ) {
      switch (WireFormat.getTagFieldNumber(t)) {
        case 1 -> name = n.readStringRequireUtf8();
        case 2 -> op = n.readStringRequireUtf8();
        case 5 -> { // attr map entry: key 1, AttrValue 2
          CodedInputStream entry = n.readBytes().newCodedInput();
          String key = null;
          byte[] attr = null;
          for (int e; (e = entry.readTag()) != 0; ) {
            if (WireFormat.getTagFieldNumber(e) == 1) {
              key = entry.readStringRequireUtf8();
            } else if (WireFormat.getTagFieldNumber(e) == 2) {
              attr = entry.readByteArray();
            } else {
              entry.skipField(e);
            }
          }
          if ("value".equals(key) && attr != null) {
            CodedInputStream a = CodedInputStream.newInstance(attr);
            for (int e; (e = a.readTag()) != 0; ) {
              if (WireFormat.getTagFieldNumber(e) == 8) { // AttrValue.tensor
                value = tensorProto(a.readBytes().newCodedInput());
              } else {
                a.skipField(e);
              }
            }
          }
        }
        default -> n.skipField(t);
      }
    }
    if ("Const".equals(op) && name != null && value != null) {
      out.put(name, value);
    }
  }

  /** A TensorFlow {@code TensorProto} of dtype float, or null for any other dtype. */
  private static FloatTensor tensorProto(CodedInputStream p) throws IOException {
    int dtype = 0;
    long[] shape = new long[0];
    byte[] content = null;
    List<Float> floats = new ArrayList<>();
    for (int t; (t = p.readTag()) != 0; ) {
      switch (WireFormat.getTagFieldNumber(t)) {
        case 1 -> dtype = p.readEnum();
        case 2 -> shape = shape(p.readBytes().newCodedInput());
        case 4 -> content = p.readByteArray();
        case 5 -> {
          if (WireFormat.getTagWireType(t) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
            CodedInputStream packed = p.readBytes().newCodedInput();
            while (!packed.isAtEnd()) {
              floats.add(packed.readFloat());
            }
          } else {
            floats.add(p.readFloat());
          }
        }
        default -> p.skipField(t);
      }
    }
    if (dtype != DT_FLOAT) {
      return null;
    }
    int size = Math.toIntExact(count(shape));
    float[] data = new float[size];
    if (content != null && content.length > 0) {
      if (content.length != 4L * size) {
        throw new IllegalArgumentException("a float constant of shape " + java.util.Arrays.toString(shape) + " holds "
            + content.length + " bytes, expected " + 4L * size);
      }
      ByteBuffer.wrap(content).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
    } else {
      for (int i = 0; i < size && !floats.isEmpty(); i++) {
        data[i] = floats.get(Math.min(i, floats.size() - 1)); // TensorFlow repeats the last value
      }
    }
    return new FloatTensor(shape, data);
  }

  private static long[] shape(CodedInputStream s) throws IOException {
    List<Long> dims = new ArrayList<>();
    for (int t; (t = s.readTag()) != 0; ) {
      if (WireFormat.getTagFieldNumber(t) == 2) { // TensorShapeProto.dim
        CodedInputStream d = s.readBytes().newCodedInput();
        long size = -1;
        for (int e; (e = d.readTag()) != 0; ) {
          if (WireFormat.getTagFieldNumber(e) == 1) {
            size = d.readInt64();
          } else {
            d.skipField(e);
          }
        }
        if (size < 0) {
          throw new IllegalArgumentException("a stored tensor has an unknown dimension");
        }
        dims.add(size);
      } else {
        s.skipField(t);
      }
    }
    return dims.stream().mapToLong(Long::longValue).toArray();
  }

  private static long count(long[] shape) {
    long n = 1;
    for (long d : shape) {
      n = Budget.times(n, d);
    }
    Budget.ONNX_INITIALIZER_BYTES.check("a SavedModel tensor", Budget.times(n, 4));
    return n;
  }

  /** A float variable from its {@code BundleEntryProto}, or null for another dtype or a sliced variable. */
  private static FloatTensor bundleEntry(Path dir, byte[] entry, int shards, Path index) throws IOException {
    CodedInputStream e = CodedInputStream.newInstance(entry);
    int dtype = 0;
    int shard = 0;
    long offset = 0;
    long size = 0;
    long[] shape = new long[0];
    boolean sliced = false;
    for (int t; (t = e.readTag()) != 0; ) {
      switch (WireFormat.getTagFieldNumber(t)) {
        case 1 -> dtype = e.readEnum();
        case 2 -> shape = shape(e.readBytes().newCodedInput());
        case 3 -> shard = e.readInt32();
        case 4 -> offset = e.readInt64();
        case 5 -> size = e.readInt64();
        case 7 -> {
          sliced = true;
          e.skipField(t);
        }
        default -> e.skipField(t);
      }
    }
    if (dtype != DT_FLOAT || sliced) {
      return null;
    }
    long n = count(shape);
    if (size != 4 * n) {
      throw new ImportException(index + ": a float variable of shape " + java.util.Arrays.toString(shape) + " stores "
          + size + " bytes, expected " + 4 * n);
    }
    Path data = dir.resolve("variables").resolve(String.format(java.util.Locale.ROOT, "variables.data-%05d-of-%05d", shard,
        shards));
    float[] values = new float[(int) n];
    try (FileChannel ch = FileChannel.open(data, StandardOpenOption.READ)) {
      if (offset < 0 || offset + size > ch.size()) {
        throw new ImportException(data + ": a variable lies at bytes " + offset + ".." + (offset + size) + ", past the end ("
            + ch.size() + " bytes)");
      }
      ByteBuffer buf = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
      while (buf.hasRemaining() && ch.read(buf, offset + buf.position()) > 0) {
        // reads until full
      }
      buf.flip();
      buf.asFloatBuffer().get(values);
    }
    return new FloatTensor(shape, values);
  }

  /** The entries (key, value) of one SSTable block, keys restored from their shared prefixes. */
  private static List<byte[][]> block(byte[] table, long offset, long size, Path file) throws IOException {
    if (offset < 0 || size < 4 || offset + size + 5 > table.length) {
      throw new ImportException(file + ": a block at " + offset + " (" + size + " bytes) lies outside the file");
    }
    int at = (int) offset;
    int len = (int) size;
    if (table[at + len] != 0) {
      throw new ImportException(file + ": a compressed block (type " + table[at + len] + "), expected uncompressed");
    }
    int restarts = ByteBuffer.wrap(table, at + len - 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    int end = len - 4 * (restarts + 1);
    if (restarts < 0 || end < 0) {
      throw new ImportException(file + ": a block's restart array is malformed");
    }
    CodedInputStream in = CodedInputStream.newInstance(table, at, end);
    List<byte[][]> out = new ArrayList<>();
    byte[] prev = new byte[0];
    while (!in.isAtEnd()) {
      int shared = in.readRawVarint32();
      int own = in.readRawVarint32();
      int valueLength = in.readRawVarint32();
      if (shared > prev.length || own < 0 || valueLength < 0) {
        throw new ImportException(file + ": a block entry is malformed");
      }
      byte[] key = new byte[shared + own];
      System.arraycopy(prev, 0, key, 0, shared);
      System.arraycopy(in.readRawBytes(own), 0, key, shared, own);
      out.add(new byte[][] {key, in.readRawBytes(valueLength)});
      prev = key;
    }
    return out;
  }

  private static byte[] readAll(Path file) {
    try {
      if (!Files.isRegularFile(file)) {
        throw new ImportException(file + ": no such file, expected a SavedModel's " + file.getFileName());
      }
      Budget.ONNX_INITIALIZER_BYTES.check(file.toString(), Files.size(file));
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new ImportException(file + ": cannot be read (" + e.getMessage() + ")", e);
    }
  }
}
