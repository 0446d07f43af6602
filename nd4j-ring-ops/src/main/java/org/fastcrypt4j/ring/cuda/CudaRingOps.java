package org.fastcrypt4j.ring.cuda;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The ring operations of ring_kernels.cu on ND4J LONG arrays that live on the GPU (CUDA backend), all
 * exact mod 2^64. Inputs of any layout are accepted (non-compact ones are copied to c-order first);
 * outputs are written into a caller-given array, which may be one of the inputs of an elementwise op
 * (in-place) and must be a compact c-order LONG array of the result shape. Each call blocks until
 * the kernel has finished. Kernels are compiled once per device with NVRTC on first use.
 */
public final class CudaRingOps {
    private static final Map<Integer, CudaModule> MODULES = new ConcurrentHashMap<>();

    private CudaRingOps() {
    }

    private static CudaModule module() {
        return MODULES.computeIfAbsent(CudaDriver.currentDevice(), CudaModule::load);
    }

    /** A new c-order LONG array of the given shape, for use as an output. */
    public static INDArray allocate(long... shape) {
        return Nd4j.createUninitialized(DataType.LONG, shape, 'c');
    }

    /**
     * out = a OP b elementwise for OP in ADD, SUB, MUL, XOR, AND. b has a's shape, or (for a of rank 2,
     * [rows, cols]) is a row vector of cols elements broadcast down the rows, or a column vector
     * [rows, 1] broadcast along the columns.
     */
    public static INDArray binary(CudaKernel op, INDArray a, INDArray b, INDArray out) {
        if (op != CudaKernel.ADD && op != CudaKernel.SUB && op != CudaKernel.MUL && op != CudaKernel.XOR && op != CudaKernel.AND) {
            throw new IllegalArgumentException(op + " is not an elementwise binary ring kernel");
        }
        long rows;
        long cols;
        long bRowStride;
        long bColStride;
        if (Arrays.equals(a.shape(), b.shape())) {
            rows = 1;
            cols = a.length();
            bRowStride = 0;
            bColStride = 1;
        } else if (a.rank() == 2 && b.length() == a.size(1) && (b.rank() == 1 || b.size(0) == 1)) {
            rows = a.size(0);
            cols = a.size(1);
            bRowStride = 0;
            bColStride = 1;
        } else if (a.rank() == 2 && b.rank() == 2 && b.size(0) == a.size(0) && b.size(1) == 1) {
            rows = a.size(0);
            cols = a.size(1);
            bRowStride = 1;
            bColStride = 0;
        } else {
            throw new IllegalArgumentException("cannot broadcast " + Arrays.toString(b.shape()) + " to "
                    + Arrays.toString(a.shape()) + " for ring " + op);
        }
        checkOutput(out, a.shape(), op);
        INDArray ca = DeviceArrays.compact(a);
        INDArray cb = DeviceArrays.compact(b);
        module().launchElementwise(op, rows * cols, DeviceArrays.address(ca), DeviceArrays.address(cb),
                DeviceArrays.address(out), rows, cols, bRowStride, bColStride);
        DeviceArrays.markWritten(out);
        return out;
    }

    /** out = -a (NEG) or out = ~a (NOT) elementwise. */
    public static INDArray unary(CudaKernel op, INDArray a, INDArray out) {
        if (op != CudaKernel.NEG && op != CudaKernel.NOT) {
            throw new IllegalArgumentException(op + " is not a unary ring kernel");
        }
        checkOutput(out, a.shape(), op);
        INDArray ca = DeviceArrays.compact(a);
        module().launchElementwise(op, a.length(), DeviceArrays.address(ca), DeviceArrays.address(out), a.length());
        DeviceArrays.markWritten(out);
        return out;
    }

    /** out = a * k mod 2^64 for a public constant k. */
    public static INDArray mulConstant(INDArray a, long k, INDArray out) {
        checkOutput(out, a.shape(), CudaKernel.MUL_CONST);
        INDArray ca = DeviceArrays.compact(a);
        module().launchElementwise(CudaKernel.MUL_CONST, a.length(), DeviceArrays.address(ca), k,
                DeviceArrays.address(out), a.length());
        DeviceArrays.markWritten(out);
        return out;
    }

    /** out = a shifted by s in [0, 63]: SHL (&lt;&lt;), SHR (logical &gt;&gt;&gt;) or SAR (arithmetic &gt;&gt;). */
    public static INDArray shift(CudaKernel op, INDArray a, int s, INDArray out) {
        if (op != CudaKernel.SHL && op != CudaKernel.SHR && op != CudaKernel.SAR) {
            throw new IllegalArgumentException(op + " is not a shift kernel");
        }
        if (s < 0 || s > 63) {
            throw new IllegalArgumentException("shift amount " + s + " is outside [0, 63]");
        }
        checkOutput(out, a.shape(), op);
        INDArray ca = DeviceArrays.compact(a);
        module().launchElementwise(op, a.length(), DeviceArrays.address(ca), s, DeviceArrays.address(out), a.length());
        DeviceArrays.markWritten(out);
        return out;
    }

