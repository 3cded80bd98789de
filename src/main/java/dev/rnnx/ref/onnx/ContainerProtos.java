package dev.rnnx.ref.onnx;

import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes ONNX's container protos, {@code SequenceProto} and {@code OptionalProto} (the
 * {@code input_K.pb} / {@code output_K.pb} files of sequence and optional values), into
 * {@link Value}s. The generated protobuf classes rnnx uses lack these two messages, so their fields
 * are read here by number: {@code elem_type} 2, {@code tensor_value(s)} 3, {@code sequence_value(s)}
 * 5, {@code optional_value(s)} 7. Maps and sparse tensors are refused.
 */
public final class ContainerProtos {

  private static final int TENSOR = 1;
  private static final int SEQUENCE = 3;
  private static final int OPTIONAL = 5;

  private ContainerProtos() {}

  /**
   * Decodes a serialized {@code SequenceProto}.
   *
   * @param elementType the declared element type of its tensors (used when it is empty); may be null
   * @throws IllegalArgumentException when the bytes are not a sequence of tensors, sequences or optionals
   */
  public static Value sequence(byte[] bytes, DataType elementType) {
    return parse(bytes, false, elementType);
  }

  /**
   * Decodes a serialized {@code OptionalProto}.
   *
   * @throws IllegalArgumentException as {@link #sequence} does
   */
  public static Value optional(byte[] bytes, DataType elementType) {
    return parse(bytes, true, elementType);
  }

  private static Value parse(byte[] bytes, boolean optional, DataType elementType) {
    List<Value> elements = new ArrayList<>();
    try {
      CodedInputStream in = CodedInputStream.newInstance(bytes);
      for (int tag; (tag = in.readTag()) != 0;) {
        int field = WireFormat.getTagFieldNumber(tag);
        switch (field) {
          case 3:
            elements.add(TensorProtos.decode(TensorProto.parseFrom(in.readBytes())));
            break;
          case 5:
            elements.add(parse(in.readByteArray(), false, elementType));
            break;
          case 7:
            elements.add(parse(in.readByteArray(), true, elementType));
            break;
          case 4:
          case 6:
            throw new IllegalArgumentException("sparse tensors and maps in containers are not supported");
          default:
            in.skipField(tag);
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("not a valid " + (optional ? "OptionalProto" : "SequenceProto") + ": "
          + e.getMessage(), e);
    }
    if (optional) {
      if (elements.size() > 1) {
        throw new IllegalArgumentException("an OptionalProto holds more than one value");
      }
      return Value.optional(elementType, elements.isEmpty() ? null : elements.get(0));
    }
    DataType t = elementType;
    if (!elements.isEmpty() && elements.get(0).isTensor()) {
      t = elements.get(0).type();
    }
    return Value.sequence(t, elements);
  }

  static boolean isContainerCode(int elemTypeCode) {
    return elemTypeCode == SEQUENCE || elemTypeCode == OPTIONAL || elemTypeCode == TENSOR;
  }
}
