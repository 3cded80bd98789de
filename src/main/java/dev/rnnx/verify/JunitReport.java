package dev.rnnx.verify;

import dev.rnnx.spec.ModelForm;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code junit.xml} of a {@link VerifyReport}, for CI systems that read JUnit results. */
public final class JunitReport {

  private JunitReport() {}

  /**
   * JUnit XML: one test suite per form and candidate ({@code rnnx.verify.<candidate>} for the form
   * {@code model}, {@code rnnx.verify.<form>.<candidate>} otherwise), one test case per (output,
   * case), and one error per backend failure. A comparison that passed but is only a consistency check
   * on a case and output no independent reference judged ({@link VerifyReport#unjudged()}) is
   * {@code <skipped>} with the reason, never a pass; so is each case the reference cannot run (suite
   * {@code rnnx.verify.reference}).
   */
  public static String render(VerifyReport r) {
    StringBuilder suites = new StringBuilder();
    int tests = 0;
    int failures = 0;
    int errors = 0;
    int skipped = 0;
    Map<String, String> unjudged = new LinkedHashMap<>();
    r.unjudged().forEach(u -> unjudged.put(u.form() + "\u0000" + u.caseName() + "\u0000" + u.output(), u.reason()));
    for (FormReport f : r.forms()) {
      ParityResult p = f.parity();
      String prefix = "rnnx.verify." + (f.form().equals(ModelForm.MODEL) ? "" : f.form() + ".");
      Map<String, List<ElementwiseComparison>> byCandidate = new LinkedHashMap<>();
      for (String b : p.backendSeconds().keySet().stream().skip(1).toList()) {
        byCandidate.put(b, new ArrayList<>());
      }
      for (ElementwiseComparison e : p.comparisons()) {
        byCandidate.computeIfAbsent(e.candidate(), k -> new ArrayList<>()).add(e);
      }
      p.backendErrors().keySet().forEach(b -> byCandidate.computeIfAbsent(b, k -> new ArrayList<>()));
      errors += p.backendErrors().size();
      for (Map.Entry<String, List<ElementwiseComparison>> e : byCandidate.entrySet()) {
        String cand = e.getKey();
        List<ElementwiseComparison> l = e.getValue();
        String err = p.backendErrors().get(cand);
        long f1 = l.stream().filter(x -> !x.passed()).count();
        long s1 = l.stream().filter(x -> x.passed() && unjudged.containsKey(key(f, x))).count();
        tests += l.size();
        failures += (int) f1;
        skipped += (int) s1;
        suites.append(String.format(Locale.ROOT, "  <testsuite name=\"%s%s\" tests=\"%d\" failures=\"%d\" errors=\"%d\""
            + " skipped=\"%d\" time=\"%.3f\">%n", xml(prefix), xml(cand), l.size() + (err == null ? 0 : 1), f1,
            err == null ? 0 : 1, s1, p.backendSeconds().getOrDefault(cand, 0.0)));
        for (ElementwiseComparison c : l) {
          suites.append(String.format(Locale.ROOT, "    <testcase classname=\"%s%s\" name=\"%s %s\"", xml(prefix), xml(cand),
              xml(c.output()), xml(c.caseName())));
          String why = unjudged.get(key(f, c));
          if (c.passed() && why != null) {
            suites.append(">\n      <skipped message=\"").append(xml("unverified, a consistency check only: " + why))
                .append("\"/>\n    </testcase>\n");
          } else if (c.passed()) {
            suites.append("/>\n");
          } else {
            String msg = String.format(Locale.ROOT, "%s vs %s, output %s, case %s: %d of %d elements beyond atol %.1e and"
                + " rtol %.1e (max abs err %.3e)%s", cand, c.reference(), c.output(), c.caseName(), c.failing(), c.elements(),
                c.criterion().atol(), c.criterion().rtol(), c.maxAbsErr(), c.problem() == null ? "" : "; " + c.problem());
            String detail = p.divergences().stream().filter(d -> d.candidate().equals(cand)).map(Divergence::message)
                .findFirst().orElse("");
            suites.append(">\n      <failure type=\"ParityMismatch\" message=\"").append(xml(msg)).append("\">")
                .append(xml(msg + (detail.isEmpty() ? "" : "\nfirst divergence: " + detail)))
                .append("</failure>\n    </testcase>\n");
          }
        }
        if (err != null) {
          suites.append("    <testcase classname=\"").append(xml(prefix)).append(xml(cand)).append("\" name=\"backend\">\n")
              .append("      <error type=\"BackendFailure\" message=\"").append(xml(err)).append("\">").append(xml(err))
              .append("</error>\n    </testcase>\n");
        }
        suites.append("  </testsuite>\n");
      }
      if (!p.unrunCases().isEmpty()) {
        tests += p.unrunCases().size();
        skipped += p.unrunCases().size();
        suites.append(String.format(Locale.ROOT, "  <testsuite name=\"%sreference\" tests=\"%d\" failures=\"0\" errors=\"0\""
            + " skipped=\"%d\">%n", xml(prefix), p.unrunCases().size(), p.unrunCases().size()));
        p.unrunCases().forEach((c, why) -> suites.append("    <testcase classname=\"").append(xml(prefix)).append("reference\"")
            .append(" name=\"").append(xml(c)).append("\">\n      <skipped message=\"").append(xml("unverified: " + why))
            .append("\"/>\n    </testcase>\n"));
        suites.append("  </testsuite>\n");
      }
    }
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + String.format(Locale.ROOT, "<testsuites name=\"rnnx verify\""
        + " tests=\"%d\" failures=\"%d\" errors=\"%d\" skipped=\"%d\" time=\"%.3f\">%n", tests + errors, failures, errors,
        skipped, r.timings().getOrDefault("total", 0.0)) + suites + "</testsuites>\n";
  }

  private static String key(FormReport f, ElementwiseComparison c) {
    return f.form() + "\u0000" + c.caseName() + "\u0000" + c.output();
  }

  /** XML-escapes text for attributes and content, dropping characters XML 1.0 cannot hold. */
  static String xml(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      switch (ch) {
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&apos;");
        default -> {
          if (ch >= 0x20 || ch == '\n' || ch == '\t' || ch == '\r') {
            sb.append(ch);
          }
        }
      }
    }
    return sb.toString();
  }
}
