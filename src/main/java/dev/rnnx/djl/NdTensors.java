package dev.rnnx.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.InputContract;
import dev.rnnx.spec.InvalidInputException;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.Tensor;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * rnnx tensors to DJL {@code NDArray}s of an artifact's declared types, and the engine's outputs
 * back to float tensors by declared name. Inputs reach it checked ({@link InputContract#check}).
 */
final class NdTensors {

  private NdTensors() {}

  /** Checked inputs as an NDList in declared order, each array named after its input. */
  static NDList toNDList(NDManager manager, InputContract declared, Map<String, ? extends Tensor> given) {
    NDList in = new NDList(declared.inputs().size());
    for (InputContract.Input s : declared.inputs()) {
      NDArray array = toArray(manager, s, given.get(s.name()));
      array.setName(s.name());
      in.add(array);
    }
    return in;
  }

  /**
   * One input as an NDArray of the declared type: float32, int32 (narrowed; the contract checked
   * that it fits) or int64.
   *
   * @throws InvalidInputException for a declared type DJL is not fed by rnnx
   */
  private static NDArray toArray(NDManager manager, InputContract.Input s, Tensor t) {
    Shape shape = new Shape(t.shape());
    switch (s.type()) {
      case "float32":
        return manager.create(FloatBuffer.wrap(((FloatTensor) t).data()), shape, DataType.FLOAT32);
      case "int32":
        return manager.create(IntBuffer.wrap(((LongTensor) t).toIntArray()), shape, DataType.INT32);
      case "int64":
        return manager.create(LongBuffer.wrap(((LongTensor) t).data()), shape, DataType.INT64);
      default:
        throw new InvalidInputException(InvalidInputException.Problem.DTYPE, s.name(), "input '" + s.name() + "' is "
            + s.type() + " in the model; DjlModel feeds float32, int32 and int64 only");
    }
  }

  /** Matches the engine's outputs to the declared names: by NDArray name, else by position. */
  static Map<String, FloatTensor> collect(String engine, Path source, List<String> outputNames, NDList out) {
    if (out.size() != outputNames.size()) {
      throw new IllegalStateException(engine + " returned " + out.size() + " outputs for " + source + ", expected " + outputNames);
    }
    Map<String, NDArray> byName = new HashMap<>();
    for (NDArray a : out) {
      String n = a.getName();
      if (n == null || !outputNames.contains(n) || byName.put(n, a) != null) {
        byName = null;
        break;
      }
    }
    Map<String, FloatTensor> result = new LinkedHashMap<>();
    for (int i = 0; i < outputNames.size(); i++) {
      String name = outputNames.get(i);
      NDArray a = byName != null ? byName.get(name) : out.get(i);
      result.put(name, toTensor(source, name, a));
    }
    return Collections.unmodifiableMap(result);
  }

  private static FloatTensor toTensor(Path source, String name, NDArray a) {
    long[] shape = a.getShape().getShape();
    DataType type = a.getDataType();
    if (type == DataType.FLOAT32) {
      return new FloatTensor(shape, a.toFloatArray());
    }
    if (type.isFloating() || type.isInteger()) {
      Number[] values = a.toArray();
      float[] data = new float[values.length];
      for (int i = 0; i < data.length; i++) {
        data[i] = values[i].floatValue();
      }
      return new FloatTensor(shape, data);
    }
    if (type.isBoolean()) {
      boolean[] values = a.toBooleanArray();
      float[] data = new float[values.length];
      for (int i = 0; i < data.length; i++) {
        data[i] = values[i] ? 1f : 0f;
      }
      return new FloatTensor(shape, data);
    }
    throw new IllegalStateException("output '" + name + "' of " + source + " is " + type + ", which has no float32 reading");
  }
}
