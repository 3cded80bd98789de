package dev.rnnx.djl;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.ModelInputs;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.Tensor;
import dev.rnnx.spec.TensorSpec;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * An rnnx artifact loaded on a DJL engine: an ONNX file on DJL's OnnxRuntime engine, or a
 * SavedModel folder ({@code serve} tag, {@code serving_default} signature) on DJL's TensorFlow
 * engine. {@link #run} maps named inputs ({@link FloatTensor} for float32 inputs, {@link LongTensor}
 * for integer ones) to float32 outputs by name.
 *
 * <p>The artifact's interface (input and output names, ranks, element types, symbolic dimensions,
 * the tables integer inputs index) is read in pure Java before any native call, so a bad path or a
 * file of the wrong kind fails with an {@link IllegalArgumentException} that names the path and
 * what was expected, and bad inputs fail before they reach native code. Integer inputs are
 * narrowed to the type the model declares: int32 for rnnx's {@code lengths}, int64 for token ids.
 * Loaded with its {@link Sequential}, a model also checks every call with
 * {@link ModelInputs#check} (token ids inside the vocabulary, lengths 1 … T, one batch size), as
 * every rnnx backend does. Output names are the ONNX graph's output names, or the SavedModel
 * signature's output keys; every output is matched to its name, not to its position.
 *
 * <p>Thread-safe: each {@link #run} uses its own DJL {@code Predictor} and {@code NDManager}, both
 * closed when it returns. {@link #close()} waits for running calls; after it every method but
 * {@code close} and {@code toString} throws {@link IllegalStateException}.
 */
public final class DjlModel implements AutoCloseable {

  /** DJL's name of its OnnxRuntime engine. */
  public static final String ONNX_RUNTIME = "OnnxRuntime";

  /** DJL's name of its TensorFlow engine. */
  public static final String TENSORFLOW = "TensorFlow";

  private final Model model;
  private final String engineName;
  private final Path source;
  private final List<TensorSignature> inputs;
  private final List<TensorSignature> outputs;
  private final List<String> inputNames;
  private final List<String> outputNames;
  private final Sequential spec;
  private final AutoCloseable sessionOptions;
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private boolean closed;

  private DjlModel(Model model, String engineName, Path source, List<TensorSignature> inputs,
      List<TensorSignature> outputs, Sequential spec, AutoCloseable sessionOptions) {
    this.model = model;
    this.spec = spec;
    this.sessionOptions = sessionOptions;
    this.engineName = engineName;
    this.source = source;
    this.inputs = List.copyOf(withSpec(inputs, spec));
    this.outputs = List.copyOf(outputs);
    this.inputNames = this.inputs.stream().map(TensorSignature::name).toList();
    this.outputNames = this.outputs.stream().map(TensorSignature::name).toList();
  }

  /**
   * Loads an ONNX model on DJL's OnnxRuntime engine. Loads no {@code org.tensorflow} class.
   *
   * @param onnxFile the {@code .onnx} file
   * @throws IllegalArgumentException if the file is missing, not an ONNX model, or ONNX Runtime
   *     rejects it
   * @throws IllegalStateException if DJL's OnnxRuntime engine cannot start
   */
  public static DjlModel loadOnnx(Path onnxFile) {
    return loadOnnx(onnxFile, null);
  }

  /**
   * Loads an ONNX model exported from {@code spec}: as {@link #loadOnnx(Path)}, and every
   * {@link #run} first checks its inputs with {@link ModelInputs#check}.
   *
   * @param spec the model the file was exported from, or {@code null}
   * @throws IllegalArgumentException also when the file's inputs are not the spec's
   */
  public static DjlModel loadOnnx(Path onnxFile, Sequential spec) {
    return loadOnnx(onnxFile, spec, Map.of());
  }

  /**
   * Loads an ONNX model with options for DJL's OnnxRuntime engine, for example
   * {@code optLevel} = {@code NO_OPT}, {@code BASIC_OPT}, {@code EXTENDED_OPT} or {@code ALL_OPT}
   * (ONNX Runtime's graph optimisation level; the engine's default is {@code ALL_OPT}).
   *
   * @param spec the model the file was exported from, or {@code null}
   * @param engineOptions options passed to DJL's {@code Model.load}
   */
  public static DjlModel loadOnnx(Path onnxFile, Sequential spec, Map<String, ?> engineOptions) {
    return loadOnnx(onnxFile, spec, engineOptions, null);
  }

  /**
   * Loads an ONNX model with ONNX Runtime session options ({@link OrtOptions}: threads, spinning,
   * optimisation level).
   *
   * @param spec the model the file was exported from, or {@code null}
   * @param options the session options; {@code null} for DJL's defaults
   */
  public static DjlModel loadOnnx(Path onnxFile, Sequential spec, OrtOptions options) {
    return loadOnnx(onnxFile, spec, Map.of(), options);
  }

  private static DjlModel loadOnnx(Path onnxFile, Sequential spec, Map<String, ?> engineOptions, OrtOptions ort) {
    OnnxArtifact artifact = OnnxArtifact.read(onnxFile);
    requireSameInputs(onnxFile, artifact.inputs(), spec);
    NativeWiring.configureForOnnx();
    Model model = newModel(onnxFile, ONNX_RUNTIME);
    AutoCloseable sessionOptions = null;
    try {
      Map<String, Object> options = new HashMap<>(engineOptions);
      if (ort != null) {
        // created after DJL's engine has made the process-wide OrtEnvironment (DESIGN.md)
        ai.onnxruntime.OrtSession.SessionOptions o = ort.toSessionOptions();
        sessionOptions = o;
        options.put(OrtOptions.DJL_SESSION_OPTIONS_KEY, o);
      }
      model.load(onnxFile, null, options.isEmpty() ? null : options);
    } catch (IOException | MalformedModelException | RuntimeException e) {
      model.close();
      closeQuietly(sessionOptions);
      throw new IllegalArgumentException(
          "ONNX Runtime (DJL) could not load " + onnxFile + " as an ONNX model: " + rootMessage(e), e);
    }
    return new DjlModel(model, ONNX_RUNTIME, onnxFile, artifact.inputs(), artifact.outputs(), spec, sessionOptions);
  }

  private static void closeQuietly(AutoCloseable c) {
    if (c != null) {
      try {
        c.close();
      } catch (Exception ignored) {
        // nothing was built on it
      }
    }
  }

  /**
   * Loads a SavedModel on DJL's TensorFlow engine: tag {@code serve}, signature
   * {@code serving_default}. Wires TensorFlow's native library first ({@link
   * NativeWiring#configureForTensorFlow()}).
   *
   * @param dir the SavedModel folder (holding {@code saved_model.pb} and {@code variables/})
   * @throws IllegalArgumentException if the folder is missing, not a SavedModel, has no
   *     {@code serving_default} signature under tag {@code serve}, or TensorFlow rejects it
   * @throws IllegalStateException if TensorFlow's native library or DJL's TensorFlow engine cannot
   *     start
   */
  public static DjlModel loadSavedModel(Path dir) {
    return loadSavedModel(dir, null);
  }

  /**
   * Loads a SavedModel exported from {@code spec}: as {@link #loadSavedModel(Path)}, and every
   * {@link #run} first checks its inputs with {@link ModelInputs#check} (the only way a SavedModel's
   * token ids are checked against the vocabulary before TensorFlow runs).
   *
   * @param spec the model the folder was exported from, or {@code null}
   * @throws IllegalArgumentException also when the SavedModel's inputs are not the spec's
   */
  public static DjlModel loadSavedModel(Path dir, Sequential spec) {
    return loadSavedModel(dir, spec, SavedModelArtifact.SIGNATURE);
  }

  /**
   * Loads a SavedModel's named signature (under tag {@code serve}) instead of
   * {@code serving_default}.
   *
   * @param spec the model the folder was exported from, or {@code null}
   * @throws IllegalArgumentException also when the SavedModel has no such signature, listing those it has
   */
  public static DjlModel loadSavedModel(Path dir, Sequential spec, String signatureKey) {
    SavedModelArtifact artifact = SavedModelArtifact.read(dir, signatureKey);
    requireSameInputs(dir, artifact.inputs(), spec);
    NativeWiring.configureForTensorFlow();
    Model model = newModel(dir, TENSORFLOW);
    Map<String, Object> options = new HashMap<>();
    options.put("Tags", SavedModelArtifact.TAG);
    options.put("SignatureDefKey", signatureKey);
    try {
      model.load(dir, null, options);
    } catch (IOException | MalformedModelException | RuntimeException e) {
      model.close();
      throw new IllegalArgumentException(
          "TensorFlow (DJL) could not load the SavedModel " + dir + ": " + rootMessage(e), e);
    }
    return new DjlModel(model, TENSORFLOW, dir, artifact.inputs(), artifact.outputs(), spec, null);
  }

  private static void requireSameInputs(Path source, List<TensorSignature> inputs, Sequential spec) {
    if (spec == null) {
      return;
    }
    TreeSet<String> declared = new TreeSet<>(inputs.stream().map(TensorSignature::name).toList());
    TreeSet<String> wanted = new TreeSet<>(spec.inputs().stream().map(TensorSpec::name).toList());
    if (!declared.equals(wanted)) {
      throw new IllegalArgumentException(source + " has inputs " + declared + " but model '" + spec.name()
          + "' reads " + wanted + "; is it the artifact of another model?");
    }
  }

  /**
   * What the spec knows and a SavedModel signature does not say: the symbolic {@code batch} and
   * {@code time} axes of rnnx's inputs and the vocabulary a token input indexes, so that
   * {@link InputCheck} refuses on either engine what {@link ModelInputs#check} would.
   */
  private static List<TensorSignature> withSpec(List<TensorSignature> signatures, Sequential spec) {
    if (spec == null) {
      return signatures;
    }
    List<TensorSignature> out = new ArrayList<>();
    for (TensorSignature s : signatures) {
      if (s.rankKnown() && s.dimNames() == null) {
        String[] names = new String[s.rank()];
        names[0] = "batch";
        if (s.name().equals(Sequential.INPUT) && s.rank() > 1) {
          names[1] = "time";
        }
        s = new TensorSignature(s.name(), s.dims(), names, s.elementType(), s.indexLimit(), s.indexTable());
      }
      if (s.name().equals(Sequential.INPUT) && spec.input().tokens() && s.indexLimit() < 0) {
        dev.rnnx.spec.Embedding e = (dev.rnnx.spec.Embedding) spec.layers().get(0);
        s = s.withIndexLimit(e.inputDim(), e.name() + " (vocabulary)");
      }
      out.add(s);
    }
    return out;
  }

  private static Model newModel(Path source, String engine) {
    String name = String.valueOf(source.toAbsolutePath().getFileName());
    try {
      return Model.newInstance(name, Device.cpu(), engine);
    } catch (RuntimeException | LinkageError | AssertionError e) {
      String message = rootMessage(e);
      String hint =
          message.contains("OrtEnvironment")
              ? " (an OrtEnvironment created outside DJL before DJL's engine started makes it fail:"
                  + " load through DjlModel before touching ai.onnxruntime directly)"
              : "";
      throw new IllegalStateException("DJL's " + engine + " engine failed to start" + hint + ": " + message, e);
    }
  }

  /** The model's input names: ONNX graph inputs in graph order, or signature keys sorted. */
  public List<String> inputNames() {
    return whileOpen(() -> inputNames);
  }

  /** The model's output names: ONNX graph outputs in graph order, or signature keys sorted. */
  public List<String> outputNames() {
    return whileOpen(() -> outputNames);
  }

  /** DJL's name of the engine this model runs on: {@value #ONNX_RUNTIME} or {@value #TENSORFLOW}. */
  public String engineName() {
    return whileOpen(() -> engineName);
  }

  /**
   * Runs the model.
   *
   * @param inputs one tensor per input name, no more, no less: a {@link FloatTensor} for a float32
   *     input, a {@link LongTensor} for an int32 or int64 one (narrowed to the declared type)
   * @return one tensor per output name, in {@link #outputNames()} order (unmodifiable)
   * @throws InvalidInputException (an {@link IllegalArgumentException}) if an input is missing,
   *     unknown, of the wrong type, rank or fixed dimension, empty, disagrees with another on a
   *     symbolic dimension such as {@code batch}, holds a NaN or infinity, an integer that does not
   *     fit the declared type, an index outside the table it indexes, or (rnnx's {@code lengths}) a
   *     length outside 1 … T; with a spec, anything {@link ModelInputs#check} refuses. Checked
   *     before any native call.
   * @throws IllegalStateException if the model is closed or the engine fails
   */
  public Map<String, FloatTensor> run(Map<String, ? extends Tensor> inputs) {
    Objects.requireNonNull(inputs, "inputs");
    lock.readLock().lock();
    try {
      requireOpen();
      check(inputs);
      try (NDManager manager = model.getNDManager().newSubManager();
          Predictor<NDList, NDList> predictor = model.newPredictor(new NoopTranslator())) {
        NDList in = toNDList(manager, inputs);
        NDList out;
        try {
          out = predictor.predict(in);
        } catch (TranslateException | RuntimeException e) {
          throw new IllegalStateException(
              engineName + " failed to run " + source + ": " + rootMessage(e), e);
        }
        return collect(out);
      }
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Checks inputs as {@link #run} does, without running anything: with the spec's rules first
   * ({@link ModelInputs#check}, whose messages every backend shares) when the model has one, then
   * against the artifact's declared names, types and shapes ({@link InputCheck}).
   *
   * @throws InvalidInputException naming the first problem; a refusal by the spec's rules takes its
   *     {@link InvalidInputException.Problem} from what {@link InputCheck} finds wrong with the same
   *     request ({@code OUT_OF_RANGE} when only the spec objects)
   */
  void check(Map<String, ? extends Tensor> given) {
    if (spec != null) {
      try {
        ModelInputs.check(spec, given);
      } catch (IllegalArgumentException e) {
        InvalidInputException.Problem problem = InvalidInputException.Problem.OUT_OF_RANGE;
        String input = null;
        try {
          InputCheck.validate(source, inputs, given);
        } catch (InvalidInputException kind) {
          problem = kind.problem();
          input = kind.input();
        }
        throw new InvalidInputException(problem, input, e.getMessage());
      }
    }
    InputCheck.validate(source, inputs, given);
  }

  /** The declared inputs. */
  List<TensorSignature> inputSignatures() {
    return inputs;
  }

  /** The declared outputs. */
  List<TensorSignature> outputSignatures() {
    return outputs;
  }

  /** The spec the model was loaded with, or {@code null}. */
  Sequential spec() {
    return spec;
  }

  /** The file or folder the model was loaded from. */
  Path source() {
    return source;
  }

  /**
   * A new DJL predictor for this model with a translator; the caller closes it before the model.
   *
   * @throws IllegalStateException if the model is closed
   */
  <I, O> Predictor<I, O> newPredictor(ai.djl.translate.Translator<I, O> translator) {
    return whileOpen(() -> model.newPredictor(translator));
  }

  /** Checked inputs as an NDList in declared order, each array named after its input. */
  NDList toNDList(NDManager manager, Map<String, ? extends Tensor> given) {
    NDList in = new NDList(inputs.size());
    for (TensorSignature s : inputs) {
      NDArray array = toArray(manager, s, given.get(s.name()));
      array.setName(s.name());
      in.add(array);
    }
    return in;
  }

  /** The engine's outputs as float tensors by declared name. */
  Map<String, FloatTensor> fromNDList(NDList out) {
    return collect(out);
  }

  /** One input as an NDArray of the declared type; {@link InputCheck} has vetted it. */
  private static NDArray toArray(NDManager manager, TensorSignature s, Tensor t) {
    Shape shape = new Shape(t.shape());
    if (t instanceof FloatTensor f) {
      return manager.create(FloatBuffer.wrap(f.data()), shape, DataType.FLOAT32);
    }
    LongTensor l = (LongTensor) t;
    if (TensorSignature.INT32.equals(s.elementType())) {
      return manager.create(IntBuffer.wrap(l.toIntArray()), shape, DataType.INT32);
    }
    return manager.create(LongBuffer.wrap(l.data()), shape, DataType.INT64);
  }

  /** Matches the engine's outputs to the declared names: by NDArray name, else by position. */
  private Map<String, FloatTensor> collect(NDList out) {
    if (out.size() != outputs.size()) {
      throw new IllegalStateException(
          engineName + " returned " + out.size() + " outputs for " + source + ", expected " + outputNames);
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
      result.put(name, toTensor(name, a));
    }
    return Collections.unmodifiableMap(result);
  }

  private FloatTensor toTensor(String name, NDArray a) {
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
    throw new IllegalStateException(
        "output '" + name + "' of " + source + " is " + type + ", which has no float32 reading");
  }

  /** Releases the model and its native resources; waits for running calls. Idempotent. */
  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      if (!closed) {
        closed = true;
        try {
          model.close();
        } finally {
          closeQuietly(sessionOptions);
        }
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  @Override
  public String toString() {
    return "DjlModel[" + engineName + ", " + source + ", inputs=" + inputs + ", outputs=" + outputs + "]";
  }

  private <T> T whileOpen(Supplier<T> value) {
    lock.readLock().lock();
    try {
      requireOpen();
      return value.get();
    } finally {
      lock.readLock().unlock();
    }
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("DjlModel for " + source + " is closed");
    }
  }

  private static String rootMessage(Throwable e) {
    List<String> messages = new ArrayList<>();
    for (Throwable t = e; t != null && messages.size() < 4; t = t.getCause()) {
      String m = t.getMessage();
      if (m != null && !m.isBlank() && messages.stream().noneMatch(x -> x.contains(m))) {
        messages.add(m.strip());
      }
    }
    return messages.isEmpty() ? e.getClass().getName() : String.join(": ", messages);
  }
}
