package dev.rnnx.decode;

import java.util.ArrayList;
import java.util.List;

/**
 * A decoder for a batch of source sequences that steps any number of rows in one call: the
 * decoder-step function that {@link BeamSearch#searchAll} searches over, one call per step serving
 * every live hypothesis of every source. {@link BatchFormDecoder} adapts a backend's
 * {@code decoder_step} or {@code decoder_step_cached} form; {@link #oneByOne} adapts a {@link
 * Decoder} of one source, one row per call.
 *
 * @param <S> what one row carries from step to step; never modified by {@link #step}
 */
public interface BatchDecoder<S> {

  /** How many source sequences the batch holds. */
  int sources();

  /** The state of {@code source} before BOS is read. */
  S start(int source);

  /**
   * Reads {@code tokens[i]} in state {@code states.get(i)} for the row of source {@code sources[i]},
   * every row at once.
   *
   * @return one step per row, in row order
   */
  List<Step<S>> step(int[] sources, List<S> states, int[] tokens);

  /** A decoder of one source whose rows are stepped one by one, one call of {@code decoder} each. */
  static <S> BatchDecoder<S> oneByOne(Decoder<S> decoder) {
    return new BatchDecoder<>() {
      @Override
      public int sources() {
        return 1;
      }

      @Override
      public S start(int source) {
        return decoder.start();
      }

      @Override
      public List<Step<S>> step(int[] sources, List<S> states, int[] tokens) {
        List<Step<S>> out = new ArrayList<>(tokens.length);
        for (int i = 0; i < tokens.length; i++) {
          out.add(decoder.step(states.get(i), tokens[i]));
        }
        return out;
      }
    };
  }
}
