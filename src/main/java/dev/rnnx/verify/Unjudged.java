package dev.rnnx.verify;

/**
 * A case and output that no independent reference judged: every backend compared on it runs on the
 * reference's own engine (a consistency check, such as {@code djl-ort} against
 * {@code djl-ort-basic}), or none ran it. Its presence makes the verdict {@link Verdict#UNVERIFIED}.
 *
 * @param form the form
 * @param caseName the input case
 * @param output the output
 * @param reason why it is unjudged, one sentence naming the backends and the engine
 */
public record Unjudged(String form, String caseName, String output, String reason) {

  /** {@code case 'c', output 'o' (form f): reason}. */
  public String describe() {
    return "case '" + caseName + "', output '" + output + "'" + (form.equals(dev.rnnx.spec.ModelForm.MODEL) ? ""
        : " (form " + form + ")") + ": " + reason;
  }
}
