package org.fastcrypt4j.ring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** RingOps against plain-long and BigInteger oracles written from the definitions (index arithmetic per element). */
class RingOpsTest {

    /** Flat c-order index of {@code idx} in {@code shape}, with broadcast dims (size 1) pinned to 0. */
    private static int flat(long[] shape, int[] idx, int offset) {
        int f = 0;
        for (int d = 0; d < shape.length; d++) {
            int i = shape[d] == 1 ? 0 : idx[d + offset];
            f = f * (int) shape[d] + i;
        }
        return f;
    }

    private static boolean next(int[] idx, long[] shape) {
        for (int d = shape.length - 1; d >= 0; d--) {
            if (++idx[d] < shape[d]) {
                return true;
            }
            idx[d] = 0;
        }
        return false;
    }

    @Test
    void broadcastingMatchesOracle() {
        long seed = RingTestData.seed();
        SplittableRandom rnd = new SplittableRandom(seed);
        long[][][] cases = {
            {{7, 13}, {1, 13}}, {{7, 13}, {13}}, {{7, 13}, {7, 1}}, {{7, 13}, {7, 13}}, {{7, 13}, {1}},
            {{3, 5, 2, 9}, {1, 5, 1, 1}}, {{3, 5, 2, 9}, {5, 1, 9}}, {{3, 5, 2, 9}, {3, 1, 2, 1}}, {{1}, {1}},
        };
        for (long[][] c : cases) {
            long[] as = c[0];
            long[] bs = c[1];
            long[] a = RingTestData.values(rnd, (int) RingTestData.product(as));
            long[] b = RingTestData.values(rnd, (int) RingTestData.product(bs));
            RingTensor ta = RingTensor.of(a, as);
            RingTensor tb = RingTensor.of(b, bs);
            long[] mul = RingOps.mulBroadcast(ta, tb).toLongArray();
            long[] add = RingOps.addBroadcast(ta, tb).toLongArray();
            long[] sub = RingOps.subBroadcast(ta, tb).toLongArray();
            int[] idx = new int[as.length];
            int i = 0;
            do {
                int j = flat(bs, idx, as.length - bs.length);
                String msg = "seed=" + seed + " " + Arrays.toString(as) + " x " + Arrays.toString(bs) + " at " + Arrays.toString(idx);
                assertEquals(RingTestData.mulOracle(a[i], b[j]), mul[i], msg);
                assertEquals(RingTestData.addOracle(a[i], b[j]), add[i], msg);
                assertEquals(a[i] - b[j], sub[i], msg);
                i++;
            } while (next(idx, as));
        }
        assertThrows(IllegalArgumentException.class,
                () -> RingOps.mulBroadcast(RingTensor.zeros(7, 13), RingTensor.zeros(7, 2)));
        assertThrows(IllegalArgumentException.class,
                () -> RingOps.mulBroadcast(RingTensor.zeros(13), RingTensor.zeros(7, 13)));
    }

    @Test
    void perChannelProductAndBias() {
        long seed = RingTestData.seed();
        SplittableRandom rnd = new SplittableRandom(seed);
        long[] shape = {3, 5, 2, 9};
        long[] x = RingTestData.values(rnd, 270);
        long[] c = RingTestData.values(rnd, 5);
        long[] mul = RingOps.mulPerChannel(RingTensor.of(x, shape), RingTensor.of(c, 5)).toLongArray();
        long[] add = RingOps.addPerChannel(RingTensor.of(x, shape), RingTensor.of(c, 1, 5)).toLongArray();
        for (int i = 0; i < x.length; i++) {
            int ch = (i / 18) % 5;
            assertEquals(RingTestData.mulOracle(x[i], c[ch]), mul[i], "seed=" + seed + " i=" + i);
            assertEquals(x[i] + c[ch], add[i], "seed=" + seed + " i=" + i);
        }
        assertThrows(IllegalArgumentException.class,
                () -> RingOps.mulPerChannel(RingTensor.zeros(shape), RingTensor.zeros(4)));
    }

