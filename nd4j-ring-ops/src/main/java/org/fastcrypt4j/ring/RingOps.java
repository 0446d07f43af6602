package org.fastcrypt4j.ring;

import java.util.Arrays;

/**
 * Exact ring operations beyond {@link RingTensor}'s same-shape arithmetic: broadcasting products and sums,
 * public fixed-point scaling, reductions over axes, shifts and bit extraction. Everything is exact mod
 * 2^64 (Java {@code long} wrap-around); the loops run over {@code long[]} copies of the c-order data.
 *
 * <p>Broadcasting follows NumPy/ND4J rules restricted to one side: the second operand's shape, right-aligned
 * against the first operand's, must have each dimension equal to the first's or 1; the result has the
 * first operand's shape. So {@code [n, m] * [1, m]}, {@code [n, m] * [m]}, {@code [n, m] * [n, 1]} and
 * {@code [N, C, H, W] * [1, C, 1, 1]} work; {@link #mulPerChannel} takes a per-channel vector {@code [C]}.
 */
public final class RingOps {

    private static final int MUL = 0;
    private static final int ADD = 1;
    private static final int SUB = 2;

    private RingOps() {
    }

    // ---------------------------------------------------------------- broadcasting

    /** {@code a * b} with {@code b} broadcast to {@code a}'s shape. */
    public static RingTensor mulBroadcast(RingTensor a, RingTensor b) {
        return broadcast(a, b, "mulBroadcast", MUL);
    }

    /** {@code a + b} with {@code b} broadcast to {@code a}'s shape (e.g. a bias row). */
    public static RingTensor addBroadcast(RingTensor a, RingTensor b) {
        return broadcast(a, b, "addBroadcast", ADD);
    }

    /** {@code a - b} with {@code b} broadcast to {@code a}'s shape. */
    public static RingTensor subBroadcast(RingTensor a, RingTensor b) {
        return broadcast(a, b, "subBroadcast", SUB);
    }

    /** {@code x [N, C, ...] * c [C]}: every element of channel {@code c} times {@code c[c]}. */
    public static RingTensor mulPerChannel(RingTensor x, RingTensor perChannel) {
        return mulBroadcast(x, perChannel.reshapeView(channelShape(x, perChannel, "mulPerChannel")));
    }

    /** {@code x [N, C, ...] + c [C]} (a convolution bias). */
    public static RingTensor addPerChannel(RingTensor x, RingTensor perChannel) {
        return addBroadcast(x, perChannel.reshapeView(channelShape(x, perChannel, "addPerChannel")));
    }

    private static long[] channelShape(RingTensor x, RingTensor c, String op) {
        if (x.rank() < 2 || c.length() != x.size(1)) {
            throw new IllegalArgumentException(op + ": need x [N, C, ...] and a vector of C elements, got "
                    + Arrays.toString(x.shape()) + " and " + Arrays.toString(c.shape()));
        }
        long[] s = new long[x.rank()];
        Arrays.fill(s, 1L);
        s[1] = x.size(1);
        return s;
    }

    private static RingTensor broadcast(RingTensor a, RingTensor b, String op, int f) {
        long[] as = a.shape();
        long[] bs = b.shape();
        int r = as.length;
        if (bs.length > r) {
            throw new IllegalArgumentException(op + ": cannot broadcast " + Arrays.toString(bs) + " to "
                    + Arrays.toString(as));
        }
        // strides of b in a's index space (0 where b broadcasts)
        long[] bStride = new long[r];
        long s = 1;
        for (int d = r - 1, e = bs.length - 1; d >= 0; d--, e--) {
            long bd = e >= 0 ? bs[e] : 1;
            if (bd != as[d] && bd != 1) {
                throw new IllegalArgumentException(op + ": cannot broadcast " + Arrays.toString(bs) + " to "
                        + Arrays.toString(as) + " (dimension " + d + ")");
            }
            bStride[d] = bd == 1 ? 0 : s;
            s *= bd;
        }
        long[] x = a.toLongArray();
        long[] y = b.toLongArray();
        int n = x.length;
        if (n == 0) {
            return RingTensor.zeros(as);
        }
        int inner = r == 0 ? 1 : (int) as[r - 1];
        int innerStride = r == 0 ? 0 : (int) bStride[r - 1];
        int[] idx = new int[Math.max(r - 1, 0)];
        int bBase = 0;
        for (int off = 0; off < n; off += inner) {
            if (innerStride == 1) {
                applyRow(f, x, off, y, bBase, inner);
            } else {
                applyScalar(f, x, off, y[bBase], inner);
            }
            for (int d = r - 2; d >= 0; d--) {
                bBase += (int) bStride[d];
                if (++idx[d] < as[d]) {
                    break;
                }
                bBase -= (int) (bStride[d] * as[d]);
                idx[d] = 0;
            }
        }
        return RingTensor.of(x, as);
    }

