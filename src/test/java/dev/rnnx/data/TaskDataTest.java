package dev.rnnx.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.spec.BinaryAdditionTask;
import dev.rnnx.spec.ContextTaggingTask;
import dev.rnnx.spec.SequenceTask;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.MajorityTokensTask;
import dev.rnnx.spec.SineTask;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TaskDataTest {

  // ---- binary addition ---------------------------------------------------------------------------

  @Test
  void binaryAdditionSumBitsDecodeToTheSumOfTheInputBits() {
    BinaryAdditionTask task = new BinaryAdditionTask(8, 500, 100);
    Split s = TaskData.generate(task, 42);
    assertArrayEquals(new long[] {500, 8, 2}, s.train().x().shape());
    assertArrayEquals(new long[] {500, 8, 1}, s.train().y().shape());
    assertEquals(100, s.validation().size(), "exactly held_out validation sums");
    assertNull(s.train().lengths());
    long maxOperand = 0;
    Set<Long> distinct = new HashSet<>();
    for (Dataset d : List.of(s.train(), s.validation())) {
      float[] x = ((FloatTensor) d.x()).data();
      float[] y = d.y().data();
      for (int i = 0; i < d.size(); i++) {
        long a = BinaryAddition.decode(x, i * 16, 2, 8);
        long b = BinaryAddition.decode(x, i * 16 + 1, 2, 8);
        long sum = BinaryAddition.decode(y, i * 8, 1, 8);
        assertEquals(a + b, sum, "example " + i);
        assertTrue(a < 128 && b < 128, "operands below 2^(bits-1)");
        maxOperand = Math.max(maxOperand, Math.max(a, b));
        distinct.add(a);
      }
      for (float v : x) {
        assertTrue(v == 0f || v == 1f);
      }
    }
    assertTrue(maxOperand >= 120, "operands cover the range, max " + maxOperand);
    assertTrue(distinct.size() > 100, "operands vary: " + distinct.size() + " distinct");
  }

  @Test
  void binaryAdditionLeastSignificantBitComesFirst() {
    Split s = TaskData.generate(new BinaryAdditionTask(4, 50, 1), 1);
    float[] x = ((FloatTensor) s.train().x()).data();
    float[] y = s.train().y().data();
    for (int i = 0; i < 50; i++) {
      // bit 0 of the sum is a_0 XOR b_0
      assertEquals(((int) x[i * 8] ^ (int) x[i * 8 + 1]), (int) y[i * 4]);
      // the top bit of each operand is always 0 (a, b < 2^(bits-1))
      assertEquals(0f, x[i * 8 + 6]);
      assertEquals(0f, x[i * 8 + 7]);
    }
  }

  @Test
  void binaryAdditionValidationComesFromItsOwnStream() {
    Split small = TaskData.generate(new BinaryAdditionTask(8, 10, 30), 7);
    Split large = TaskData.generate(new BinaryAdditionTask(8, 400, 30), 7);
    assertEquals(small.validation(), large.validation(), "more training data leaves the validation set alone");
    assertEquals(small.train(), large.train().slice(0, 10));
    assertEquals(small, TaskData.generate(new BinaryAdditionTask(8, 10, 30), 7));
    assertNotEquals(small, TaskData.generate(new BinaryAdditionTask(8, 10, 30), 8));
    assertNotEquals(small.train().slice(0, 10), large.validation().slice(0, 10));
  }

  @Test
  void binaryAdditionAtThirtyOneBits() {
    Split s = TaskData.generate(new BinaryAdditionTask(31, 20, 5), 3);
    float[] x = ((FloatTensor) s.train().x()).data();
    float[] y = s.train().y().data();
    for (int i = 0; i < 20; i++) {
      assertEquals(BinaryAddition.decode(x, i * 62, 2, 31) + BinaryAddition.decode(x, i * 62 + 1, 2, 31),
          BinaryAddition.decode(y, i * 31, 1, 31));
    }
  }

  // ---- context tagging ---------------------------------------------------------------------------

  @Test
  void contextTagsAreTheSumOfTheNeighbours() {
    ContextTaggingTask task = new ContextTaggingTask(9, 200, 0.25);
    Split s = TaskData.generate(task, 5);
    assertEquals(150, s.train().size());
    assertEquals(50, s.validation().size());
    assertArrayEquals(new long[] {150, 9, 1}, s.train().x().shape());
    assertArrayEquals(new long[] {150, 9, 3}, s.train().y().shape());
    int ones = 0;
    int tagOnes = 0;
    for (Dataset d : List.of(s.train(), s.validation())) {
      float[] x = ((FloatTensor) d.x()).data();
      float[] y = d.y().data();
      for (int i = 0; i < d.size(); i++) {
        for (int t = 0; t < 9; t++) {
          int left = t == 0 ? 0 : (int) x[i * 9 + t - 1];
          int right = t == 8 ? 0 : (int) x[i * 9 + t + 1];
          int tag = left + right;
          for (int c = 0; c < 3; c++) {
            assertEquals(c == tag ? 1f : 0f, y[(i * 9 + t) * 3 + c], "one-hot class " + c);
          }
          ones += (int) x[i * 9 + t];
          tagOnes += tag == 1 ? 1 : 0;
        }
      }
    }
    assertTrue(ones > 800 && ones < 1000, "bits are fair coins: " + ones + " of 1800");
    assertTrue(tagOnes > 700 && tagOnes < 1100, "tag 1 (one neighbour set) occurs about half the time: " + tagOnes);
    assertEquals(s, TaskData.generate(task, 5));
    assertNotEquals(s, TaskData.generate(task, 6));
  }

  // ---- majority tokens ---------------------------------------------------------------------------

  @Test
  void majorityClassIsTheUniqueMostFrequentCompetingId() {
    MajorityTokensTask task = new MajorityTokensTask(10, 3, 2, 12, 400, 0.2);
    Split s = TaskData.generate(task, 11);
    assertEquals(320, s.train().size());
    assertEquals(80, s.validation().size());
    assertArrayEquals(new long[] {320, 12}, s.train().x().shape());
    assertArrayEquals(new long[] {320, 3}, s.train().y().shape());
    int[] perClass = new int[3];
    Set<Long> seenLengths = new HashSet<>();
    for (Dataset d : List.of(s.train(), s.validation())) {
      long[] ids = ((LongTensor) d.x()).data();
      long[] lengths = d.lengths().data();
      float[] y = d.y().data();
      for (int i = 0; i < d.size(); i++) {
        int len = (int) lengths[i];
        seenLengths.add(lengths[i]);
        assertTrue(len >= 2 && len <= 12);
        int[] counts = new int[4];
        for (int t = 0; t < 12; t++) {
          long id = ids[i * 12 + t];
          if (t < len) {
            assertTrue(id >= 1 && id <= 9, "token " + id + " in 1 … V-1");
            if (id <= 3) {
              counts[(int) id]++;
            }
          } else {
            assertEquals(0, id, "padding is 0");
          }
        }
        int cls = -1;
        for (int k = 0; k < 3; k++) {
          assertTrue(y[i * 3 + k] == 0f || y[i * 3 + k] == 1f);
          if (y[i * 3 + k] == 1f) {
            assertEquals(-1, cls, "one-hot");
            cls = k;
          }
        }
        for (int id = 1; id <= 3; id++) {
          if (id != cls + 1) {
            assertTrue(counts[cls + 1] > counts[id], "id " + (cls + 1) + " strictly beats id " + id);
          }
        }
        perClass[cls]++;
      }
    }
    assertEquals(11, seenLengths.size(), "every length 2 … 12 occurs");
    for (int c : perClass) {
      assertTrue(c > 90, "classes are balanced by symmetry: " + java.util.Arrays.toString(perClass));
    }
    assertEquals(s, TaskData.generate(task, 11));
    assertNotEquals(s, TaskData.generate(task, 12));
    assertTrue(s.train().inputs().containsKey("lengths"));
  }

  @Test
  void majorityTokensRefusesSettingsThatAlmostNeverHaveAMajority() {
    // one token per sequence, and the two competing ids are 2 of 10 000
    MajorityTokensTask hopeless = new MajorityTokensTask(100_000, 2, 1, 1, 2000, 0.5);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TaskData.generate(hopeless, 1));
    assertTrue(e.getMessage().contains("no unique majority"), e.getMessage());
  }

  @Test
  void everyTaskHasAGenerator() {
    List<SequenceTask> specs = List.of(new SineTask(5, 100, 20, 0.1, 0.2), new BinaryAdditionTask(8, 10, 5),
        new ContextTaggingTask(5, 10, 0.2), new MajorityTokensTask(6, 2, 1, 5, 10, 0.2));
    for (SequenceTask spec : specs) {
      Split s = TaskData.generate(spec, 1);
      assertEquals(spec.sequenceLength(), s.train().length(), spec.task());
      assertEquals(spec.targetShape().rank(), s.train().y().rank(), spec.task());
      assertEquals(spec.modelInput().lengths(), s.train().lengths() != null, spec.task());
    }
  }

  @Test
  void tooFewSamplesForAValidationSplitIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> TaskData.generate(new ContextTaggingTask(5, 2, 0.9), 1));
  }
}
