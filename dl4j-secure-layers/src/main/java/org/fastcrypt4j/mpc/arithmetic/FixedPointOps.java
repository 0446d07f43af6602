package org.fastcrypt4j.mpc.arithmetic;

import org.fastcrypt4j.mpc.sharing.Session;
import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.ring.ConvGeometry;
import org.fastcrypt4j.ring.RingKernels;
import org.fastcrypt4j.ring.RingTensor;

/**
 * Fixed-point products of scale-f sharings, truncated back to scale f in the same rounds: the local
 * product shares z_i of {@link Multiplication#localShare} (ring kernels of {@link RingKernels#current()},
 * zero sharing included) go straight into {@link Truncation#truncateProduct}, which replaces the reshare.
 * With the default wrap-free truncation: 3 rounds and 10.5 bytes per OUTPUT element per party (f = 20);
 * with the probabilistic one: 2 rounds, 8/16/8 bytes. {@link #mulAll} truncates several products in one
 * pass (the same rounds as one). Products must stay inside the truncation's safe range
 * |value| &lt; 2^(62 - 2f) (2^22 at f = 20).
 */
public final class FixedPointOps {

    private FixedPointOps() {
    }

    /** Matrix product with the ring kernels ({@link Multiplication#MATMUL}). */
    public static final BilinearOp MATMUL = Multiplication.MATMUL;

    /** Elementwise product with the ring kernels ({@link Multiplication#ELEMENTWISE}). */
    public static final BilinearOp ELEMENTWISE = Multiplication.ELEMENTWISE;

    /** Forward convolution {@code input [N, IC, H, W]} x {@code weights [OC, IC, KH, KW]} (no bias). */
    public static BilinearOp conv2dOp(ConvGeometry g) {
        return (in, w) -> RingKernels.current().conv2d(in, w, null, g);
    }

    /** Input gradient: {@code (dOut [N, OC, OH, OW], weights)} to {@code [N, IC, H, W] = inputShape}. */
    public static BilinearOp conv2dBackwardInputOp(long[] inputShape, ConvGeometry g) {
        return (dOut, w) -> RingKernels.current().conv2dBackwardInput(dOut, w, inputShape, g);
    }

    /** Weight gradient: {@code (input, dOut)} to {@code [OC, IC, KH, KW]}. */
    public static BilinearOp conv2dBackwardWeightsOp(ConvGeometry g) {
        return (in, dOut) -> RingKernels.current().conv2dBackwardWeights(in, dOut, g);
    }

    /** B(x, y) / 2^f for a bilinear B. */
    public static SharedTensor bilinear(Session s, SharedTensor x, SharedTensor y, BilinearOp op) {
        RingTensor z = Multiplication.localShare(s, x, y, op);
        return Truncation.truncateProduct(s, z, s.fractionalBits());
    }

    /** Elementwise fixed-point product. */
    public static SharedTensor mul(Session s, SharedTensor x, SharedTensor y) {
        return bilinear(s, x, y, ELEMENTWISE);
    }

    /** Fixed-point square (one product, same cost as {@link #mul}). */
    public static SharedTensor square(Session s, SharedTensor x) {
        return bilinear(s, x, x, ELEMENTWISE);
    }

    /** Fixed-point matrix product [m,k] x [k,n]. */
    public static SharedTensor matmul(Session s, SharedTensor x, SharedTensor y) {
        return bilinear(s, x, y, MATMUL);
    }

    /** Fixed-point forward convolution. */
    public static SharedTensor conv2d(Session s, SharedTensor input, SharedTensor weights, ConvGeometry g) {
        return bilinear(s, input, weights, conv2dOp(g));
    }

    /** Fixed-point input gradient of a convolution. */
    public static SharedTensor conv2dBackwardInput(Session s, SharedTensor dOut, SharedTensor weights,
            long[] inputShape, ConvGeometry g) {
        return bilinear(s, dOut, weights, conv2dBackwardInputOp(inputShape, g));
    }

    /** Fixed-point weight gradient of a convolution. */
    public static SharedTensor conv2dBackwardWeights(Session s, SharedTensor input, SharedTensor dOut,
            ConvGeometry g) {
        return bilinear(s, input, dOut, conv2dBackwardWeightsOp(g));
    }

    /**
     * Several elementwise products x[k] * y[k] in one truncation pass (the rounds and per-element bytes of a
     * single product).
     */
    public static SharedTensor[] mulAll(Session s, SharedTensor[] xs, SharedTensor[] ys) {
        BilinearOp[] ops = new BilinearOp[xs.length];
        java.util.Arrays.fill(ops, ELEMENTWISE);
        return bilinearAll(s, xs, ys, ops);
    }

    /**
     * Several fixed-point products B_k(x[k], y[k]) (each its own bilinear op: matmuls, convolution gradients, ...)
     * truncated in one pass: the rounds of a single product, and the bytes of all outputs together. The backward
     * pass of a layer computes its weight and input gradients this way.
     */
    public static SharedTensor[] bilinearAll(Session s, SharedTensor[] xs, SharedTensor[] ys, BilinearOp[] ops) {
        if (xs.length != ys.length || xs.length != ops.length) {
            throw new IllegalArgumentException("party " + s.party() + ": bilinearAll needs as many left factors, right"
                    + " factors and ops, got " + xs.length + ", " + ys.length + " and " + ops.length);
        }
        RingTensor[] zs = new RingTensor[xs.length];
        long total = 0;
        for (int k = 0; k < xs.length; k++) {
            zs[k] = Multiplication.localShare(s, xs[k], ys[k], ops[k]);
            total += zs[k].intLength();
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("party " + s.party() + ": " + total + " product elements in one pass");
        }
        long[] all = new long[(int) total];
        int off = 0;
        for (RingTensor z : zs) {
            z.copyTo(all, off);
            off += z.intLength();
        }
        long[][] y = Truncation.truncateProductShares(s, all, s.fractionalBits());
        SharedTensor[] out = new SharedTensor[xs.length];
        off = 0;
        for (int k = 0; k < xs.length; k++) {
            out[k] = new SharedTensor(s.party(), RingTensor.copyOf(y[0], off, zs[k].shape()),
                    RingTensor.copyOf(y[1], off, zs[k].shape()));
            off += zs[k].intLength();
        }
        return out;
    }

    /** Product with a public fixed-point constant: local multiplication by enc(c), then truncation. */
    public static SharedTensor mulConstant(Session s, SharedTensor x, double c) {
        return Truncation.truncate(s, x.mul(encode(c, s.fractionalBits())), s.fractionalBits());
    }

    /** enc(v) = round(v * 2^f). */
    public static long encode(double v, int f) {
        return Math.round(v * (double) (1L << f));
    }

    /** dec(x) = s(x) / 2^f. */
    public static double decode(long x, int f) {
        return x / (double) (1L << f);
    }
}
