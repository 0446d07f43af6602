/*
 * Per-element arithmetic of the ring Z_2^64, shared by the CUDA kernels (ring_kernels.cu) and the
 * host-side check program that the JUnit test RingArithHostTest compiles and compares with Java.
 *
 * Every value is an unsigned 64-bit word, so wrap-around mod 2^64 is defined behaviour in C++ and
 * matches Java's two's-complement long arithmetic bit for bit. The header includes nothing, because
 * NVRTC (which compiles it at run time) ships no standard headers.
 */
#ifndef FASTCRYPT4J_RING_ARITH_CUH
#define FASTCRYPT4J_RING_ARITH_CUH

typedef unsigned long long ring_t;
typedef long long ring_index_t;

#define RING_FN __host__ __device__ __forceinline__

/* Sum mod 2^64. */
RING_FN ring_t ring_add(ring_t a, ring_t b) { return a + b; }

/* Difference mod 2^64. */
RING_FN ring_t ring_sub(ring_t a, ring_t b) { return a - b; }

/* Additive inverse mod 2^64. */
RING_FN ring_t ring_neg(ring_t a) { return 0ULL - a; }

/* Product mod 2^64 (the low word of the 128-bit product); also the product with a public constant. */
RING_FN ring_t ring_mul(ring_t a, ring_t b) { return a * b; }

/* acc + a * b mod 2^64: the multiply-add of the ring matmul. */
RING_FN ring_t ring_madd(ring_t acc, ring_t a, ring_t b) { return acc + a * b; }

/* Left shift by s in [0, 63]: multiplication by 2^s. */
RING_FN ring_t ring_shl(ring_t a, int s) { return a << s; }

/* Logical right shift by s in [0, 63] (Java's >>>). */
RING_FN ring_t ring_shr(ring_t a, int s) { return a >> s; }

/*
 * Arithmetic right shift by s in [0, 63] (Java's >>), written without a signed shift so that it
 * does not depend on the compiler's implementation-defined handling of negative operands.
 */
RING_FN ring_t ring_sar(ring_t a, int s) {
    ring_t sign = 0ULL - (a >> 63);
    ring_t fill = s == 0 ? 0ULL : sign << (64 - s);
    return (a >> s) | fill;
}

/* XOR of 64 packed boolean shares. */
RING_FN ring_t ring_xor(ring_t a, ring_t b) { return a ^ b; }

/* AND of 64 packed boolean shares. */
RING_FN ring_t ring_and(ring_t a, ring_t b) { return a & b; }

/* NOT of 64 packed boolean shares. */
RING_FN ring_t ring_not(ring_t a) { return ~a; }

/*
 * Element (row, col) of op(X) where X is a c-order matrix with leading dimension ld and op is the
 * identity or, if trans != 0, the transpose. The matmul kernel loads its tiles through this function.
 */
RING_FN ring_t ring_matrix_at(const ring_t* x, ring_index_t row, ring_index_t col, ring_index_t ld, int trans) {
    return trans ? x[col * ld + row] : x[row * ld + col];
}

/*
 * Geometry of a 2-d convolution's im2col on an NCHW input, with DL4J's semantics and the layout of
 * org.fastcrypt4j.ring.RingKernels: the column matrix is [c*kH*kW, n*oH*oW] (c-order); row
 * (ch*kH + ky)*kW + kx, column (b*oH + oy)*oW + ox holds the input at row oy*sH - pH + ky*dH and
 * column ox*sW - pW + kx*dW, or 0 where that lies in the padding. pH/pW are the top/left padding;
 * padding below/right is implied by oH/oW (ConvolutionMode.Same may pad one more there).
 */
struct ring_im2col_geometry {
    ring_index_t n, c, h, w;
    int kH, kW, sH, sW, pH, pW, dH, dW;
    ring_index_t oH, oW;
};

/* Number of elements of the column matrix. */
RING_FN ring_index_t ring_im2col_length(const ring_im2col_geometry& g) {
    return g.c * g.kH * g.kW * g.n * g.oH * g.oW;
}

/* Column-matrix element at flat c-order index idx, read from the c-order NCHW input. */
RING_FN ring_t ring_im2col_at(const ring_t* in, const ring_im2col_geometry& g, ring_index_t idx) {
    ring_index_t cols = g.n * g.oH * g.oW;
    ring_index_t col = idx % cols;
    ring_index_t row = idx / cols;
    ring_index_t ox = col % g.oW; col /= g.oW;
    ring_index_t oy = col % g.oH;
    ring_index_t b = col / g.oH;
    ring_index_t kx = row % g.kW; row /= g.kW;
    ring_index_t ky = row % g.kH;
    ring_index_t ch = row / g.kH;
    ring_index_t y = oy * g.sH - g.pH + ky * g.dH;
    ring_index_t x = ox * g.sW - g.pW + kx * g.dW;
    if (y < 0 || y >= g.h || x < 0 || x >= g.w) {
        return 0ULL;
    }
    return in[((b * g.c + ch) * g.h + y) * g.w + x];
}

/*
 * col2im, the adjoint of im2col, as a gather: element idx (flat c-order) of the NCHW image is the
 * sum mod 2^64 of every column-matrix entry that im2col reads from that input position. Computing
 * each output element in one thread needs no atomics and gives the same sum in any order.
 */
RING_FN ring_t ring_col2im_at(const ring_t* colsMatrix, const ring_im2col_geometry& g, ring_index_t idx) {
    ring_index_t x = idx % g.w; idx /= g.w;
    ring_index_t y = idx % g.h; idx /= g.h;
    ring_index_t ch = idx % g.c;
    ring_index_t b = idx / g.c;
    ring_index_t cols = g.n * g.oH * g.oW;
    ring_t acc = 0ULL;
    for (int ky = 0; ky < g.kH; ky++) {
        ring_index_t ty = y + g.pH - (ring_index_t) ky * g.dH;
        if (ty < 0 || ty % g.sH != 0 || ty / g.sH >= g.oH) {
            continue;
        }
        ring_index_t oy = ty / g.sH;
        for (int kx = 0; kx < g.kW; kx++) {
            ring_index_t tx = x + g.pW - (ring_index_t) kx * g.dW;
            if (tx < 0 || tx % g.sW != 0 || tx / g.sW >= g.oW) {
                continue;
            }
            ring_index_t ox = tx / g.sW;
            ring_index_t row = (ch * g.kH + ky) * g.kW + kx;
            ring_index_t col = (b * g.oH + oy) * g.oW + ox;
            acc = ring_add(acc, colsMatrix[row * cols + col]);
        }
    }
    return acc;
}

#endif
