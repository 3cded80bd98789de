package dev.rnnx.cli;

import dev.rnnx.pipeline.RunPipeline;
import dev.rnnx.verify.ParityResult;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rnnx verify RUN_DIR}: re-checks parity of a finished run's artifacts. */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = "Re-verify the artifacts of a finished run (model.onnx, saved_model/, weights.safetensors)"
        + " across djl-ort, djl-tf, tf-java and ref.")
final class VerifyCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "RUN_DIR", description = "Output folder of 'rnnx run'.")
  Path runDir;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    ParityResult parity = RunPipeline.verifyRun(runDir);
    spec.commandLine().getOut().print(parity.table());
    spec.commandLine().getOut().flush();
    return parity.passed() ? ExitCodes.OK : ExitCodes.MISMATCH;
  }
}
