package dev.rnnx.spec;

import dev.rnnx.spec.InputContract.Axis;
import dev.rnnx.spec.InputContract.Ids;
import dev.rnnx.spec.InputContract.Input;
import dev.rnnx.spec.InputContract.Lengths;
import dev.rnnx.spec.InputContract.Limit;
import dev.rnnx.spec.InputContract.Mistake;
import dev.rnnx.spec.InputContract.Range;
import dev.rnnx.spec.InputContract.Rule;
import dev.rnnx.spec.InvalidInputException.Problem;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One run of {@link InputContract#check}: names first (unknown, missing, {@code null}), then per
 * input its element type, rank, fixed and symbolic axes, empty axes and axis limits, then its
 * values (finite floats, int32 fit, ids, ranges), then lengths against the axes they measure. Every
 * mistake is collected; the exception lists them all.
 */
final class InputCheck {

  private final InputContract contract;
  private final Map<String, ? extends Tensor> given;
  private final String source;
  private final List<Mistake> mistakes = new ArrayList<>();
  private final Map<String, Long> sizes = new LinkedHashMap<>();
  private final Map<String, String> boundBy = new LinkedHashMap<>();

  /** @param source the one source of every input, or {@code null} to ask the map */
  InputCheck(InputContract contract, Map<String, ? extends Tensor> given, String source) {
    this.contract = contract;
    this.given = given;
    this.source = source;
  }

  Map<String, Long> run() {
    List<String> names = contract.names();
    if (given == null) {
      fail(Problem.NAME, null, "no inputs, expected inputs " + names);
    } else {
      for (Map.Entry<String, ? extends Tensor> e : given.entrySet()) {
        if (!names.contains(e.getKey())) {
          fail(Problem.NAME, e.getKey(), "unknown input '" + e.getKey() + "', expected inputs " + names);
        } else if (e.getValue() == null) {
          fail(Problem.NAME, e.getKey(), "input '" + e.getKey() + "' is null, expected " + contract.input(e.getKey()).describe());
        }
      }
      for (Input i : contract.inputs()) {
        if (!given.containsKey(i.name())) {
          fail(Problem.NAME, i.name(), "input '" + i.name() + "' is missing, expected inputs " + names);
        }
      }
    }
    if (mistakes.isEmpty()) {
      List<Input> fitting = new ArrayList<>();
      for (Input i : contract.inputs()) {
        if (shape(i, given.get(i.name()))) {
          fitting.add(i);
        }
      }
      for (Input i : fitting) {
        values(i, given.get(i.name()));
      }
    }
    if (!mistakes.isEmpty()) {
      throw InvalidInputException.of(mistakes);
    }
    return Collections.unmodifiableMap(sizes);
  }

  /** Type, rank and axes; whether the input's values can be checked. */
  private boolean shape(Input in, Tensor t) {
    boolean floats = t instanceof FloatTensor;
    if (in.floating() ? !floats : in.integer() ? floats : true) {
      fail(Problem.DTYPE, in.name(), mustBe(in, t, in.floating() || in.integer() ? null : in.type() + " inputs cannot be fed"));
      return false;
    }
    List<Axis> axes = in.axes();
    if (axes == null) {
      return true;
    }
    if (axes.size() != t.rank()) {
      fail(Problem.RANK, in.name(), mustBe(in, t, null));
      return false;
    }
    boolean fits = true;
    for (int i = 0; i < axes.size() && fits; i++) {
      Axis a = axes.get(i);
      long d = t.dim(i);
      if (a.size() >= 0 && d != a.size()) {
        fail(Problem.SHAPE, in.name(), mustBe(in, t, null));
        fits = false;
      } else if (d == 0 && !InputContract.CACHE_AXIS.equals(a.symbol())) {
        fail(Problem.EMPTY, in.name(), mustBe(in, t, (a.symbol() != null ? a.symbol() : "axis " + i) + " is empty"));
        fits = false;
      } else if (a.symbol() != null) {
        Long bound = sizes.putIfAbsent(a.symbol(), d);
        if (bound == null) {
          boundBy.put(a.symbol(), in.name());
          Limit limit = contract.limits().get(a.symbol());
          if (limit != null && d > limit.max()) {
            fail(Problem.SHAPE, in.name(), mustBe(in, t, a.symbol() + " is at most " + limit.max() + " (" + limit.why() + ")"));
            fits = false;
          }
        } else if (bound != d) {
          fail(Problem.SHAPE, in.name(), mustBe(in, t, a.symbol() + " is " + bound + " in input '" + boundBy.get(a.symbol()) + "'"));
          fits = false;
        }
      }
    }
    return fits;
  }

  private void values(Input in, Tensor t) {
    if (t instanceof FloatTensor f) {
      int i = f.firstNonFinite();
      if (i >= 0) {
        fail(Problem.NON_FINITE, in.name(), holds(in, f.data()[i], t, i) + ", expected finite values");
      }
      return;
    }
    long[] v = ((LongTensor) t).data();
    if (in.type().equals("int32")) {
      for (int i = 0; i < v.length; i++) {
        if (v[i] < Integer.MIN_VALUE || v[i] > Integer.MAX_VALUE) {
          fail(Problem.OUT_OF_RANGE, in.name(), holds(in, v[i], t, i) + ", expected a value that fits int32");
          return;
        }
      }
    }
    for (Rule r : in.rules()) {
      long min;
      long max;
      String what;
      if (r instanceof Ids ids) {
        min = 0;
        max = ids.count() - 1;
        what = ids.table();
      } else if (r instanceof Lengths l) {
        Long size = sizes.get(l.axis());
        if (size == null) {
          continue;
        }
        min = 1;
        max = size;
        what = "lengths along " + l.axis();
      } else {
        Range range = (Range) r;
        min = range.min();
        max = range.max();
        what = range.what();
      }
      for (int i = 0; i < v.length; i++) {
        if (v[i] < min || v[i] > max) {
          fail(Problem.OUT_OF_RANGE, in.name(), holds(in, v[i], t, i) + ", expected " + min + " … " + max + " (" + what + ")");
          break;
        }
      }
    }
  }

  private static String mustBe(Input in, Tensor t, String why) {
    return "input '" + in.name() + "' must be " + in.describe() + ", got " + describe(t) + (why == null ? "" : ": " + why);
  }

  private static String holds(Input in, Object value, Tensor t, int flat) {
    return "input '" + in.name() + "' holds " + value + " at " + position(t.shape(), flat);
  }

  /** What a tensor is, e.g. {@code float32 [2, 5, 3]}. */
  static String describe(Tensor t) {
    return (t instanceof FloatTensor ? "float32 " : "int64 ") + t.shapeString();
  }

  /** The index of a flat position, e.g. {@code [1, 0, 2]}. */
  static String position(long[] shape, int flat) {
    long[] index = new long[shape.length];
    long rest = flat;
    for (int i = shape.length - 1; i >= 0; i--) {
      index[i] = shape[i] == 0 ? 0 : rest % shape[i];
      rest = shape[i] == 0 ? rest : rest / shape[i];
    }
    return java.util.Arrays.toString(index);
  }

  private void fail(Problem problem, String input, String line) {
    String from = source != null ? source : SourcedInputs.sourceOf(given, input);
    mistakes.add(new Mistake(problem, input, from + ": " + line));
  }
}
