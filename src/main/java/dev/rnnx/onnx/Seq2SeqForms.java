package dev.rnnx.onnx;

import ai.onnx.proto.OnnxMl;
import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.RnnDecoder;
import dev.rnnx.spec.RnnEncoder;
import dev.rnnx.spec.Seq2Seq;
import dev.rnnx.spec.TransformerStack;
import dev.rnnx.weights.Provenance;
import dev.rnnx.weights.Weights;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The four forms of a {@link Seq2Seq} model ({@link Seq2Seq#forms()}), one ONNX model each: the
 * graph inputs and outputs, named by the form's contract, around the body that
 * {@link RnnSeq2SeqForms} (recurrent encoder and decoder) or {@link TransformerSeq2SeqForms} builds;
 * both share the decoding Loop's parts in {@link DecoderLoops}.
 *
 * <p>Needs opset 12 (ArgMax's select_last_index) for a recurrent model, 17 (LayerNormalization)
 * for a Transformer.
 */
final class Seq2SeqForms {

  /** The oldest opset of a recurrent seq2seq export: ArgMax's {@code select_last_index}. */
  static final int RNN_OPSET = 12;

  private Seq2SeqForms() {}

  /** Every form, in {@link Seq2Seq#forms()} order. */
  static Map<String, OnnxMl.ModelProto> export(Seq2Seq model, Weights weights, int opset, Provenance provenance) {
    OpsetTable opsets = OpsetTable.load();
    if (model.recurrent() && opset < RNN_OPSET) {
      throw new OnnxExportException("model '" + model.name() + "' (seq2seq, rnn) needs opset " + RNN_OPSET
          + " or newer (ArgMax with select_last_index for greedy decoding), got opset " + opset);
    }
    if (!model.recurrent() && opset < TransformerOps.LAYER_NORMALIZATION_OPSET) {
      throw new OnnxExportException("model '" + model.name() + "' (seq2seq, transformer) needs opset "
          + TransformerOps.LAYER_NORMALIZATION_OPSET + " or newer (ONNX LayerNormalization), got opset " + opset);
    }
    DecoderLoops loops = new DecoderLoops(model);
    BiConsumer<String, GraphBuilder> body = model.recurrent() ? new RnnSeq2SeqForms(model, weights, loops)::build
        : new TransformerSeq2SeqForms(model, weights, opset, loops)::build;
    Map<String, OnnxMl.ModelProto> out = new LinkedHashMap<>();
    for (ModelForm form : model.forms()) {
      GraphBuilder g = new GraphBuilder(model.name() + "_" + form.name(), opset, opsets);
      for (var in : form.inputs()) {
        g.claim(in.name());
        g.input(ValueInfos.valueInfo(in.name(), in.dtype(), dims(in.name(), in.shape().rank(), in.shape().dims())));
      }
      body.accept(form.name(), g);
      for (var o : form.outputs()) {
        String name = OnnxExporter.outputName(form, o.name());
        g.output(ValueInfos.valueInfo(name, o.dtype(), dims(o.name(), o.shape().rank(), o.shape().dims())));
      }
      out.put(form.name(), OnnxExporter.assemble(g, describe(model, form), model.name(), opset, opsets, provenance));
    }
    return out;
  }

  /** Symbolic dimension names per tensor, so that source and target lengths stay distinct. */
  private static Object[] dims(String tensor, int rank, int... fixed) {
    String cache = tensor.replaceAll("_(key|value)_\\d+$", "");
    Object[] d = switch (cache.equals(tensor) ? tensor : cache) {
      case "cross" -> new Object[] {"batch", null, "source_time", null};
      case "past" -> new Object[] {"batch", null, dev.rnnx.spec.InputContract.CACHE_AXIS, null};
      case "present" -> new Object[] {"batch", null, "present_time", null};
      case "source" -> new Object[] {"batch", "source_time"};
      case "source_lengths", "token" -> new Object[] {"batch"};
      case "target" -> new Object[] {"batch", "target_time"};
      case "memory" -> new Object[] {"batch", "source_time", null};
      case "attention" -> new Object[] {"batch", "source_time"};
      case "log_probs" -> rank == 3 ? new Object[] {"batch", "target_time", null} : new Object[] {"batch", null};
      default -> new Object[rank];
    };
    for (int i = 0; i < d.length; i++) {
      if (d[i] == null) {
        d[i] = i == 0 ? "batch" : fixed != null && fixed.length > i && fixed[i] > 0 ? (Object) fixed[i] : "dim" + i;
      }
    }
    return d;
  }

  private static String describe(Seq2Seq m, ModelForm form) {
    String parts = m.recurrent()
        ? ((RnnEncoder) m.encoder()).cell().recipeName() + " " + ((RnnEncoder) m.encoder()).units()
            + (((RnnDecoder) m.decoder()).attends() ? ", " + ((RnnDecoder) m.decoder()).attention().recipeName() + " attention" : "")
        : "transformer " + ((TransformerStack) m.encoder()).layers() + "+" + ((TransformerStack) m.decoder()).layers() + " blocks";
    return "model '" + m.name() + "' (seq2seq, " + parts + "), form '" + form.name() + "': "
        + form.inputs().stream().map(t -> t.name()).toList() + " -> " + form.outputs().stream().map(t -> t.name()).toList();
  }
}
