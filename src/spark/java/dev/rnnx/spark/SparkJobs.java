package dev.rnnx.spark;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The entry points of {@code rnnx predict RUN --spark MASTER --input F --output OUT.parquet} and
 * {@code rnnx verify RUN --spark MASTER --cases N}, which the CLI reaches by reflection so that no
 * other command loads a Spark class. Everything a user can get wrong (the run folder, the input
 * file, the output path, a row) is refused with an {@link IllegalArgumentException} of one line;
 * the run folder and the files are checked before Spark starts.
 */
public final class SparkJobs {

  private static final Pattern LOCAL = Pattern.compile("local(?:\\[(\\d+|\\*)(?:,\\d+)?])?");

  private SparkJobs() {}

  /**
   * Scores a Parquet file (or folder) or a JSON-lines file into a Parquet folder, written beside
   * {@code output} and moved into place when complete.
   *
   * @return the exit code: 0
   */
  public static int predict(Path runDir, String master, Path input, Path output, PrintWriter out) {
    Prediction job = prediction(runDir, master, input, output);
    SparkSession spark = session(master);
    try {
      return job.run(spark, out);
    } finally {
      spark.stop();
    }
  }

  /** A checked {@code predict --spark} job: the scorer, the input and the output path. */
  record Prediction(SparkScorer scorer, Path input, boolean parquet, Path output, Path target) {

    /** Scores the input into a partial folder beside the output, then moves it into place. */
    int run(SparkSession spark, PrintWriter out) {
      Path partial = target.resolveSibling("." + target.getFileName() + ".partial-" + ProcessHandle.current().pid());
      try {
        Dataset<Row> rows = parquet ? spark.read().parquet(input.toString()) : spark.read().json(input.toString());
        scorer.score(rows).write().parquet(partial.toUri().toString());
        long count = spark.read().parquet(partial.toUri().toString()).count();
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        out.printf(Locale.ROOT, "wrote %s (%d rows)%n", output, count);
        return 0;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot move " + partial + " to " + target, e);
      } catch (Exception e) { // Spark's SparkException is checked, and thrown undeclared
        throw userError(e);
      } finally {
        deleteQuietly(partial);
      }
    }
  }

  /** Checks the run folder, the input and the output path, before Spark starts. */
  static Prediction prediction(Path runDir, String master, Path input, Path output) {
    SparkScorer scorer = SparkScorer.builder(runDir).optPoolSize(slots(master)).build();
    String name = input.getFileName().toString().toLowerCase(Locale.ROOT);
    boolean parquet = name.endsWith(".parquet");
    if (!parquet && !name.endsWith(".jsonl") && !name.endsWith(".json")) {
      throw new IllegalArgumentException("--input " + input + ": expected a .parquet file or folder, or a .jsonl file");
    }
    if (!Files.exists(input) || (!parquet && !Files.isRegularFile(input))) {
      throw new IllegalArgumentException("--input " + input + " does not exist, expected a "
          + (parquet ? ".parquet file or folder" : ".jsonl file"));
    }
    if (output == null) {
      throw new IllegalArgumentException("--spark writes its rows to --output OUT.parquet; none given");
    }
    Path target = output.toAbsolutePath().normalize();
    if (Files.exists(target)) {
      throw new IllegalArgumentException("--output " + output + " exists; give a new path (nothing is overwritten)");
    }
    if (!Files.isDirectory(target.getParent())) {
      throw new IllegalArgumentException("--output " + output + ": folder " + target.getParent() + " does not exist");
    }
    return new Prediction(scorer, input, parquet, output, target);
  }

  /**
   * Parity of the served model against the reference over {@code cases} generated cases.
   *
   * @return 0 when every case is within the recipe's tolerances, 1 otherwise
   */
  public static int verify(Path runDir, String master, long cases, Long seed, PrintWriter out) {
    dev.rnnx.djl.RunFolder.open(runDir); // refused before Spark starts
    SparkSession spark = session(master);
    try {
      long start = System.nanoTime();
      ErrorSummary s = SparkParity.run(spark, runDir, cases, seed, slots(master));
      double seconds = (System.nanoTime() - start) / 1e9;
      out.print(s.text());
      if (s.firstFailure() != null) {
        out.println("first failure: " + s.firstFailure());
      }
      out.printf(Locale.ROOT, "spark %s: %s, %d cases in %.1f s (%.0f cases/s)%n", master,
          s.passed() ? "parity holds" : "parity does not hold", s.cases(), seconds, s.cases() / seconds);
      return s.passed() ? 0 : 1;
    } catch (Exception e) { // Spark's SparkException is checked, and thrown undeclared
      throw userError(e);
    } finally {
      spark.stop();
    }
  }

  /**
   * A Spark session for rnnx's jobs: no UI, loopback driver, Spark's own logging off (rnnx
   * reports a failed job itself, in one line).
   */
  public static SparkSession session(String master) {
    for (String logger : new String[] {"org.apache.spark", "org.apache.hadoop", "org.sparkproject", "org.apache.parquet"}) {
      System.setProperty("org.slf4j.simpleLogger.log." + logger, "off");
    }
    return SparkSession.builder().master(master).appName("rnnx")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", Integer.toString(slots(master)))
        .getOrCreate();
  }

  /** Task slots of a master: N of {@code local[N]}, the cores of {@code local[*]}, 1 of {@code local}; 2 for a cluster. */
  static int slots(String master) {
    Matcher m = LOCAL.matcher(master == null ? "" : master.strip());
    if (!m.matches()) {
      if (master == null || master.isBlank()) {
        throw new IllegalArgumentException("--spark needs a master URL, e.g. local[2] or spark://host:7077");
      }
      return 2;
    }
    if (m.group(1) == null) {
      return 1;
    }
    int n = m.group(1).equals("*") ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(m.group(1));
    if (n < 1 || n > 256) {
      throw new IllegalArgumentException("--spark " + master + ": expected 1 … 256 threads");
    }
    return n;
  }

  /**
   * The exception a failed job reports: the first {@link IllegalArgumentException} among the
   * causes (a row or file the user gave), as one line; anything else as it is.
   */
  static RuntimeException userError(Exception e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IllegalArgumentException iae) {
        String message = iae.getMessage() == null ? iae.toString() : iae.getMessage().lines().findFirst().orElse("");
        return new IllegalArgumentException(message, iae);
      }
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getClass().getName().startsWith("org.apache.spark.sql.AnalysisException")) {
        return new IllegalArgumentException(t.getMessage().lines().findFirst().orElse(""), t);
      }
    }
    return e instanceof RuntimeException r ? r : new IllegalStateException("the Spark job failed: " + e.getMessage(), e);
  }

  private static void deleteQuietly(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // best effort: a partial output folder left behind is named .NAME.partial-PID
    }
  }
}
