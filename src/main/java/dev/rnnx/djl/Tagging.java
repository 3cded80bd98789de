package dev.rnnx.djl;

import ai.djl.modality.Classifications;
import java.util.List;

/**
 * A tagger's answer: the classes of every step of the sequence, in order.
 *
 * @param steps one {@link Classifications} per step
 */
public record Tagging(List<Classifications> steps) {

  /** Copies the list. */
  public Tagging {
    steps = List.copyOf(steps);
  }

  /** The most probable tag of each step. */
  public List<String> tags() {
    return steps.stream().map(c -> c.best().getClassName()).toList();
  }
}
