package org.fastcrypt4j.mpc.functions;

import org.fastcrypt4j.mpc.arithmetic.FixedPointOps;
import org.fastcrypt4j.mpc.arithmetic.Truncation;
import org.fastcrypt4j.mpc.sharing.MpcSettings;
import org.fastcrypt4j.mpc.sharing.Session;
import org.fastcrypt4j.mpc.sharing.SharedTensor;

/**
 * exp(x) by the limit method (CrypTen's default, PROTOCOLS.md 8.1): e^x ~ (1 + x/2^8)^(2^8), i.e. a
 * truncation of x by 8 bits (a public division), adding 1, then 8 fixed-point squarings. Nothing is
 * revealed.
 *
 * <p>Accuracy (f = 20): relative error about -x^2/2^9, absolute error &lt;= 1.1e-3 for every x &lt;= 0;
 * results below 2^-20 flush to 0. Valid for x &lt;= 0 (as in softmax) or small |x|: x &lt;= -256 makes the
 * base non-positive, and x &gt; ~15 leaves the safe range of the truncation.
 *
 * <p>Cost with the wrap-free truncation: 18 rounds of causal depth ({@link #depthAfter}; 26 if the steps did not
 * overlap); bytes per element 10.5 + 8 * 10.5 = 94.5 (P0)
 * and 2.5 + 84 = 86.5 (P1, P2) at f = 20. Opens nothing.
 */
public final class Exp {

    /** Squarings (CrypTen exp_iterations). */
    public static final int ITERATIONS = 8;

    private Exp() {
    }

    public static SharedTensor exp(Session s, SharedTensor x) {
        SharedTensor y = Truncation.truncate(s, x, ITERATIONS)
                .addPublic(1L << s.fractionalBits());
        for (int i = 0; i < ITERATIONS; i++) {
            y = FixedPointOps.square(s, y);
        }
        return y;
    }

    /** Rounds (causal depth) with the session's truncation: 18 with the wrap-free one (see {@link #depthAfter}). */
    public static int expectedRounds(MpcSettings settings) {
        return (int) Truncation.maxDepth(depthAfter(settings, new long[3]));
    }

    /**
     * Per-party depth of the output for inputs held at depth {@code t}: one standalone truncation, then 8
     * fused squarings, each adding 2 rounds after the first because P1 and P2 hold their output shares before
     * P0 ({@link Truncation#depthAfter}). PROTOCOLS.md 8.1 counts 26, i.e. 3 per squaring without overlap.
     */
    public static long[] depthAfter(MpcSettings settings, long[] t) {
        long[] d = Truncation.depthAfter(settings.truncation(), false, t);
        for (int i = 0; i < ITERATIONS; i++) {
            d = Truncation.depthAfter(settings.truncation(), true, d);
        }
        return d;
    }

    /** Bytes sent by {@code party} per element with the wrap-free truncation. */
    public static double expectedBytesPerElement(int party, int f) {
        return standaloneTruncBytes(party, ITERATIONS) + ITERATIONS * (8 + f / 8.0);
    }

    static double standaloneTruncBytes(int party, int d) {
        return party == 0 ? 8 + d / 8.0 : d / 8.0;
    }
}
