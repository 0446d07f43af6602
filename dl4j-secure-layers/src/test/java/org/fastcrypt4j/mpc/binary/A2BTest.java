package org.fastcrypt4j.mpc.binary;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** A2B's local bit slicing against the plaintext bits (exact). */
class A2BTest {

    private static long[] fullRange(SplittableRandom r, int n) {
        long[] v = new long[n];
        long[] special = {0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE + 1, Long.MAX_VALUE - 1, 1L << 62,
            -(1L << 62), 2, -2};
        for (int i = 0; i < n; i++) {
            v[i] = i < special.length ? special[i] : r.nextInt(4) == 0 ? r.nextInt(9) - 4 : r.nextLong();
        }
        return v;
    }

    @Test
    void bitSliceTransposeIsExact() {
        long seed = System.nanoTime();
        SplittableRandom r = new SplittableRandom(seed);
        long[] v = fullRange(r, 150);
        long[][] planes = A2B.bitSlice(v, 3);
        for (int i = 0; i < 192; i++) {
            for (int b = 0; b < 64; b++) {
                long expected = i < v.length ? (v[i] >>> b) & 1 : 0;
                assertEquals(expected, (planes[b][i >>> 6] >>> (i & 63)) & 1, "element " + i + " bit " + b + ", seed " + seed);
            }
        }
    }
}
