package org.fastcrypt4j.ring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * RingTensor's ND4J-backed arithmetic against a BigInteger oracle mod 2^64, including public scalars far
 * above 2^53 (where a route through double would lose bits), and {@link RingTensor#wrap} of f-order and
 * view inputs.
 */
class RingTensorExactnessTest {

    @Test
    void tensorAndScalarArithmeticIsExactModTwoTo64() {
        long seed = RingTestData.seed();
        SplittableRandom rnd = new SplittableRandom(seed);
        for (long[] shape : new long[][] {{1}, {7, 13}, {3, 5, 2, 9}, {100_003}}) {
            int n = (int) RingTestData.product(shape);
            long[] a = RingTestData.values(rnd, n);
            long[] b = RingTestData.values(rnd, n);
            long c = rnd.nextBoolean() ? rnd.nextLong() : RingTestData.EDGES[rnd.nextInt(RingTestData.EDGES.length)];
            RingTensor ta = RingTensor.of(a, shape);
            RingTensor tb = RingTensor.of(b, shape);
            long[] add = ta.add(tb).toLongArray();
            long[] sub = ta.sub(tb).toLongArray();
            long[] mul = ta.mul(tb).toLongArray();
            long[] neg = ta.neg().toLongArray();
            long[] mulC = ta.mul(c).toLongArray();
            long[] addC = ta.add(c).toLongArray();
            long[] mulCi = ta.dup().muli(c).toLongArray();
            long[] addCi = ta.dup().addi(c).toLongArray();
            for (int i = 0; i < n; i++) {
                String at = "seed=" + seed + " index=" + i + " a=" + a[i] + " b=" + b[i] + " c=" + c;
                assertEquals(RingTestData.addOracle(a[i], b[i]), add[i], at);
                assertEquals(RingTestData.addOracle(a[i], -b[i]), sub[i], at);
                assertEquals(RingTestData.mulOracle(a[i], b[i]), mul[i], at);
                assertEquals(RingTestData.mulOracle(a[i], -1L), neg[i], at);
                assertEquals(RingTestData.mulOracle(a[i], c), mulC[i], at);
                assertEquals(RingTestData.mulOracle(a[i], c), mulCi[i], at);
                assertEquals(RingTestData.addOracle(a[i], c), addC[i], at);
                assertEquals(RingTestData.addOracle(a[i], c), addCi[i], at);
            }
        }
    }

    @Test
    void scalarOpsKeepBitsAboveTwoTo53() {
        long big = (1L << 62) + 1;
        long x = (1L << 55) + 3;
        RingTensor t = RingTensor.of(new long[] {x}, 1);
        assertEquals(x * big, t.mul(big).getLong(0));
        assertEquals(x + big, t.add(big).getLong(0));
        assertEquals(Long.MIN_VALUE + 1, RingTensor.filled(Long.MIN_VALUE + 1, 3).getLong(2));
    }

    @Test
    void wrapCopiesFOrderAndViewsToCompactCOrder() {
        long seed = RingTestData.seed();
        SplittableRandom rnd = new SplittableRandom(seed);
        long[] data = RingTestData.values(rnd, 9 * 16);
        INDArray base = Nd4j.createFromArray(data).reshape('c', 9, 16);

        INDArray fOrder = base.dup('f');
        assertArrayEquals(data, RingTensor.wrap(fOrder).toLongArray(), "f-order, seed=" + seed);

        INDArray view = base.get(NDArrayIndex.interval(1, 8), NDArrayIndex.interval(2, 15));
        RingTensor wrapped = RingTensor.wrap(view);
        assertArrayEquals(new long[] {7, 13}, wrapped.shape());
        long[] expected = new long[7 * 13];
        for (int r = 0; r < 7; r++) {
            for (int c = 0; c < 13; c++) {
                expected[r * 13 + c] = data[(r + 1) * 16 + c + 2];
            }
        }
        assertArrayEquals(expected, wrapped.toLongArray(), "offset view, seed=" + seed);
        assertArrayEquals(expected, RingTensor.wrap(view).mul(RingTensor.filled(1, 7, 13)).toLongArray(),
                "arithmetic on a wrapped view, seed=" + seed);

        INDArray strided = base.get(NDArrayIndex.interval(0, 3, 9), NDArrayIndex.interval(1, 2, 16));
        long[] expectedStrided = new long[3 * 8];
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 8; c++) {
                expectedStrided[r * 8 + c] = data[(3 * r) * 16 + 1 + 2 * c];
            }
        }
        assertArrayEquals(expectedStrided, RingTensor.wrap(strided).toLongArray(), "strided view, seed=" + seed);

        INDArray row = base.getRow(4);
        RingTensor wrappedRow = RingTensor.wrap(row);
        long[] expectedRow = java.util.Arrays.copyOfRange(data, 64, 80);
        assertArrayEquals(expectedRow, wrappedRow.toLongArray(), "row view, seed=" + seed);
        wrappedRow.addi(1L);
        assertFalse(base.getLong(4, 0) == wrappedRow.getLong(0), "wrap of a view must not alias the source");
    }
}
