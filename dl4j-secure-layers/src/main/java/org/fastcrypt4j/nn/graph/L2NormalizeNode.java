package org.fastcrypt4j.nn.graph;

import java.util.Arrays;

import org.fastcrypt4j.mpc.arithmetic.FixedPointOps;
import org.fastcrypt4j.mpc.arithmetic.Multiplication;
import org.fastcrypt4j.mpc.arithmetic.Truncation;
import org.fastcrypt4j.mpc.functions.InverseSqrt;
import org.fastcrypt4j.mpc.sharing.Session;
import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.ring.RingTensor;

/**
 * DL4J's {@code L2NormalizeVertex} on shares, over every dimension but the first (DL4J's default, or those
 * dimensions named): per example
 * {@code y = x r} with {@code r = 1 / ||x||}.
 * <ul>
 *   <li>Forward: {@code ||x||^2} as the row sums of the squares truncated to f + 10 fractional bits (one product
 *       pass), r by {@link InverseSqrt} over [4^{@value #LO}, 4^({@value #HI}+1)) (norms from
 *       about 9.8e-4 to 32768; {@link #COMPARISONS} comparisons per example on {@code 2 HI + f + 13} bits, seven
 *       Newton steps), then {@code x r} (one product pass).
 *       Below the range r stays bounded, as DL4J's epsilon bounds its division; above it the result is not valid.</li>
 *   <li>Backward (DL4J's formula {@code e / ||x|| - x (sum e x) / ||x||^3}, written with y and r):
 *       {@code dx = r (e - y sum(e y))}: three product passes.</li>
 * </ul>
 * Precision: r within 4 units of 2^-f plus 1e-5 relative, so y within a relative 1e-5 + 4 ||x|| 2^-f (0.4% at a
 * norm of 1000: large norms lose precision in r; about 1e-3 measured at norms of 2000 to 4900).
 * Nothing is opened.
 */
public final class L2NormalizeNode extends SessionNode {
    static final int LO = -10;
    static final int HI = 14;
    /** The squared norm's fraction beyond f. */
    static final int SQUARE_EXTRA_BITS = 10;
    public static final int COMPARISONS = (HI - LO) / 2;

    private SharedTensor lastY;
    private SharedTensor lastR;

    private final int[] dimensions;

    /**
     * @param dimensions the vertex's dimensions: null or empty (DL4J's default), or every dimension but the first
     *                   of the input it meets ([1], [1, 2], [1, 2, 3]); checked against the input's rank
     */
    public L2NormalizeNode(String name, int[] dimensions, Session session) {
        super(name, session);
        this.dimensions = dimensions == null ? new int[0] : dimensions.clone();
    }

    @Override
    public String describe() {
        return "vertex '" + name + "' (L2NormalizeVertex)";
    }

    @Override
    public SharedTensor forward(SharedTensor[] in, boolean training) {
        SharedTensor x = in[0];
        long[] shape = x.shape();
        if (dimensions.length > 0 && dimensions.length != shape.length - 1) {
            throw new IllegalArgumentException(describe() + ": dimensions " + Arrays.toString(dimensions)
                    + " on input of shape " + Arrays.toString(shape) + " (every dimension but the first is supported)");
        }
        long n = shape[0];
        long k = x.length() / n;
        SharedTensor flat = x.reshape(n, k);
        // sum_j x_j^2 at f + 10 fractional bits: each square truncated by f - 10 (at f bits the squares of entries
        // below 1e-3 would be a unit of 2^-f or less), then the local row sums; summing the products at 2f first
        // would leave the ring's range for rows of norm above about 2048
        int f = session.fractionalBits();
        RingTensor z = Multiplication.localShare(session, flat, flat, Multiplication.ELEMENTWISE);
        SharedTensor sumSq = Truncation.truncateProduct(session, z, f - SQUARE_EXTRA_BITS).sum(1).reshape(n);
        SharedTensor r = InverseSqrt.inverseSqrt(session, sumSq, f + SQUARE_EXTRA_BITS, LO, HI);
        SharedTensor y = FixedPointOps.mul(session, flat, spread(r, k));
        lastY = training ? y : null;
        lastR = training ? r : null;
        return y.reshape(shape);
    }

    @Override
    public SharedTensor[] backward(SharedTensor eps, boolean[] need) {
        if (lastY == null) {
            throw new IllegalStateException(describe() + ": backward without a training forward pass");
        }
        if (!need[0]) {
            return new SharedTensor[] {null};
        }
        long[] shape = eps.shape();
        long n = shape[0];
        long k = eps.length() / n;
        SharedTensor e = eps.reshape(n, k);
        SharedTensor dot = FixedPointOps.mul(session, e, lastY).sum(1).reshape(n);
        SharedTensor inner = e.sub(FixedPointOps.mul(session, lastY, spread(dot, k)));
        SharedTensor dx = FixedPointOps.mul(session, inner, spread(lastR, k));
        lastY = null;
        lastR = null;
        return new SharedTensor[] {dx.reshape(shape)};
    }

    /** [n] to [n, k], each value copied k times (local). */
    private static SharedTensor spread(SharedTensor v, long k) {
        return new SharedTensor(v.party(), spread(v.first(), (int) k), spread(v.second(), (int) k));
    }

    private static RingTensor spread(RingTensor t, int k) {
        long[] v = t.toLongArray();
        long[] out = new long[v.length * k];
        for (int i = 0; i < v.length; i++) {
            Arrays.fill(out, i * k, (i + 1) * k, v[i]);
        }
        return RingTensor.of(out, v.length, k);
    }
}
