package dev.rnnx.verify;

import ai.onnx.proto.OnnxMl;
import dev.rnnx.onnx.KernelAssumptions;
import dev.rnnx.onnx.OnnxCheckException;
import dev.rnnx.onnx.OnnxChecker;
import dev.rnnx.onnx.OnnxModels;
import dev.rnnx.spec.DType;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.ModelSpec;
import dev.rnnx.spec.SourcedInputs;
import dev.rnnx.spec.Tensor;
import dev.rnnx.spec.TensorSpec;
import dev.rnnx.tensorio.ElementType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The checks {@link Verification} makes before any backend runs: ONNX files read and checked,
 * given inputs conformed to and checked against each form, problems refused all at once.
 */
final class VerifyInputs {

  private VerifyInputs() {}

  /** Reads an ONNX file, checks what its kernels assume, then runs the (native) ONNX checker on it. */
  static OnnxMl.ModelProto readAndCheck(Path onnx) {
    OnnxMl.ModelProto m = OnnxModels.read(onnx);
    KernelAssumptions.check(onnx, m);
    try {
      OnnxChecker.check(m);
    } catch (OnnxCheckException e) {
      throw new IllegalArgumentException(onnx + " fails the ONNX checker: " + e.checkerMessage(), e);
    }
    return m;
  }

  /** The ONNX element type of every input of a form. */
  static Map<String, ElementType> inputTypes(ModelForm form) {
    Map<String, ElementType> types = new LinkedHashMap<>();
    for (TensorSpec s : form.inputs()) {
      types.put(s.name(), s.dtype() == DType.FLOAT32 ? ElementType.FLOAT : s.dtype() == DType.INT32 ? ElementType.INT32
          : ElementType.INT64);
    }
    return types;
  }

  /**
   * The given inputs of each form: {@code dir} itself for a model with the one form {@code model},
   * else {@code dir/<form>/} for each form (the layout of {@code verify/golden/}).
   *
   * @throws IllegalArgumentException when a form's folder is missing
   */
  static Map<String, List<ParityCase>> read(ModelSpec model, Path dir) {
    Map<String, List<ParityCase>> out = new LinkedHashMap<>();
    List<ModelForm> forms = model.forms();
    if (forms.size() == 1) {
      out.put(forms.get(0).name(), ParityCase.read(dir));
      return out;
    }
    for (ModelForm f : forms) {
      Path sub = dir.resolve(f.name());
      if (!Files.isDirectory(sub)) {
        throw new IllegalArgumentException("--inputs " + dir + ": model '" + model.name() + "' has forms "
            + forms.stream().map(ModelForm::name).toList() + ", expected a folder " + sub + " of inputs for each");
      }
      out.put(f.name(), ParityCase.read(sub));
    }
    return out;
  }

  /**
   * Refuses, listing every problem, given cases that do not fit a form: the one place where
   * {@code verify} checks a form's inputs.
   */
  static void check(ModelSpec model, ModelForm form, List<ParityCase> cases, String source) {
    List<String> problems = new ArrayList<>();
    for (ParityCase c : cases) {
      for (String p : problems(model, form, c.inputs())) {
        problems.add(c.name() + ": " + p);
      }
    }
    refuse("the inputs (" + source + ") do not fit " + (form.name().equals(ModelForm.MODEL) ? "" : "form '" + form.name()
        + "' of ") + "model '" + model.name() + "'", problems);
  }

  private static List<String> problems(ModelSpec model, ModelForm form, Map<String, ? extends Tensor> inputs) {
    try {
      form.contract().check(inputs);
      return List.of();
    } catch (IllegalArgumentException e) {
      return List.of(e.getMessage().split("; "));
    }
  }

  /**
   * Integer tensors given for floating inputs (a JSON array of whole numbers, an integer .npy)
   * become float32, the one lossless conversion; everything else is left for the checks to judge.
   */
  static List<ParityCase> conform(List<ParityCase> cases, Map<String, ElementType> declared) {
    List<ParityCase> out = new ArrayList<>();
    for (ParityCase c : cases) {
      Map<String, Tensor> in = new LinkedHashMap<>();
      c.inputs().forEach((k, v) -> {
        ElementType t = declared.get(k);
        if (v instanceof LongTensor l && t != null && t.isFloating()) {
          float[] f = new float[l.size()];
          for (int i = 0; i < f.length; i++) {
            f[i] = l.data()[i];
          }
          in.put(k, new FloatTensor(l.shape(), f));
        } else {
          in.put(k, v);
        }
      });
      out.add(new ParityCase(c.name(), SourcedInputs.like(c.inputs(), in)));
    }
    return out;
  }

  /** Throws one {@link IllegalArgumentException} listing every problem, when there is any. */
  static void refuse(String what, List<String> problems) {
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(what + " (" + problems.size() + " problem" + (problems.size() == 1 ? "" : "s")
          + "):\n  " + String.join("\n  ", problems));
    }
  }
}
