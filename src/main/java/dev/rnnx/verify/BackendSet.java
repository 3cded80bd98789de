package dev.rnnx.verify;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The backends of one form's verification, opened and closed together: the reference and the
 * candidates. Native backends the isolation rule picks start in child processes
 * ({@link ProcessBackend}), at the same time as the others open here; {@code ref} and
 * {@code ref-onnx} are opened by {@code verify} itself, every other kind by the
 * {@link BackendOpener}. A backend that fails to load is that backend's failure
 * ({@link #loadErrors()}): the others still run.
 */
final class BackendSet implements AutoCloseable {

  private Backend reference;
  private final List<Backend> candidates = new ArrayList<>();
  private final Map<String, String> loadErrors = new LinkedHashMap<>();

  private BackendSet(Backend reference) {
    this.reference = reference;
  }

  /**
   * Opens the candidates.
   *
   * @param reference the default reference ({@code ref} or {@code ref-onnx}), or {@code null} when
   *     there is none (the first candidate then takes its place)
   * @param specs the candidates, in report order
   * @param inChild which candidates run in a child process
   * @param chosen the backend named as reference instead of the default, or {@code null}; it is
   *     among {@code specs}, and the default reference becomes the first candidate
   * @throws IllegalStateException when the chosen reference, or every backend, fails to open
   */
  static BackendSet open(Backend reference, List<BackendSpec> specs, Predicate<BackendSpec> inChild, BackendKind chosen,
      BackendOpener opener) {
    BackendSet set = new BackendSet(reference);
    try {
      set.openAll(specs, inChild, opener);
      if (chosen != null && (reference == null || !chosen.id().equals(reference.name()))) {
        Backend taken = set.take(chosen.id());
        if (reference != null && set.candidates.stream().noneMatch(b -> b.name().equals(reference.name()))) {
          set.candidates.add(0, reference);
        }
        set.reference = taken;
      }
      if (set.reference == null) {
        if (set.candidates.isEmpty()) {
          throw new IllegalStateException("no backend could be opened: " + set.loadErrors);
        }
        set.reference = set.candidates.remove(0);
      }
      return set;
    } catch (RuntimeException e) {
      set.close();
      throw e;
    }
  }

  private void openAll(List<BackendSpec> specs, Predicate<BackendSpec> inChild, BackendOpener opener) {
    List<BackendSpec> children = specs.stream().filter(s -> s.kind().isNative() && inChild.test(s)).toList();
    List<ProcessBackend> started = new ArrayList<>();
    Map<String, String> childErrors = new LinkedHashMap<>();
    Thread starter = new Thread(() -> started.addAll(ProcessBackend.startAll(children, opener, childErrors)),
        "rnnx-children");
    starter.start();
    List<Backend> here = new ArrayList<>();
    for (BackendSpec s : specs) {
      if (children.contains(s)) {
        continue;
      }
      try {
        here.add(openHere(s, opener));
      } catch (RuntimeException | LinkageError e) {
        loadErrors.put(s.name(), "could not load: " + e.getMessage());
      }
    }
    try {
      starter.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    loadErrors.putAll(childErrors);
    for (BackendSpec s : specs) {
      here.stream().filter(b -> b.name().equals(s.name())).findFirst().ifPresent(candidates::add);
      started.stream().filter(b -> b.name().equals(s.name())).findFirst().ifPresent(candidates::add);
    }
  }

  private static Backend openHere(BackendSpec s, BackendOpener opener) {
    return switch (s.kind()) {
      case REF -> ReferenceBackend.of(s.model(), s.weights(), s.form());
      case REF_ONNX -> new OnnxReferenceBackend(s.onnx());
      default -> opener.open(s);
    };
  }

  /** Removes the named backend from the candidates, to be the reference. */
  private Backend take(String name) {
    for (int i = 0; i < candidates.size(); i++) {
      if (candidates.get(i).name().equals(name)) {
        return candidates.remove(i);
      }
    }
    throw new IllegalStateException("the reference " + name + " could not be opened: " + loadErrors.getOrDefault(name,
        "not among the backends"));
  }

  /** The reference. */
  Backend reference() {
    return reference;
  }

  /** The candidates that opened, in report order. */
  List<Backend> candidates() {
    return candidates;
  }

  /** Why each backend that did not open failed, by name. */
  Map<String, String> loadErrors() {
    return loadErrors;
  }

  /** Closes every backend, best effort. */
  @Override
  public void close() {
    candidates.forEach(BackendSet::closeQuietly);
    if (reference != null) {
      closeQuietly(reference);
    }
  }

  static void closeQuietly(Backend b) {
    try {
      b.close();
    } catch (RuntimeException e) {
      // closing is best effort
    }
  }
}
