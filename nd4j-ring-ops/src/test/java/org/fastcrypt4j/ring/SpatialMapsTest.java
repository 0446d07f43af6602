package org.fastcrypt4j.ring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * Padding, cropping, repeating and block sums against a per-element oracle on full-range ring values (wrap-around
 * included), and the adjoint identities the backward passes rely on: {@code <pad(x), y> = <x, crop(y)>} and
 * {@code <repeat(x), y> = <x, sumBlocks(y)>} mod 2^64.
 */
class SpatialMapsTest {

    private static final long[] SHAPE = {2, 3, 4, 5};

    private static long at(long[] v, long[] s, int n, int c, int h, int w) {
        return v[(int) (((n * s[1] + c) * s[2] + h) * s[3] + w)];
    }

    private static long dot(RingTensor a, RingTensor b) {
        long[] x = a.toLongArray();
        long[] y = b.toLongArray();
        long d = 0;
        for (int i = 0; i < x.length; i++) {
            d += x[i] * y[i];
        }
        return d;
    }

    private static RingTensor random(SplittableRandom r, long... shape) {
        int n = 1;
        for (long d : shape) {
            n *= (int) d;
        }
        return RingTensor.of(RingTestData.values(r, n), shape);
    }

    @Test
    void padAndCropMoveEveryElementAndAreAdjoint() {
        long seed = RingTestData.seed();
        SplittableRandom r = new SplittableRandom(seed);
        RingTensor x = random(r, SHAPE);
        long[] v = x.toLongArray();
        int[][] amounts = {{1, 2, 0, 3}, {0, 0, 0, 0}, {2, 0, 1, 1}};
        for (int[] a : amounts) {
            RingTensor p = SpatialMaps.pad(x, a[0], a[1], a[2], a[3]);
            long[] ps = p.shape();
            assertArrayEquals(new long[] {2, 3, 4 + a[0] + a[1], 5 + a[2] + a[3]}, ps);
            long[] pv = p.toLongArray();
            for (int n = 0; n < 2; n++) {
                for (int c = 0; c < 3; c++) {
                    for (int h = 0; h < ps[2]; h++) {
                        for (int w = 0; w < ps[3]; w++) {
                            int ih = h - a[0];
                            int iw = w - a[2];
                            long expected = ih < 0 || ih >= 4 || iw < 0 || iw >= 5 ? 0 : at(v, SHAPE, n, c, ih, iw);
                            assertEquals(expected, at(pv, ps, n, c, h, w), "pad at " + h + "," + w + ", seed " + seed);
                        }
                    }
                }
            }
            assertArrayEquals(v, SpatialMaps.crop(p, a[0], a[1], a[2], a[3]).toLongArray(), "crop(pad(x)), seed " + seed);
            RingTensor y = random(r, ps);
            assertEquals(dot(p, y), dot(x, SpatialMaps.crop(y, a[0], a[1], a[2], a[3])), "adjoint, seed " + seed);
        }
    }

    @Test
    void repeatCopiesBlocksAndSumBlocksIsItsAdjoint() {
        long seed = RingTestData.seed();
        SplittableRandom r = new SplittableRandom(seed);
        RingTensor x = random(r, SHAPE);
        long[] v = x.toLongArray();
        int[][] sizes = {{2, 2}, {1, 3}, {3, 1}};
        for (int[] s : sizes) {
            RingTensor up = SpatialMaps.repeat(x, s[0], s[1]);
            long[] us = up.shape();
            assertArrayEquals(new long[] {2, 3, 4L * s[0], 5L * s[1]}, us);
            long[] uv = up.toLongArray();
            for (int n = 0; n < 2; n++) {
                for (int c = 0; c < 3; c++) {
                    for (int h = 0; h < us[2]; h++) {
                        for (int w = 0; w < us[3]; w++) {
                            assertEquals(at(v, SHAPE, n, c, h / s[0], w / s[1]), at(uv, us, n, c, h, w),
                                    "repeat at " + h + "," + w + ", seed " + seed);
                        }
                    }
                }
            }
            RingTensor y = random(r, us);
            RingTensor summed = SpatialMaps.sumBlocks(y, s[0], s[1]);
            assertArrayEquals(SHAPE, summed.shape());
            assertEquals(dot(up, y), dot(x, summed), "adjoint, seed " + seed);
        }
    }

    @Test
    void badAmountsAreRefused() {
        RingTensor x = RingTensor.zeros(SHAPE);
        assertThrows(IllegalArgumentException.class, () -> SpatialMaps.pad(x, -1, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> SpatialMaps.crop(x, 2, 2, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> SpatialMaps.repeat(x, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> SpatialMaps.sumBlocks(x, 3, 1));
        assertThrows(IllegalArgumentException.class, () -> SpatialMaps.pad(RingTensor.zeros(3, 4, 5), 1, 1, 1, 1));
    }
}
