package dev.rnnx.serve;

import dev.rnnx.djl.BatchingStats;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The server's counters, rendered in the Prometheus text exposition format (version 0.0.4) at
 * {@code GET /metrics}: requests by model, endpoint and status code; a latency histogram by model;
 * rejections by model and reason ({@code queue_full}, {@code deadline}, {@code body_too_large},
 * {@code shutting_down}); requests in flight and the most seen at once; each model's dynamic
 * batcher (requests, engine calls, rows, largest batch). Thread-safe.
 */
final class ServerMetrics {

  /** Upper bounds of the latency buckets, in seconds. */
  static final double[] BUCKETS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

  private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> rejections = new ConcurrentHashMap<>();
  private final Map<String, Histogram> latency = new ConcurrentHashMap<>();
  private final AtomicInteger maxInFlight = new AtomicInteger();

  private static final class Histogram {
    final LongAdder[] counts = new LongAdder[BUCKETS.length];
    final LongAdder count = new LongAdder();
    final LongAdder sumNanos = new LongAdder();

    Histogram() {
      for (int i = 0; i < counts.length; i++) {
        counts[i] = new LongAdder();
      }
    }

    void add(long nanos) {
      double s = nanos / 1e9;
      for (int i = 0; i < BUCKETS.length; i++) {
        if (s <= BUCKETS[i]) {
          counts[i].increment();
          break;
        }
      }
      count.increment();
      sumNanos.add(nanos);
    }
  }

  /** One answered request. */
  void request(String model, String endpoint, int status, long nanos) {
    requests.computeIfAbsent(labels("model", model, "endpoint", endpoint, "code", Integer.toString(status)),
        k -> new LongAdder()).increment();
    if (!model.isEmpty()) {
      latency.computeIfAbsent(model, k -> new Histogram()).add(nanos);
    }
  }

  /** One request refused for load or limits. */
  void rejection(String model, String reason) {
    rejections.computeIfAbsent(labels("model", model, "reason", reason), k -> new LongAdder()).increment();
  }

  /** Notes how many requests are in flight now. */
  void inFlight(int now) {
    maxInFlight.accumulateAndGet(now, Math::max);
  }

  /** The most requests seen queued or running at once. */
  int maxInFlight() {
    return maxInFlight.get();
  }

  /** The exposition text. */
  String render(Map<String, BatchingStats> batching, int inFlight, int capacity) {
    StringBuilder b = new StringBuilder(4096);
    family(b, "rnnx_requests_total", "counter", "Requests answered, by model, endpoint and HTTP status code.");
    new TreeMap<>(requests).forEach((l, n) -> b.append("rnnx_requests_total").append(l).append(' ').append(n.sum()).append('\n'));
    family(b, "rnnx_request_duration_seconds", "histogram", "Time from a request's arrival to its answer, by model.");
    new TreeMap<>(latency).forEach((model, h) -> {
      long cumulative = 0;
      for (int i = 0; i < BUCKETS.length; i++) {
        cumulative += h.counts[i].sum();
        b.append("rnnx_request_duration_seconds_bucket").append(labels("model", model, "le", number(BUCKETS[i])))
            .append(' ').append(cumulative).append('\n');
      }
      long count = h.count.sum();
      b.append("rnnx_request_duration_seconds_bucket").append(labels("model", model, "le", "+Inf")).append(' ').append(count).append('\n');
      b.append("rnnx_request_duration_seconds_sum").append(labels("model", model)).append(' ')
          .append(number(h.sumNanos.sum() / 1e9)).append('\n');
      b.append("rnnx_request_duration_seconds_count").append(labels("model", model)).append(' ').append(count).append('\n');
    });
    family(b, "rnnx_rejections_total", "counter", "Requests refused for load or limits, by model and reason.");
    new TreeMap<>(rejections).forEach((l, n) -> b.append("rnnx_rejections_total").append(l).append(' ').append(n.sum()).append('\n'));
    family(b, "rnnx_in_flight", "gauge", "Requests queued or running now.");
    b.append("rnnx_in_flight ").append(inFlight).append('\n');
    family(b, "rnnx_in_flight_max", "gauge", "The most requests queued or running at once so far.");
    b.append("rnnx_in_flight_max ").append(maxInFlight.get()).append('\n');
    family(b, "rnnx_queue_capacity", "gauge", "Requests that may be queued or running at once; one more is answered 503.");
    b.append("rnnx_queue_capacity ").append(capacity).append('\n');
    family(b, "rnnx_batch_requests_total", "counter", "Requests the model's dynamic batcher ran.");
    batching.forEach((m, s) -> b.append("rnnx_batch_requests_total").append(labels("model", m)).append(' ').append(s.requests()).append('\n'));
    family(b, "rnnx_batches_total", "counter", "Engine calls the model's dynamic batcher made.");
    batching.forEach((m, s) -> b.append("rnnx_batches_total").append(labels("model", m)).append(' ').append(s.batches()).append('\n'));
    family(b, "rnnx_batch_rows_total", "counter", "Rows in those engine calls (rows / batches: the mean batch size).");
    batching.forEach((m, s) -> b.append("rnnx_batch_rows_total").append(labels("model", m)).append(' ').append(s.rows()).append('\n'));
    family(b, "rnnx_batch_size_max", "gauge", "The largest batch so far.");
    batching.forEach((m, s) -> b.append("rnnx_batch_size_max").append(labels("model", m)).append(' ').append(s.largestBatch()).append('\n'));
    return b.toString();
  }

  private static void family(StringBuilder b, String name, String type, String help) {
    b.append("# HELP ").append(name).append(' ').append(help).append('\n');
    b.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  private static String number(double v) {
    return String.format(Locale.ROOT, "%s", v);
  }

  /** {@code {k1="v1",k2="v2"}} with values escaped. */
  static String labels(String... pairs) {
    StringBuilder b = new StringBuilder("{");
    for (int i = 0; i < pairs.length; i += 2) {
      if (i > 0) {
        b.append(',');
      }
      b.append(pairs[i]).append("=\"")
          .append(pairs[i + 1].replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")).append('"');
    }
    return b.append('}').toString();
  }
}
