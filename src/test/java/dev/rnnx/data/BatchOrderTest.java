package dev.rnnx.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BatchOrderTest {

  private static int[] mixedLengths(int n) {
    Random r = new Random(7);
    int[] lengths = new int[n];
    Arrays.setAll(lengths, i -> 2 + r.nextInt(30));
    return lengths;
  }

  @Test
  void theShuffleIsTheFisherYatesTheTrainerAlwaysUsed() {
    int[] expected = {0, 1, 2, 3, 4};
    BatchOrder.shuffle(expected, new Random(3));
    assertArrayEquals(expected, BatchOrder.shuffled(5, new Random(3)));
  }

  @Test
  void bucketedIsAPermutationFixedByTheSeedWithTheSmallBatchLast() {
    int[] lengths = mixedLengths(1003);
    int[] a = BatchOrder.bucketed(lengths, 10, new Random(1));
    assertArrayEquals(a, BatchOrder.bucketed(lengths, 10, new Random(1)), "same seed, same order");
    assertTrue(!Arrays.equals(a, BatchOrder.bucketed(lengths, 10, new Random(2))), "another seed, another order");
    int[] sorted = a.clone();
    Arrays.sort(sorted);
    int[] all = new int[1003];
    Arrays.setAll(all, i -> i);
    assertArrayEquals(all, sorted, "every example once");
    // the last 3 examples (no full batch) stay at the end of the last pool, which is sorted by length
    assertTrue(lengths[a[1000]] <= lengths[a[1001]] && lengths[a[1001]] <= lengths[a[1002]], "the small batch is sorted and last");
  }

  @Test
  void bucketingCutsThePaddingOfBatchesPaddedToTheirLongestMember() {
    int[] sources = mixedLengths(2000);
    int[] targets = sources.clone();
    int[] lengths = new int[sources.length];
    Arrays.setAll(lengths, i -> sources[i] + targets[i]);
    double shuffled = BatchOrder.paddingFraction(BatchOrder.shuffled(2000, new Random(5)), 32, sources, targets);
    double bucketed = BatchOrder.paddingFraction(BatchOrder.bucketed(lengths, 32, new Random(5)), 32, sources, targets);
    assertTrue(shuffled > 0.4, "uniform lengths 2..31 in batches of 32: the longest is near 31, " + shuffled);
    assertTrue(bucketed < 0.05, "pools of 1,600 sorted by length: " + bucketed);
  }

  @Test
  void thePaddingFractionCountsEachBatchToItsLongest() {
    // batches {0,1} and {2}: sources 1,3 -> 2 x 3 slots, targets 2,2 -> 2 x 2; then 4 + 1
    double f = BatchOrder.paddingFraction(new int[] {0, 1, 2}, 2, new int[] {1, 3, 4}, new int[] {2, 2, 1});
    assertEquals(1 - 13.0 / 15.0, f, 1e-12);
  }

  @Test
  void pairKeysSortBySourceThenTarget() {
    assertArrayEquals(new int[] {2 * 6 + 5, 3 * 6 + 1, 2 * 6 + 1}, BatchOrder.pairKeys(new int[] {2, 3, 2}, new int[] {5, 1, 1}));
  }
}
