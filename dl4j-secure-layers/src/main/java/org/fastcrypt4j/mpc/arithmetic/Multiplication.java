package org.fastcrypt4j.mpc.arithmetic;

import org.fastcrypt4j.mpc.sharing.Session;
import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.ring.CpuRingKernels;
import org.fastcrypt4j.ring.RingKernels;
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

    /** Elementwise product with the ring kernels (CPU or CUDA, {@link RingKernels#current()}). */
    public static final BilinearOp ELEMENTWISE = (a, b) -> RingKernels.current().mul(a, b);

    /** Matrix product [m,k] x [k,n] with the ring kernels (exact mod 2^64). */
    public static final BilinearOp MATMUL = (a, b) -> RingKernels.current().matmul(a, b);

    private Multiplication() {
    }

    /** The local step: this party's 3-out-of-3 share z_i of B(x, y), zero sharing included. */
    public static RingTensor localShare(Session s, SharedTensor x, SharedTensor y, BilinearOp op) {
        if (op == ELEMENTWISE && RingKernels.current() instanceof CpuRingKernels) {
            return elementwiseLocalShare(s, x, y);
        }
        RingTensor z = op.apply(x.first(), y.first().add(y.second()));
        z.addi(op.apply(x.second(), y.first()));
        long[] zz = z.toLongArray();
        s.randomness().addZeroShare(zz);
        return z.copyFrom(zz, 0);
    }

    /** The elementwise local step in one pass over Java arrays (the general path makes about twice the copies). */
    private static RingTensor elementwiseLocalShare(Session s, SharedTensor x, SharedTensor y) {
        if (!java.util.Arrays.equals(x.shape(), y.shape())) {
            throw new IllegalArgumentException("party " + s.party() + ": elementwise product of shapes "
                    + java.util.Arrays.toString(x.shape()) + " and " + java.util.Arrays.toString(y.shape()));
        }
        long[] x0 = x.first().toLongArray();
        long[] x1 = x.second().toLongArray();
        long[] y0 = y.first().toLongArray();
        long[] y1 = y.second().toLongArray();
        for (int i = 0; i < x0.length; i++) {
            x0[i] = x0[i] * (y0[i] + y1[i]) + x1[i] * y0[i];
        }
        s.randomness().addZeroShare(x0);
        return RingTensor.of(x0, x.shape());
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
