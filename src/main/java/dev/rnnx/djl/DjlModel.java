package dev.rnnx.djl;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import dev.rnnx.onnx.OnnxInterface;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.InputContract;
import dev.rnnx.spec.InvalidInputException;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
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
 * Loaded with its {@link Sequential} or {@link ModelForm}, a model checks every call with the
 * form's {@link ModelForm#contract()} (token ids inside the vocabulary, lengths 1 … T, one batch
 * size), as every rnnx backend does, with the same messages. Output names are the ONNX graph's output names, or the SavedModel
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

  private static final Set<String> FEEDABLE = Set.of("float32", "int32", "int64");

  private final Model model;
  private final String engineName;
  private final Path source;
  private final InputContract declared;
  private final InputContract contract;
  private final List<String> outputNames;
  private final AutoCloseable sessionOptions;
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private boolean closed;

  private DjlModel(Model model, String engineName, Path source, InputContract declared, List<String> outputNames,
      ModelForm form, AutoCloseable sessionOptions) {
    this.model = model;
    this.sessionOptions = sessionOptions;
    this.engineName = engineName;
    this.source = source;
    this.declared = declared;
    this.contract = form == null ? declared : declared.refinedBy(form.contract());
    this.outputNames = List.copyOf(outputNames);
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
   * {@link #run} checks its inputs with the model's {@link Sequential#contract()}.
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
    return loadOnnx(onnxFile, formOf(spec), owner(spec), engineOptions, null);
  }

  /**
   * Loads an ONNX model with ONNX Runtime session options ({@link OrtOptions}: threads, spinning,
   * optimisation level).
   *
   * @param spec the model the file was exported from, or {@code null}
   * @param options the session options; {@code null} for DJL's defaults
   */
  public static DjlModel loadOnnx(Path onnxFile, Sequential spec, OrtOptions options) {
    return loadOnnx(onnxFile, formOf(spec), owner(spec), Map.of(), options);
  }

  /**
   * Loads one form of a model from its ONNX file: every {@link #run} checks its inputs with the
   * form's {@link ModelForm#contract()}.
   *
   * @param form the form the file holds, or {@code null}
   * @param options the session options; {@code null} for DJL's defaults
   */
  public static DjlModel loadOnnxForm(Path onnxFile, ModelForm form, OrtOptions options) {
    return loadOnnx(onnxFile, form, form == null ? null : "form '" + form.name() + "'", Map.of(), options);
  }

  /**
   * Loads one form of a model from its ONNX file with options for DJL's OnnxRuntime engine (see
   * {@link #loadOnnx(Path, Sequential, Map)}); every {@link #run} checks its inputs with the form's
   * contract.
   *
   * @param form the form the file holds, or {@code null}
   */
  public static DjlModel loadOnnxForm(Path onnxFile, ModelForm form, Map<String, ?> engineOptions) {
    return loadOnnx(onnxFile, form, form == null ? null : "form '" + form.name() + "'", engineOptions, null);
  }

  private static DjlModel loadOnnx(Path onnxFile, ModelForm form, String owner, Map<String, ?> engineOptions,
      OrtOptions ort) {
    OnnxInterface artifact = OnnxInterface.read(onnxFile);
    DjlEngines.requireSameInputs(onnxFile, artifact.inputNames(), form, owner);
    NativeWiring.configureForOnnx();
    Model model = DjlEngines.newModel(onnxFile, ONNX_RUNTIME);
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
      DjlEngines.closeQuietly(sessionOptions);
      throw new IllegalArgumentException(
          "ONNX Runtime (DJL) could not load " + onnxFile + " as an ONNX model: " + DjlEngines.rootMessage(e), e);
    }
    return new DjlModel(model, ONNX_RUNTIME, onnxFile, artifact.contract(), artifact.outputNames(), form, sessionOptions);
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
   * {@link #run} checks its inputs with the model's {@link Sequential#contract()} (the only way a
   * SavedModel's token ids are checked against the vocabulary before TensorFlow runs).
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
    return loadSavedModel(dir, formOf(spec), owner(spec), signatureKey);
  }

  /**
   * Loads one form of a model from its SavedModel: every {@link #run} checks its inputs with the
   * form's {@link ModelForm#contract()}.
   *
   * @param form the form the folder holds, or {@code null}
   */
  public static DjlModel loadSavedModelForm(Path dir, ModelForm form) {
    return loadSavedModelForm(dir, form, SavedModelArtifact.SIGNATURE);
  }

  /**
   * Loads one form of a model from a SavedModel's named signature (under tag {@code serve}).
   *
   * @param form the form the folder holds, or {@code null}
   */
  public static DjlModel loadSavedModelForm(Path dir, ModelForm form, String signatureKey) {
    return loadSavedModel(dir, form, form == null ? null : "form '" + form.name() + "'", signatureKey);
  }

  private static DjlModel loadSavedModel(Path dir, ModelForm form, String owner, String signatureKey) {
    SavedModelArtifact artifact = SavedModelArtifact.read(dir, signatureKey);
    DjlEngines.requireSameInputs(dir, artifact.inputs().names(), form, owner);
    NativeWiring.configureForTensorFlow();
    Model model = DjlEngines.newModel(dir, TENSORFLOW);
    Map<String, Object> options = new HashMap<>();
    options.put("Tags", SavedModelArtifact.TAG);
    options.put("SignatureDefKey", signatureKey);
    try {
      model.load(dir, null, options);
    } catch (IOException | MalformedModelException | RuntimeException e) {
      model.close();
      throw new IllegalArgumentException(
          "TensorFlow (DJL) could not load the SavedModel " + dir + ": " + DjlEngines.rootMessage(e), e);
    }
    return new DjlModel(model, TENSORFLOW, dir, artifact.inputs(), artifact.outputs(), form, null);
  }

  private static ModelForm formOf(Sequential spec) {
    return spec == null ? null : spec.forms().get(0);
  }

  private static String owner(Sequential spec) {
    return spec == null ? null : "model '" + spec.name() + "'";
  }

  /** The model's input names: ONNX graph inputs in graph order, or signature keys sorted. */
  public List<String> inputNames() {
    return whileOpen(declared::names);
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
   *     length outside 1 … T; with a spec, anything its contract refuses. Checked
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
        NDList in = NdTensors.toNDList(manager, declared, inputs);
        NDList out;
        try {
          out = predictor.predict(in);
        } catch (TranslateException | RuntimeException e) {
          throw new IllegalStateException(
              engineName + " failed to run " + source + ": " + DjlEngines.rootMessage(e), e);
        }
        return NdTensors.collect(engineName, source, outputNames, out);
      }
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Checks inputs as {@link #run} does, without running anything: against the form's contract when
   * the model was loaded with one (the artifact's element types kept), else against what the
   * artifact declares ({@link OnnxInterface}, {@link SavedModelArtifact}); one check, one message
   * format whatever the engine ({@link InputContract#check}).
   *
   * @throws InvalidInputException listing every mistake
   */
  void check(Map<String, ? extends Tensor> given) {
    contract.check(given);
    for (InputContract.Input s : declared.inputs()) {
      if (!FEEDABLE.contains(s.type())) {
        throw new InvalidInputException(InvalidInputException.Problem.DTYPE, s.name(), "input '" + s.name() + "' of " + source
            + " is " + s.type() + " in the model; DjlModel feeds float32, int32 and int64 only");
      }
    }
  }

  /** What requests are checked against: the form's contract refined by the artifact's, or the artifact's own. */
  InputContract contract() {
    return contract;
  }

  /** What the artifact declares about its inputs: names, element types, axes. */
  InputContract declaredInputs() {
    return declared;
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
    return NdTensors.toNDList(manager, declared, given);
  }

  /** The engine's outputs as float tensors by declared name. */
  Map<String, FloatTensor> fromNDList(NDList out) {
    return NdTensors.collect(engineName, source, outputNames, out);
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
          DjlEngines.closeQuietly(sessionOptions);
        }
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  @Override
  public String toString() {
    return "DjlModel[" + engineName + ", " + source + ", inputs=" + declared.inputs().stream().map(i -> i.name() + ":"
        + i.describe()).toList() + ", outputs=" + outputNames + "]";
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
}
