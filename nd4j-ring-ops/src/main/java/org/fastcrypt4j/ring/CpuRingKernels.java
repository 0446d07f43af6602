package org.fastcrypt4j.ring;

import java.util.Arrays;

/**
 * The CPU {@link RingKernels}: Java {@code long} arithmetic (exact mod 2^64), matmul by
 * {@link RingMatmulBlocked} (the fastest exact candidate measured, see {@link #multiply}), convolutions by
 * {@link Im2Col} plus one matmul.
 */
public final class CpuRingKernels implements RingKernels {

    /** Public no-argument constructor (also used by {@link RingKernelsProvider}). */
    public CpuRingKernels() {
    }

    /**
     * Whether the ring matmul runs {@link RingMatmulVector} (the Vector API micro-kernel): true when the JVM was
     * started with {@code --add-modules jdk.incubator.vector} (as {@code ./fastcrypt4j}, the tests and the notebook
     * kernel are) unless the system property {@code fastcrypt4j.matmul} is {@code blocked}.
     */
    public static final boolean VECTOR_KERNEL = vectorKernelUsable();

    private static boolean vectorKernelUsable() {
        if ("blocked".equals(System.getProperty("fastcrypt4j.matmul"))) {
            return false;
        }
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return false;
        }
        try {
            return RingMatmulVector.nr() >= 2;
        } catch (LinkageError e) {
            return false;
        }
    }

    /**
     * {@code c = a[m,k] x b[k,n]} mod 2^64 on row-major arrays: {@link RingMatmulVector} where the Vector API is
     * available (about ten times faster with AVX-512, twice with AVX2, measured on LeNet's shapes), else the
     * cache-blocked long kernel {@link RingMatmulBlocked}. The limb method ({@link RingMatmulLimbs}, six float64
     * GEMMs) measured slower than the blocked long kernel on every shape of RingBench on this machine.
     */
    public static void multiply(long[] a, long[] b, long[] c, int m, int k, int n) {
        if (VECTOR_KERNEL) {
            RingMatmulVector.multiply(a, b, c, m, k, n);
        } else {
            RingMatmulBlocked.multiply(a, b, c, m, k, n);
        }
    }

    @Override
    public RingTensor matmul(RingTensor a, boolean transposeA, RingTensor b, boolean transposeB) {
        requireRank(a, 2, "matmul left operand");
        requireRank(b, 2, "matmul right operand");
        int ar = (int) a.size(0);
        int ac = (int) a.size(1);
        int br = (int) b.size(0);
        int bc = (int) b.size(1);
        int m = transposeA ? ac : ar;
        int k = transposeA ? ar : ac;
        int kb = transposeB ? bc : br;
        int n = transposeB ? br : bc;
        if (k != kb) {
            throw new IllegalArgumentException("matmul: inner dimensions differ, " + shapeOf(a, transposeA) + " x "
                    + shapeOf(b, transposeB));
        }
        long[] av = a.toLongArray();
        long[] bv = b.toLongArray();
        if (transposeA) {
            av = transpose(av, ar, ac);
        }
        if (transposeB) {
            bv = transpose(bv, br, bc);
        }
        long[] c = new long[Math.multiplyExact(m, n)];
        multiply(av, bv, c, m, k, n);
        return RingTensor.of(c, m, n);
    }

    private static String shapeOf(RingTensor t, boolean transposed) {
        return (transposed ? "transpose of " : "") + Arrays.toString(t.shape());
    }

    /** The transpose of a row-major {@code [rows, cols]} array, blocked for cache reuse. */
    static long[] transpose(long[] x, int rows, int cols) {
        long[] t = new long[x.length];
        final int blk = 32;
        for (int i0 = 0; i0 < rows; i0 += blk) {
            int i1 = Math.min(rows, i0 + blk);
            for (int j0 = 0; j0 < cols; j0 += blk) {
                int j1 = Math.min(cols, j0 + blk);
                for (int i = i0; i < i1; i++) {
                    for (int j = j0; j < j1; j++) {
                        t[j * rows + i] = x[i * cols + j];
                    }
                }
            }
        }
        return t;
    }

    @Override
    public RingTensor im2col(RingTensor input, ConvGeometry g) {
        Im2Col geo = geometry(input.shape(), g, "im2col input");
        long[] cols = new long[Math.multiplyExact(geo.colRows(), geo.colCols())];
        geo.im2col(input.toLongArray(), cols);
        return RingTensor.of(cols, geo.colRows(), geo.colCols());
    }

    @Override
    public RingTensor col2im(RingTensor cols, long[] inputShape, ConvGeometry g) {
        Im2Col geo = geometry(inputShape, g, "col2im target");
        if (cols.rank() != 2 || cols.size(0) != geo.colRows() || cols.size(1) != geo.colCols()) {
            throw new IllegalArgumentException("col2im: column matrix " + Arrays.toString(cols.shape())
                    + " does not match [" + geo.colRows() + ", " + geo.colCols() + "] for input "
                    + Arrays.toString(inputShape) + " and " + g);
        }
        long[] out = new long[Math.toIntExact(product(inputShape))];
        geo.col2im(cols.toLongArray(), out);
        return RingTensor.of(out, inputShape.clone());
    }

    @Override
    public RingTensor conv2d(RingTensor input, RingTensor weights, RingTensor bias, ConvGeometry g) {
        long[] in = input.shape();
        Im2Col geo = geometry(in, g, "conv2d input");
        int oc = checkWeights(weights, in, g, "conv2d");
        long[] cols = new long[Math.multiplyExact(geo.colRows(), geo.colCols())];
        geo.im2col(input.toLongArray(), cols);
        int p = geo.colCols();
        long[] prod = new long[Math.multiplyExact(oc, p)];
        multiply(weights.toLongArray(), cols, prod, oc, geo.colRows(), p);
        long[] biasV = null;
        if (bias != null) {
            if (bias.length() != oc) {
                throw new IllegalArgumentException("conv2d: bias " + Arrays.toString(bias.shape()) + " must hold "
                        + oc + " values (one per output channel)");
            }
            biasV = bias.toLongArray();
        }
        int batch = (int) in[0];
        int plane = geo.outH() * geo.outW();
        long[] out = new long[prod.length];
        for (int o = 0; o < oc; o++) {
            long bo = biasV == null ? 0L : biasV[o];
            for (int img = 0; img < batch; img++) {
                int src = o * p + img * plane;
                int dst = (img * oc + o) * plane;
                for (int q = 0; q < plane; q++) {
                    out[dst + q] = prod[src + q] + bo;
                }
            }
        }
        return RingTensor.of(out, batch, oc, geo.outH(), geo.outW());
    }

    @Override
    public RingTensor conv2dBackwardInput(RingTensor dOut, RingTensor weights, long[] inputShape, ConvGeometry g) {
        Im2Col geo = geometry(inputShape, g, "conv2d backward-input target");
        int oc = checkWeights(weights, inputShape, g, "conv2d backward-input");
        long[] dO = channelsFirst(dOut, (int) inputShape[0], oc, geo, "conv2d backward-input");
        int ckk = geo.colRows();
        long[] wt = transpose(weights.toLongArray(), oc, ckk);
        long[] dCols = new long[Math.multiplyExact(ckk, geo.colCols())];
        multiply(wt, dO, dCols, ckk, oc, geo.colCols());
        long[] out = new long[Math.toIntExact(product(inputShape))];
        geo.col2im(dCols, out);
        return RingTensor.of(out, inputShape.clone());
    }

    @Override
    public RingTensor conv2dBackwardWeights(RingTensor input, RingTensor dOut, ConvGeometry g) {
        long[] in = input.shape();
        Im2Col geo = geometry(in, g, "conv2d backward-weights input");
        if (dOut.rank() != 4) {
            throw new IllegalArgumentException("conv2d backward-weights: dOut must be [N, OC, OH, OW], got "
                    + Arrays.toString(dOut.shape()));
        }
        int oc = (int) dOut.size(1);
        // dW^T = cols [C*KH*KW, N*OH*OW] x dOut^T [N*OH*OW, OC]: dOut^T is a rearrangement that a copy needs anyway,
        // and only the small [C*KH*KW, OC] result is transposed (not the column matrix, OC/(C*KH*KW) of the work)
        long[] dOT = channelsLast(dOut, (int) in[0], oc, geo, "conv2d backward-weights");
        long[] cols = new long[Math.multiplyExact(geo.colRows(), geo.colCols())];
        geo.im2col(input.toLongArray(), cols);
        long[] dWT = new long[Math.multiplyExact(oc, geo.colRows())];
        multiply(cols, dOT, dWT, geo.colRows(), geo.colCols(), oc);
        return RingTensor.of(transpose(dWT, geo.colRows(), oc), oc, in[1], g.kernelH(), g.kernelW());
    }

    /** {@code dOut [N, OC, OH, OW]} rearranged to {@code [N*OH*OW, OC]}. */
    private static long[] channelsLast(RingTensor dOut, int batch, int oc, Im2Col geo, String op) {
        checkDOut(dOut, batch, oc, geo, op);
        long[] d = dOut.toLongArray();
        int plane = geo.outH() * geo.outW();
        long[] r = new long[d.length];
        for (int img = 0; img < batch; img++) {
            int base = img * oc * plane;
            for (int o = 0; o < oc; o++) {
                int src = base + o * plane;
                int dst = base + o;
                for (int q = 0; q < plane; q++) {
                    r[dst + q * oc] = d[src + q];
                }
            }
        }
        return r;
    }

    private static void checkDOut(RingTensor dOut, int batch, int oc, Im2Col geo, String op) {
        long[] expected = {batch, oc, geo.outH(), geo.outW()};
        if (!Arrays.equals(dOut.shape(), expected)) {
            throw new IllegalArgumentException(op + ": dOut " + Arrays.toString(dOut.shape()) + " must be "
                    + Arrays.toString(expected));
        }
    }

    /** {@code dOut [N, OC, OH, OW]} rearranged to {@code [OC, N*OH*OW]}. */
    private static long[] channelsFirst(RingTensor dOut, int batch, int oc, Im2Col geo, String op) {
        checkDOut(dOut, batch, oc, geo, op);
        long[] d = dOut.toLongArray();
        int plane = geo.outH() * geo.outW();
        int p = batch * plane;
        long[] r = new long[d.length];
        for (int img = 0; img < batch; img++) {
            for (int o = 0; o < oc; o++) {
                System.arraycopy(d, (img * oc + o) * plane, r, o * p + img * plane, plane);
            }
        }
        return r;
    }

    private static int checkWeights(RingTensor weights, long[] in, ConvGeometry g, String op) {
        long[] ws = weights.shape();
        if (ws.length != 4 || ws[1] != in[1] || ws[2] != g.kernelH() || ws[3] != g.kernelW()) {
            throw new IllegalArgumentException(op + ": weights " + Arrays.toString(ws) + " must be [OC, " + in[1]
                    + ", " + g.kernelH() + ", " + g.kernelW() + "] for input " + Arrays.toString(in) + " and " + g);
        }
        return (int) ws[0];
    }

    private static Im2Col geometry(long[] shape, ConvGeometry g, String what) {
        if (shape.length != 4) {
            throw new IllegalArgumentException(what + " must be NCHW [N, C, H, W], got " + Arrays.toString(shape));
        }
        for (long d : shape) {
            if (d <= 0 || d > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(what + " has a bad dimension: " + Arrays.toString(shape));
            }
        }
        return new Im2Col((int) shape[0], (int) shape[1], (int) shape[2], (int) shape[3], g);
    }

    private static long product(long[] shape) {
        long p = 1;
        for (long d : shape) {
            p = Math.multiplyExact(p, d);
        }
        return p;
    }

    private static void requireRank(RingTensor t, int rank, String what) {
        if (t.rank() != rank) {
            throw new IllegalArgumentException(what + " must have rank " + rank + ", got shape "
                    + Arrays.toString(t.shape()));
        }
    }

    private static void requireSameLength(RingTensor a, RingTensor b, String op) {
        if (a.length() != b.length()) {
            throw new IllegalArgumentException(op + ": lengths differ, " + Arrays.toString(a.shape()) + " vs "
                    + Arrays.toString(b.shape()));
        }
    }

    @Override
    public RingTensor add(RingTensor a, RingTensor b) {
        requireSameLength(a, b, "add");
        long[] x = a.toLongArray();
        long[] y = b.toLongArray();
        for (int i = 0; i < x.length; i++) {
            x[i] += y[i];
        }
        return RingTensor.of(x, a.shape());
    }

    @Override
    public RingTensor sub(RingTensor a, RingTensor b) {
        requireSameLength(a, b, "sub");
        long[] x = a.toLongArray();
        long[] y = b.toLongArray();
        for (int i = 0; i < x.length; i++) {
            x[i] -= y[i];
        }
        return RingTensor.of(x, a.shape());
    }

    @Override
    public RingTensor mul(RingTensor a, RingTensor b) {
        requireSameLength(a, b, "mul");
        long[] x = a.toLongArray();
        long[] y = b.toLongArray();
        for (int i = 0; i < x.length; i++) {
            x[i] *= y[i];
        }
        return RingTensor.of(x, a.shape());
    }

    @Override
    public String name() {
        return "cpu";
    }
}
