package org.fastcrypt4j.ring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * Channel-window sums against a per-element oracle on full-range ring values (wrap-around included), for windows
 * narrower than, equal to and wider than the channel count, and the self-adjoint identity the backward pass relies on:
 * {@code <sum(x), y> = <x, sum(y)>} mod 2^64.
 */
class ChannelWindowsTest {

    @Test
    void sumsMatchTheOracleAndAreSelfAdjoint() {
        long seed = System.nanoTime();
        SplittableRandom r = new SplittableRandom(seed);
        long[] shape = {2, 7, 3, 4};
        int n = 2 * 7 * 3 * 4;
        for (int half : new int[] {0, 1, 2, 3, 9}) {
            long[] x = RingTestData.values(r, n);
            long[] y = RingTestData.values(r, n);
            long[] got = ChannelWindows.sum(RingTensor.of(x, shape), half).toLongArray();
            for (int b = 0; b < 2; b++) {
                for (int c = 0; c < 7; c++) {
                    for (int p = 0; p < 12; p++) {
                        long expected = 0;
                        for (int cc = Math.max(0, c - half); cc <= Math.min(6, c + half); cc++) {
                            expected += x[(b * 7 + cc) * 12 + p];
                        }
                        assertEquals(expected, got[(b * 7 + c) * 12 + p], "half " + half + ", seed " + seed);
                    }
                }
            }
            long[] sy = ChannelWindows.sum(RingTensor.of(y, shape), half).toLongArray();
            long left = 0;
            long right = 0;
            for (int i = 0; i < n; i++) {
                left += got[i] * y[i];
                right += x[i] * sy[i];
            }
            assertEquals(left, right, "adjoint, half " + half + ", seed " + seed);
        }
        assertArrayEquals(shape, ChannelWindows.sum(RingTensor.of(new long[n], shape), 2).shape());
    }

    @Test
    void badInputsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> ChannelWindows.sum(RingTensor.of(new long[6], 2, 3), 1));
        assertThrows(IllegalArgumentException.class,
                () -> ChannelWindows.sum(RingTensor.of(new long[4], 1, 1, 2, 2), -1));
    }
}