    /** {@code x[off + i] = x[off + i] op y[yOff + i]}; one loop per operator so each stays monomorphic. */
    private static void applyRow(int op, long[] x, int off, long[] y, int yOff, int len) {
        switch (op) {
            case MUL -> {
                for (int i = 0; i < len; i++) {
                    x[off + i] *= y[yOff + i];
                }
            }
            case ADD -> {
                for (int i = 0; i < len; i++) {
                    x[off + i] += y[yOff + i];
                }
            }
            default -> {
                for (int i = 0; i < len; i++) {
                    x[off + i] -= y[yOff + i];
                }
            }
        }
    }

    /** {@code x[off + i] = x[off + i] op c}. */
    private static void applyScalar(int op, long[] x, int off, long c, int len) {
        switch (op) {
            case MUL -> {
                for (int i = 0; i < len; i++) {
                    x[off + i] *= c;
                }
            }
            case ADD -> {
                for (int i = 0; i < len; i++) {
                    x[off + i] += c;
                }
            }
            default -> {
                for (int i = 0; i < len; i++) {
                    x[off + i] -= c;
                }
            }
        }
    }

    // ---------------------------------------------------------------- public constants

    /** {@code a * c} for a public integer {@code c}. */
    public static RingTensor mulPublic(RingTensor a, long c) {
        return a.mul(c);
    }

    /**
     * {@code a * enc(c)} for a public real {@code c}: the result carries {@code 2f} fractional bits when
     * {@code a} carries {@code f}; the caller truncates by {@code f}. Exact in the ring while the product is
     * in the range stated by {@link FixedPoint}.
     */
    public static RingTensor mulFixed(RingTensor a, double c, FixedPoint fp) {
        return a.mul(fp.encode(c));
    }

    // ---------------------------------------------------------------- reductions

    /**
     * The sum over the given axes (distinct, in {@code [0, rank)}), exact mod 2^64; the reduced axes are
     * removed from the shape (ND4J's {@code sum(axes)} without keep-dims). No axes means all axes. When every
     * axis is reduced the result has shape {@code [1]}.
     */
    public static RingTensor sum(RingTensor a, int... axes) {
        long[] shape = a.shape();
        int r = shape.length;
        boolean[] reduce = new boolean[r];
        if (axes.length == 0) {
            Arrays.fill(reduce, true);
        }
        for (int ax : axes) {
            int d = ax < 0 ? ax + r : ax;
            if (d < 0 || d >= r || reduce[d]) {
                throw new IllegalArgumentException("sum: bad or repeated axis " + ax + " for shape " + Arrays.toString(shape));
            }
            reduce[d] = true;
        }
        // neighbouring axes with the same role merge into one (a sum over axes 2 and 3 of NCHW is one contiguous run)
        long[] merged = new long[r];
        boolean[] mergedReduce = new boolean[r];
        int m = 0;
        for (int d = 0; d < r; d++) {
            if (m > 0 && mergedReduce[m - 1] == reduce[d]) {
                merged[m - 1] *= shape[d];
            } else {
                merged[m] = shape[d];
                mergedReduce[m] = reduce[d];
                m++;
            }
        }
        long[] cur = a.toLongArray();
        long[] curShape = Arrays.copyOf(merged, m);
        for (int d = m - 1; d >= 0; d--) {
            if (mergedReduce[d]) {
                cur = sumAxis(cur, curShape, d);
                curShape[d] = 1;
            }
        }
        int kept = 0;
        for (int d = 0; d < r; d++) {
            if (!reduce[d]) {
                kept++;
            }
        }
        long[] outShape = new long[Math.max(kept, 1)];
        outShape[0] = 1;
        for (int d = 0, k = 0; d < r; d++) {
            if (!reduce[d]) {
                outShape[k++] = shape[d];
            }
        }
        return RingTensor.of(cur, outShape);
    }

