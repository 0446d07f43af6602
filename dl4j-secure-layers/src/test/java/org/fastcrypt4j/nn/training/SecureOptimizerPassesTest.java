package org.fastcrypt4j.nn.training;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.fastcrypt4j.mpc.sharing.MpcSettings;
import org.fastcrypt4j.mpc.sharing.PartyThreads;
import org.fastcrypt4j.mpc.sharing.Session;
import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.mpc.sharing.Sharing;
import org.fastcrypt4j.ring.RingTensor;
import org.fastcrypt4j.transport.aeron.AeronContext;
import org.fastcrypt4j.transport.aeron.AeronTransport;
import org.fastcrypt4j.transport.aeron.LocalParties;
import org.fastcrypt4j.transport.Transport;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * The updater truncates in passes of bounded size (so VGG16's 30 million updated values fit in memory): with passes
 * of 1,000 values, tensors grouped into a pass, a tensor split over several and single ones, two Nesterovs steps and
 * an SGD step give DL4J's update rules on the plaintext values (double oracle) within 4 units of 2^-20, for weights,
 * velocities and gradients of both signs and large magnitude.
 */
class SecureOptimizerPassesTest {

    private static final int F = MpcSettings.DEFAULT_FRACTIONAL_BITS;
    private static final int[] SIZES = {300, 800, 2500, 50};

    @Test
    void passesOfBoundedSizeGiveTheUpdateRules() {
        long seed = new SecureRandom().nextLong();
        SplittableRandom rnd = new SplittableRandom(seed);
        int batch = 4;
        double lr = 0.1, mu = 0.9, sgdLr = 0.05;
        double[][] w = new double[SIZES.length][];
        double[][][] g = new double[2][SIZES.length][];
        for (int k = 0; k < SIZES.length; k++) {
            w[k] = values(rnd, SIZES[k], 2);
            g[0][k] = values(rnd, SIZES[k], 50);
            g[1][k] = values(rnd, SIZES[k], 50);
        }
        // the oracle: parameters 0-2 Nesterovs, parameter 3 SGD, two steps
        double[][] want = new double[SIZES.length][];
        for (int k = 0; k < SIZES.length; k++) {
            double[] x = w[k].clone();
            double[] v = new double[x.length];
            for (int step = 0; step < 2; step++) {
                for (int i = 0; i < x.length; i++) {
                    double gi = g[step][k][i];
                    if (k < 3) {
                        double vPrev = v[i];
                        v[i] = mu * vPrev - lr / batch * gi;
                        x[i] += mu * mu * vPrev - (1 + mu) * lr / batch * gi;
                    } else {
                        x[i] -= sgdLr / batch * gi;
                    }
                }
            }
            want[k] = x;
        }
        List<double[][]> got;
        try (LocalParties net = LocalParties.ipc(new AeronContext())) {
            got = PartyThreads.run(MpcSettings.defaults(), new Transport[] {net.party(0), net.party(1), net.party(2)},
                    s -> {
                        SecureOptimizer opt = new SecureOptimizer(1000);
                        Map<String, SharedTensor> params = new LinkedHashMap<>();
                        for (int k = 0; k < SIZES.length; k++) {
                            opt.register("p" + k, k < 3 ? new Nesterovs(lr, mu) : new Sgd(sgdLr));
                            params.put("p" + k, share(s, w[k]));
                        }
                        for (int step = 0; step < 2; step++) {
                            Map<String, SharedTensor> grads = new LinkedHashMap<>();
                            for (int k = 0; k < SIZES.length; k++) {
                                grads.put("p" + k, share(s, g[step][k]));
                            }
                            params = opt.step(s, params, grads, batch);
                        }
                        double[][] out = new double[SIZES.length][];
                        for (int k = 0; k < SIZES.length; k++) {
                            long[] r = Sharing.revealToAll(s, params.get("p" + k)).toLongArray();
                            out[k] = new double[r.length];
                            for (int i = 0; i < r.length; i++) {
                                out[k][i] = r[i] / (double) (1L << F);
                            }
                        }
                        return out;
                    });
        }
        for (int k = 0; k < SIZES.length; k++) {
            for (int i = 0; i < SIZES[k]; i++) {
                assertEquals(want[k][i], got.get(0)[k][i], 4.0 / (1L << F),
                        "seed " + seed + ": parameter " + k + " element " + i);
            }
        }
    }

    /**
     * Adam's update rule on shares against its formula (DL4J's AdamUpdater): three steps on gradients whose means
     * range from 5e-3 to 7.5 in magnitude, and exact zeros; within 2e-3 * lr per step of the formula.
     */
    @Test
    void adamStepsFollowTheFormula() {
        long seed = new SecureRandom().nextLong();
        SplittableRandom rnd = new SplittableRandom(seed);
        int n = 400;
        int batch = 8;
        double lr = 0.01, b1 = 0.9, b2 = 0.999, eps = 1e-8;
        double[] w = values(rnd, n, 2);
        double[][] g = new double[3][n];
        for (int step = 0; step < 3; step++) {
            for (int i = 0; i < n; i++) {
                // per-example means from 5e-3 to 7.5 in magnitude (the documented range ends at 8), and exact zeros
                double mag = i % 50 == 0 ? 0 : Math.pow(10, -2 + 2.7 * (i % 7) / 6.0) * batch;
                g[step][i] = (rnd.nextBoolean() ? 1 : -1) * (0.5 + rnd.nextDouble()) * mag;
            }
        }
        double[] want = w.clone();
        double[] m = new double[n];
        double[] v = new double[n];
        for (int step = 0; step < 3; step++) {
            double t = step + 1;
            double alpha = lr * Math.sqrt(1 - Math.pow(b2, t)) / (1 - Math.pow(b1, t));
            for (int i = 0; i < n; i++) {
                double gi = g[step][i] / batch;
                m[i] = b1 * m[i] + (1 - b1) * gi;
                v[i] = b2 * v[i] + (1 - b2) * gi * gi;
                want[i] -= alpha * m[i] / (Math.sqrt(v[i]) + eps);
            }
        }
        List<double[]> got;
        try (LocalParties net = LocalParties.ipc(new AeronContext())) {
            got = PartyThreads.run(MpcSettings.defaults(), new Transport[] {net.party(0), net.party(1), net.party(2)},
                    s -> {
                        SecureOptimizer opt = new SecureOptimizer();
                        opt.register("w", new Adam(lr, b1, b2, eps));
                        Map<String, SharedTensor> params = new LinkedHashMap<>();
                        params.put("w", share(s, w));
                        for (int step = 0; step < 3; step++) {
                            params = opt.step(s, params, Map.of("w", share(s, g[step])), batch, step, 0);
                        }
                        long[] r = Sharing.revealToAll(s, params.get("w")).toLongArray();
                        double[] out = new double[n];
                        for (int i = 0; i < n; i++) {
                            out[i] = r[i] / (double) (1L << F);
                        }
                        return out;
                    });
        }
        for (int i = 0; i < n; i++) {
            assertEquals(want[i], got.get(0)[i], 3 * 2e-3 * lr + 4.0 / (1L << F), "seed " + seed + ": element " + i
                    + " (gradient " + g[0][i] / batch + ")");
        }
    }

    private static double[] values(SplittableRandom rnd, int n, double magnitude) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = (rnd.nextDouble() * 2 - 1) * magnitude;
        }
        return v;
    }

    /** Party 0 shares the plaintext (known to every thread of this test) at f fractional bits. */
    private static SharedTensor share(Session s, double[] v) {
        long[] enc = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            enc[i] = Math.round(v[i] * (1L << F));
        }
        return Sharing.input(s, 0, s.party() == 0 ? RingTensor.of(enc, enc.length) : null, enc.length);
    }
}
