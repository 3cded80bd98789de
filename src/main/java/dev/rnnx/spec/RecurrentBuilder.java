package dev.rnnx.spec;

/**
 * The options every recurrent layer shares, for the layers' builders. Required: a name and the
 * units; everything else has Keras's default.
 *
 * @param <B> the concrete builder
 */
public abstract class RecurrentBuilder<B extends RecurrentBuilder<B>> {

  final String name;
  final int units;
  boolean returnSequences;
  boolean returnState;
  boolean goBackwards;
  boolean stateInputs;
  boolean useBias = true;
  Activation activation = Activation.TANH;
  Initializer kernelInitializer = Initializer.GLOROT_UNIFORM;
  Initializer recurrentInitializer = Initializer.ORTHOGONAL;
  Initializer biasInitializer = Initializer.ZEROS;

  RecurrentBuilder(String name, int units) {
    this.name = name;
    this.units = units;
  }

  @SuppressWarnings("unchecked")
  private B self() {
    return (B) this;
  }

  /** Output every step. */
  public B returnSequences(boolean v) {
    returnSequences = v;
    return self();
  }

  /** Also output the final states. */
  public B returnState(boolean v) {
    returnState = v;
    return self();
  }

  /** Read sequences backwards. */
  public B goBackwards(boolean v) {
    goBackwards = v;
    return self();
  }

  /** Take initial states as model inputs. */
  public B stateInputs(boolean v) {
    stateInputs = v;
    return self();
  }

  /** Whether to use a bias. */
  public B useBias(boolean v) {
    useBias = v;
    return self();
  }

  /** The candidate/output activation. */
  public B activation(Activation v) {
    activation = v;
    return self();
  }

  /** The kernel initializer. */
  public B kernelInitializer(Initializer v) {
    kernelInitializer = v;
    return self();
  }

  /** The recurrent-kernel initializer. */
  public B recurrentInitializer(Initializer v) {
    recurrentInitializer = v;
    return self();
  }

  /** The bias initializer. */
  public B biasInitializer(Initializer v) {
    biasInitializer = v;
    return self();
  }

  /** Sets all three initializers. */
  public B initializers(Initializer kernel, Initializer recurrent, Initializer bias) {
    kernelInitializer = kernel;
    recurrentInitializer = recurrent;
    biasInitializer = bias;
    return self();
  }
}
