package dev.rnnx.verify;

import dev.rnnx.spec.Tensor;
import java.util.Map;

/**
 * One named set of inputs for a parity run, e.g. {@code batch7_len100}.
 *
 * @param name identifies the case in reports
 * @param inputs the model inputs by name
 */
public record ParityCase(String name, Map<String, ? extends Tensor> inputs) {}