    @Test
    void sumsOverAxesMatchOracle() {
        long seed = RingTestData.seed();
        SplittableRandom rnd = new SplittableRandom(seed);
        long[] shape = {3, 5, 2, 9};
        long[] x = RingTestData.values(rnd, 270);
        RingTensor t = RingTensor.of(x, shape);
        int[][] axesCases = {{0}, {1}, {3}, {0, 2}, {1, 2, 3}, {}, {-1}, {0, 2, 3}, {2, 3}, {0, 1}, {1, 3}, {0, 1, 2}};
        for (int[] axes : axesCases) {
            boolean[] reduce = new boolean[4];
            if (axes.length == 0) {
                Arrays.fill(reduce, true);
            }
            for (int a : axes) {
                reduce[a < 0 ? a + 4 : a] = true;
            }
            long[] outShape = Arrays.stream(new int[] {0, 1, 2, 3}).filter(d -> !reduce[d]).mapToLong(d -> shape[d]).toArray();
            long[] keptShape = shape.clone();
            for (int d = 0; d < 4; d++) {
                if (reduce[d]) {
                    keptShape[d] = 1;
                }
            }
            long[] expected = new long[(int) RingTestData.product(keptShape)];
            int[] idx = new int[4];
            int i = 0;
            do {
                int j = flat(keptShape, idx, 0);
                expected[j] = RingTestData.addOracle(expected[j], x[i++]);
            } while (next(idx, shape));
            RingTensor s = RingOps.sum(t, axes);
            assertArrayEquals(outShape.length == 0 ? new long[] {1} : outShape, s.shape(), "axes " + Arrays.toString(axes));
            assertArrayEquals(expected, s.toLongArray(), "seed=" + seed + " axes " + Arrays.toString(axes));
        }
        assertThrows(IllegalArgumentException.class, () -> RingOps.sum(t, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> RingOps.sum(t, 4));
    }

    @Test
    void meanIsSumTimesFixedPointReciprocalAtScaleTwoF() {
        long seed = RingTestData.seed();
        SplittableRandom rnd = new SplittableRandom(seed);
        FixedPoint fp = FixedPoint.defaults();
        double[] v = new double[7 * 13];
        for (int i = 0; i < v.length; i++) {
            v[i] = (rnd.nextDouble() * 2 - 1) * 1000;
        }
        RingTensor t = RingTensor.of(fp.encode(v), 7, 13);
        RingTensor m = RingOps.mean(t, fp, 1);
        assertArrayEquals(new long[] {7}, m.shape());
        for (int r = 0; r < 7; r++) {
            double s = 0;
            for (int c = 0; c < 13; c++) {
                s += v[r * 13 + c];
            }
            // documented bound: relative error count * 2^-(f+1) from enc(1/count), plus the inputs' encoding error
            double tol = Math.abs(s / 13) * 13 * Math.scalb(1.0, -fp.fractionalBits() - 1) + Math.scalb(1.0, -fp.fractionalBits());
            assertEquals(s / 13, fp.decodeProduct(m.getLong(r)), tol, "seed=" + seed + " row " + r);
        }
        long c = fp.encode(-2.75);
        long[] scaled = RingOps.mulFixed(t, -2.75, fp).toLongArray();
        long[] raw = t.toLongArray();
        for (int i = 0; i < raw.length; i++) {
            assertEquals(raw[i] * c, scaled[i], "seed=" + seed);
            assertEquals(v[i] * -2.75, fp.decodeProduct(scaled[i]), 3 * Math.scalb(1.0, -fp.fractionalBits()), "seed=" + seed);
        }
        long[] byInt = RingOps.mulPublic(t, -3).toLongArray();
        for (int i = 0; i < raw.length; i++) {
            assertEquals(raw[i] * -3, byInt[i]);
        }
    }

    @Test
    void shiftsMatchJavaOperators() {
        long seed = RingTestData.seed();
        SplittableRandom rnd = new SplittableRandom(seed);
        long[] v = RingTestData.values(rnd, 7 * 13);
        RingTensor t = RingTensor.of(v, 7, 13);
        for (int k : new int[] {0, 1, 20, 40, 62, 63}) {
            long[] ar = RingOps.shiftRight(t, k).toLongArray();
            long[] lr = RingOps.shiftRightLogical(t, k).toLongArray();
            long[] ls = RingOps.shiftLeft(t, k).toLongArray();
            for (int i = 0; i < v.length; i++) {
                String msg = "seed=" + seed + " k=" + k + " v=" + v[i];
                assertEquals(java.math.BigInteger.valueOf(v[i]).shiftRight(k).longValue(), ar[i], "floor(v / 2^k), " + msg);
                assertEquals(Long.divideUnsigned(v[i], 1L << k), lr[i], "unsigned v / 2^k, " + msg);
                assertEquals(RingTestData.mulOracle(v[i], 1L << k), ls[i], msg);
            }
        }
        RingTensor inPlace = t.dup();
        assertArrayEquals(RingOps.shiftRight(t, 7).toLongArray(), inPlace.shiftRighti(7).toLongArray(), "seed=" + seed);
        assertArrayEquals(RingOps.shiftRightLogical(t, 7).shiftLeft(3).toLongArray(),
                t.dup().shiftRightLogicali(7).shiftLefti(3).toLongArray(), "seed=" + seed);
        assertArrayEquals(v, t.toLongArray(), "the non-i variants leave the input alone, seed=" + seed);
        assertThrows(IllegalArgumentException.class, () -> RingOps.shiftRight(t, 64));
        assertThrows(IllegalArgumentException.class, () -> RingOps.shiftLeft(t, -1));
    }
}
