package dev.rnnx.onnx;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import java.util.List;

/**
 * Node attributes ({@code AttributeProto}) by type: integers, floats, strings, their lists, and
 * graphs (a Loop's body). Converters pass them to {@link GraphBuilder#node}.
 */
final class Attributes {

  private Attributes() {}

  /** A graph-valued attribute, such as a Loop's body. */
  static OnnxMl.AttributeProto graphAttribute(String name, OnnxMl.GraphProto value) {
    return OnnxMl.AttributeProto.newBuilder()
        .setName(name).setType(OnnxMl.AttributeProto.AttributeType.GRAPH).setG(value).build();
  }

  /** A float-list attribute. */
  static OnnxMl.AttributeProto floats(String name, List<Float> values) {
    return OnnxMl.AttributeProto.newBuilder()
        .setName(name).setType(OnnxMl.AttributeProto.AttributeType.FLOATS).addAllFloats(values).build();
  }

  /** A float attribute. */
  static OnnxMl.AttributeProto real(String name, float value) {
    return OnnxMl.AttributeProto.newBuilder()
        .setName(name).setType(OnnxMl.AttributeProto.AttributeType.FLOAT).setF(value).build();
  }

  /** An integer-list attribute. */
  static OnnxMl.AttributeProto ints(String name, long... values) {
    OnnxMl.AttributeProto.Builder a = OnnxMl.AttributeProto.newBuilder()
        .setName(name).setType(OnnxMl.AttributeProto.AttributeType.INTS);
    for (long v : values) {
      a.addInts(v);
    }
    return a.build();
  }

  /** An integer attribute. */
  static OnnxMl.AttributeProto integer(String name, long value) {
    return OnnxMl.AttributeProto.newBuilder()
        .setName(name).setType(OnnxMl.AttributeProto.AttributeType.INT).setI(value).build();
  }

  /** A string attribute. */
  static OnnxMl.AttributeProto string(String name, String value) {
    return OnnxMl.AttributeProto.newBuilder()
        .setName(name).setType(OnnxMl.AttributeProto.AttributeType.STRING).setS(ByteString.copyFromUtf8(value)).build();
  }

  /** A string-list attribute. */
  static OnnxMl.AttributeProto strings(String name, List<String> values) {
    OnnxMl.AttributeProto.Builder a = OnnxMl.AttributeProto.newBuilder()
        .setName(name).setType(OnnxMl.AttributeProto.AttributeType.STRINGS);
    for (String v : values) {
      a.addStrings(ByteString.copyFromUtf8(v));
    }
    return a.build();
  }
}
