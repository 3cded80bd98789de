package dev.rnnx.ref.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.rnnx.tensorio.TensorProtoCodec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs the whole of ONNX 1.12's backend test data (Debian's {@code libonnx-testdata}: the
 * {@code node}, {@code pytorch-converted}, {@code pytorch-operator} and {@code simple} folders,
 * every {@code test_data_set_N} of each test) through the evaluator, against an explicit list of
 * expected failures ({@code expected-failures.txt} beside this class: one line per test, its name
 * and the reason). A test that fails and is not listed fails here; so does a listed test that
 * passes (a stale entry).
 *
 * <p>Outputs are compared as ONNX's own backend runner does ({@code numpy.testing.assert_allclose}
 * with {@code rtol = 1e-3}, {@code atol = 1e-7}): {@code |actual - expected| <= atol + rtol *
 * |expected|}, NaN matching NaN, integer, bool and string values exactly, element type and shape
 * exactly. {@link #TOLERANCES} holds the tests that need their own tolerance, each with the reason.
 *
 * <p>The tests run in parallel on two threads, once per JVM. The data is required: without it
 * these tests fail (they do not skip). Install it with {@code apt-get install libonnx-testdata},
 * or point the system property {@code rnnx.onnx.testData} at another copy of
 * {@code onnx/backend/test/data}. With {@code -Drnnx.onnx.report=FILE} every failure is also
 * written to FILE with its message and the ops it lacks, to maintain the list.
 */
class OnnxBackendConformanceTest {

  static final Path DATA =
      Path.of(System.getProperty("rnnx.onnx.testData", "/usr/share/libonnx-testdata/data"));

  static final List<String> FOLDERS = List.of("node", "pytorch-converted", "pytorch-operator", "simple");

  static final String MISSING = "ONNX backend test data not found at " + DATA
      + ": install it with `apt-get install libonnx-testdata` (CI does), or set -Drnnx.onnx.testData=<dir>";

  static final double RTOL = 1e-3;
  static final double ATOL = 1e-7;

  /**
   * Per-test tolerances {rtol, atol}, where the default one does not fit. Each entry says why.
   */
  static final Map<String, double[]> TOLERANCES = Map.ofEntries();

  private static volatile Map<String, Outcome> outcomes;

  /** One test's result: {@code failure} is null when it passed. */
  record Outcome(String folder, String name, String failure, Set<String> lacking) {}

  /** Every test folder, by name, with its data folder. */
  static Map<String, Path> tests() {
    if (!Files.isDirectory(DATA)) {
      throw new IllegalStateException(MISSING);
    }
    Map<String, Path> all = new TreeMap<>();
    for (String f : FOLDERS) {
      try (Stream<Path> s = Files.list(DATA.resolve(f))) {
        s.filter(Files::isDirectory).forEach(p -> {
          if (all.put(p.getFileName().toString(), p) != null) {
            throw new IllegalStateException("test name in two folders: " + p);
          }
        });
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + DATA.resolve(f), e);
      }
    }
    return all;
  }

  /** The expected failures, name to reason, from the resource file. */
  static Map<String, String> expectedFailures() {
    Map<String, String> m = new TreeMap<>();
    try (InputStream in = OnnxBackendConformanceTest.class.getResourceAsStream("expected-failures.txt")) {
      if (in == null) {
        throw new IllegalStateException("expected-failures.txt is not on the classpath");
      }
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line; (line = r.readLine()) != null;) {
        String t = line.strip();
        if (t.isEmpty() || t.startsWith("#")) {
          continue;
        }
        String[] parts = t.split("\\s+", 2);
        if (parts.length < 2 || parts[1].isBlank()) {
          throw new IllegalStateException("expected-failures.txt: no reason for " + parts[0]);
        }
        if (m.put(parts[0], parts[1].strip()) != null) {
          throw new IllegalStateException("expected-failures.txt lists " + parts[0] + " twice");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return m;
  }

  static synchronized Map<String, Outcome> outcomes() {
    if (outcomes == null) {
      Map<String, Path> tests = tests();
      Map<String, Outcome> results = new ConcurrentHashMap<>();
      ForkJoinPool pool = new ForkJoinPool(2);
      try {
        pool.submit(() -> tests.entrySet().parallelStream()
            .forEach(e -> results.put(e.getKey(), runOne(e.getValue())))).join();
      } finally {
        pool.shutdown();
      }
      outcomes = new TreeMap<>(results);
      String report = System.getProperty("rnnx.onnx.report");
      if (report != null) {
        writeReport(Path.of(report), outcomes);
      }
    }
    return outcomes;
  }

  private static Outcome runOne(Path dir) {
    String name = dir.getFileName().toString();
    String folder = dir.getParent().getFileName().toString();
    ModelProto model;
    try {
      model = ModelProto.parseFrom(Files.readAllBytes(dir.resolve("model.onnx")));
    } catch (IOException e) {
      return new Outcome(folder, name, "cannot read model: " + e, Set.of());
    }
    try {
      check(name, dir, model);
      return new Outcome(folder, name, null, Set.of());
    } catch (Throwable e) {
      String msg = e.getMessage() == null ? e.toString() : e.getClass().getSimpleName() + ": " + e.getMessage();
      return new Outcome(folder, name, msg, OpCoverage.lacking(model));
    }
  }

  private static void check(String name, Path dir, ModelProto model) throws IOException {
    OnnxEvaluator ev = new OnnxEvaluator(model);
    List<Path> sets;
    try (Stream<Path> s = Files.list(dir)) {
      sets = s.filter(p -> p.getFileName().toString().startsWith("test_data_set_")).sorted()
          .collect(Collectors.toList());
    }
    assertTrue(!sets.isEmpty(), "no test_data_set_* in " + dir);
    double[] tol = TOLERANCES.getOrDefault(name, new double[] {RTOL, ATOL});
    for (Path set : sets) {
      Map<String, Value> feeds = new LinkedHashMap<>();
      for (int k = 0; Files.exists(set.resolve("input_" + k + ".pb")); k++) {
        feeds.put(ev.inputNames().get(k), read(set.resolve("input_" + k + ".pb"), model.getGraph().getInput(k)));
      }
      Map<String, Value> actual = ev.run(feeds);
      int k = 0;
      for (; Files.exists(set.resolve("output_" + k + ".pb")); k++) {
        String out = ev.outputNames().get(k);
        assertClose(name + "/" + set.getFileName() + "/" + out,
            read(set.resolve("output_" + k + ".pb"), model.getGraph().getOutput(k)), actual.get(out), tol[0], tol[1]);
      }
      assertEquals(ev.outputNames().size(), k, "expected outputs in " + set);
    }
  }

  private static void writeReport(Path file, Map<String, Outcome> all) {
    StringBuilder sb = new StringBuilder();
    all.values().stream().filter(o -> o.failure() != null).forEach(o -> sb.append(o.name()).append('\t')
        .append(o.folder()).append('\t').append(o.lacking()).append('\t')
        .append(o.failure().replace('\n', ' ').replace('\t', ' ')).append('\n'));
    try {
      Files.writeString(file, sb.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @TestFactory
  Stream<DynamicTest> everyTestPassesUnlessListedAsExpectedFailure() {
    Map<String, String> expected = expectedFailures();
    return outcomes().values().stream().map(o -> DynamicTest.dynamicTest(o.folder() + "/" + o.name(), () -> {
      String reason = expected.get(o.name());
      if (reason == null && o.failure() != null) {
        fail(o.name() + " fails and is not an expected failure: " + o.failure()
            + (o.lacking().isEmpty() ? "" : "; lacking " + o.lacking()));
      }
      if (reason != null && o.failure() == null && !drawsByChance(reason)) {
        fail(o.name() + " passes but is listed as an expected failure (" + reason + "): remove the entry");
      }
    }));
  }

  /** Whether an expected failure's reason is random values drawn by numpy, which a fresh draw may match. */
  private static boolean drawsByChance(String reason) {
    return reason.startsWith("random values drawn by numpy");
  }

  @Test
  void everyExpectedFailureNamesATest() {
    Set<String> unknown = new TreeSet<>(expectedFailures().keySet());
    unknown.removeAll(tests().keySet());
    assertTrue(unknown.isEmpty(), "expected-failures.txt names tests that do not exist: " + unknown);
  }

  @Test
  void theWholeDataSetIsRun() {
    Map<String, Path> tests = tests();
    assertEquals(1072, tests.size(), "ONNX 1.12's backend test data holds 1,072 tests in " + FOLDERS);
    Map<String, String> expected = expectedFailures();
    // A random op without a seed draws fresh values, which can equal numpy's by chance (a few 0/1
    // draws of Bernoulli): those tests are left out of the count either way.
    long passed = outcomes().values().stream()
        .filter(o -> o.failure() == null && !drawsByChance(expected.getOrDefault(o.name(), ""))).count();
    // docs/VERIFY.md and README.md state this count: update them with it
    assertEquals(tests.size() - expected.size(), passed, "passing tests");
    assertEquals(1054, passed, "passing tests, as docs/VERIFY.md and README.md state");
    System.out.println("ONNX backend tests: " + passed + " of " + tests.size() + " pass; by folder: "
        + outcomes().values().stream().collect(Collectors.groupingBy(Outcome::folder, TreeMap::new,
            Collectors.collectingAndThen(Collectors.toList(), l -> l.stream().filter(o -> o.failure() == null).count()
                + "/" + l.size()))));
  }

  /**
   * Reads a test tensor. ONNX 1.12's generator wrote bfloat16 tensors as UINT16 bit patterns (numpy
   * has no bfloat16); where the graph declares BFLOAT16 such a file is read as bfloat16, bit for bit.
   */
  static Value read(Path file, ValueInfoProto declared) throws IOException {
    TypeProto type = declared.getType();
    if (type.hasSequenceType()) {
      return ContainerProtos.sequence(Files.readAllBytes(file), elementType(type.getSequenceType().getElemType()));
    }
    if (type.hasOptionalType()) {
      return ContainerProtos.optional(Files.readAllBytes(file), elementType(type.getOptionalType().getElemType()));
    }
    if (!type.hasTensorType()) {
      throw new UnsupportedOperationException(file + ": " + declared.getName() + " is not a tensor");
    }
    TensorProto t = TensorProtoCodec.readProto(file);
    if (t.getDataType() == DataType.STRING_CODE) {
      return TensorProtos.decodeStrings(t);
    }
    if (t.getDataType() == TensorProto.DataType.UINT16_VALUE
        && declared.getType().getTensorType().getElemType() == TensorProto.DataType.BFLOAT16_VALUE) {
      t = t.toBuilder().setDataType(TensorProto.DataType.BFLOAT16_VALUE).build();
    }
    return Values.of(TensorProtoCodec.decode(t, file));
  }

  private static String element(Value v, int i) {
    return v.type() == DataType.STRING ? "'" + v.getString(i) + "'" : Double.toString(v.getDouble(i));
  }

  private static DataType elementType(TypeProto t) {
    return t.hasTensorType() && t.getTensorType().getElemType() != 0
        ? DataType.fromOnnx(t.getTensorType().getElemType()) : null;
  }

  /** Same type and shape, values within {@code atol + rtol * |expected|} (NaN matches NaN). */
  static void assertClose(String what, Value expected, Value actual, double rtol, double atol) {
    assertTrue(actual != null, what + ": no value");
    assertEquals(expected.kind(), actual.kind(), what + ": kind");
    if (!expected.isTensor()) {
      assertEquals(expected.elements().size(), actual.elements().size(), what + ": number of elements");
      for (int i = 0; i < expected.elements().size(); i++) {
        assertClose(what + "[" + i + "]", expected.elements().get(i), actual.elements().get(i), rtol, atol);
      }
      return;
    }
    assertEquals(expected.type(), actual.type(), what + ": type");
    assertEquals(Shapes.str(expected.shapeRef()), Shapes.str(actual.shapeRef()), what + ": shape");
    List<String> bad = new ArrayList<>();
    for (int i = 0; i < expected.size(); i++) {
      boolean ok;
      if (expected.type() == DataType.STRING) {
        ok = expected.getString(i).equals(actual.getString(i));
      } else if (expected.type().isFloating()) {
        double e = expected.getDouble(i);
        double a = actual.getDouble(i);
        ok = (Double.isNaN(e) && Double.isNaN(a)) || e == a || Math.abs(a - e) <= atol + rtol * Math.abs(e);
      } else {
        ok = expected.getLong(i) == actual.getLong(i);
      }
      if (!ok && bad.size() < 5) {
        bad.add("[" + i + "] expected " + element(expected, i) + ", got " + element(actual, i));
      }
    }
    if (!bad.isEmpty()) {
      fail(what + ": values differ: " + bad);
    }
  }
}
