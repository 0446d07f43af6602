/*
 * CUDA kernels of the ring Z_2^64 over c-order LONG buffers. All arithmetic is in ring_arith.cuh
 * (checked on the host against Java by RingArithHostTest). CudaRingKernels compiles this file at
 * run time with NVRTC and launches the kernels by their unmangled names.
 *
 * Elementwise kernels use grid-stride loops, so any grid size covers any length.
 */
#include "ring_arith.cuh"

#define RING_GRID_STRIDE_LOOP(i, n) \
    for (ring_index_t i = (ring_index_t) blockIdx.x * blockDim.x + threadIdx.x; i < (n); \
         i += (ring_index_t) blockDim.x * gridDim.x)

/*
 * out[r, c] = a[r, c] OP b[r * bRowStride + c * bColStride] for a rows x cols matrix a. Strides
 * (cols, 1) give a same-shape b, (0, 1) a row vector broadcast down the rows, (1, 0) a column vector
 * broadcast along the columns.
 */
#define RING_BINARY_KERNEL(name, fn) \
    extern "C" __global__ void name(const ring_t* a, const ring_t* b, ring_t* out, ring_index_t rows, \
                                    ring_index_t cols, ring_index_t bRowStride, ring_index_t bColStride) { \
        ring_index_t n = rows * cols; \
        RING_GRID_STRIDE_LOOP(i, n) { \
            ring_index_t r = i / cols; \
            ring_index_t c = i - r * cols; \
            out[i] = fn(a[i], b[r * bRowStride + c * bColStride]); \
        } \
    }

RING_BINARY_KERNEL(ring_add_kernel, ring_add)
RING_BINARY_KERNEL(ring_sub_kernel, ring_sub)
RING_BINARY_KERNEL(ring_mul_kernel, ring_mul)
RING_BINARY_KERNEL(ring_xor_kernel, ring_xor)
RING_BINARY_KERNEL(ring_and_kernel, ring_and)

/* out[i] = -a[i]. */
extern "C" __global__ void ring_neg_kernel(const ring_t* a, ring_t* out, ring_index_t n) {
    RING_GRID_STRIDE_LOOP(i, n) { out[i] = ring_neg(a[i]); }
}

/* out[i] = ~a[i] on packed boolean shares. */
extern "C" __global__ void ring_not_kernel(const ring_t* a, ring_t* out, ring_index_t n) {
    RING_GRID_STRIDE_LOOP(i, n) { out[i] = ring_not(a[i]); }
}

/* out[i] = a[i] * k for a public constant k. */
extern "C" __global__ void ring_mul_const_kernel(const ring_t* a, ring_t k, ring_t* out, ring_index_t n) {
    RING_GRID_STRIDE_LOOP(i, n) { out[i] = ring_mul(a[i], k); }
}

/* out[i] = a[i] << s, s in [0, 63]. */
extern "C" __global__ void ring_shl_kernel(const ring_t* a, int s, ring_t* out, ring_index_t n) {
    RING_GRID_STRIDE_LOOP(i, n) { out[i] = ring_shl(a[i], s); }
}

/* out[i] = a[i] >>> s (logical), s in [0, 63]. */
extern "C" __global__ void ring_shr_kernel(const ring_t* a, int s, ring_t* out, ring_index_t n) {
    RING_GRID_STRIDE_LOOP(i, n) { out[i] = ring_shr(a[i], s); }
}

/* out[i] = a[i] >> s (arithmetic), s in [0, 63]. */
extern "C" __global__ void ring_sar_kernel(const ring_t* a, int s, ring_t* out, ring_index_t n) {
    RING_GRID_STRIDE_LOOP(i, n) { out[i] = ring_sar(a[i], s); }
}

/* Tile edge of the matmul; blocks are RING_TILE x RING_TILE threads. */
#define RING_TILE 16

/*
 * C[m x n] = op(A)[m x k] * op(B)[k x n] mod 2^64, c-order, with op the identity or the transpose
 * (transA/transB != 0). lda/ldb/ldc are the row lengths of the stored matrices. Each block computes
 * one RING_TILE x RING_TILE tile of C from shared-memory tiles of A and B, one 64-bit integer
 * multiply-add per term: the result is exact, independent of summation order.
 */
