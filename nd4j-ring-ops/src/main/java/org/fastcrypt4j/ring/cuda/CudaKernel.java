package org.fastcrypt4j.ring.cuda;

/**
 * The kernels of ring_kernels.cu, by their unmangled ({@code extern "C"}) names, with the argument
 * list each one expects. The launcher and the PTX test both enumerate this list.
 */
public enum CudaKernel {
    /** (a, b, out, rows, cols, bRowStride, bColStride): out = a + b with b broadcast by its strides. */
    ADD("ring_add_kernel"),
    /** As ADD, out = a - b. */
    SUB("ring_sub_kernel"),
    /** As ADD, out = a * b mod 2^64. */
    MUL("ring_mul_kernel"),
    /** As ADD, out = a ^ b on packed boolean shares. */
    XOR("ring_xor_kernel"),
    /** As ADD, out = a &amp; b on packed boolean shares. */
    AND("ring_and_kernel"),
    /** (a, out, n): out = -a. */
    NEG("ring_neg_kernel"),
    /** (a, out, n): out = ~a. */
    NOT("ring_not_kernel"),
    /** (a, k, out, n): out = a * k for a public constant k. */
    MUL_CONST("ring_mul_const_kernel"),
    /** (a, s, out, n): out = a &lt;&lt; s. */
    SHL("ring_shl_kernel"),
    /** (a, s, out, n): out = a &gt;&gt;&gt; s. */
    SHR("ring_shr_kernel"),
    /** (a, s, out, n): out = a &gt;&gt; s. */
    SAR("ring_sar_kernel"),
    /** (A, B, C, m, n, k, lda, ldb, ldc, transA, transB), launched on 16 x 16 thread blocks. */
    MATMUL("ring_matmul_kernel"),
    /** (in, out, n, c, h, w, kH, kW, sH, sW, pH, pW, dH, dW, oH, oW): NCHW image to [c*kH*kW, n*oH*oW] columns. */
    IM2COL("ring_im2col_kernel"),
    /** (cols, out, n, c, h, w, kH, kW, sH, sW, pH, pW, dH, dW, oH, oW): the adjoint of IM2COL. */
    COL2IM("ring_col2im_kernel");

    /** Edge of the matmul kernel's square thread block (RING_TILE in ring_kernels.cu). */
    public static final int MATMUL_TILE = 16;

    private final String symbol;

    CudaKernel(String symbol) {
        this.symbol = symbol;
    }

    /** The kernel's symbol in the compiled module. */
    public String symbol() {
        return symbol;
    }
}
