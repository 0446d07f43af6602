package org.fastcrypt4j.ring.cuda;

import java.util.Arrays;
import org.fastcrypt4j.ring.ConvGeometry;
import org.fastcrypt4j.ring.RingKernels;
import org.fastcrypt4j.ring.RingTensor;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link RingKernels} on the GPU: the kernels of ring_kernels.cu (compiled at run time with NVRTC, see
 * {@link NvrtcCompiler}) launched through org.bytedeco:cuda on the device buffers of ND4J's CUDA backend.
 * Convolutions are im2col (or col2im) plus one ring matmul, in the layouts documented on RingKernels;
 * the batch/channel transposes between [OC, N*OH*OW] and NCHW are ND4J copies on the device. Exact mod
 * 2^64, like the CPU kernels. Only usable when ND4J's CUDA backend is active; the class itself loads on any
 * backend (the CUDA bindings are touched on first use), so it compiles and links in the CPU build.
 */
public final class CudaRingKernels implements RingKernels {

    /**
     * Creates the kernels for the CUDA backend.
     *
     * @throws IllegalStateException if ND4J's active backend is not the CUDA one
     */
    public CudaRingKernels() {
        if (!DeviceArrays.cudaBackendActive()) {
            throw new IllegalStateException("CudaRingKernels needs ND4J's CUDA backend (" + DeviceArrays.CUDA_BACKEND
                    + "); build with -Pcuda");
        }
    }

    @Override
    public RingTensor matmul(RingTensor a, boolean transposeA, RingTensor b, boolean transposeB) {
        requireRank(a, 2, "matmul operand a");
        requireRank(b, 2, "matmul operand b");
        long m = transposeA ? a.size(1) : a.size(0);
        long n = transposeB ? b.size(0) : b.size(1);
        return RingTensor.wrap(CudaRingOps.matmul(a.array(), b.array(), transposeA, transposeB, CudaRingOps.allocate(m, n)));
    }

    @Override
    public RingTensor im2col(RingTensor input, ConvGeometry g) {
        requireRank(input, 4, "im2col input");
        long[] s = input.shape();
        long oH = g.outputHeight(Math.toIntExact(s[2]));
        long oW = g.outputWidth(Math.toIntExact(s[3]));
        INDArray out = CudaRingOps.allocate(s[1] * g.kernelH() * g.kernelW(), s[0] * oH * oW);
        return RingTensor.wrap(CudaRingOps.im2col(input.array(), geometry(g, s), oH, oW, out));
    }

    @Override
    public RingTensor col2im(RingTensor cols, long[] inputShape, ConvGeometry g) {
        if (inputShape.length != 4) {
            throw new IllegalArgumentException("col2im input shape must be NCHW, got " + Arrays.toString(inputShape));
        }
        long oH = g.outputHeight(Math.toIntExact(inputShape[2]));
        long oW = g.outputWidth(Math.toIntExact(inputShape[3]));
        INDArray out = CudaRingOps.allocate(inputShape);
        return RingTensor.wrap(CudaRingOps.col2im(cols.array(), inputShape, geometry(g, inputShape), oH, oW, out));
    }

    @Override
    public RingTensor conv2d(RingTensor input, RingTensor weights, RingTensor bias, ConvGeometry g) {
        requireRank(input, 4, "conv2d input");
        long[] w = checkWeights(weights, input.size(1), g);
        long n = input.size(0);
        RingTensor cols = im2col(input, g);
        INDArray product = CudaRingOps.matmul(flatWeights(weights, w), cols.array(), false, false,
                CudaRingOps.allocate(w[0], cols.size(1)));
        if (bias != null) {
            if (bias.length() != w[0]) {
                throw new IllegalArgumentException("conv2d bias has " + bias.length() + " elements for " + w[0]
                        + " output channels (weights " + Arrays.toString(w) + ")");
            }
            CudaRingOps.binary(CudaKernel.ADD, product, bias.array().reshape('c', w[0], 1), product);
        }
        long oH = g.outputHeight(Math.toIntExact(input.size(2)));
        long oW = g.outputWidth(Math.toIntExact(input.size(3)));
        return RingTensor.wrap(product.reshape('c', w[0], n, oH, oW).permute(1, 0, 2, 3).dup('c'));
    }

