package dev.rnnx.ref.onnx;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one table of supported operators: op type (default ONNX domain) to kernel, with the first
 * opset version the kernel implements, up to {@value #MAX_OPSET}; kernels whose semantics changed
 * across versions (attributes that became inputs, opset-6 broadcasting) read {@link Node#opset()}
 * and say so in their Javadoc.
 */
final class OpRegistry {

  /** The newest default-domain opset whose semantics the kernels know. */
  static final int MAX_OPSET = 23;

  /** A kernel and the first opset it implements. */
  record Entry(OpKernel kernel, int sinceOpset) {}

  private static final Map<String, Entry> TABLE = new TreeMap<>();

  private static void put(String op, int since, OpKernel kernel) {
    if (TABLE.put(op, new Entry(kernel, since)) != null) {
      throw new IllegalStateException("registered twice: " + op);
    }
  }

  static {
    // recurrent
    put("LSTM", 7, RecurrentOps::lstm);
    put("GRU", 7, RecurrentOps::gru);
    put("RNN", 7, RecurrentOps::rnn);
    // control flow
    put("Loop", 11, new LoopOp());
    put("If", 1, ControlFlowOps.IF);
    put("Scan", 8, ControlFlowOps.SCAN);
    put("SequenceMap", 17, ControlFlowOps.SEQUENCE_MAP);
    // sequences and optionals
    put("SequenceEmpty", 11, TensorSequenceOps::empty);
    put("SequenceConstruct", 11, TensorSequenceOps::construct);
    put("SequenceInsert", 11, TensorSequenceOps::insert);
    put("SequenceAt", 11, TensorSequenceOps::at);
    put("SequenceErase", 11, TensorSequenceOps::erase);
    put("SequenceLength", 11, TensorSequenceOps::length);
    put("ConcatFromSequence", 11, TensorSequenceOps::concatFromSequence);
    put("SplitToSequence", 11, TensorSequenceOps::splitToSequence);
    put("Optional", 15, TensorSequenceOps::optional);
    put("OptionalHasElement", 15, TensorSequenceOps::hasElement);
    put("OptionalGetElement", 15, TensorSequenceOps::getElement);
    // attention
    put("Attention", 23, AttentionOp::attention);
    // matrix products
    put("Gemm", 1, MatrixOps::gemm);
    put("MatMul", 1, MatrixOps::matMul);
    // linear quantisation (dynamically quantised models)
    put("MatMulInteger", 10, QuantizationOps::matMulInteger);
    put("QuantizeLinear", 10, QuantizationOps::quantizeLinear);
    put("DequantizeLinear", 10, QuantizationOps::dequantizeLinear);
    put("DynamicQuantizeLinear", 11, QuantizationOps::dynamicQuantizeLinear);
    put("QLinearMatMul", 10, QuantizationOps::qLinearMatMul);
    put("QLinearConv", 10, QuantizationOps::qLinearConv);
    // element-wise arithmetic, comparison, logic
    put("Add", 1, ElementwiseOps::add);
    put("Sub", 1, ElementwiseOps::sub);
    put("Mul", 1, ElementwiseOps::mul);
    put("Div", 1, ElementwiseOps::div);
    put("Pow", 1, ElementwiseOps::pow);
    put("Equal", 7, ElementwiseOps::equal);
    put("Greater", 7, ElementwiseOps::greater);
    put("Less", 7, ElementwiseOps::less);
    put("GreaterOrEqual", 12, ElementwiseOps::greaterOrEqual);
    put("LessOrEqual", 12, ElementwiseOps::lessOrEqual);
    put("And", 7, ElementwiseOps::and);
    put("Or", 7, ElementwiseOps::or);
    put("Xor", 7, ElementwiseOps::xor);
    put("Not", 1, ElementwiseOps::not);
    put("Where", 9, ElementwiseOps::where);
    // element-wise unary
    put("Sigmoid", 6, ElementwiseOps.floating(ElementwiseOps::sigmoid));
    put("Tanh", 6, ElementwiseOps.floating(Math::tanh));
    put("Relu", 6, ElementwiseOps.numeric(v -> Math.max(0, v), v -> Math.max(0, v)));
    put("Sqrt", 6, ElementwiseOps.floating(Math::sqrt));
    put("Exp", 6, ElementwiseOps.floating(Math::exp));
    put("Log", 6, ElementwiseOps.floating(Math::log));
    put("Reciprocal", 6, ElementwiseOps.floating(v -> 1 / v));
    put("Softsign", 1, ElementwiseOps.floating(v -> v / (1 + Math.abs(v))));
    put("Softplus", 1, ElementwiseOps.floating(ElementwiseOps::softplus));
    put("Neg", 6, ElementwiseOps.numeric(v -> -v, v -> -v));
    put("Abs", 6, ElementwiseOps.numeric(Math::abs, Math::abs));
    put("Floor", 6, ElementwiseOps.floating(Math::floor));
    put("Ceil", 6, ElementwiseOps.floating(Math::ceil));
    put("LeakyRelu", 6, ElementwiseOps::leakyRelu);
    put("Elu", 6, ElementwiseOps::elu);
    put("HardSigmoid", 6, ElementwiseOps::hardSigmoid);
    put("ThresholdedRelu", 10, ElementwiseOps::thresholdedRelu);
    put("Sin", 7, ElementwiseOps.floating(Math::sin));
    put("Cos", 7, ElementwiseOps.floating(Math::cos));
    put("Tan", 7, ElementwiseOps.floating(Math::tan));
    put("Asin", 7, ElementwiseOps.floating(Math::asin));
    put("Acos", 7, ElementwiseOps.floating(Math::acos));
    put("Atan", 7, ElementwiseOps.floating(Math::atan));
    put("Sinh", 9, ElementwiseOps.floating(Math::sinh));
    put("Cosh", 9, ElementwiseOps.floating(Math::cosh));
    put("Asinh", 9, ElementwiseOps.floating(v -> Double.isInfinite(v) ? v : Math.log(v + Math.sqrt(v * v + 1))));
    put("Acosh", 9, ElementwiseOps.floating(v -> Math.log(v + Math.sqrt(v * v - 1))));
    put("Atanh", 9, ElementwiseOps.floating(v -> 0.5 * Math.log((1 + v) / (1 - v))));
    put("Sign", 9, ElementwiseOps.numeric(Math::signum, Long::signum));
    put("Round", 11, ElementwiseOps.floating(MathOps::round));
    put("Erf", 9, ElementwiseOps.floating(MathOps::erf));
    put("Gelu", 20, ElementwiseOps::gelu);
    put("HardSwish", 14, ElementwiseOps.floating(v -> v * Math.max(0, Math.min(1, v / 6 + 0.5))));
    put("IsInf", 10, MathOps::isInf);
    put("IsNaN", 9, MathOps::isNaN);
    put("Selu", 1, MathOps::selu);
    put("Celu", 12, MathOps::celu);
    put("Shrink", 9, MathOps::shrink);
    put("PRelu", 1, MathOps::prelu);
    put("Max", 1, MathOps.max());
    put("Min", 1, MathOps.min());
    put("Sum", 1, MathOps.SUM);
    put("Mean", 1, MathOps.MEAN);
    put("Clip", 1, MathOps::clip);
    put("Mod", 10, MathOps::mod);
    put("BitShift", 11, MathOps::bitShift);
    put("BitwiseAnd", 18, MathOps.bitwise((a, b) -> a & b));
    put("BitwiseOr", 18, MathOps.bitwise((a, b) -> a | b));
    put("BitwiseXor", 18, MathOps.bitwise((a, b) -> a ^ b));
    put("BitwiseNot", 18, ElementwiseOps.numeric(v -> Double.NaN, v -> ~v));
    // normalisation
    put("Softmax", 1, NormalizationOps::softmax);
    put("LogSoftmax", 1, NormalizationOps::logSoftmax);
    put("LayerNormalization", 17, NormalizationOps::layerNormalization);
    // convolution and pooling
    put("Conv", 1, ConvOps::conv);
    put("ConvTranspose", 1, ConvOps::convTranspose);
    put("ConvInteger", 10, ConvOps::convInteger);
    put("MaxPool", 1, PoolingOps::maxPool);
    put("AveragePool", 1, PoolingOps::averagePool);
    put("LpPool", 2, PoolingOps::lpPool);
    put("GlobalAveragePool", 1, PoolingOps.global("average"));
    put("GlobalMaxPool", 1, PoolingOps.global("max"));
    put("GlobalLpPool", 2, PoolingOps.global("lp"));
    put("MaxUnpool", 9, PoolingOps::maxUnpool);
    // normalisation over channels
    put("BatchNormalization", 6, ChannelNormOps::batchNormalization);
    put("InstanceNormalization", 6, ChannelNormOps::instanceNormalization);
    put("LRN", 1, ChannelNormOps::lrn);
    put("MeanVarianceNormalization", 9, ChannelNormOps::meanVarianceNormalization);
    put("Hardmax", 1, ChannelNormOps::hardmax);
    // element-indexed reads and writes
    put("GatherElements", 11, ScatterGatherOps::gatherElements);
    put("ScatterElements", 11, ScatterGatherOps::scatterElements);
    put("Scatter", 9, ScatterGatherOps::scatterElements);
    put("GatherND", 11, ScatterGatherOps::gatherND);
    put("ScatterND", 11, ScatterGatherOps::scatterND);
    // layout
    put("Split", 1, LayoutOps::split);
    put("Pad", 2, LayoutOps::pad);
    put("Tile", 6, LayoutOps::tile);
    put("Trilu", 14, LayoutOps::trilu);
    put("Compress", 9, LayoutOps::compress);
    put("DepthToSpace", 1, LayoutOps::depthToSpace);
    put("SpaceToDepth", 1, LayoutOps::spaceToDepth);
    put("NonZero", 9, LayoutOps::nonZero);
    // creation
    put("OneHot", 9, CreationOps::oneHot);
    put("EyeLike", 9, CreationOps::eyeLike);
    put("CumSum", 11, CreationOps::cumSum);
    put("HannWindow", 17, CreationOps.window(0.5, 0.5, 0));
    put("HammingWindow", 17, CreationOps.window(25.0 / 46, 21.0 / 46, 0));
    put("BlackmanWindow", 17, CreationOps.window(0.42, 0.5, 0.08));
    // resampling
    put("Resize", 10, ResizeOps::resize);
    put("Upsample", 7, ResizeOps::upsample);
    // random
    put("RandomNormal", 1, RandomOps::randomNormal);
    put("RandomUniform", 1, RandomOps::randomUniform);
    put("RandomNormalLike", 1, RandomOps::randomNormalLike);
    put("RandomUniformLike", 1, RandomOps::randomUniformLike);
    put("Bernoulli", 15, RandomOps::bernoulli);
    put("Multinomial", 7, RandomOps::multinomial);
    put("Dropout", 1, RandomOps::dropout);
    // linear algebra and selection
    put("Det", 11, LinearAlgebraOps::det);
    put("Einsum", 12, LinearAlgebraOps::einsum);
    put("Unique", 11, SelectionOps::unique);
    put("NonMaxSuppression", 10, SelectionOps::nonMaxSuppression);
    // sampling and signals
    put("GridSample", 16, SamplingOps::gridSample);
    put("RoiAlign", 10, SamplingOps::roiAlign);
    put("DFT", 17, SignalOps::dft);
    put("STFT", 17, SignalOps::stft);
    put("MelWeightMatrix", 17, SignalOps::melWeightMatrix);
    put("TfIdfVectorizer", 9, TextOps::tfIdfVectorizer);
    put("StringNormalizer", 10, StringOps::stringNormalizer);
    // losses
    put("NegativeLogLikelihoodLoss", 12, LossOps::negativeLogLikelihood);
    put("SoftmaxCrossEntropyLoss", 12, LossOps::softmaxCrossEntropy);
    // reductions
    for (String r : new String[] {"ReduceSum", "ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd",
        "ReduceSumSquare", "ReduceL1", "ReduceL2", "ReduceLogSumExp", "ReduceLogSum"}) {
      put(r, 1, ReduceOps.kernel(r));
    }
    put("TopK", 1, TopKOp::topK);
    put("ArgMax", 1, SequenceOps::argMax);
    put("ArgMin", 1, SequenceOps::argMin);
    // shape only
    put("Identity", 1, ShapeOps::identity);
    put("Squeeze", 1, ShapeOps::squeeze);
    put("Unsqueeze", 1, ShapeOps::unsqueeze);
    put("Reshape", 1, ShapeOps::reshape);
    put("Flatten", 1, ShapeOps::flatten);
    put("Shape", 1, ShapeOps::shape);
    put("Size", 1, ShapeOps::size);
    // indexing and selection
    put("Concat", 4, IndexingOps::concat);
    put("Transpose", 1, IndexingOps::transpose);
    put("Expand", 8, IndexingOps::expand);
    put("Slice", 1, IndexingOps::slice);
    put("Gather", 1, IndexingOps::gather);
    put("ReverseSequence", 10, IndexingOps::reverseSequence);
    // constants and conversions
    put("Constant", 1, ConstantOps::constant);
    put("ConstantOfShape", 9, ConstantOps::constantOfShape);
    put("Cast", 6, ConstantOps::cast);
    put("CastLike", 15, ConstantOps::castLike);
    put("Range", 11, SequenceOps::range);
  }

  /** Operators of the {@code ai.onnx.preview.training} domain (version 1), by op type. */
  private static final Map<String, OpKernel> PREVIEW_TRAINING = Map.of(
      "Adagrad", TrainingOps::adagrad,
      "Momentum", TrainingOps::momentum,
      "Adam", TrainingOps::adam);

  private OpRegistry() {}

  /** The entry for an op type of the default domain, or null. */
  static Entry get(String opType) {
    return TABLE.get(opType);
  }

  /** The kernel of an op of the {@code ai.onnx.preview.training} domain, or null. */
  static OpKernel previewTraining(String opType) {
    return PREVIEW_TRAINING.get(opType);
  }

  /** Every supported op type with its first supported opset, sorted by name. */
  static Map<String, Integer> supported() {
    Map<String, Integer> m = new TreeMap<>();
    TABLE.forEach((k, v) -> m.put(k, v.sinceOpset()));
    return Collections.unmodifiableMap(m);
  }
}
