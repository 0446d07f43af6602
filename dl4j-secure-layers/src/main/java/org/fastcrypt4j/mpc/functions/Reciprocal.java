package org.fastcrypt4j.mpc.functions;

import org.fastcrypt4j.mpc.arithmetic.FixedPointOps;
import org.fastcrypt4j.mpc.arithmetic.Truncation;
import org.fastcrypt4j.mpc.sharing.MpcSettings;
import org.fastcrypt4j.mpc.sharing.Session;
import org.fastcrypt4j.mpc.sharing.SharedTensor;

/**
 * 1/x for x &gt; 0 by Newton-Raphson (CrypTen's reciprocal, PROTOCOLS.md 8.2): initial guess
 * y0 = 3 exp(1 - 2x) + 0.003, then 10 iterations of y &lt;- y (2 - x y) (this order, rather than CrypTen's
 * 2y - x y^2, keeps precision for large x). Linear steps are local; nothing is revealed.
 *
 * <p>Accuracy (f = 20): relative error &lt;= 2e-4 for x in [0.002, 250]; diverges for x above about 253 and
 * needs more iterations below 0.001.
 *
 * <p>Cost with the wrap-free truncation: {@link Exp} then 20 chained products, {@link #expectedRounds} of causal
 * depth (PROTOCOLS.md 8.2 counts 86 without the overlap of consecutive steps); bytes
 * per element 94.5 + 210 = 304.5 (P0), 86.5 + 210 = 296.5 (P1, P2) at f = 20.
 */
public final class Reciprocal {

    /** Newton-Raphson iterations (CrypTen reciprocal_nr_iters). */
    public static final int ITERATIONS = 10;

    private Reciprocal() {
    }

    public static SharedTensor reciprocal(Session s, SharedTensor x) {
        int f = s.fractionalBits();
        SharedTensor arg = x.mul(-2L).addPublic(1L << f);
        SharedTensor y = Exp.exp(s, arg).mul(3L).addPublic(FixedPointOps.encode(0.003, f));
        long two = 2L << f;
        for (int i = 0; i < ITERATIONS; i++) {
            SharedTensor xy = FixedPointOps.mul(s, x, y);
            y = FixedPointOps.mul(s, y, xy.neg().addPublic(two));
        }
        return y;
    }

    /** Rounds (causal depth) with the session's truncation. */
    public static int expectedRounds(MpcSettings settings) {
        return (int) Truncation.maxDepth(depthAfter(settings, new long[3]));
    }

    /** Per-party depth of the output for an input held at depth {@code t}: exp, then a chain of 20 products. */
    public static long[] depthAfter(MpcSettings settings, long[] t) {
        long[] d = Exp.depthAfter(settings, t);
        for (int i = 0; i < 2 * ITERATIONS; i++) {
            d = Truncation.depthAfter(settings.truncation(), true, Truncation.later(t, d));
        }
        return d;
    }

    /** Bytes sent by {@code party} per element with the wrap-free truncation. */
    public static double expectedBytesPerElement(int party, int f) {
        return Exp.expectedBytesPerElement(party, f) + 2 * ITERATIONS * (8 + f / 8.0);
    }
}
