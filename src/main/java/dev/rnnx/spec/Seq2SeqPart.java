package dev.rnnx.spec;

/** The encoder or decoder of a {@link Seq2Seq} model: recurrent or a Transformer stack. */
public sealed interface Seq2SeqPart permits RnnEncoder, RnnDecoder, TransformerStack {

  /** The kind as written in recipes: {@code rnn} or {@code transformer}. */
  String kind();
}
