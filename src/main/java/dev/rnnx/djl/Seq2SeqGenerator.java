package dev.rnnx.djl;

import dev.rnnx.data.Vocabulary;
import dev.rnnx.data.VocabularyFile;
import dev.rnnx.ref.BeamSearch;
import dev.rnnx.ref.FormDecoder;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.Seq2Seq;
import dev.rnnx.spec.Tensor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Text in, text out, for a seq2seq run served on one DJL engine: the text is split and encoded
 * with the run's vocabulary (unknown tokens become {@code <unk>} and are counted), the
 * {@code encoder} form runs once, then greedy or beam search ({@link BeamSearch}, the same
 * algorithm for every backend) drives the {@code decoder_step} form token by token.
 *
 * <pre>{@code
 * try (Seq2SeqGenerator g = Seq2SeqGenerator.load(Path.of("build/runs/dates-attention"), DjlModel.ONNX_RUNTIME)) {
 *   Generation out = g.generate("saturday, the 7th of march, 1998", new SearchOptions(4, 0.6, 0));
 * }
 * }</pre>
 */
public final class Seq2SeqGenerator implements AutoCloseable {

  private final Seq2Seq spec;
  private final VocabularyFile vocabulary;
  private final Function<Map<String, Tensor>, Map<String, FloatTensor>> encoder;
  private final Function<Map<String, Tensor>, Map<String, FloatTensor>> decoderStep;
  private final Runnable onClose;

  /**
   * A generator over two runnable forms; {@code onClose} (or {@code null}) releases what they
   * hold, run by {@link #close()}.
   * Thread-safe when both functions are.
   */
  Seq2SeqGenerator(Seq2Seq spec, VocabularyFile vocabulary, Function<Map<String, Tensor>, Map<String, FloatTensor>> encoder,
      Function<Map<String, Tensor>, Map<String, FloatTensor>> decoderStep, Runnable onClose) {
    this.spec = spec;
    this.vocabulary = vocabulary;
    this.encoder = encoder;
    this.decoderStep = decoderStep;
    this.onClose = onClose;
  }

  /**
   * Loads a run's encoder and decoder-step forms on an engine.
   *
   * @throws IllegalArgumentException when the folder is not a seq2seq run or lacks an artifact
   */
  public static Seq2SeqGenerator load(Path runDir, String engine) {
    RunFolder run = RunFolder.open(runDir);
    if (!(run.model() instanceof Seq2Seq s)) {
      throw new IllegalArgumentException(runDir + " holds a " + run.model().kind() + " model, expected a seq2seq run");
    }
    VocabularyFile vocabulary = VocabularyFile.read(runDir);
    DjlModel encoder = run.load(ModelForm.ENCODER, engine);
    DjlModel decoderStep;
    try {
      decoderStep = run.load(ModelForm.DECODER_STEP, engine);
    } catch (RuntimeException e) {
      encoder.close();
      throw e;
    }
    return new Seq2SeqGenerator(s, vocabulary, encoder::run, decoderStep::run, () -> {
      try {
        decoderStep.close();
      } finally {
        encoder.close();
      }
    });
  }

  /**
   * The id of a target token, e.g. {@code -} or {@code <eos>}.
   *
   * @throws IllegalArgumentException when the target vocabulary lacks it
   */
  public int targetToken(String token) {
    if (!vocabulary.target().contains(token)) {
      throw new IllegalArgumentException("'" + token + "' is not a target token; the target vocabulary is " + vocabulary.target().tokens());
    }
    return vocabulary.target().id(token);
  }

  /** The model. */
  public Seq2Seq spec() {
    return spec;
  }

  /**
   * Generates the output text for one input text.
   *
   * @throws IllegalArgumentException for an empty input or one longer than the model's limit
   */
  public Generation generate(String text, SearchOptions options) {
    List<String> tokens = vocabulary.split(text == null ? "" : text);
    if (tokens.isEmpty()) {
      throw new IllegalArgumentException("the input text is empty, expected 1 to " + spec.maxSourceLength() + " tokens");
    }
    if (tokens.size() > spec.maxSourceLength()) {
      throw new IllegalArgumentException("the input has " + tokens.size() + " tokens, more than the model's limit of "
          + spec.maxSourceLength());
    }
    Vocabulary.Encoded encoded = vocabulary.source().encode(tokens);
    long[] ids = new long[encoded.ids().length];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = encoded.ids()[i];
    }
    Map<String, FloatTensor> memory = encoder.apply(Map.<String, Tensor>of(
        "source", LongTensor.of(ids, 1, ids.length), "source_lengths", LongTensor.of(new long[] {ids.length}, 1)));
    FormDecoder decoder = new FormDecoder(spec, decoderStep::apply, memory, 0, ids.length);
    int maxLength = options.maxLength() == 0 ? spec.maxTargetLength() : Math.min(options.maxLength(), spec.maxTargetLength());
    if (options.endToken() >= spec.targetVocabulary()) {
      throw new IllegalArgumentException("end token " + options.endToken() + " is outside the target vocabulary 0 … "
          + (spec.targetVocabulary() - 1));
    }
    BeamSearch.Result result = BeamSearch.search(decoder, options.beamWidth(), options.lengthPenalty(), maxLength, options.endToken());
    List<String> alternatives = result.finished().stream().map(h -> vocabulary.join(toLongs(h.tokens()))).toList();
    BeamSearch.Hypothesis best = result.best();
    return new Generation(vocabulary.join(toLongs(best.tokens())), best.tokens(), best.score(), encoded.unknown(), alternatives);
  }

  private static long[] toLongs(int[] tokens) {
    long[] l = new long[tokens.length];
    for (int i = 0; i < l.length; i++) {
      l[i] = tokens[i];
    }
    return l;
  }

  @Override
  public void close() {
    if (onClose != null) {
      onClose.run();
    }
  }
}
