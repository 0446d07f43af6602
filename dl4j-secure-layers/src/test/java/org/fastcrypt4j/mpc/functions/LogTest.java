package org.fastcrypt4j.mpc.functions;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.fastcrypt4j.mpc.sharing.MpcSettings;
import org.fastcrypt4j.mpc.sharing.Parties;
import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.mpc.sharing.Sharing;
import org.fastcrypt4j.ring.FixedPoint;
import org.junit.jupiter.api.Test;

/**
 * The logarithm on shares against Math.log over its documented domain [1, 100], within the bound its doc states:
 * 1.5 (log x)^2 / 2^9 + 2e-3 (the error of the exp approximation it iterates with).
 */
class LogTest {

    @Test
    void logMatchesMathLogOnOneToHundred() {
        long seed = System.nanoTime();
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        int n = 200;
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i < 3 ? new double[] {1, 10, 100}[i] : 1 + r.nextDouble() * 99;
        }
        FixedPoint fp = FixedPoint.defaults();
        List<double[]> out = Parties.overIpc(MpcSettings.defaults(), s -> {
            SharedTensor sx = Sharing.input(s, 0, s.party() == 0 ? org.fastcrypt4j.ring.RingTensor.of(fp.encode(x), n)
                    : null, n);
            return fp.decode(Sharing.revealToAll(s, Log.log(s, sx)).toLongArray());
        });
        for (int i = 0; i < n; i++) {
            double err = Math.abs(out.get(0)[i] - Math.log(x[i]));
            double bound = 1.5 * Math.pow(Math.log(x[i]), 2) / 512 + 2e-3;
            assertTrue(err < bound, "log(" + x[i] + ") = " + out.get(0)[i] + ", error " + err + ", seed " + seed);
        }
    }
}
