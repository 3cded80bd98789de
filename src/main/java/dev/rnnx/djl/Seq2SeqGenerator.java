package dev.rnnx.djl;

import dev.rnnx.data.Vocabulary;
import dev.rnnx.data.VocabularyFile;
import dev.rnnx.decode.BatchFormDecoder;
import dev.rnnx.decode.BeamSearch;
import dev.rnnx.decode.CachedFormDecoder;
import dev.rnnx.decode.Decoder;
import dev.rnnx.decode.FormDecoder;
import dev.rnnx.decode.Hypothesis;
import dev.rnnx.decode.SearchOptions;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.Seq2Seq;
import dev.rnnx.spec.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Text in, text out, for a seq2seq run served by {@link RnnxModel#generator()}: the text is split
 * and encoded with the run's vocabulary (unknown tokens become {@code <unk>} and are counted), the
 * {@code encoder} form runs once, then greedy or beam search ({@link BeamSearch}, the same
 * algorithm for every backend) drives the decoder token by token: a Transformer run that has the
 * {@code decoder_cross_cache} and {@code decoder_step_cached} forms decodes with its key-value
 * cache (one token read per step), any other run with the {@code decoder_step} form; {@link
 * #withoutCache()} gives the uncached generator for comparison. {@link #generateAll} and {@link
 * #searchAll} decode many sources at once: one encoder call per batch and one decoder call per
 * step for every live hypothesis of every source. Thread-safe; the model owns the engine, so
 * there is nothing to close.
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
  private final Function<Map<String, Tensor>, Map<String, FloatTensor>> crossCache;
  private final Function<Map<String, Tensor>, Map<String, FloatTensor>> stepCached;

  /**
   * A generator over runnable forms; thread-safe when the functions are.
   *
   * @param crossCache the {@code decoder_cross_cache} form, or {@code null} to decode without the cache
   * @param stepCached the {@code decoder_step_cached} form, or {@code null} to decode without the cache
   */
  Seq2SeqGenerator(Seq2Seq spec, VocabularyFile vocabulary, Function<Map<String, Tensor>, Map<String, FloatTensor>> encoder,
      Function<Map<String, Tensor>, Map<String, FloatTensor>> decoderStep,
      Function<Map<String, Tensor>, Map<String, FloatTensor>> crossCache,
      Function<Map<String, Tensor>, Map<String, FloatTensor>> stepCached) {
    this.spec = spec;
    this.vocabulary = vocabulary;
    this.encoder = encoder;
    this.decoderStep = decoderStep;
    boolean both = crossCache != null && stepCached != null;
    this.crossCache = both ? crossCache : null;
    this.stepCached = both ? stepCached : null;
  }

  /** Whether this generator decodes with the key-value cache ({@code decoder_step_cached}). */
  public boolean cached() {
    return stepCached != null;
  }

  /** The same generator over the {@code decoder_step} form, without the key-value cache. */
  public Seq2SeqGenerator withoutCache() {
    return new Seq2SeqGenerator(spec, vocabulary, encoder, decoderStep, null, null);
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
    Encoded in = encode(text, "the input");
    return generation(in, search(in.ids(), options));
  }

  /**
   * Generates the output text of every input text, {@code batchSize} sources per batch ({@link
   * #searchAll(List, SearchOptions, int)}: batched by length), as {@link #generate} would one by one. Every text is checked before any is
   * decoded.
   *
   * @param batchSize sources decoded together, at least 1
   * @return one generation per text, in input order
   * @throws IllegalArgumentException naming the first text (by its index from 0) that is empty or
   *     longer than the model's limit, or for a batch size below 1
   */
  public List<Generation> generateAll(List<String> texts, SearchOptions options, int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size is " + batchSize + ", expected at least 1");
    }
    List<Encoded> encoded = new ArrayList<>(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      encoded.add(encode(texts.get(i), "input " + i));
    }
    List<BeamSearch.Result> results = searchAll(encoded.stream().map(Encoded::ids).toList(), options, batchSize);
    List<Generation> out = new ArrayList<>(texts.size());
    for (int i = 0; i < encoded.size(); i++) {
      out.add(generation(encoded.get(i), results.get(i)));
    }
    return out;
  }

  /**
   * Searches many sources, {@code batchSize} at a time ({@link #searchAll(List, SearchOptions)}),
   * the sources ordered by length into batches so that a batch pads little (the attention over
   * the padded positions is computed, then masked); the results come back in input order.
   *
   * @param batchSize sources decoded together, at least 1
   * @return one result per source, in input order
   * @throws IllegalArgumentException for a batch size below 1, or as {@link #searchAll(List, SearchOptions)}
   */
  public List<BeamSearch.Result> searchAll(List<long[]> sources, SearchOptions options, int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size is " + batchSize + ", expected at least 1");
    }
    Integer[] order = new Integer[sources.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, java.util.Comparator.comparingInt(i -> sources.get(i).length)); // stable
    BeamSearch.Result[] out = new BeamSearch.Result[sources.size()];
    for (int from = 0; from < order.length; from += batchSize) {
      List<Integer> batch = List.of(order).subList(from, Math.min(order.length, from + batchSize));
      List<BeamSearch.Result> results = searchAll(batch.stream().map(sources::get).toList(), options);
      for (int i = 0; i < batch.size(); i++) {
        out[batch.get(i)] = results.get(i);
      }
    }
    return List.of(out);
  }

  /**
   * Checks that {@code text} can be generated from: 1 to {@code max_source_length} tokens.
   *
   * @throws IllegalArgumentException saying what is wrong with it
   */
  public void check(String text) {
    encode(text, "the input");
  }

  /** A source text's ids, unknown tokens and token count. */
  private record Encoded(long[] ids, int unknown, int tokens) {}

  private Encoded encode(String text, String what) {
    List<String> tokens = vocabulary.sourceTokens(text == null ? "" : text);
    if (tokens.isEmpty()) {
      throw new IllegalArgumentException(what + " is empty, expected 1 to " + spec.maxSourceLength() + " tokens");
    }
    if (tokens.size() > spec.maxSourceLength()) {
      throw new IllegalArgumentException(what + " has " + tokens.size() + " tokens, more than the model's limit of "
          + spec.maxSourceLength());
    }
    Vocabulary.Encoded encoded = vocabulary.source().encode(tokens);
    long[] ids = new long[encoded.ids().length];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = encoded.ids()[i];
    }
    return new Encoded(ids, encoded.unknown(), tokens.size());
  }

  private Generation generation(Encoded in, BeamSearch.Result result) {
    List<String> alternatives = result.finished().stream().map(h -> vocabulary.join(toLongs(h.tokens()))).toList();
    Hypothesis best = result.best();
    return new Generation(vocabulary.join(toLongs(best.tokens())), best.tokens(), best.score(), in.unknown(), in.tokens(),
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
   * Searches from source token ids, one source and one hypothesis at a time: the {@code encoder}
   * form once, then one decoder call per live hypothesis per step ({@code decoder_step_cached}
   * after {@code decoder_cross_cache} when {@link #cached()}, else {@code decoder_step}).
   *
   * @param source the source ids, without padding
   * @throws IllegalArgumentException for an end token outside the target vocabulary
   */
  public BeamSearch.Result search(long[] source, SearchOptions options) {
    checkEndToken(options);
    Map<String, FloatTensor> memory = encoder.apply(Map.<String, Tensor>of(
        "source", LongTensor.of(source, 1, source.length), "source_lengths", LongTensor.of(new long[] {source.length}, 1)));
    Decoder<?> decoder = cached()
        ? new CachedFormDecoder(spec, stepCached, crossCache.apply(Map.of("memory", memory.get("memory"))), source.length)
        : new FormDecoder(spec, decoderStep, memory, 0, source.length);
    return BeamSearch.search(decoder, options, spec.maxTargetLength());
  }

  /**
   * Searches many sources at once: one {@code encoder} call over the sources padded to the
   * longest (each masked by its length), one {@code decoder_cross_cache} call when {@link
   * #cached()}, then one decoder call per step for every live hypothesis of every source ({@link
   * BeamSearch#searchAll}). The same results as {@link #search} source by source, up to float
   * rounding of a different batch size.
   *
   * @param sources the source ids of each, without padding, 1 … {@code max_source_length} each
   * @return one result per source, in order
   * @throws IllegalArgumentException for an end token outside the target vocabulary, or an empty
   *     or too long source
   */
  public List<BeamSearch.Result> searchAll(List<long[]> sources, SearchOptions options) {
    checkEndToken(options);
    if (sources.isEmpty()) {
      return List.of();
    }
    int width = 0;
    for (int i = 0; i < sources.size(); i++) {
      int n = sources.get(i).length;
      if (n < 1 || n > spec.maxSourceLength()) {
        throw new IllegalArgumentException("source " + i + " has " + n + " tokens, expected 1 to " + spec.maxSourceLength());
      }
      width = Math.max(width, n);
    }
    long[] padded = new long[sources.size() * width]; // PAD is 0
    long[] lengths = new long[sources.size()];
    for (int i = 0; i < sources.size(); i++) {
      System.arraycopy(sources.get(i), 0, padded, i * width, sources.get(i).length);
      lengths[i] = sources.get(i).length;
    }
    Map<String, FloatTensor> encoded = encoder.apply(Map.<String, Tensor>of("source", LongTensor.of(padded, sources.size(), width),
        "source_lengths", LongTensor.of(lengths.clone(), sources.size())));
    BatchFormDecoder decoder = cached()
        ? BatchFormDecoder.cached(spec, stepCached, crossCache.apply(Map.of("memory", encoded.get("memory"))), lengths)
        : BatchFormDecoder.steps(spec, decoderStep, encoded, lengths);
    return BeamSearch.searchAll(decoder, options, spec.maxTargetLength());
  }

  private void checkEndToken(SearchOptions options) {
    if (options.endToken() >= spec.targetVocabulary()) {
      throw new IllegalArgumentException("end token " + options.endToken() + " is outside the target vocabulary 0 … "
          + (spec.targetVocabulary() - 1));
    }
  }

  private static long[] toLongs(int[] tokens) {
    long[] l = new long[tokens.length];
    for (int i = 0; i < l.length; i++) {
      l[i] = tokens[i];
    }
    return l;
  }
}
