package org.fastcrypt4j.ring;

import java.util.Arrays;

import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Exact {@code C = A x B} mod 2^64 with the JDK's Vector API ({@code jdk.incubator.vector}): a register-blocked
 * micro-kernel in the manner of BLIS/GotoBLAS GEMMs. B is packed, per panel of {@link #nr()} columns and
 * {@link #KC} rows, into a contiguous buffer; a tile of {@link #MR} rows of C by two vectors of columns stays in
 * eight vector registers for the whole k-block (per k: two loads of B, four broadcasts of A, eight lane-wise
 * multiplies and adds, all mod 2^64), and is added to C once per k-block. Lane-wise {@code long} multiply and add
 * wrap mod 2^64, so the result is exact for every input.
 *
 * <p>Measured on the 2-core development machine (AMD EPYC with AVX-512, JDK 17, one thread, 2026-12-02): 15-20 G
 * multiply-adds/s at n = 256 and 512 and 10-13 G on LeNet's conv2 shapes, against 1.1-1.8 G for
 * {@link RingMatmulBlocked}'s auto-vectorised loops on the same shapes in the same run; with AVX2 only
 * ({@code -XX:UseAVX=2}, four lanes) 2.9-3.8 G against 1.1-2.0 G.
 *
 * <p>Only loaded when the JVM runs with {@code --add-modules jdk.incubator.vector}
 * ({@link CpuRingKernels#VECTOR_KERNEL}); {@link CpuRingKernels#multiply} falls back to {@link RingMatmulBlocked} otherwise. Large products run in
 * parallel on {@link RingParallel} over tiles of rows and column panels.
 */
final class RingMatmulVector {

    private static final VectorSpecies<Long> S = LongVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Columns of a micro-tile: two vectors. */
    private static final int NR = 2 * L;
    /** Rows of a micro-tile. */
    static final int MR = 4;
    /** Inner-dimension block: a packed panel of B is {@code KC x NR} longs (128 KiB with 16 lanes' worth). */
    static final int KC = 1024;
    /** Below this many multiply-adds the product runs on the calling thread only. */
    static final long PARALLEL_THRESHOLD = 1L << 18;

    private RingMatmulVector() {
    }

    /** Columns per micro-tile (two vectors of the preferred species). */
    static int nr() {
        return NR;
    }

    /** {@code c[m*n] = a[m*k] x b[k*n]} mod 2^64, all row-major; {@code c} is overwritten. */
    static void multiply(long[] a, long[] b, long[] c, int m, int k, int n) {
        Arrays.fill(c, 0, m * n, 0L);
        if (m == 0 || n == 0 || k == 0) {
            return;
        }
        int panels = (n + NR - 1) / NR;
        if ((long) m * k * n < PARALLEL_THRESHOLD || RingParallel.threads() == 1) {
            strip(a, b, c, k, n, 0, m, 0, panels);
            return;
        }
        int wanted = 2 * RingParallel.threads();
        int rowBlocks = (m + MR - 1) / MR;
        int colTiles = Math.min(panels, wanted);
        int rowTiles = Math.max(1, Math.min(rowBlocks, (wanted + colTiles - 1) / colTiles));
        int panelChunk = (panels + colTiles - 1) / colTiles;
        int rowChunk = (rowBlocks + rowTiles - 1) / rowTiles * MR;
        RingParallel.forEach(rowTiles * colTiles, t -> {
            int i0 = (t / colTiles) * rowChunk;
            int p0 = (t % colTiles) * panelChunk;
            if (i0 < m && p0 < panels) {
                strip(a, b, c, k, n, i0, Math.min(m, i0 + rowChunk), p0, Math.min(panels, p0 + panelChunk));
            }
        });
    }

    /** Rows {@code [i0, i1)} of C times column panels {@code [p0, p1)}, over the whole inner dimension. */
    private static void strip(long[] a, long[] b, long[] c, int k, int n, int i0, int i1, int p0, int p1) {
        long[] bp = new long[Math.min(k, KC) * NR];
        long[] scratch = new long[MR * NR];
        for (int p = p0; p < p1; p++) {
            int j0 = p * NR;
            int w = Math.min(NR, n - j0);
            for (int k0 = 0; k0 < k; k0 += KC) {
                int kc = Math.min(KC, k - k0);
                pack(b, n, k0, kc, j0, w, bp);
                for (int i = i0; i < i1; i += MR) {
                    int rows = Math.min(MR, i1 - i);
                    if (w == NR) {
                        tile(a, k, i, rows, k0, bp, kc, c, i * n + j0, n);
                    } else {
                        Arrays.fill(scratch, 0L);
                        tile(a, k, i, rows, k0, bp, kc, scratch, 0, NR);
                        for (int r = 0; r < rows; r++) {
                            int out = (i + r) * n + j0;
                            for (int j = 0; j < w; j++) {
                                c[out + j] += scratch[r * NR + j];
                            }
                        }
                    }
                }
            }
        }
    }

    /** Rows {@code [k0, k0 + kc)} and columns {@code [j0, j0 + w)} of B into {@code bp}, NR per row, zero-padded. */
    private static void pack(long[] b, int n, int k0, int kc, int j0, int w, long[] bp) {
        for (int kk = 0; kk < kc; kk++) {
            System.arraycopy(b, (k0 + kk) * n + j0, bp, kk * NR, w);
            if (w < NR) {
                Arrays.fill(bp, kk * NR + w, (kk + 1) * NR, 0L);
            }
        }
    }

    /** {@code rows} (1..MR) rows of A from row i, over the packed k-block, added to C at cOff with stride ldc. */
    private static void tile(long[] a, int k, int i, int rows, int k0, long[] bp, int kc, long[] c, int cOff,
                             int ldc) {
        if (rows == MR) {
            tile4(a, i * k + k0, k, bp, kc, c, cOff, ldc);
        } else {
            for (int r = 0; r < rows; r++) {
                tile1(a, (i + r) * k + k0, bp, kc, c, cOff + r * ldc);
            }
        }
    }

    private static void tile4(long[] a, int aOff, int lda, long[] bp, int kc, long[] c, int cOff, int ldc) {
        LongVector c00 = LongVector.zero(S);
        LongVector c01 = c00;
        LongVector c10 = c00;
        LongVector c11 = c00;
        LongVector c20 = c00;
        LongVector c21 = c00;
        LongVector c30 = c00;
        LongVector c31 = c00;
        int a0 = aOff;
        int a1 = a0 + lda;
        int a2 = a1 + lda;
        int a3 = a2 + lda;
        for (int kk = 0; kk < kc; kk++) {
            LongVector b0 = LongVector.fromArray(S, bp, kk * NR);
            LongVector b1 = LongVector.fromArray(S, bp, kk * NR + L);
            LongVector x = LongVector.broadcast(S, a[a0 + kk]);
            c00 = c00.add(x.mul(b0));
            c01 = c01.add(x.mul(b1));
            x = LongVector.broadcast(S, a[a1 + kk]);
            c10 = c10.add(x.mul(b0));
            c11 = c11.add(x.mul(b1));
            x = LongVector.broadcast(S, a[a2 + kk]);
            c20 = c20.add(x.mul(b0));
            c21 = c21.add(x.mul(b1));
            x = LongVector.broadcast(S, a[a3 + kk]);
            c30 = c30.add(x.mul(b0));
            c31 = c31.add(x.mul(b1));
        }
        addInto(c, cOff, c00, c01);
        addInto(c, cOff + ldc, c10, c11);
        addInto(c, cOff + 2 * ldc, c20, c21);
        addInto(c, cOff + 3 * ldc, c30, c31);
    }

    private static void tile1(long[] a, int aOff, long[] bp, int kc, long[] c, int cOff) {
        LongVector c00 = LongVector.zero(S);
        LongVector c01 = c00;
        for (int kk = 0; kk < kc; kk++) {
            LongVector x = LongVector.broadcast(S, a[aOff + kk]);
            c00 = c00.add(x.mul(LongVector.fromArray(S, bp, kk * NR)));
            c01 = c01.add(x.mul(LongVector.fromArray(S, bp, kk * NR + L)));
        }
        addInto(c, cOff, c00, c01);
    }

    private static void addInto(long[] c, int off, LongVector v0, LongVector v1) {
        LongVector.fromArray(S, c, off).add(v0).intoArray(c, off);
        LongVector.fromArray(S, c, off + L).add(v1).intoArray(c, off + L);
    }
}
