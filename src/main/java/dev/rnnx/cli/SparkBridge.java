package dev.rnnx.cli;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;

/**
 * The way from {@code rnnx predict --spark} and {@code rnnx verify --spark} to rnnx's Spark module
 * ({@code dev.rnnx.spark.SparkJobs} in {@code target/rnnx-spark.jar}), by reflection: the core
 * names no Spark class, so every other command runs without Spark on the classpath and loads none.
 * When the module or Spark's libraries are absent it says so in one line.
 */
final class SparkBridge {

  /** The Spark module's entry class. */
  static final String ENTRY = "dev.rnnx.spark.SparkJobs";

  private SparkBridge() {}

  /** {@code rnnx predict RUN --spark MASTER --input F --output OUT}. */
  static int predict(Path runDir, String master, Path input, Path output, PrintWriter out) {
    return call("predict", new Class<?>[] {Path.class, String.class, Path.class, Path.class, PrintWriter.class},
        runDir, master, input, output, out);
  }

  /** {@code rnnx verify RUN --spark MASTER --cases N}. */
  static int verify(Path runDir, String master, long cases, Long seed, PrintWriter out) {
    return call("verify", new Class<?>[] {Path.class, String.class, long.class, Long.class, PrintWriter.class},
        runDir, master, cases, seed, out);
  }

  private static int call(String name, Class<?>[] types, Object... args) {
    Method method;
    try {
      method = Class.forName(ENTRY).getMethod(name, types);
    } catch (ClassNotFoundException | LinkageError | NoSuchMethodException e) {
      throw new IllegalArgumentException("--spark needs rnnx's Spark module and Spark's libraries on the classpath"
          + " (target/rnnx-spark.jar and target/spark-classpath.txt, which the rnnx launcher adds after 'mvn -B package');"
          + " missing: " + e.getMessage());
    }
    try {
      return (Integer) method.invoke(null, args);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(e.getCause());
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }
}
