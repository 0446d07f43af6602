package org.fastcrypt4j.mpc;

import org.fastcrypt4j.ring.RingTensor;

/**
 * Products of replicated sharings without truncation (ABY3 section 3; PROTOCOLS.md section 2):
 * <ol>
 *   <li>P_i computes z_i = B(x_i, y_i + y_{i+1}) + B(x_{i+1}, y_i) + alpha_i (two local products;
 *       alpha a pseudo-random zero sharing, so z_i alone reveals nothing).</li>
 *   <li>P_i sends z_i to P_{i-1} ({@link Resharing}).</li>
 * </ol>
 * 1 round, 8 bytes per OUTPUT element per party, whatever the inner dimension. For fixed-point values
 * the product has scale 2f and must be truncated (see the truncation protocols).
 */
public final class Multiplication {

    /** Elementwise product. */
    public static final BilinearOp ELEMENTWISE = RingTensor::mul;

    /** Matrix product [m,k] x [k,n] (exact; ND4J LONG mmul wraps mod 2^64). */
    public static final BilinearOp MATMUL = (a, b) -> RingTensor.wrap(a.array().mmul(b.array()));

    private Multiplication() {
    }

    /** The local step: this party's 3-out-of-3 share z_i of B(x, y), zero sharing included. */
    public static RingTensor localShare(Session s, SharedTensor x, SharedTensor y, BilinearOp op) {
        RingTensor z = op.apply(x.first(), y.first().add(y.second()));
        z.addi(op.apply(x.second(), y.first()));
        long[] zz = z.toLongArray();
        s.randomness().addZeroShare(zz);
        return z.copyFrom(zz, 0);
    }

    /** B(x, y) for any bilinear B, one round. */
    public static SharedTensor bilinear(Session s, String tag, SharedTensor x, SharedTensor y, BilinearOp op) {
        return Resharing.reshare(s, tag, localShare(s, x, y, op));
    }

    /** Elementwise x * y (scale adds up; no truncation). */
    public static SharedTensor mul(Session s, SharedTensor x, SharedTensor y) {
        return bilinear(s, "mul/reshare", x, y, ELEMENTWISE);
    }

    /** Matrix product x [m,k] * y [k,n] (no truncation). */
    public static SharedTensor matmul(Session s, SharedTensor x, SharedTensor y) {
        return bilinear(s, "matmul/reshare", x, y, MATMUL);
    }
}
