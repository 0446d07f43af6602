package org.fastcrypt4j.ring;

import java.util.Arrays;

/**
 * Candidate (a): exact {@code C = A x B} mod 2^64 over Java {@code long[]} in row-major order, with a
 * cache-blocked i-k-j loop whose innermost loop {@code c[j] += a0*b[k][j] + a1*b[k+1][j] + a2*b[k+2][j] +
 * a3*b[k+3][j]} runs over four contiguous rows of B and one contiguous row of C, which C2 vectorises
 * (AVX-512 {@code vpmullq} on these machines); unrolling over k rather than over rows of A keeps a single
 * store stream, so C2 needs no aliasing proof, and cuts the loads/stores of C per multiply-add by four. Blocks of C
 * (rows split into about two chunks per core, columns split too when there are few rows, as in the
 * convolutions' {@code [OC, C*KH*KW] x [C*KH*KW, N*OH*OW]}) run in parallel on {@link RingParallel};
 * within a block, panels of {@link #COLS} columns and {@link #DEPTH} rows of B stay in L2 while every row of
 * the block streams over them.
 *
 * <p>Measured (best of 12 interleaved runs, 2 threads, the 2-core AVX-512 machine shared with other builds):
 * this kernel 20.7 ms at n = 512 and 168 ms at n = 1024 (about 6.4 G multiply-adds/s); the same loops
 * with B panels packed into a padded buffer 25.2 / 194 ms, with an 8-way k unroll 28.0 / 183 ms, one B row
 * per C update (plain axpy) 33-48 / 177-580 ms, four rows of A per B row 80-118 / 207-667 ms. Exact for all
 * inputs and shapes.
 */
public final class RingMatmulBlocked {

    /** Columns of C per panel: a {@code DEPTH x COLS} block of B (512 KiB) stays in L2 across the rows. */
    static final int COLS = 512;
    /** Inner-dimension block. */
    static final int DEPTH = 128;
    /** Below this many multiply-adds the product runs on the calling thread only. */
    static final long PARALLEL_THRESHOLD = 1L << 18;

    private RingMatmulBlocked() {
    }

    /**
     * {@code c[m*n] = a[m*k] x b[k*n]} mod 2^64 (all row-major); {@code c} is overwritten.
     */
    public static void multiply(long[] a, long[] b, long[] c, int m, int k, int n) {
        Arrays.fill(c, 0, m * n, 0L);
        if (m == 0 || n == 0 || k == 0) {
            return;
        }
        if ((long) m * k * n < PARALLEL_THRESHOLD) {
            block(a, b, c, k, n, 0, m, 0, n);
            return;
        }
        int wanted = 2 * Runtime.getRuntime().availableProcessors();
        int rowTiles = Math.max(1, Math.min((m + 7) / 8, wanted));
        int panels = (n + COLS - 1) / COLS;
        int colTiles = Math.max(1, Math.min(panels, (wanted + rowTiles - 1) / rowTiles));
        int rowChunk = (m + rowTiles - 1) / rowTiles;
        int colChunk = (panels + colTiles - 1) / colTiles * COLS;
        RingParallel.forEach(rowTiles * colTiles, t -> {
            int i0 = (t / colTiles) * rowChunk;
            int j0 = (t % colTiles) * colChunk;
            if (i0 < m && j0 < n) {
                block(a, b, c, k, n, i0, Math.min(m, i0 + rowChunk), j0, Math.min(n, j0 + colChunk));
            }
        });
    }

    /** Rows {@code [i0, i1)} x columns {@code [j0, j1)} of C, over the whole inner dimension. */
    private static void block(long[] a, long[] b, long[] c, int k, int n, int i0, int i1, int j0, int j1) {
        for (int jb = j0; jb < j1; jb += COLS) {
            int len = Math.min(j1, jb + COLS) - jb;
            for (int k0 = 0; k0 < k; k0 += DEPTH) {
                int k1 = Math.min(k, k0 + DEPTH);
                for (int i = i0; i < i1; i++) {
                    int cOff = i * n + jb;
                    int aRow = i * k;
                    int kk = k0;
                    for (; kk + 4 <= k1; kk += 4) {
                        axpy4(a[aRow + kk], a[aRow + kk + 1], a[aRow + kk + 2], a[aRow + kk + 3], b, kk * n + jb,
                                n, c, cOff, len);
                    }
                    for (; kk < k1; kk++) {
                        axpy(a[aRow + kk], b, kk * n + jb, c, cOff, len);
                    }
                }
            }
        }
    }

    /** {@code c[cOff..+len) += a0*b[r0..] + a1*b[r1..] + a2*b[r2..] + a3*b[r3..]} for four consecutive rows of B. */
    private static void axpy4(long a0, long a1, long a2, long a3, long[] b, int bOff, int n, long[] c, int cOff,
                              int len) {
        int b1 = bOff + n;
        int b2 = b1 + n;
        int b3 = b2 + n;
        for (int j = 0; j < len; j++) {
            c[cOff + j] += a0 * b[bOff + j] + a1 * b[b1 + j] + a2 * b[b2 + j] + a3 * b[b3 + j];
        }
    }

    private static void axpy(long av, long[] b, int bOff, long[] c, int cOff, int len) {
        for (int j = 0; j < len; j++) {
            c[cOff + j] += av * b[bOff + j];
        }
    }
}
