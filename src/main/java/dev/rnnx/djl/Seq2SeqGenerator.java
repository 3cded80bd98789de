package dev.rnnx.djl;

import dev.rnnx.data.Vocabulary;
import dev.rnnx.data.VocabularyFile;
import dev.rnnx.decode.BeamSearch;
import dev.rnnx.decode.FormDecoder;
import dev.rnnx.decode.Hypothesis;
import dev.rnnx.decode.SearchOptions;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.Seq2Seq;
import dev.rnnx.spec.Tensor;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Text in, text out, for a seq2seq run served by {@link RnnxModel#generator()}: the text is split
 * and encoded with the run's vocabulary (unknown tokens become {@code <unk>} and are counted), the
 * {@code encoder} form runs once, then greedy or beam search ({@link BeamSearch}, the same
 * algorithm for every backend) drives the {@code decoder_step} form token by token. Thread-safe;
 * the model owns the engine, so there is nothing to close.
 *
 * <pre>{@code
 * try (RnnxModel model = RnnxModel.load(Path.of("build/runs/dates-attention"))) {
 *   Generation out = model.generator().generate("saturday, the 7th of march, 1998", new SearchOptions(4, 0.6, 0));
 * }
 * }</pre>
 */
public final class Seq2SeqGenerator {

  private final Seq2Seq spec;
  private final VocabularyFile vocabulary;
  private final Function<Map<String, Tensor>, Map<String, FloatTensor>> encoder;
  private final Function<Map<String, Tensor>, Map<String, FloatTensor>> decoderStep;

  /** A generator over two runnable forms; thread-safe when both functions are. */
  Seq2SeqGenerator(Seq2Seq spec, VocabularyFile vocabulary, Function<Map<String, Tensor>, Map<String, FloatTensor>> encoder,
      Function<Map<String, Tensor>, Map<String, FloatTensor>> decoderStep) {
    this.spec = spec;
    this.vocabulary = vocabulary;
    this.encoder = encoder;
    this.decoderStep = decoderStep;
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
   * Generates the output text for one input text, split as the training corpus was (the run's
   * recorded tokenizer; else lower-cased first when the source vocabulary is lower case) and the
   * output joined as the target side was (no spaces between Japanese or character tokens).
   *
   * @throws IllegalArgumentException for an empty input or one longer than the model's limit
   */
  public Generation generate(String text, SearchOptions options) {
    List<String> tokens = vocabulary.sourceTokens(text == null ? "" : text);
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
    BeamSearch.Result result = search(ids, options);
    List<String> alternatives = result.finished().stream().map(h -> vocabulary.join(toLongs(h.tokens()))).toList();
    Hypothesis best = result.best();
    return new Generation(vocabulary.join(toLongs(best.tokens())), best.tokens(), best.score(), encoded.unknown(), tokens.size(),
        alternatives);
  }

  /**
   * The words of {@code text} that never occur in the training sources, for a character-level
   * model that recorded them (its vocabulary of characters accepts any word made of known
   * characters); empty otherwise.
   */
  public List<String> unseenWords(String text) {
    return vocabulary.unseenWords(text == null ? "" : text);
  }

  /** The space-separated words of {@code text}, as the source vocabulary reads it. */
  public List<String> words(String text) {
    return vocabulary.words(text == null ? "" : text);
  }

  /**
   * Searches from source token ids: the {@code encoder} form once, then the search over the
   * {@code decoder_step} form.
   *
   * @param source the source ids, without padding
   * @throws IllegalArgumentException for an end token outside the target vocabulary
   */
  public BeamSearch.Result search(long[] source, SearchOptions options) {
    if (options.endToken() >= spec.targetVocabulary()) {
      throw new IllegalArgumentException("end token " + options.endToken() + " is outside the target vocabulary 0 … "
          + (spec.targetVocabulary() - 1));
    }
    Map<String, FloatTensor> memory = encoder.apply(Map.<String, Tensor>of(
        "source", LongTensor.of(source, 1, source.length), "source_lengths", LongTensor.of(new long[] {source.length}, 1)));
    FormDecoder decoder = new FormDecoder(spec, decoderStep, memory, 0, source.length);
    return BeamSearch.search(decoder, options, spec.maxTargetLength());
  }

  private static long[] toLongs(int[] tokens) {
    long[] l = new long[tokens.length];
    for (int i = 0; i < l.length; i++) {
      l[i] = tokens[i];
    }
    return l;
  }
}