extern "C" __global__ void ring_matmul_kernel(const ring_t* A, const ring_t* B, ring_t* C,
                                              ring_index_t m, ring_index_t n, ring_index_t k,
                                              ring_index_t lda, ring_index_t ldb, ring_index_t ldc,
                                              int transA, int transB) {
    __shared__ ring_t tileA[RING_TILE][RING_TILE];
    __shared__ ring_t tileB[RING_TILE][RING_TILE + 1];
    ring_index_t row = (ring_index_t) blockIdx.y * RING_TILE + threadIdx.y;
    ring_index_t col = (ring_index_t) blockIdx.x * RING_TILE + threadIdx.x;
    ring_t acc = 0ULL;
    for (ring_index_t t = 0; t < k; t += RING_TILE) {
        ring_index_t ka = t + threadIdx.x;
        ring_index_t kb = t + threadIdx.y;
        tileA[threadIdx.y][threadIdx.x] = (row < m && ka < k) ? ring_matrix_at(A, row, ka, lda, transA) : 0ULL;
        tileB[threadIdx.y][threadIdx.x] = (kb < k && col < n) ? ring_matrix_at(B, kb, col, ldb, transB) : 0ULL;
        __syncthreads();
#pragma unroll
        for (int q = 0; q < RING_TILE; q++) {
            acc = ring_madd(acc, tileA[threadIdx.y][q], tileB[q][threadIdx.x]);
        }
        __syncthreads();
    }
    if (row < m && col < n) {
        C[row * ldc + col] = acc;
    }
}

/* Fills a geometry from kernel arguments (a struct argument would tie the launcher to its layout). */
__device__ __forceinline__ ring_im2col_geometry ring_make_geometry(
        ring_index_t n, ring_index_t c, ring_index_t h, ring_index_t w, int kH, int kW, int sH, int sW,
        int pH, int pW, int dH, int dW, ring_index_t oH, ring_index_t oW) {
    ring_im2col_geometry g;
    g.n = n; g.c = c; g.h = h; g.w = w;
    g.kH = kH; g.kW = kW; g.sH = sH; g.sW = sW; g.pH = pH; g.pW = pW; g.dH = dH; g.dW = dW;
    g.oH = oH; g.oW = oW;
    return g;
}

/* im2col of a c-order NCHW input into the c-order [c*kH*kW, n*oH*oW] column matrix (see ring_arith.cuh). */
extern "C" __global__ void ring_im2col_kernel(const ring_t* in, ring_t* out,
                                              ring_index_t n, ring_index_t c, ring_index_t h, ring_index_t w,
                                              int kH, int kW, int sH, int sW, int pH, int pW, int dH, int dW,
                                              ring_index_t oH, ring_index_t oW) {
    ring_im2col_geometry g = ring_make_geometry(n, c, h, w, kH, kW, sH, sW, pH, pW, dH, dW, oH, oW);
    ring_index_t total = ring_im2col_length(g);
    RING_GRID_STRIDE_LOOP(i, total) { out[i] = ring_im2col_at(in, g, i); }
}

/* col2im of a [c*kH*kW, n*oH*oW] column matrix into a c-order NCHW image (gather form, see ring_arith.cuh). */
extern "C" __global__ void ring_col2im_kernel(const ring_t* cols, ring_t* out,
                                              ring_index_t n, ring_index_t c, ring_index_t h, ring_index_t w,
                                              int kH, int kW, int sH, int sW, int pH, int pW, int dH, int dW,
                                              ring_index_t oH, ring_index_t oW) {
    ring_im2col_geometry g = ring_make_geometry(n, c, h, w, kH, kW, sH, sW, pH, pW, dH, dW, oH, oW);
    ring_index_t total = n * c * h * w;
    RING_GRID_STRIDE_LOOP(i, total) { out[i] = ring_col2im_at(cols, g, i); }
}
