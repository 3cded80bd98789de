package dev.rnnx.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FloatTensorTest {

  @Test
  void firstNonFiniteFindsNaNAndInfinitiesAnywhereAndNothingInFiniteExtremes() {
    float[] data = new float[1000];
    for (int i = 0; i < data.length; i++) {
      data[i] = (i % 3 - 1) * (i % 7 == 0 ? Float.MAX_VALUE : Float.MIN_VALUE * i);
    }
    FloatTensor t = FloatTensor.of(data, 10, 100);
    assertEquals(-1, t.firstNonFinite(), "MAX_VALUE, subnormals, zeros and negatives are finite");
    for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.intBitsToFloat(0xffc00001)}) {
      for (int at : new int[] {0, 1, 517, 999}) {
        float[] copy = data.clone();
        copy[at] = bad;
        copy[Math.min(999, at + 3)] = bad;
        assertEquals(at, FloatTensor.of(copy, 1000).firstNonFinite(), bad + " at " + at);
      }
    }
    assertEquals(-1, FloatTensor.of(new float[0], 0).firstNonFinite());
  }
}
