package dev.rnnx.tf;

import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.proto.ConfigProto;

/**
 * Opens every session of this package with one intra-op and one inter-op thread. rnnx's models are
 * small enough that more threads did not train the sine recipe faster on the 2-core reference
 * machine, and a fixed thread count keeps every kernel's summation order fixed.
 */
final class TfSessions {

  private TfSessions() {}

  static Session open(Graph graph) {
    return new Session(graph, ConfigProto.newBuilder()
        .setIntraOpParallelismThreads(1)
        .setInterOpParallelismThreads(1)
        .build());
  }
}
