package dev.rnnx.spec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a model form (or an artifact of unknown origin) accepts as input, and the one place inputs
 * are checked against it: every backend, serving and {@code verify} call {@link #check}, so one bad
 * input reads the same whatever runs it.
 *
 * <p>Each {@link Input} declares a name, an element type, its axes (a fixed size, or a named
 * symbolic axis such as {@code batch}, {@code time}, {@code source_time} that binds to one size
 * across every input, or a free one) and value {@link Rule}s (ids inside a table, lengths inside a
 * named axis, a range). Every input must also be non-empty along every axis and finite; an int32
 * input must hold values that fit 32 bits. {@link #limits()} caps symbolic axes (a positional
 * table's length).
 *
 * <p>Every mistake is one line, {@code <source>: input '<name>' …}, where the source is the file
 * the input was read from ({@link SourcedInputs}) or {@value #REQUEST}; a shape mistake reads
 * {@code must be <type> <axes>, got <type> <shape>}, e.g.
 * {@code x.npy: input 'input' must be float32 [batch, time, 1], got float32 [2, 5, 3]}.
 *
 * @param inputs the inputs, in order
 * @param limits the largest size of a symbolic axis, by axis
 */
public record InputContract(List<Input> inputs, Map<String, Limit> limits) {

  /** The source named when inputs came from no file. */
  public static final String REQUEST = "request";

  /** Copies the collections. */
  public InputContract {
    inputs = List.copyOf(inputs);
    limits = Map.copyOf(limits);
  }

  /**
   * The one symbolic axis that may be empty: a key-value cache's steps read so far
   * ({@code past_key_i [batch, heads, past_time, head_dim]}), 0 before the first token. Every
   * other axis of every input must hold at least one element.
   */
  public static final String CACHE_AXIS = "past_time";

  /** A contract without axis limits. */
  public InputContract(List<Input> inputs) {
    this(inputs, Map.of());
  }

  /**
   * One declared input.
   *
   * @param name its name
   * @param type its element type as ONNX and TensorFlow name it in lower case ({@code float32},
   *     {@code int32}, {@code int64}, {@code float16}, …); floating types are fed as
   *     {@link FloatTensor}, integer ones as {@link LongTensor}
   * @param axes its axes, or {@code null} when even the rank is not declared
   * @param rules what its values must satisfy beyond being finite and fitting the type
   */
  public record Input(String name, String type, List<Axis> axes, List<Rule> rules) {

    /** Copies the lists. */
    public Input {
      axes = axes == null ? null : List.copyOf(axes);
      rules = List.copyOf(rules);
    }

    /** An input of a spec element type. */
    public Input(String name, DType type, List<Axis> axes, Rule... rules) {
      this(name, type.name().toLowerCase(Locale.ROOT), axes, List.of(rules));
    }

    /** The same input with one more rule. */
    public Input with(Rule rule) {
      List<Rule> more = new ArrayList<>(rules);
      more.add(rule);
      return new Input(name, type, axes, more);
    }

    /** Whether values are fed as floats. */
    public boolean floating() {
      return type.startsWith("float") || type.equals("double") || type.equals("bfloat16");
    }

    /** Whether values are fed as integers. */
    public boolean integer() {
      return type.startsWith("int") || type.startsWith("uint");
    }

    /** The declared type and axes as text, e.g. {@code float32 [batch, time, 1]}. */
    public String describe() {
      return type + " " + (axes == null ? "of any shape" : "[" + String.join(", ", axes.stream().map(Axis::toString).toList()) + "]");
    }
  }

  /**
   * One axis of an input.
   *
   * @param size the fixed size, or {@code -1}
   * @param symbol the symbolic name that binds to one size across inputs, or {@code null}
   */
  public record Axis(long size, String symbol) {

    /** A fixed size. */
    public static Axis fixed(long size) {
      return new Axis(size, null);
    }

    /** A named symbolic axis. */
    public static Axis named(String symbol) {
      return new Axis(-1, symbol);
    }

    /** A free axis: any size, bound to nothing. */
    public static Axis free() {
      return new Axis(-1, null);
    }

    @Override
    public String toString() {
      return size >= 0 ? Long.toString(size) : symbol != null ? symbol : "?";
    }
  }

  /**
   * The largest size a symbolic axis may take, and why.
   *
   * @param max the largest size
   * @param why the setting it comes from, e.g. {@code max_source_length}
   */
  public record Limit(long max, String why) {}

  /** What an integer input's values must satisfy. */
  public sealed interface Rule permits Ids, Lengths, Range {}

  /**
   * Ids into a table: every value in {@code 0 … count−1}.
   *
   * @param count the table's row count (a vocabulary size)
   * @param table what the table is, e.g. {@code the source vocabulary}
   */
  public record Ids(long count, String table) implements Rule {}

  /**
   * Sequence lengths: every value in {@code 1 …} the size of a symbolic axis.
   *
   * @param axis the padded axis, e.g. {@code time}
   */
  public record Lengths(String axis) implements Rule {}

  /**
   * Every value in {@code min … max}.
   *
   * @param what what the bounds are, e.g. {@code the words other than the query and the specials}
   */
  public record Range(long min, long max, String what) implements Rule {}

  /** One mistake: its kind, the input to blame, and its line of the message. */
  record Mistake(InvalidInputException.Problem problem, String input, String line) {}

  /** The input names, in order. */
  public List<String> names() {
    return inputs.stream().map(Input::name).toList();
  }

  /** One input by name, or {@code null}. */
  public Input input(String name) {
    return inputs.stream().filter(i -> i.name().equals(name)).findFirst().orElse(null);
  }

  /**
   * Checks inputs whose source is known from the map ({@link SourcedInputs}), else
   * {@value #REQUEST}.
   *
   * @return the size each symbolic axis took
   * @throws InvalidInputException listing every mistake
   */
  public Map<String, Long> check(Map<String, ? extends Tensor> given) {
    return new InputCheck(this, given, null).run();
  }

  /**
   * Checks inputs that all came from one source (a file, an artifact, {@value #REQUEST}).
   *
   * @return the size each symbolic axis took
   * @throws InvalidInputException listing every mistake
   */
  public Map<String, Long> check(String source, Map<String, ? extends Tensor> given) {
    return new InputCheck(this, given, source).run();
  }

  /**
   * The same contract with every input's axes and rules taken from {@code spec} where it declares
   * the input, and the element type kept: what an artifact's signature says, refined by what the
   * model it was exported from knows.
   */
  public InputContract refinedBy(InputContract spec) {
    List<Input> out = new ArrayList<>();
    for (Input i : inputs) {
      Input s = spec.input(i.name());
      out.add(s == null ? i : new Input(i.name(), i.type(), s.axes() != null ? s.axes() : i.axes(), s.rules()));
    }
    Map<String, Limit> merged = new HashMap<>(limits);
    merged.putAll(spec.limits());
    return new InputContract(out, merged);
  }

  /** A contract from declared tensors: axis 0 of a dynamic size is {@code batch}, other dynamic axes free. */
  public static InputContract of(List<TensorSpec> specs) {
    List<Input> inputs = new ArrayList<>();
    for (TensorSpec s : specs) {
      inputs.add(new Input(s.name(), s.dtype(), axes(s.shape(), "batch")));
    }
    return new InputContract(inputs);
  }

  /** Axes from a shape: fixed sizes kept, dynamic axes named in order ({@code null} leaves one free). */
  public static List<Axis> axes(Shape shape, String... symbols) {
    List<Axis> axes = new ArrayList<>();
    for (int i = 0; i < shape.rank(); i++) {
      int d = shape.dim(i);
      axes.add(d != Shape.DYNAMIC ? Axis.fixed(d) : i < symbols.length && symbols[i] != null ? Axis.named(symbols[i]) : Axis.free());
    }
    return axes;
  }

  @Override
  public String toString() {
    return "InputContract" + inputs.stream().map(i -> i.name() + ": " + i.describe()).toList();
  }
}
