package dev.rnnx.verify;

import ai.onnx.proto.OnnxMl;
import dev.rnnx.onnx.ModelVariant;
import dev.rnnx.onnx.ModelVariants;
import dev.rnnx.spec.ModelSpec;
import dev.rnnx.onnx.OnnxModels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Verifies the lightweight variants of a float32 ONNX model ({@code rnnx export --precision fp16},
 * {@code --quantize dynamic-int8}) against the float32 reference: each variant's file runs on
 * {@code djl-ort} (ONNX Runtime's CPU provider at its default optimisation level) and
 * {@code ref-onnx} (the pure-Java evaluator, which computes the variant's integer and float16
 * steps as ONNX Runtime does), and every output of every case is judged under the variant's budget
 * ({@link VariantBudgets}). The variant's file size and its speed on {@code djl-ort} are set
 * against the float32 model's.
 *
 * <p>Which variants: {@code null} asks for every variant whose file is beside the float32 model
 * ({@code model.fp16.onnx}, {@code model.int8.onnx}); a list asks for those, and a missing file
 * is bad input.
 */
public final class VariantVerification {

  /** Timing rounds; each runs a block of passes on float32, then on the variant. */
  static final int TIMING_ROUNDS = 7;

  /** Passes over every case per block; the first is not counted. */
  static final int BLOCK = 4;

  private VariantVerification() {}

  /**
   * The variant files of one form beside its float32 file: none when none is asked for; those whose
   * files exist when {@code requested} is {@code null}; the requested ones, where a missing file is
   * refused when {@code required} (a model of one form) and skipped otherwise (a form without that
   * variant).
   */
  static List<Path> filesOfForm(Path fp32, List<ModelVariant> requested, boolean required) {
    if (requested != null && requested.isEmpty()) {
      return List.of();
    }
    if (!Files.isRegularFile(fp32)) {
      if (requested != null && required) {
        throw new IllegalArgumentException(fp32 + ": does not exist, so its variants cannot be verified");
      }
      return List.of();
    }
    if (requested == null || required) {
      return files(fp32, requested);
    }
    List<ModelVariant> present = requested.stream()
        .filter(v -> Files.isRegularFile(fp32.resolveSibling(v.siblingName(fp32.getFileName().toString())))).toList();
    return present.isEmpty() ? List.of() : files(fp32, present);
  }

  /** The variant files to verify beside {@code fp32}, refusing missing or mismatched requested ones. */
  static List<Path> files(Path fp32, List<ModelVariant> requested) {
    List<Path> out = new ArrayList<>();
    Set<ModelVariant> wanted = requested == null ? EnumSet.allOf(ModelVariant.class) : EnumSet.copyOf(requested);
    for (ModelVariant v : wanted) {
      Path file = fp32.resolveSibling(v.siblingName(fp32.getFileName().toString()));
      if (!Files.isRegularFile(file)) {
        if (requested != null) {
          throw new IllegalArgumentException(file + ": does not exist; write it with 'rnnx export "
              + fp32.toAbsolutePath().getParent() + " " + v.option() + "'");
        }
        continue;
      }
      OnnxMl.ModelProto m = VerifyInputs.readAndCheck(file);
      ModelVariant declared = ModelVariants.variantOf(m);
      if (declared != v) {
        throw new IllegalArgumentException(file + ": declares " + (declared == null ? "no rnnx variant (a float32 model)"
            : "variant " + declared) + " in its metadata_props, expected " + v + " (" + ModelVariants.KEY_VARIANT + ")");
      }
      out.add(file);
    }
    return out;
  }

  /**
   * Verifies each variant file.
   *
   * @param reference the float32 reference (its outputs are the truth); not closed here
   * @param fp32 the float32 ONNX file, for size and speed
   * @param files the variant files ({@link #files})
   * @param model the rnnx model (its inputs are checked), or {@code null} for an ONNX file from elsewhere
   * @param form the form the files hold
   * @param opener opens {@code djl-ort}
   */
  static List<VariantResult> verify(Backend reference, Path fp32, List<Path> files, List<ParityCase> cases,
      ModelSpec model, String form, BackendOpener opener) {
    List<VariantResult> out = new ArrayList<>();
    for (Path file : files) {
      ModelVariant v = ModelVariants.variantOf(OnnxModels.read(file));
      Criterion budget = VariantBudgets.of(v);
      List<Backend> candidates = new ArrayList<>();
      Map<String, String> errors = new LinkedHashMap<>();
      double[] millis = {Double.NaN, Double.NaN};
      try {
        open(() -> new NamedBackend(opener.open(djlOrt(file, model, form)), "djl-ort[" + v + "]"), "djl-ort[" + v + "]",
            candidates, errors);
        open(() -> new NamedBackend(new OnnxReferenceBackend(file), "ref-onnx[" + v + "]"), "ref-onnx[" + v + "]",
            candidates, errors);
        ParityResult parity = ParityVerifier.verify(reference, candidates, cases, ParityCriteria.of(budget));
        if (!errors.isEmpty()) {
          Map<String, String> all = new LinkedHashMap<>(errors);
          all.putAll(parity.backendErrors());
          parity = parity.withBackendErrors(all);
        }
        if (!candidates.isEmpty() && candidates.get(0).name().startsWith("djl-ort")) {
          try (Backend base = opener.open(djlOrt(fp32, model, form))) {
            millis = time(base, candidates.get(0), cases);
          } catch (RuntimeException e) {
            // no timing (NaN) when a pass fails: the parity result already carries the failure
          }
        }
        out.add(new VariantResult(v, file, size(file), size(fp32), budget, parity, millis[1], millis[0]));
      } finally {
        candidates.forEach(Backend::close);
      }
    }
    return out;
  }

  private static BackendSpec djlOrt(Path file, ModelSpec model, String form) {
    return new BackendSpec(BackendKind.DJL_ORT, file, null, null, model, form, null);
  }

  /**
   * Median milliseconds of one pass over the cases: {fp32, variant}, after {@value #BLOCK} warm-up
   * passes of each. Rounds alternate a block of
   * {@value #BLOCK} passes of each; a block's first pass is not counted, since ONNX Runtime's
   * thread pool of the session that ran just before still spins then and competes for the cores.
   */
  static double[] time(Backend fp32, Backend variant, List<ParityCase> cases) {
    for (int w = 0; w < BLOCK; w++) {
      pass(fp32, cases);
      pass(variant, cases);
    }
    double[] a = new double[TIMING_ROUNDS * (BLOCK - 1)];
    double[] b = new double[TIMING_ROUNDS * (BLOCK - 1)];
    for (int r = 0; r < TIMING_ROUNDS; r++) {
      block(fp32, cases, a, r);
      block(variant, cases, b, r);
    }
    Arrays.sort(a);
    Arrays.sort(b);
    return new double[] {a[a.length / 2], b[b.length / 2]};
  }

  private static void block(Backend backend, List<ParityCase> cases, double[] into, int round) {
    pass(backend, cases);
    for (int k = 1; k < BLOCK; k++) {
      into[round * (BLOCK - 1) + k - 1] = pass(backend, cases);
    }
  }

  private static double pass(Backend b, List<ParityCase> cases) {
    long t = System.nanoTime();
    for (ParityCase c : cases) {
      b.run(c.inputs());
    }
    return (System.nanoTime() - t) / 1e6;
  }

  private static void open(Supplier<Backend> opener, String name, List<Backend> into,
      Map<String, String> errors) {
    try {
      into.add(opener.get());
    } catch (RuntimeException | LinkageError e) {
      errors.put(name, "could not load: " + e.getMessage());
    }
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
