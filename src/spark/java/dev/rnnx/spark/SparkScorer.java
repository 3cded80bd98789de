package dev.rnnx.spark;

import dev.rnnx.djl.RunFolder;
import dev.rnnx.spec.Graph;
import dev.rnnx.spec.GraphInput;
import dev.rnnx.spec.ModelSpec;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.TensorSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * Scores a {@code Dataset<Row>} with a run folder's sequential model: {@code mapPartitions} with
 * the model loaded once per executor JVM ({@link ModelCache}), rows batched by sequence length
 * within each partition, the model's output appended to each row as a new column. A graph model
 * (several named inputs and outputs) reads one column per input, named as the input, and appends
 * one column per output, named as the output ({@link GraphPartitionScorer}); the input and output
 * column options apply to sequential models.
 *
 * <pre>{@code
 * Dataset<Row> scored = SparkScorer.builder(Path.of("runs/sine-lstm")).build().score(rows);
 * }</pre>
 *
 * <p>The run folder must be readable at the same path on every executor. It is opened on the
 * driver first, so a missing or foreign folder fails before any job starts; a row whose value does
 * not fit fails the job with the row and the column named.
 */
public final class SparkScorer {

  /** The input column read by default: the model's input name. */
  public static final String DEFAULT_INPUT = Sequential.INPUT;
  /** The output column written by default. */
  public static final String DEFAULT_OUTPUT = "output";

  private final String runDir;
  private final ModelSpec spec;
  private final String input;
  private final String output;
  private final String idColumn;
  private final int batchSize;
  private final int poolSize;

  private SparkScorer(Builder b, ModelSpec spec) {
    this.runDir = b.runDir.toAbsolutePath().normalize().toString();
    this.spec = spec;
    this.input = b.input;
    this.output = b.output;
    this.idColumn = b.idColumn;
    this.batchSize = b.batchSize;
    this.poolSize = b.poolSize;
  }

  /** A builder for the model of {@code runDir}. */
  public static Builder builder(Path runDir) {
    return new Builder(runDir);
  }

  /** Options: required run folder; optional {@code optX}; {@link #build()} opens the folder on the driver. */
  public static final class Builder {
    private final Path runDir;
    private String input = DEFAULT_INPUT;
    private String output = DEFAULT_OUTPUT;
    private String idColumn = "id";
    private int batchSize = 256;
    private int poolSize = 2;

    private Builder(Path runDir) {
      this.runDir = Objects.requireNonNull(runDir, "runDir");
    }

    /** The column holding each row's sequence (default {@value #DEFAULT_INPUT}). */
    public Builder optInputColumn(String column) {
      this.input = Objects.requireNonNull(column, "column");
      return this;
    }

    /** The column to append (default {@value #DEFAULT_OUTPUT}). */
    public Builder optOutputColumn(String column) {
      this.output = Objects.requireNonNull(column, "column");
      return this;
    }

    /** A column naming rows in messages, used when present (default {@code id}). */
    public Builder optIdColumn(String column) {
      this.idColumn = column;
      return this;
    }

    /** Rows of equal length per engine call, 1 … 65536 (default 256). */
    public Builder optBatchSize(int rows) {
      this.batchSize = rows;
      return this;
    }

    /** Predictors of the model per executor JVM: its concurrent tasks (default 2). */
    public Builder optPoolSize(int size) {
      this.poolSize = size;
      return this;
    }

    /**
     * Opens the run folder on the driver.
     *
     * @throws IllegalArgumentException for a bad option, or a folder that is missing or holds no
     *     sequential run
     */
    public SparkScorer build() {
      if (batchSize < 1 || batchSize > 65536) {
        throw new IllegalArgumentException("batch size is " + batchSize + ", expected 1 … 65536");
      }
      if (poolSize < 1 || poolSize > 256) {
        throw new IllegalArgumentException("pool size is " + poolSize + ", expected 1 … 256");
      }
      RunFolder run = RunFolder.open(runDir);
      return new SparkScorer(this, checkKind(runDir, run.model()));
    }
  }

