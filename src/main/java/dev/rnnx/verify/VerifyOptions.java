package dev.rnnx.verify;

import dev.rnnx.onnx.ModelVariant;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link Verification} does: the criteria, which backends, which inputs, how names are
 * matched, whether native backends run in child processes, whether divergences are localised.
 * Immutable; built with {@link #builder()}. Every setting has a default.
 *
 * @param criteria how outputs are judged; {@code null} means the recipe's tolerances (a run
 *     folder) or Polygraphy's defaults (artifacts from elsewhere)
 * @param backends the candidate backends by name, or {@code null} for the default set
 * @param inputs a folder of user inputs ({@link dev.rnnx.tensorio.InputFiles}), or {@code null} for generated ones
 * @param seed the seed of generated inputs, or {@code null} for the recipe's (or 0)
 * @param nameMap reference names (inputs and outputs) to artifact names, for artifacts whose names
 *     differ ({@code --map a=b})
 * @param isolate whether native backends run in child processes; {@code null} means yes for
 *     artifacts from elsewhere and only for {@code ort} in a run folder
 * @param localise whether failing ONNX candidates are searched for the first diverging layer, step
 *     and gate
 * @param signature the SavedModel signature
 * @param reference the backend taken as truth, or {@code null} for {@code ref} (a run folder or an
 *     rnnx model) or {@code ref-onnx} (artifacts from elsewhere); any backend may be named, and the
 *     default reference then becomes one more candidate
 * @param variants the lightweight variants to verify beside the float32 ONNX file under their own
 *     budgets ({@link VariantVerification}): {@code null} for every variant whose file exists
 *     ({@code model.fp16.onnx}, {@code model.int8.onnx}), an empty list for none
 */
public record VerifyOptions(ParityCriteria criteria, List<String> backends, Path inputs, Long seed,
    Map<String, String> nameMap, Boolean isolate, boolean localise, String signature, String reference,
    List<ModelVariant> variants) {

  /** Copies the collections. */
  public VerifyOptions {
    backends = backends == null ? null : List.copyOf(backends);
    nameMap = nameMap == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(nameMap));
    signature = signature == null ? BackendSpec.DEFAULT_SIGNATURE : signature;
    variants = variants == null ? null : List.copyOf(variants);
  }

  /** Every default. */
  public static VerifyOptions defaults() {
    return builder().build();
  }

  /** A builder with every default. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these options. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.criteria = criteria;
    b.backends = backends == null ? null : new ArrayList<>(backends);
    b.inputs = inputs;
    b.seed = seed;
    b.nameMap.putAll(nameMap);
    b.isolate = isolate;
    b.localise = localise;
    b.signature = signature;
    b.reference = reference;
    b.variants = variants == null ? null : new ArrayList<>(variants);
    return b;
  }

  /** Builds {@link VerifyOptions}. */
  public static final class Builder {
    private ParityCriteria criteria;
    private List<String> backends;
    private Path inputs;
    private Long seed;
    private final Map<String, String> nameMap = new LinkedHashMap<>();
    private Boolean isolate;
    private boolean localise = true;
    private String signature;
    private String reference;
    private List<ModelVariant> variants;

    private Builder() {}

    /**
     * The lightweight variants to verify: {@code null} (the default) for those whose files exist,
     * an empty list for none.
     */
    public Builder variants(List<ModelVariant> v) {
      this.variants = v == null ? null : new ArrayList<>(v);
      return this;
    }

    /** The backend taken as truth (default {@code ref}, or {@code ref-onnx} for artifacts from elsewhere). */
    public Builder reference(String name) {
      this.reference = name;
      return this;
    }

    /** How outputs are judged. */
    public Builder criteria(ParityCriteria c) {
      this.criteria = c;
      return this;
    }

    /** One elementwise criterion with these tolerances for every output. */
    public Builder tolerances(double atol, double rtol) {
      this.criteria = ParityCriteria.of(Criterion.DEFAULT.withTolerances(atol, rtol));
      return this;
    }

    /** The candidate backends by name, ids of {@link BackendKind}. */
    public Builder backends(List<String> names) {
      this.backends = names == null ? null : new ArrayList<>(names);
      return this;
    }

    /** A folder of user inputs. */
    public Builder inputs(Path dir) {
      this.inputs = dir;
      return this;
    }

    /** The seed of generated inputs. */
    public Builder seed(long s) {
      this.seed = s;
      return this;
    }

    /** Maps a reference name to an artifact name. */
    public Builder map(String referenceName, String artifactName) {
      nameMap.put(referenceName, artifactName);
      return this;
    }

    /** Whether native backends run in child processes. */
    public Builder isolate(Boolean b) {
      this.isolate = b;
      return this;
    }

    /** Whether failing candidates are localised. */
    public Builder localise(boolean b) {
      this.localise = b;
      return this;
    }

    /** The SavedModel signature. */
    public Builder signature(String s) {
      this.signature = s;
      return this;
    }

    /** The options. */
    public VerifyOptions build() {
      return new VerifyOptions(criteria, backends, inputs, seed, nameMap, isolate, localise, signature, reference,
          variants);
    }
  }
}