    /**
     * out = op(a) x op(b) mod 2^64 for rank-2 a and b, op the transpose where requested. out must not
     * be a or b.
     */
    public static INDArray matmul(INDArray a, INDArray b, boolean transposeA, boolean transposeB, INDArray out) {
        if (a.rank() != 2 || b.rank() != 2) {
            throw new IllegalArgumentException("ring matmul needs rank-2 operands, got " + Arrays.toString(a.shape())
                    + " and " + Arrays.toString(b.shape()));
        }
        long m = transposeA ? a.size(1) : a.size(0);
        long k = transposeA ? a.size(0) : a.size(1);
        long kb = transposeB ? b.size(1) : b.size(0);
        long n = transposeB ? b.size(0) : b.size(1);
        if (k != kb) {
            throw new IllegalArgumentException("ring matmul inner dimensions differ: " + Arrays.toString(a.shape())
                    + (transposeA ? "^T" : "") + " x " + Arrays.toString(b.shape()) + (transposeB ? "^T" : ""));
        }
        checkOutput(out, new long[] {m, n}, CudaKernel.MATMUL);
        if (out == a || out == b) {
            throw new IllegalArgumentException("ring matmul output must not alias an operand");
        }
        INDArray ca = DeviceArrays.compact(a);
        INDArray cb = DeviceArrays.compact(b);
        module().launchMatmul(m, n, DeviceArrays.address(ca), DeviceArrays.address(cb), DeviceArrays.address(out),
                m, n, k, ca.size(1), cb.size(1), n, transposeA ? 1 : 0, transposeB ? 1 : 0);
        DeviceArrays.markWritten(out);
        return out;
    }

    /**
     * im2col of an NCHW input into out of shape [c*kH*kW, n*oH*oW] (the layout of
     * org.fastcrypt4j.ring.RingKernels): row (ch*kH + ky)*kW + kx, column (b*oH + oy)*oW + ox holds
     * input[b, ch, oy*sH - padTop + ky*dH, ox*sW - padLeft + kx*dW], or 0 in the padding. oH and oW
     * come from the caller's ConvolutionMode.
     */
    public static INDArray im2col(INDArray input, int[] geometry, long oH, long oW, INDArray out) {
        long[] s = input.shape();
        checkGeometry(s, geometry, oH, oW);
        checkOutput(out, new long[] {s[1] * geometry[0] * geometry[1], s[0] * oH * oW}, CudaKernel.IM2COL);
        INDArray ci = DeviceArrays.compact(input);
        launchConvolutionIndexing(CudaKernel.IM2COL, ci, out, s, geometry, oH, oW, out.length());
        return out;
    }

    /**
     * col2im, the adjoint of {@link #im2col}: out (NCHW, shape imageShape) receives, at each position,
     * the sum mod 2^64 of the column-matrix entries that im2col would read from there.
     */
    public static INDArray col2im(INDArray columns, long[] imageShape, int[] geometry, long oH, long oW, INDArray out) {
        checkGeometry(imageShape, geometry, oH, oW);
        long[] expected = {imageShape[1] * geometry[0] * geometry[1], imageShape[0] * oH * oW};
        if (!Arrays.equals(columns.shape(), expected)) {
            throw new IllegalArgumentException("col2im needs a column matrix of shape " + Arrays.toString(expected)
                    + " for image " + Arrays.toString(imageShape) + ", got " + Arrays.toString(columns.shape()));
        }
        checkOutput(out, imageShape, CudaKernel.COL2IM);
        INDArray cc = DeviceArrays.compact(columns);
        launchConvolutionIndexing(CudaKernel.COL2IM, cc, out, imageShape, geometry, oH, oW, out.length());
        return out;
    }

    /** geometry = {kH, kW, sH, sW, padTop, padLeft, dH, dW}. */
    private static void checkGeometry(long[] imageShape, int[] g, long oH, long oW) {
        if (imageShape.length != 4) {
            throw new IllegalArgumentException("convolution images are NCHW, got shape " + Arrays.toString(imageShape));
        }
        if (g.length != 8 || g[0] < 1 || g[1] < 1 || g[2] < 1 || g[3] < 1 || g[4] < 0 || g[5] < 0 || g[6] < 1 || g[7] < 1
                || oH < 0 || oW < 0) {
            throw new IllegalArgumentException("invalid convolution geometry {kH, kW, sH, sW, padTop, padLeft, dH, dW} = "
                    + Arrays.toString(g) + " with output " + oH + "x" + oW);
        }
    }

    private static void launchConvolutionIndexing(CudaKernel kernel, INDArray source, INDArray out, long[] s, int[] g,
                                                  long oH, long oW, long work) {
        module().launchElementwise(kernel, work, DeviceArrays.address(source), DeviceArrays.address(out),
                s[0], s[1], s[2], s[3], g[0], g[1], g[2], g[3], g[4], g[5], g[6], g[7], oH, oW);
        DeviceArrays.markWritten(out);
    }

    private static void checkOutput(INDArray out, long[] shape, CudaKernel op) {
        if (!Arrays.equals(out.shape(), shape) || DeviceArrays.compact(out) != out) {
            throw new IllegalArgumentException("output of ring " + op + " must be a compact c-order LONG array of shape "
                    + Arrays.toString(shape) + ", got " + out.dataType() + " " + Arrays.toString(out.shape())
                    + " order " + out.ordering());
        }
    }
}
