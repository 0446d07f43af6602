package org.fastcrypt4j.mpc.functions;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;

import org.fastcrypt4j.mpc.sharing.MpcSettings;
import org.fastcrypt4j.mpc.sharing.Parties;
import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.mpc.sharing.Sharing;
import org.fastcrypt4j.ring.RingTensor;
import org.junit.jupiter.api.Test;

/**
 * The inverse square root on shares against 1 / Math.sqrt over its range [4^lo, 4^(hi+1)), at both ends of the range,
 * on every power of four and between them, and its documented behaviour below the range (0 included): within
 * the documented bound (4 units of 2^-f + y (1e-5 + 2^-fx / sqrt(x))) inside the range, and between 1/sqrt(4^lo) and 6 * 2^-lo below it.
 */
class InverseSqrtTest {

    @Test
    void inverseSquareRootMatchesOverItsRangeAndIsBoundedBelowIt() {
        long seed = System.nanoTime();
        SplittableRandom r = new SplittableRandom(seed);
        int fx = 24;
        int lo = -10;
        int hi = 3;
        double bottom = Math.pow(4, lo);
        double top = Math.pow(4, hi + 1);
        int n = 300;
        double[] x = new double[n];
        int k = 0;
        for (int j = lo; j <= hi; j++) {
            x[k++] = Math.pow(4, j);                 // each threshold
            x[k++] = Math.pow(4, j) * 1.999;         // the middle of an interval
            x[k++] = Math.pow(4, j + 1) * 0.9999;    // just below the next threshold
        }
        x[k++] = top * 0.99;                          // the top of the range
        x[k++] = 0;                                   // below the range
        x[k++] = bottom / 3;
        x[k++] = Math.pow(2, -fx);
        while (k < n) {
            x[k++] = Math.exp(Math.log(bottom) + r.nextDouble() * (Math.log(top) - Math.log(bottom)));
        }
        long[] enc = new long[n];
        for (int i = 0; i < n; i++) {
            enc[i] = Math.round(x[i] * Math.pow(2, fx));
        }
        int f = MpcSettings.defaults().fractionalBits();
        List<long[]> out = Parties.overIpc(MpcSettings.defaults(), s -> {
            SharedTensor sx = Sharing.input(s, 0, s.party() == 0 ? RingTensor.of(enc, n) : null, n);
            return Sharing.revealToAll(s, InverseSqrt.inverseSqrt(s, sx, fx, lo, hi)).toLongArray();
        });
        for (int i = 0; i < n; i++) {
            double got = out.get(0)[i] / Math.pow(2, f);
            double xi = enc[i] / Math.pow(2, fx);
            if (xi >= bottom) {
                double want = 1 / Math.sqrt(xi);
                double err = Math.abs(got - want);
                double bound = 4 * Math.pow(2, -f) + want * (1e-5 + Math.pow(2, -fx) / Math.sqrt(xi));
                assertTrue(err <= bound, "1/sqrt(" + xi + ") = " + got + ", want " + want
                        + ", seed " + seed);
            } else {
                assertTrue(got >= 1 / Math.sqrt(bottom) * 0.999 && got <= 6.0 * Math.pow(2, -lo), "below the range: 1/sqrt("
                        + xi + ") gave " + got + ", seed " + seed);
            }
        }
    }

    /** The initial guess in several DReLU passes (bounded memory) equals the one-pass guess. */
    @Test
    void initialGuessInSeveralPassesEqualsOnePass() {
        int n = 1000;
        long[] enc = new long[n];
        SplittableRandom r = new SplittableRandom(System.nanoTime());
        for (int i = 0; i < n; i++) {
            enc[i] = r.nextLong(1L << 40);
        }
        List<long[][]> out = Parties.overIpc(MpcSettings.defaults(), s -> {
            SharedTensor sx = Sharing.input(s, 0, s.party() == 0 ? RingTensor.of(enc, 10, 100) : null, 10, 100);
            return new long[][] {Sharing.revealToAll(s, InverseSqrt.initialGuess(s, sx, 24, -10, 3)).toLongArray(),
                Sharing.revealToAll(s, InverseSqrt.initialGuess(s, sx, 24, -10, 3, 1300)).toLongArray()};
        });
        org.junit.jupiter.api.Assertions.assertArrayEquals(out.get(0)[0], out.get(0)[1]);
    }
}