    @Override
    public RingTensor conv2dBackwardInput(RingTensor dOut, RingTensor weights, long[] inputShape, ConvGeometry g) {
        requireRank(dOut, 4, "conv2d output gradient");
        long[] w = checkWeights(weights, inputShape[1], g);
        INDArray columnsGrad = CudaRingOps.matmul(flatWeights(weights, w), channelMajor(dOut, w[0]), true, false,
                CudaRingOps.allocate(w[1] * w[2] * w[3], dOut.length() / w[0]));
        return col2im(RingTensor.wrap(columnsGrad), inputShape, g);
    }

    @Override
    public RingTensor conv2dBackwardWeights(RingTensor input, RingTensor dOut, ConvGeometry g) {
        requireRank(input, 4, "conv2d input");
        requireRank(dOut, 4, "conv2d output gradient");
        long oc = dOut.size(1);
        RingTensor cols = im2col(input, g);
        if (cols.size(1) * oc != dOut.length()) {
            throw new IllegalArgumentException("conv2d output gradient " + Arrays.toString(dOut.shape())
                    + " does not match input " + Arrays.toString(input.shape()) + " under " + g);
        }
        INDArray grad = CudaRingOps.matmul(channelMajor(dOut, oc), cols.array(), false, true,
                CudaRingOps.allocate(oc, cols.size(0)));
        return RingTensor.wrap(grad.reshape('c', oc, input.size(1), g.kernelH(), g.kernelW()));
    }

    @Override
    public RingTensor add(RingTensor a, RingTensor b) {
        return elementwise(CudaKernel.ADD, a, b);
    }

    @Override
    public RingTensor sub(RingTensor a, RingTensor b) {
        return elementwise(CudaKernel.SUB, a, b);
    }

    @Override
    public RingTensor mul(RingTensor a, RingTensor b) {
        return elementwise(CudaKernel.MUL, a, b);
    }

    @Override
    public String name() {
        return "cuda";
    }

    private static RingTensor elementwise(CudaKernel op, RingTensor a, RingTensor b) {
        if (a.length() != b.length()) {
            throw new IllegalArgumentException("ring " + op + " needs equal lengths, got " + Arrays.toString(a.shape())
                    + " and " + Arrays.toString(b.shape()));
        }
        INDArray bb = Arrays.equals(a.shape(), b.shape()) ? b.array() : b.array().reshape('c', a.shape());
        return RingTensor.wrap(CudaRingOps.binary(op, a.array(), bb, CudaRingOps.allocate(a.shape())));
    }

    /** {kH, kW, sH, sW, padTop, padLeft, dH, dW} for an NCHW image shape. */
    private static int[] geometry(ConvGeometry g, long[] imageShape) {
        return new int[] {g.kernelH(), g.kernelW(), g.strideH(), g.strideW(),
            g.padTop(Math.toIntExact(imageShape[2])), g.padLeft(Math.toIntExact(imageShape[3])), g.dilationH(), g.dilationW()};
    }

    private static long[] checkWeights(RingTensor weights, long inChannels, ConvGeometry g) {
        long[] w = weights.shape();
        if (w.length != 4 || w[1] != inChannels || w[2] != g.kernelH() || w[3] != g.kernelW()) {
            throw new IllegalArgumentException("conv2d weights must be [OC, " + inChannels + ", " + g.kernelH() + ", "
                    + g.kernelW() + "], got " + Arrays.toString(w));
        }
        return w;
    }

    /** Weights [OC, IC, KH, KW] as the matrix [OC, IC*KH*KW]. */
    private static INDArray flatWeights(RingTensor weights, long[] w) {
        return weights.array().reshape('c', w[0], w[1] * w[2] * w[3]);
    }

    /** An NCHW gradient [N, OC, OH, OW] as the c-order matrix [OC, N*OH*OW] (a device copy). */
    private static INDArray channelMajor(RingTensor dOut, long oc) {
        return dOut.array().permute(1, 0, 2, 3).dup('c').reshape('c', oc, dOut.length() / oc);
    }

    private static void requireRank(RingTensor t, int rank, String what) {
        if (t.rank() != rank) {
            throw new IllegalArgumentException(what + " must have rank " + rank + ", got shape " + Arrays.toString(t.shape()));
        }
    }
}
