package dev.rnnx.spark;

import dev.rnnx.djl.Sequence;
import dev.rnnx.djl.ServingPredictor;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.InvalidInputException;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Scores one partition with a graph model (several named inputs and outputs): each row holds one
 * sequence per graph input, in the column named as the input ({@link SequenceColumn}: each input
 * has its own length); rows whose inputs have the same lengths are stacked into one request of up
 * to {@code batchSize} rows (no padding), and each row leaves in its original order with one column
 * per output appended, named as the output. The model comes from this JVM's {@link ModelCache}.
 */
final class GraphPartitionScorer implements MapPartitionsFunction<Row, Row> {

  private static final long serialVersionUID = 1L;

  private final String runDir;
  private final int poolSize;
  private final List<SequenceColumn> columns;
  private final int[] columnIndexes;
  private final List<String> outputs;
  private final int idIndex;
  private final int batchSize;
  private final int chunkRows;

  GraphPartitionScorer(String runDir, int poolSize, List<SequenceColumn> columns, int[] columnIndexes, List<String> outputs,
      int idIndex, int batchSize, int chunkRows) {
    this.runDir = runDir;
    this.poolSize = poolSize;
    this.columns = List.copyOf(columns);
    this.columnIndexes = columnIndexes.clone();
    this.outputs = List.copyOf(outputs);
    this.idIndex = idIndex;
    this.batchSize = batchSize;
    this.chunkRows = chunkRows;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    ServingPredictor<Map<String, ? extends Tensor>, Map<String, FloatTensor>> predictor =
        ModelCache.get(runDir, poolSize).model().tensors();
    int partition = TaskContext.get() == null ? 0 : TaskContext.getPartitionId();
    return PartitionScorer.chunked(rows, chunkRows, (in, offset) -> scoreChunk(in, predictor, partition, offset));
  }

  private List<Row> scoreChunk(List<Row> in, ServingPredictor<Map<String, ? extends Tensor>, Map<String, FloatTensor>> predictor,
      int partition, long offset) {
    Sequence[][] sequences = new Sequence[in.size()][columns.size()];
    Map<List<Integer>, List<Integer>> buckets = new LinkedHashMap<>();
    for (int i = 0; i < in.size(); i++) {
      List<Integer> lengths = new ArrayList<>(columns.size());
      for (int c = 0; c < columns.size(); c++) {
        sequences[i][c] = columns.get(c).read(in.get(i).get(columnIndexes[c]), name(in.get(i), partition, offset + i));
        lengths.add(sequences[i][c].length());
      }
      buckets.computeIfAbsent(lengths, k -> new ArrayList<>()).add(i);
    }
    Object[][] values = new Object[in.size()][];
    for (List<Integer> bucket : buckets.values()) {
      for (int from = 0; from < bucket.size(); from += batchSize) {
        List<Integer> batch = bucket.subList(from, Math.min(bucket.size(), from + batchSize));
        Map<String, FloatTensor> result;
        try {
          result = predictor.predict(stacked(sequences, batch));
        } catch (InvalidInputException e) {
          throw refusedRow(e, batch, sequences, in, predictor, partition, offset);
        }
        for (int j = 0; j < batch.size(); j++) {
          Object[] row = new Object[outputs.size()];
          for (int o = 0; o < outputs.size(); o++) {
            row[o] = SequenceColumn.outputValue(slice(result.get(outputs.get(o)), j));
          }
          values[batch.get(j)] = row;
        }
      }
    }
    List<Row> out = new ArrayList<>(in.size());
    for (int i = 0; i < in.size(); i++) {
      Row row = in.get(i);
      Object[] all = new Object[row.length() + outputs.size()];
      for (int c = 0; c < row.length(); c++) {
        all[c] = row.get(c);
      }
      System.arraycopy(values[i], 0, all, row.length(), outputs.size());
      out.add(RowFactory.create(all));
    }
    return out;
  }

  /** The rows {@code batch} as one request: each input's sequences stacked on a new batch axis. */
  private Map<String, Tensor> stacked(Sequence[][] sequences, List<Integer> batch) {
    Map<String, Tensor> request = new LinkedHashMap<>();
    for (int c = 0; c < columns.size(); c++) {
      Tensor first = sequences[batch.get(0)][c].values();
      long[] shape = new long[first.shape().length + 1];
      shape[0] = batch.size();
      System.arraycopy(first.shape(), 0, shape, 1, first.shape().length);
      int row = first.size();
      if (first instanceof LongTensor) {
        long[] data = new long[batch.size() * row];
        for (int j = 0; j < batch.size(); j++) {
          System.arraycopy(((LongTensor) sequences[batch.get(j)][c].values()).data(), 0, data, j * row, row);
        }
        request.put(columns.get(c).column(), new LongTensor(shape, data));
      } else {
        float[] data = new float[batch.size() * row];
        for (int j = 0; j < batch.size(); j++) {
          System.arraycopy(((FloatTensor) sequences[batch.get(j)][c].values()).data(), 0, data, j * row, row);
        }
        request.put(columns.get(c).column(), new FloatTensor(shape, data));
      }
    }
    return request;
  }

  /** Row {@code j} of a batched output, without the batch axis. */
  private static FloatTensor slice(FloatTensor batched, int j) {
    long[] shape = Arrays.copyOfRange(batched.shape(), 1, batched.shape().length);
    int row = batched.size() / Math.toIntExact(batched.shape()[0]);
    return new FloatTensor(shape, Arrays.copyOfRange(batched.data(), j * row, (j + 1) * row));
  }

  /** The row of a batch the model refused (its input contract: a length limit, a token id out of range). */
  private IllegalArgumentException refusedRow(InvalidInputException e, List<Integer> batch, Sequence[][] sequences, List<Row> in,
      ServingPredictor<Map<String, ? extends Tensor>, Map<String, FloatTensor>> predictor, int partition, long offset) {
    for (int i : batch) {
      try {
        predictor.predict(stacked(sequences, List.of(i)));
      } catch (InvalidInputException one) {
        return new IllegalArgumentException(name(in.get(i), partition, offset + i) + ": columns " + columnNames()
            + " do not fit the model: " + one.getMessage());
      }
    }
    return new IllegalArgumentException("a batch of partition " + partition + ": columns " + columnNames()
        + " do not fit the model: " + e.getMessage());
  }

  private List<String> columnNames() {
    return columns.stream().map(SequenceColumn::column).toList();
  }

  private String name(Row row, int partition, long index) {
    return PartitionScorer.rowName(row, idIndex, partition, index);
  }
}