    private static long[] sumAxis(long[] x, long[] shape, int axis) {
        long outer = 1;
        for (int d = 0; d < axis; d++) {
            outer *= shape[d];
        }
        long innerL = 1;
        for (int d = axis + 1; d < shape.length; d++) {
            innerL *= shape[d];
        }
        int len = (int) shape[axis];
        int inner = (int) innerL;
        long[] out = new long[(int) (outer * inner)];
        if (inner == 1) {
            for (int o = 0; o < outer; o++) {
                long acc = 0;
                for (int k = 0, src = o * len; k < len; k++) {
                    acc += x[src + k];
                }
                out[o] = acc;
            }
            return out;
        }
        for (int o = 0; o < outer; o++) {
            int src = o * len * inner;
            int dst = o * inner;
            for (int k = 0; k < len; k++) {
                int row = src + k * inner;
                for (int i = 0; i < inner; i++) {
                    out[dst + i] += x[row + i];
                }
            }
        }
        return out;
    }

    /** How many elements each output of {@link #sum}{@code (a, axes)} adds up. */
    public static long reducedCount(long[] shape, int... axes) {
        if (axes.length == 0) {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }
        long n = 1;
        for (int ax : axes) {
            n *= shape[ax < 0 ? ax + shape.length : ax];
        }
        return n;
    }

    /**
     * The mean over the given axes as {@code sum * enc(1 / count)}: the result carries {@code 2f} fractional
     * bits when {@code a} carries {@code f} (the caller truncates by {@code f}, as after any product), and
     * {@code enc(1 / count)} is rounded to {@code f} bits, so the mean has a relative error of at most
     * {@code count * 2^-(f+1)} before truncation. This keeps the operation local on shares; an exact
     * division would need a protocol.
     */
    public static RingTensor mean(RingTensor a, FixedPoint fp, int... axes) {
        long count = reducedCount(a.shape(), axes);
        if (count == 0) {
            throw new IllegalArgumentException("mean over an empty axis of shape " + Arrays.toString(a.shape()));
        }
        return sum(a, axes).muli(fp.encode(1.0 / count));
    }

    // ---------------------------------------------------------------- shifts and bits

    /** Arithmetic (sign-extending) right shift {@code x >> k}, {@code 0 <= k <= 63}. */
    public static RingTensor shiftRight(RingTensor a, int k) {
        return a.shiftRight(k);
    }

    /** Logical (zero-filling) right shift {@code x >>> k}, {@code 0 <= k <= 63}. */
    public static RingTensor shiftRightLogical(RingTensor a, int k) {
        return a.shiftRightLogical(k);
    }

    /** Left shift {@code x << k} (multiplication by 2^k mod 2^64), {@code 0 <= k <= 63}. */
    public static RingTensor shiftLeft(RingTensor a, int k) {
        return a.shiftLeft(k);
    }

    /** Bit {@code k} of every element, packed (c-order). */
    public static BitTensor bit(RingTensor a, int k) {
        return BitTensor.bitOf(a, k);
    }

    /** The most significant (sign) bit of every element, packed. */
    public static BitTensor msb(RingTensor a) {
        return BitTensor.bitOf(a, 63);
    }
}