  /**
   * The models Spark scores: a sequential model (a sequence column in, an output column out) or a
   * graph model (a column per input in, a column per output out).
   *
   * @throws IllegalArgumentException naming the folder and the kind for any other model
   */
  static ModelSpec checkKind(Path runDir, ModelSpec model) {
    if (!(model instanceof Sequential) && !(model instanceof Graph)) {
      throw new IllegalArgumentException(runDir + " holds a " + model.kind() + " model; Spark scoring serves sequential models"
          + " (a sequence in, its output out) and graph models (a column per input and per output)");
    }
    return model;
  }

  /** The schema of the scored rows: the input's columns, then the output column (a graph model: one per output). */
  public StructType outputSchema(StructType in) {
    if (spec instanceof Graph g) {
      StructType out = in;
      for (TensorSpec o : g.outputTensors()) {
        out = out.add(o.name(), SequenceColumn.outputType(o.shape().rank() - 1), false);
      }
      return out;
    }
    int rank = ((Sequential) spec).outputs().get(0).shape().rank() - 1;
    return in.add(output, SequenceColumn.outputType(rank), false);
  }

  /**
   * The rows of {@code rows} with the model's output appended (lazy, as every Spark transformation).
   *
   * @throws IllegalArgumentException when the input column is missing or the output column exists
   */
  public Dataset<Row> score(Dataset<Row> rows) {
    StructType schema = rows.schema();
    String[] names = schema.fieldNames();
    if (spec instanceof Graph g) {
      return scoreGraph(g, rows, schema, Arrays.asList(names));
    }
    Sequential spec = (Sequential) this.spec;
    if (!Arrays.asList(names).contains(input)) {
      throw new IllegalArgumentException("no column '" + input + "' in the input, expected "
          + SequenceColumn.of(input, spec).expected() + "; its columns are " + Arrays.toString(names));
    }
    if (Arrays.asList(names).contains(output)) {
      throw new IllegalArgumentException("the input has a column '" + output + "' already, where the output goes");
    }
    int idIndex = idColumn != null && Arrays.asList(names).contains(idColumn) ? schema.fieldIndex(idColumn) : -1;
    PartitionScorer scorer = new PartitionScorer(runDir, poolSize, SequenceColumn.of(input, spec),
        schema.fieldIndex(input), idIndex, batchSize, 4096);
    return rows.mapPartitions(scorer, Encoders.row(outputSchema(schema)));
  }

  /** A graph model's rows: a column per input (named as it), a column per output appended (named as it). */
  private Dataset<Row> scoreGraph(Graph g, Dataset<Row> rows, StructType schema, List<String> names) {
    List<SequenceColumn> columns = new ArrayList<>();
    int[] indexes = new int[g.inputs().size()];
    for (GraphInput in : g.inputs()) {
      SequenceColumn c = new SequenceColumn(in.name(), in.input().tokens() ? 1 : in.input().features(), in.input().tokens());
      if (!names.contains(in.name())) {
        throw new IllegalArgumentException("no column '" + in.name() + "' in the input, expected " + c.expected()
            + " for graph input '" + in.name() + "' (one column per input: " + g.inputs().stream().map(GraphInput::name).toList()
            + "); its columns are " + names);
      }
      indexes[columns.size()] = schema.fieldIndex(in.name());
      columns.add(c);
    }
    for (String o : g.outputs()) {
      if (names.contains(o)) {
        throw new IllegalArgumentException("the input has a column '" + o + "' already, where graph output '" + o + "' goes");
      }
    }
    int idIndex = idColumn != null && names.contains(idColumn) ? schema.fieldIndex(idColumn) : -1;
    GraphPartitionScorer scorer = new GraphPartitionScorer(runDir, poolSize, columns, indexes, g.outputs(), idIndex, batchSize, 4096);
    return rows.mapPartitions(scorer, Encoders.row(outputSchema(schema)));
  }
}
