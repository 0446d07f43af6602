package org.fastcrypt4j.ring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** Packed bits against per-bit boolean oracles; bit-slicing against the definition bit(plane j, i) = bit j of x_i. */
class BitTensorTest {

    private static final int[] SIZES = {1, 63, 64, 65, 91, 128, 1000};

    private static boolean[] randomBits(SplittableRandom rnd, int n) {
        boolean[] b = new boolean[n];
        for (int i = 0; i < n; i++) {
            b[i] = rnd.nextBoolean();
        }
        return b;
    }

    private static BitTensor pack(boolean[] b) {
        BitTensor t = BitTensor.zeros(b.length);
        for (int i = 0; i < b.length; i++) {
            t.set(i, b[i]);
        }
        return t;
    }

    private static void assertBits(boolean[] expected, BitTensor t, String msg) {
        assertEquals(expected.length, t.bits(), msg);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], t.get(i), msg + " bit " + i);
        }
        int r = t.bits() & 63;
        if (r != 0) {
            assertEquals(0L, t.words()[t.wordCount() - 1] >>> r, msg + ": tail bits must stay 0");
        }
    }

    @Test
    void logicOpsAndShiftsMatchBooleanOracle() {
        long seed = RingTestData.seed();
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int n : SIZES) {
            boolean[] a = randomBits(rnd, n);
            boolean[] b = randomBits(rnd, n);
            BitTensor ta = pack(a);
            BitTensor tb = pack(b);
            boolean[] xor = new boolean[n];
            boolean[] and = new boolean[n];
            boolean[] not = new boolean[n];
            int ones = 0;
            for (int i = 0; i < n; i++) {
                xor[i] = a[i] ^ b[i];
                and[i] = a[i] & b[i];
                not[i] = !a[i];
                ones += a[i] ? 1 : 0;
            }
            String msg = "seed=" + seed + " n=" + n;
            assertBits(xor, ta.xor(tb), msg + " xor");
            assertBits(and, ta.and(tb), msg + " and");
            assertBits(not, ta.not(), msg + " not");
            assertBits(not, ta.dup().xori(true), msg + " xor public 1");
            assertEquals(ones, ta.bitCount(), msg);
            for (int s : new int[] {0, 1, 5, 63, 64, 65, 130}) {
                boolean[] up = new boolean[n];
                boolean[] down = new boolean[n];
                for (int i = 0; i < n; i++) {
                    up[i] = i - s >= 0 && a[i - s];
                    down[i] = i + s < n && a[i + s];
                }
                assertBits(up, ta.shiftUp(s), msg + " shiftUp " + s);
                assertBits(down, ta.shiftDown(s), msg + " shiftDown " + s);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> BitTensor.zeros(3).xor(BitTensor.zeros(4)));
    }

    @Test
    void bitExtractionMatchesShifts() {
        long seed = RingTestData.seed();
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int n : SIZES) {
            long[] v = RingTestData.values(rnd, n);
            RingTensor t = RingTensor.of(v, n);
            for (int k : new int[] {0, 1, 20, 62, 63}) {
                BitTensor bits = RingOps.bit(t, k);
                boolean[] expected = new boolean[n];
                for (int i = 0; i < n; i++) {
                    expected[i] = ((v[i] >>> k) & 1) == 1;
                }
                assertBits(expected, bits, "seed=" + seed + " n=" + n + " k=" + k);
                long[] asLongs = bits.toLongs();
                for (int i = 0; i < n; i++) {
                    assertEquals((v[i] >>> k) & 1, asLongs[i], "seed=" + seed);
                }
            }
            BitTensor msb = RingOps.msb(t);
            for (int i = 0; i < n; i++) {
                assertEquals(v[i] < 0, msb.get(i), "seed=" + seed + " msb " + i);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> BitTensor.bitOf(new long[1], 64));
    }

    @Test
    void transposeAndBitSliceMatchDefinitionAndRoundTrip() {
        long seed = RingTestData.seed();
        SplittableRandom rnd = new SplittableRandom(seed);
        long[] m = RingTestData.values(rnd, 64);
        long[] t = m.clone();
        BitTensor.transpose64(t, 0);
        for (int i = 0; i < 64; i++) {
            for (int j = 0; j < 64; j++) {
                assertEquals((m[i] >>> j) & 1, (t[j] >>> i) & 1, "seed=" + seed + " i=" + i + " j=" + j);
            }
        }
        BitTensor.transpose64(t, 0);
        assertArrayEquals(m, t, "transpose is an involution, seed=" + seed);

        for (int n : new int[] {1, 7, 64, 91, 200}) {
            long[] v = RingTestData.values(rnd, n);
            long[][] planes = BitTensor.bitSlice(v);
            assertEquals(64, planes.length);
            for (int j = 0; j < 64; j++) {
                assertEquals(BitTensor.wordsFor(n), planes[j].length);
                for (int i = 0; i < n; i++) {
                    assertEquals((v[i] >>> j) & 1, (planes[j][i >>> 6] >>> i) & 1,
                            "seed=" + seed + " n=" + n + " plane " + j + " element " + i);
                }
                if ((n & 63) != 0) {
                    assertEquals(0L, planes[j][planes[j].length - 1] >>> (n & 63), "unused plane bits must be 0");
                }
            }
            assertArrayEquals(v, BitTensor.unslice(planes, n), "seed=" + seed + " n=" + n);
            BitTensor[] asTensors = BitTensor.bitSlice(RingTensor.of(v, n));
            for (int j = 0; j < 64; j++) {
                assertEquals(BitTensor.bitOf(v, j).bits(), asTensors[j].bits());
                assertArrayEquals(BitTensor.bitOf(v, j).words(), asTensors[j].words(), "seed=" + seed + " plane " + j);
            }
        }
    }
}
