/**
 * Batch scoring on Apache Spark: a run folder's model applied to a {@code Dataset<Row>} with
 * {@code mapPartitions} ({@link dev.rnnx.spark.SparkScorer}), parity over generated inputs with error
 * statistics merged across partitions ({@link dev.rnnx.spark.SparkParity}, {@link
 * dev.rnnx.spark.QuantileSketch}), and the entry points of {@code rnnx predict --spark} and {@code
 * rnnx verify --spark} ({@link dev.rnnx.spark.SparkJobs}). Compiled from {@code src/spark/java}
 * into {@code target/rnnx-spark.jar}: the core jar holds none of it and loads no Spark class.
 */
package dev.rnnx.spark;
