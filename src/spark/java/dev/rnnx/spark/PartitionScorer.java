package dev.rnnx.spark;

import dev.rnnx.djl.Sequence;
import dev.rnnx.djl.ServingPredictor;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.InvalidInputException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Scores one partition: the model comes from this JVM's {@link ModelCache} (loaded once, reused by
 * every task), rows are read a chunk at a time, grouped by sequence length (a bucket of equal
 * lengths is one engine call of up to {@code batchSize} rows, no padding), and each row leaves in
 * its original order with the output column appended.
 */
final class PartitionScorer implements MapPartitionsFunction<Row, Row> {

  private static final long serialVersionUID = 1L;

  private final String runDir;
  private final int poolSize;
  private final SequenceColumn column;
  private final int columnIndex;
  private final int idIndex;
  private final int batchSize;
  private final int chunkRows;

  PartitionScorer(String runDir, int poolSize, SequenceColumn column, int columnIndex, int idIndex, int batchSize,
      int chunkRows) {
    this.runDir = runDir;
    this.poolSize = poolSize;
    this.column = column;
    this.columnIndex = columnIndex;
    this.idIndex = idIndex;
    this.batchSize = batchSize;
    this.chunkRows = chunkRows;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    ServingPredictor<Sequence, FloatTensor> predictor = ModelCache.get(runDir, poolSize).model().regression();
    int partition = TaskContext.get() == null ? 0 : TaskContext.getPartitionId();
    return chunked(rows, chunkRows, (in, offset) -> scoreChunk(in, predictor, partition, offset));
  }

  /**
   * The rows of a partition scored {@code chunkRows} at a time, lazily, in their order.
   *
   * @param score a chunk of rows and the partition index of its first row to the scored rows
   */
  static Iterator<Row> chunked(Iterator<Row> rows, int chunkRows, java.util.function.BiFunction<List<Row>, Long, List<Row>> score) {
    return new Iterator<>() {
      private List<Row> chunk = List.of();
      private int next;
      private long offset;

      @Override
      public boolean hasNext() {
        if (next < chunk.size()) {
          return true;
        }
        if (!rows.hasNext()) {
          return false;
        }
        List<Row> in = new ArrayList<>(chunkRows);
        while (in.size() < chunkRows && rows.hasNext()) {
          in.add(rows.next());
        }
        chunk = score.apply(in, offset);
        offset += chunk.size();
        next = 0;
        return true;
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return chunk.get(next++);
      }
    };
  }

  private List<Row> scoreChunk(List<Row> in, ServingPredictor<Sequence, FloatTensor> predictor, int partition, long offset) {
    Sequence[] sequences = new Sequence[in.size()];
    Map<Integer, List<Integer>> buckets = new TreeMap<>();
    for (int i = 0; i < sequences.length; i++) {
      sequences[i] = column.read(in.get(i).get(columnIndex), rowName(in.get(i), partition, offset + i));
      buckets.computeIfAbsent(sequences[i].length(), k -> new ArrayList<>()).add(i);
    }
    FloatTensor[] outputs = new FloatTensor[sequences.length];
    for (List<Integer> bucket : buckets.values()) {
      for (int from = 0; from < bucket.size(); from += batchSize) {
        List<Integer> batch = bucket.subList(from, Math.min(bucket.size(), from + batchSize));
        List<Sequence> requests = new ArrayList<>(batch.size());
        batch.forEach(i -> requests.add(sequences[i]));
        List<FloatTensor> results;
        try {
          results = predictor.predictAll(requests);
        } catch (InvalidInputException e) {
          throw refusedRow(e, batch, sequences, in, predictor, partition, offset);
        }
        for (int j = 0; j < batch.size(); j++) {
          outputs[batch.get(j)] = results.get(j);
        }
      }
    }
    List<Row> out = new ArrayList<>(in.size());
    for (int i = 0; i < outputs.length; i++) {
      Row row = in.get(i);
      Object[] values = new Object[row.length() + 1];
      for (int c = 0; c < row.length(); c++) {
        values[c] = row.get(c);
      }
      values[row.length()] = SequenceColumn.outputValue(outputs[i]);
      out.add(RowFactory.create(values));
    }
    return out;
  }

  /** The row of a batch the model refused (its input contract: a length limit, a token id out of range). */
  private IllegalArgumentException refusedRow(InvalidInputException e, List<Integer> batch, Sequence[] sequences,
      List<Row> in, ServingPredictor<Sequence, FloatTensor> predictor, int partition, long offset) {
    for (int i : batch) {
      try {
        predictor.predict(sequences[i]);
      } catch (InvalidInputException one) {
        return column.refuse(rowName(in.get(i), partition, offset + i), "does not fit the model: " + one.getMessage());
      }
    }
    return column.refuse("a batch of partition " + partition, "does not fit the model: " + e.getMessage());
  }

  private String rowName(Row row, int partition, long index) {
    return rowName(row, idIndex, partition, index);
  }

  /** A row in messages: its index in the partition, and its id column's value where there is one. */
  static String rowName(Row row, int idIndex, int partition, long index) {
    String id = idIndex < 0 ? "" : " (id " + row.get(idIndex) + ")";
    return "row " + index + " of partition " + partition + id;
  }
}
