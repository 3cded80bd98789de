package dev.rnnx.cli;

import dev.rnnx.weights.Provenance;
import java.util.Map;
import picocli.CommandLine;

/** Prints rnnx's version and the versions of the libraries it was built against. */
final class VersionProvider implements CommandLine.IVersionProvider {

  @Override
  public String[] getVersion() {
    Map<String, String> v = Provenance.libraryVersions();
    return v.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toArray(String[]::new);
  }
}
