package org.fastcrypt4j.mpc.functions;

import org.fastcrypt4j.mpc.arithmetic.FixedPointOps;
import org.fastcrypt4j.mpc.arithmetic.Multiplication;
import org.fastcrypt4j.mpc.arithmetic.Truncation;
import org.fastcrypt4j.mpc.sharing.MpcSettings;
import org.fastcrypt4j.mpc.sharing.Session;
import org.fastcrypt4j.mpc.sharing.SharedTensor;

/**
 * The logistic sigmoid s(x) = 1 / (1 + e^-x) on shares, by CrypTen's construction (Knott et al., "CrypTen: Secure
 * Multi-Party Computation Meets Machine Learning", NeurIPS 2021; CrypTen's {@code sigmoid} in
 * crypten/common/functions/approximations.py): the exponential is only ever taken of -|x| &lt;= 0, so it stays in
 * the range where {@link Exp} is accurate, and the sign selects s or 1 - s. Nothing is revealed.
 * <ol>
 *   <li>One DReLU pass ({@link Drelu#computeAll}) over 3n values: d = [x &gt;= 0], u = [x - 64 &gt;= 0],
 *       v = [-x - 64 &gt;= 0] (0/1 sharings at scale 0; x &plusmn; 64 is local).</li>
 *   <li>a = min(|x|, {@value #CLAMP}) = x (2d - 1 - u + v) + 64 (u + v): one product of a scale-0 coefficient with
 *       x, so no truncation (if u = 1 then d = 1, if v = 1 then d = 0, so the coefficient is 0 exactly when |x| &gt;=
 *       64, and 2d - 1 = sign(x) otherwise). The clamp keeps exp's base 1 - a/256 in [0.75, 1]; without it it
 *       turns negative for |x| &gt; 256.</li>
 *   <li>e = {@link Exp#exp}(-a) in (0, 1]; r = {@link Reciprocal#reciprocal}(1 + e) = s(|x|), argument in (1, 2].</li>
 *   <li>s(x) = d r + (1 - d)(1 - r) = (1 - d) + (2d - 1) r: one product with the scale-0 sharing 2d - 1, no
 *       truncation.</li>
 * </ol>
 * Backward: dX = dY * s (1 - s), two fixed-point products in a chain ({@link #backward}).
 *
 * <p>Accuracy (f = 20): absolute error about 1.3e-3 at most (exp's absolute error &lt;= 1.1e-3 times
 * |dr / de| &lt;= 1, plus the reciprocal's relative 2e-4); measured below 9e-4 (ActivationFunctionsTest). e^-64 is
 * below 2^-20, so the clamp changes nothing at this precision. Valid for every |x| &lt; 2^42 (the comparisons of
 * x &plusmn; 64 are exact over the ring); the networks' inputs satisfy |x| &lt; 2048.
 *
 * <p>Cost with the ABY3-style MSB and the wrap-free truncation: {@link #expectedForwardRounds} rounds of causal
 * depth (87 at f = 20: 11 for the comparisons and the clamp, then exp, the reciprocal and the select, consecutive
 * truncations overlapping) and {@link #expectedForwardBytesPerElement} bytes per element per party: 3 DReLUs + 8 +
 * exp + reciprocal + 8 = 527.875 for P0, 487.875 for P1 and P2 at f = 20 (both measured equal in
 * ActivationFunctionsTest). Backward: {@link #BACKWARD_ROUNDS} rounds, 2 (8 + f/8) = 21 bytes per element per party.
 */
public final class Sigmoid {

    /** |x| is clamped to this before exp: e^-64 is 0 at every supported precision. */
    public static final double CLAMP = 64;

    /** Backward rounds with the wrap-free truncation (two chained fixed-point products). */
    public static final int BACKWARD_ROUNDS = 5;

    private Sigmoid() {
    }

    /** s(x), elementwise, any shape. */
    public static SharedTensor sigmoid(Session s, SharedTensor x) {
        int f = s.fractionalBits();
        long bound = FixedPointOps.encode(CLAMP, f);
        SharedTensor[] d = Drelu.computeAll(s, x, x.addPublic(-bound), x.neg().addPublic(-bound));
        SharedTensor sign = d[0].mul(2).addPublic(-1);
        SharedTensor beyond = d[1].add(d[2]);
        SharedTensor coefficient = sign.sub(d[1]).add(d[2]);
        SharedTensor a = Multiplication.bilinear(s, "sigmoid/clamp", x, coefficient, Multiplication.ELEMENTWISE)
                .add(beyond.mul(bound));
        SharedTensor e = Exp.exp(s, a.neg());
        SharedTensor r = Reciprocal.reciprocal(s, e.addPublic(1L << f));
        SharedTensor oneMinusD = d[0].neg().addPublic(1).mul(1L << f);
        return Multiplication.bilinear(s, "sigmoid/select", r, sign, Multiplication.ELEMENTWISE).add(oneMinusD);
    }

    /** dX = dY * s (1 - s) for the forward output {@code y} = s(x): two chained fixed-point products. */
    public static SharedTensor backward(Session s, SharedTensor y, SharedTensor dY) {
        SharedTensor slope = y.sub(FixedPointOps.square(s, y));
        return FixedPointOps.mul(s, dY, slope);
    }

    /** Forward rounds (causal depth) with the ABY3-style MSB and the session's truncation, from a level start. */
    public static int expectedForwardRounds(MpcSettings settings) {
        return (int) Truncation.maxDepth(depthAfter(settings, new long[3]));
    }

    /**
     * Per-party depth of the output for inputs held at depth {@code t}: the comparisons and the clamp product (the
     * message pattern of a ReLU, {@link Relu#depthAfter}), exp, the reciprocal, and the select product (P_i holds
     * its output once it has its own share and the one P_{i+1} sends).
     */
    public static long[] depthAfter(MpcSettings settings, long[] t) {
        long[] a = Relu.depthAfter(t);
        long[] r = Reciprocal.depthAfter(settings, Exp.depthAfter(settings, a));
        return productDepth(Truncation.later(a, r));
    }

    /** Forward bytes sent by {@code party} per element with the ABY3-style MSB and the wrap-free truncation. */
    public static double expectedForwardBytesPerElement(int party, int f) {
        return 3 * Drelu.expectedBytesPerElement(party) + 8 + Exp.expectedBytesPerElement(party, f)
                + Reciprocal.expectedBytesPerElement(party, f) + 8;
    }

    /** Backward bytes per element per party with the wrap-free truncation. */
    public static double backwardBytesPerElement(int f) {
        return 2 * (8 + f / 8.0);
    }

    /** Depth after one product without truncation: P_i sends its share to P_{i-1}. */
    static long[] productDepth(long[] t) {
        return new long[] {Math.max(t[0], t[1] + 1), Math.max(t[1], t[2] + 1), Math.max(t[2], t[0] + 1)};
    }
}
