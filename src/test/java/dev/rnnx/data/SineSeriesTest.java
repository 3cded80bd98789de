package dev.rnnx.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.SineTask;
import org.junit.jupiter.api.Test;

class SineSeriesTest {

  @Test
  void windowsAndTargetsComeFromOneSeries() {
    Split s = SineSeries.generate(new SineTask(5, 100, 20, 0.0, 0.2), 3);
    assertArrayEquals(new long[] {75, 5, 1}, s.train().x().shape());
    assertArrayEquals(new long[] {75, 1}, s.train().y().shape());
    assertEquals(20, s.validation().size());
    float[] x = ((FloatTensor) s.train().x()).data();
    float[] y = s.train().y().data();
    for (int i = 0; i + 1 < 75; i++) {
      assertEquals(y[i], x[(i + 1) * 5 + 4], "the target is the next window's last value");
    }
    // noise-free sine with period 20: values repeat every 20 steps
    assertEquals(x[0], x[20 * 5], 1e-6);
  }

  @Test
  void sameSeedSameData() {
    SineTask task = new SineTask(25, 200, 20, 0.05, 0.2);
    assertEquals(SineSeries.generate(task, 1), SineSeries.generate(task, 1));
    assertNotEquals(SineSeries.generate(task, 1), SineSeries.generate(task, 2));
  }

  @Test
  void tooFewSamplesIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> SineSeries.generate(new SineTask(25, 20, 20, 0, 0.5), 1));
  }
}
