package org.fastcrypt4j.ring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Exact ring matmul (all candidates, all transposes) against a naive triple loop on full-range longs. */
class RingMatmulTest {

    private static final long SEED = System.nanoTime();
    private final SplittableRandom rnd = new SplittableRandom(SEED);
    private final RingKernels kernels = new CpuRingKernels();

    private long[] random(int len) {
        long[] x = new long[len];
        for (int i = 0; i < len; i++) {
            x[i] = rnd.nextLong();
        }
        return x;
    }

    static long[] naive(long[] a, long[] b, int m, int k, int n) {
        long[] c = new long[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                long s = 0;
                for (int q = 0; q < k; q++) {
                    s += a[i * k + q] * b[q * n + j];
                }
                c[i * n + j] = s;
            }
        }
        return c;
    }

    private static final int[][] SHAPES = {
        {1, 1, 1}, {7, 13, 5}, {5, 7, 13}, {1, 200, 3}, {33, 70, 17}, {17, 129, 530}, {40, 65, 1030}, {64, 64, 64},
        {4, 256, 2}, {9, 257, 3}, {96, 363, 301}, {130, 600, 67},
        // the vector kernel's edges: k across its block KC (1024), row counts off the 4-row tile, widths off the
        // 2-vector panel, and products above its parallel threshold
        {6, 2100, 37}, {3, 1025, 16}, {5, 1024, 15}, {50, 500, 257}, {13, 31, 4099},
    };

    @Test
    void candidatesMatchNaiveOnFullRangeInputs() {
        for (int[] s : SHAPES) {
            int m = s[0];
            int k = s[1];
            int n = s[2];
            long[] a = random(m * k);
            long[] b = random(k * n);
            long[] expected = naive(a, b, m, k, n);
            long[] c1 = new long[m * n];
            RingMatmulBlocked.multiply(a, b, c1, m, k, n);
            assertArrayEquals(expected, c1, "blocked " + m + "x" + k + "x" + n + " seed " + SEED);
            if (k <= RingMatmulLimbs.MAX_INNER) {
                long[] c2 = new long[m * n];
                RingMatmulLimbs.multiply(a, b, c2, m, k, n);
                assertArrayEquals(expected, c2, "limbs " + m + "x" + k + "x" + n + " seed " + SEED);
            }
            long[] c3 = new long[m * n];
            Arrays.fill(c3, 0x1234L);
            RingMatmulVector.multiply(a, b, c3, m, k, n);
            assertArrayEquals(expected, c3, "vector " + m + "x" + k + "x" + n + " seed " + SEED);
        }
    }

    @Test
    void vectorKernelIsTheOneInUseUnderTheProjectsJvmFlags() {
        // surefire runs with the project's JVM flags (--add-modules jdk.incubator.vector), as ./fastcrypt4j does: if
        // this fails, the ring matmul has silently fallen back to the slower blocked kernel
        org.junit.jupiter.api.Assertions.assertTrue(CpuRingKernels.VECTOR_KERNEL,
                "CpuRingKernels.VECTOR_KERNEL is false: is --add-modules jdk.incubator.vector missing?");
    }

    @Test
    void parallelLoopRunsEveryTaskOnceAndRethrows() {
        int tasks = 1000;
        int[] hits = new int[tasks];
        RingParallel.forEach(tasks, t -> hits[t]++);
        for (int t = 0; t < tasks; t++) {
            org.junit.jupiter.api.Assertions.assertEquals(1, hits[t], "task " + t);
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> RingParallel.forEach(50, t -> {
            if (t == 37) {
                throw new IllegalStateException("task 37");
            }
        }));
        org.junit.jupiter.api.Assertions.assertEquals("task 37", e.getMessage());
    }

    @Test
    void limbsExactAtExtremeValuesAndMaximalInnerDimension() {
        long[] extremes = {Long.MIN_VALUE, Long.MAX_VALUE, -1L, 1L, 0L, (1L << 21), -(1L << 21), (1L << 43) - 1,
            -(1L << 62), 0x5555_5555_5555_5555L, 0xAAAA_AAAA_AAAA_AAAAL, (1L << 44) | (1L << 43) | (1L << 21)};
        int m = 3;
        int k = RingMatmulLimbs.MAX_INNER;
        int n = 4;
        long[] a = new long[m * k];
        long[] b = new long[k * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = extremes[rnd.nextInt(extremes.length)];
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = extremes[rnd.nextInt(extremes.length)];
        }
        a[0] = Long.MIN_VALUE;
        long[] c = new long[m * n];
        RingMatmulLimbs.multiply(a, b, c, m, k, n);
        assertArrayEquals(naive(a, b, m, k, n), c, "limbs at k=" + k + " seed " + SEED);
        long[] worst = new long[k];
        Arrays.fill(worst, Long.MIN_VALUE + (1L << 43) + (1L << 21));
        long[] one = new long[1];
        RingMatmulLimbs.multiply(worst, worst, one, 1, k, 1);
        assertArrayEquals(naive(worst, worst, 1, k, 1), one, "limbs worst-case magnitudes");
        assertThrows(IllegalArgumentException.class,
                () -> RingMatmulLimbs.multiply(new long[k + 1], new long[k + 1], new long[1], 1, k + 1, 1));
    }

    @Test
    void transposesAndNonCompactInputs() {
        int m = 9;
        int k = 21;
        int n = 6;
        long[] a = random(m * k);
        long[] b = random(k * n);
        long[] expected = naive(a, b, m, k, n);
        RingTensor at = RingTensor.of(a, m, k);
        RingTensor bt = RingTensor.of(b, k, n);
        String msg = "seed " + SEED;
        assertArrayEquals(expected, kernels.matmul(at, bt).toLongArray(), msg);
        assertArrayEquals(expected, kernels.matmul(at.transpose(), true, bt, false).toLongArray(), msg);
        assertArrayEquals(expected, kernels.matmul(at, false, bt.transpose(), true).toLongArray(), msg);
        assertArrayEquals(expected, kernels.matmul(at.transpose(), true, bt.transpose(), true).toLongArray(), msg);
        RingTensor aF = RingTensor.wrap(Nd4j.createFromArray(a).reshape('c', m, k).dup('f'));
        RingTensor bView = RingTensor.wrap(Nd4j.createFromArray(random(k * (n + 3))).reshape('c', k, n + 3)
                .get(NDArrayIndex.all(), NDArrayIndex.interval(2, 2 + n)));
        long[] bv = bView.toLongArray();
        assertArrayEquals(naive(a, bv, m, k, n), kernels.matmul(aF, bView).toLongArray(), "f-order/view " + msg);
        RingTensor big = RingTensor.of(random(2 * 3), 2, 3);
        assertThrows(IllegalArgumentException.class, () -> kernels.matmul(big, big));
        assertThrows(IllegalArgumentException.class, () -> kernels.matmul(RingTensor.zeros(2, 3, 4), big));
    }

    @Test
    void elementwiseEntryPoints() {
        long[] a = random(37);
        long[] b = random(37);
        RingTensor x = RingTensor.of(a, 37);
        RingTensor y = RingTensor.of(b, 37);
        long[] s = kernels.add(x, y).toLongArray();
        long[] d = kernels.sub(x, y).toLongArray();
        long[] p = kernels.mul(x, y).toLongArray();
        for (int i = 0; i < 37; i++) {
            assertArrayEquals(new long[] {a[i] + b[i], a[i] - b[i], a[i] * b[i]}, new long[] {s[i], d[i], p[i]},
                    "index " + i + " seed " + SEED);
        }
    }
}
