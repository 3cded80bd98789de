package dev.rnnx.imports.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.imports.ImportedModel;
import dev.rnnx.ref.ReferenceForm;
import dev.rnnx.ref.ReferenceForms;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.Tensor;
import dev.rnnx.tensorio.TestDataSet;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import java.util.stream.Stream;

class OnnxImporterTest {

  static Stream<Arguments> fixtures() {
    return TorchFixtures.ALL.stream().flatMap(n -> Stream.of(Arguments.of(n, 13), Arguments.of(n, 17)));
  }

  @ParameterizedTest(name = "{0} opset {1}")
  @MethodSource("fixtures")
  void theImportedModelGivesPyTorchsNumbersAtUnseenBatchesAndLengths(String name, int opset) {
    ImportedModel imported = new OnnxImporter().read(TorchFixtures.model(name, opset));
    assertEquals("pytorch", imported.source().framework());
    assertEquals("1.13.0", imported.source().frameworkVersion());
    ReferenceForm ref = ReferenceForms.form(imported.model(), imported.weights(), ModelForm.MODEL);
    int sets = 0;
    for (TestDataSet set : TorchFixtures.sets(name, opset)) {
      Map<String, Tensor> in = TorchFixtures.modelInputs(name, (Sequential) imported.model(), set);
      FloatTensor got = ref.run(in).get("output");
      Tensor want = TorchFixtures.batchMajor(name, set.outputs().values().iterator().next());
      double err = TorchFixtures.maxAbs(got, (FloatTensor) want);
      assertTrue(err <= 1e-5, name + " opset " + opset + " set " + sets + ": max abs error " + err);
      sets++;
    }
    assertEquals(4, sets);
  }
}
