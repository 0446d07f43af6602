package org.fastcrypt4j.ring;

/**
 * The ring kernels behind {@link RingTensor}'s heavy operations, exact modulo 2^64 (two's complement
 * {@code long} wrap-around). One implementation per backend: {@link CpuRingKernels} and, when ND4J's CUDA
 * backend is active, {@code org.fastcrypt4j.ring.cuda.CudaRingKernels}; {@link #current()} picks one.
 *
 * <p>Layouts (all tensors are compact c-order, see {@link RingTensor}):
 * <ul>
 *   <li>matrices are rank 2, {@code [rows, cols]}, row-major;</li>
 *   <li>images are NCHW {@code [N, C, H, W]};</li>
 *   <li>convolution weights are DL4J's {@code [OC, IC, KH, KW]}; bias is {@code [OC]} (or {@code [1, OC]});</li>
 *   <li>the column matrix of {@link #im2col} is {@code [C*KH*KW, N*OH*OW]}: row {@code (c*KH + kh)*KW + kw},
 *       column {@code (n*OH + oh)*OW + ow} holds input {@code [n, c, oh*sH - padTop + kh*dH,
 *       ow*sW - padLeft + kw*dW]}, or 0 where that position lies in the padding. With this layout the
 *       forward convolution is the single product {@code W[OC, C*KH*KW] x cols}.</li>
 * </ul>
 * Shape errors throw {@link IllegalArgumentException} naming the shapes. Implementations are thread-safe
 * and allocate their outputs; inputs are never modified.
 */
public interface RingKernels {

    /** The implementation for the active ND4J backend (CUDA when ND4J runs on CUDA and it loads; CPU otherwise). */
    static RingKernels current() {
        return RingKernelsProvider.current();
    }

    /**
     * {@code op(a) x op(b)} mod 2^64, where {@code op(x)} is {@code x} or its transpose.
     * With {@code op(a)} of shape {@code [m, k]} and {@code op(b)} of shape {@code [k, n]}, returns {@code [m, n]}.
     */
    RingTensor matmul(RingTensor a, boolean transposeA, RingTensor b, boolean transposeB);

    /** {@code a x b} mod 2^64 for {@code a [m, k]}, {@code b [k, n]}. */
    default RingTensor matmul(RingTensor a, RingTensor b) {
        return matmul(a, false, b, false);
    }

    /** The column matrix {@code [C*KH*KW, N*OH*OW]} of an NCHW input (layout in the class doc). */
    RingTensor im2col(RingTensor input, ConvGeometry g);

    /**
     * The adjoint of {@link #im2col}: scatters-and-adds a column matrix {@code [C*KH*KW, N*OH*OW]} back into an
     * NCHW tensor of shape {@code inputShape = [N, C, H, W]} (entries that fell into the padding are dropped).
     */
    RingTensor col2im(RingTensor cols, long[] inputShape, ConvGeometry g);

    /**
     * Forward convolution (cross-correlation, as DL4J): {@code input [N, IC, H, W]}, {@code weights [OC, IC, KH, KW]},
     * optional {@code bias [OC]} (null for none); returns {@code [N, OC, OH, OW]}. The geometry's kernel size must
     * match the weights.
     */
    RingTensor conv2d(RingTensor input, RingTensor weights, RingTensor bias, ConvGeometry g);

    /**
     * Gradient with respect to the input: {@code col2im(W^T x dOut)} for {@code dOut [N, OC, OH, OW]};
     * returns a tensor of shape {@code inputShape = [N, IC, H, W]}.
     */
    RingTensor conv2dBackwardInput(RingTensor dOut, RingTensor weights, long[] inputShape, ConvGeometry g);

    /**
     * Gradient with respect to the weights: {@code dOut x cols^T} reshaped to {@code [OC, IC, KH, KW]}, for
     * {@code input [N, IC, H, W]} and {@code dOut [N, OC, OH, OW]}. (The bias gradient is the sum of {@code dOut}
     * over N, OH, OW.)
     */
    RingTensor conv2dBackwardWeights(RingTensor input, RingTensor dOut, ConvGeometry g);

    /** Elementwise {@code a + b} of equal-length tensors, flat c-order; result has {@code a}'s shape. */
    RingTensor add(RingTensor a, RingTensor b);

    /** Elementwise {@code a - b} of equal-length tensors, flat c-order; result has {@code a}'s shape. */
    RingTensor sub(RingTensor a, RingTensor b);

    /** Elementwise {@code a * b} mod 2^64 of equal-length tensors, flat c-order; result has {@code a}'s shape. */
    RingTensor mul(RingTensor a, RingTensor b);

    /** A short name of the implementation ("cpu", "cuda"), for benchmarks and logs. */
    String name();
}
