package dev.rnnx.pipeline;

import ai.onnx.proto.OnnxMl;
import dev.rnnx.onnx.ModelVariant;
import dev.rnnx.onnx.ModelVariants;
import dev.rnnx.onnx.OnnxExportException;
import dev.rnnx.onnx.OnnxExporter;
import dev.rnnx.onnx.OnnxModels;
import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.Recipe;
import dev.rnnx.spec.RecipeCodec;
import dev.rnnx.weights.AtomicFiles;
import dev.rnnx.weights.Provenance;
import dev.rnnx.weights.Safetensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code rnnx export}: writes a float32 ONNX model at an opset from a run folder's weights, or a
 * lightweight variant ({@link ModelVariant}) of a run folder's ONNX files or of any float32 ONNX
 * file rnnx can transform.
 *
 * <p>Sources and default outputs:
 *
 * <ul>
 *   <li>a run folder, float32: every form re-exported from {@code weights.safetensors} with the
 *       recorded provenance at the opset asked (default: the recipe's), to
 *       {@code RUN_DIR/<form>.opset<N>.onnx} (never over the run's own files);
 *   <li>a run folder, a variant: each {@code RUN_DIR/<form>.onnx} (or, with an opset, each form
 *       re-exported at it) transformed, to {@code RUN_DIR/<form>.<variant>.onnx}, where
 *       {@code rnnx verify RUN_DIR} finds it;
 *   <li>an ONNX file, a variant: to {@code <name>.<variant>.onnx} beside it. Converting an ONNX
 *       file's opset is not offered: export the run folder at the opset instead.
 * </ul>
 *
 * {@link ExportOptions#output()} names the file (a folder when the model has several forms). Every
 * file is checked and written to a temporary sibling that is moved into place.
 */
public final class ModelExport {

  /**
   * One file written.
   *
   * @param form the model form ({@code model} for a sequential model)
   * @param file where it was written
   * @param bytes its size
   * @param sourceBytes the size of the float32 model it was made from (itself for float32)
   * @param description what it holds, in words
   */
  public record Written(String form, Path file, long bytes, long sourceBytes, String description) {}

  /** A file to write, once every form has been built and checked. */
  private record Planned(String form, Path file, OnnxMl.ModelProto model, long sourceBytes, String description) {}

  private ModelExport() {}

  /**
   * Exports as {@code options} ask.
   *
   * @param source a run folder (holding {@code weights.safetensors}) or an ONNX file
   * @throws IllegalArgumentException for bad input (missing source, a file that is not ONNX, an
   *     opset the model or scheme cannot use, a model that is already a variant), before anything
   *     is written
   * @throws IOException when a file cannot be written
   */
  public static List<Written> export(Path source, ExportOptions options) throws IOException {
    if (!Files.exists(source)) {
      throw new IllegalArgumentException(source + ": does not exist, expected a run folder (written by 'rnnx run') or an"
          + " ONNX model file");
    }
    try {
      return Files.isDirectory(source) ? fromRun(source, options) : fromFile(source, options);
    } catch (OnnxExportException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  private static List<Written> fromFile(Path file, ExportOptions options) throws IOException {
    if (options.variant() == null || options.opset() != null) {
      throw new IllegalArgumentException(file + ": an ONNX file can only be made into a variant (--precision fp16 or"
          + " --quantize dynamic-int8); to export at another opset, export the run folder it came from");
    }
    OnnxMl.ModelProto model = OnnxModels.read(file);
    Path out = options.output() != null ? options.output() : sibling(file, options.variant());
    ModelVariants.Variant v = transform(model, options, file.getFileName().toString());
    AtomicFiles.removeStale(out.toAbsolutePath().getParent(), 1);
    ModelVariants.write(v, out);
    return List.of(written(ModelForm.MODEL, out, Files.size(file), v.scheme()));
  }

  private static List<Written> fromRun(Path dir, ExportOptions options) throws IOException {
    Path weightsFile = dir.resolve("weights.safetensors");
    if (!Files.isRegularFile(weightsFile)) {
      throw new IllegalArgumentException(dir + ": holds no weights.safetensors, expected the output folder of 'rnnx run'");
    }
    Safetensors.Contents contents = Safetensors.read(weightsFile);
    Provenance provenance;
    try {
      provenance = Provenance.fromMetadata(contents.metadata());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(weightsFile + ": " + e.getMessage(), e);
    }
    Recipe recipe = RecipeCodec.parse(provenance.recipeYaml(), weightsFile + " (recorded recipe)");
    List<String> forms = recipe.model().forms().stream().map(ModelForm::name).toList();
    Map<String, OnnxMl.ModelProto> fp32 = new LinkedHashMap<>();
    Map<String, Long> sourceBytes = new LinkedHashMap<>();
    int opset = options.opset() != null ? options.opset() : recipe.export().opset();
    if (options.variant() == null || options.opset() != null) {
      Map<String, OnnxMl.ModelProto> exported = OnnxExporter.export(recipe.model(), contents.weights(), opset,
          provenance);
      for (String form : forms) {
        fp32.put(form, exported.get(form));
        sourceBytes.put(form, (long) exported.get(form).getSerializedSize());
      }
    } else {
      for (String form : forms) {
        Path file = dir.resolve(form + ".onnx");
        fp32.put(form, OnnxModels.read(file));
        sourceBytes.put(form, Files.size(file));
      }
    }
    boolean several = forms.size() > 1;
    if (options.output() != null && several && Files.isRegularFile(options.output())) {
      throw new IllegalArgumentException(options.output() + ": is a file, but model '" + recipe.model().name() + "' has "
          + forms.size() + " forms " + forms + ": give a folder");
    }
    List<Planned> planned = new ArrayList<>();
    for (String form : forms) {
      String name = options.variant() != null ? options.variant().fileName(form) : form + ".opset" + opset + ".onnx";
      Path out = options.output() == null ? dir.resolve(name) : several ? options.output().resolve(name) : options.output();
      if (options.variant() == null) {
        planned.add(new Planned(form, out, fp32.get(form), sourceBytes.get(form), "float32, opset " + opset));
      } else {
        ModelVariants.Variant v = transform(fp32.get(form), options, form + ".onnx");
        planned.add(new Planned(form, out, v.model(), sourceBytes.get(form), v.scheme()));
      }
    }
    List<Written> written = new ArrayList<>();
    for (Planned p : planned) {
      Path parent = p.file().toAbsolutePath().getParent();
      Files.createDirectories(parent);
      AtomicFiles.removeStale(parent, 1);
      OnnxExporter.write(p.model(), p.file());
      written.add(written(p.form(), p.file(), p.sourceBytes(), p.description()));
    }
    return written;
  }

  private static ModelVariants.Variant transform(OnnxMl.ModelProto model, ExportOptions options, String sourceName) {
    return ModelVariants.transform(model, options.variant(), new ModelVariants.Options(options.reduceRange()), sourceName);
  }

  private static Path sibling(Path file, ModelVariant variant) {
    Path parent = file.toAbsolutePath().getParent();
    return parent.resolve(variant.siblingName(file.getFileName().toString()));
  }

  private static Written written(String form, Path file, long sourceBytes, String description) throws IOException {
    return new Written(form, file, Files.size(file), sourceBytes, description);
  }
}
