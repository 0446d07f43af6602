package org.fastcrypt4j.ring;

import java.util.Arrays;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Candidate (b), CryptGPU-style limbs on float64 BLAS, in the tighter variant with three signed 22-bit limbs:
 * each 64-bit value is written {@code x = l0 + l1*2^22 + l2*2^44 (mod 2^64)} with {@code l0, l1} in
 * {@code [-2^21, 2^21)} and {@code l2} in {@code [-2^19, 2^19)}. Limb products of weight 2^66 and more vanish
 * mod 2^64, so only {@code L0 = A0B0}, {@code L1 = A0B1 + A1B0}, {@code L2 = A0B2 + A1B1 + A2B0} are needed: six
 * ND4J DOUBLE {@code mmul}s (CryptGPU's 16-bit version needs ten), each converted to {@code long} on its own,
 * and {@code C = L0 + L1*2^22 + L2*2^44 mod 2^64}. Every dot product is a sum of {@code k} integers of magnitude
 * at most 2^42, so all partial sums have magnitude at most 2^53 and are exact when
 * {@code k <= }{@link #MAX_INNER} (2^11).
 *
 * <p>Cost: six float64 GEMMs of the full shape plus O(mk + kn + mn) splitting and recombination, so its
 * ratio to one float64 GEMM is at least 6; see RingBench for the measured numbers.
 */
public final class RingMatmulLimbs {

    /** Largest inner dimension for which every limb product sum is exact in float64. */
    public static final int MAX_INNER = 1 << 11;

    private static final int W = 22;

    private RingMatmulLimbs() {
    }

    /** {@code c[m*n] = a[m*k] x b[k*n]} mod 2^64 (row-major); requires {@code k <= MAX_INNER}. */
    public static void multiply(long[] a, long[] b, long[] c, int m, int k, int n) {
        if (k > MAX_INNER) {
            throw new IllegalArgumentException("limb matmul is exact only for inner dimension <= " + MAX_INNER
                    + ", got [" + m + "," + k + "] x [" + k + "," + n + "]");
        }
        INDArray[] al = split(a, m * k, m, k);
        INDArray[] bl = split(b, k * n, k, n);
        int len = m * n;
        Arrays.fill(c, 0, len, 0L);
        int[][] pairs = {{0, 0}, {0, 1}, {1, 0}, {0, 2}, {1, 1}, {2, 0}};
        for (int[] p : pairs) {
            int shift = W * (p[0] + p[1]);
            double[] prod = al[p[0]].mmul(bl[p[1]]).dup('c').data().asDouble();
            for (int i = 0; i < len; i++) {
                c[i] += (long) prod[i] << shift;
            }
        }
    }

    private static INDArray[] split(long[] x, int len, int rows, int cols) {
        double[] d0 = new double[len];
        double[] d1 = new double[len];
        double[] d2 = new double[len];
        for (int i = 0; i < len; i++) {
            long v = x[i];
            long l0 = (v << (64 - W)) >> (64 - W);
            long y = (v - l0) >> W;
            long l1 = (y << (64 - W)) >> (64 - W);
            long z = (y - l1) >> W;
            long l2 = (z << (2 * W)) >> (2 * W);
            d0[i] = l0;
            d1[i] = l1;
            d2[i] = l2;
        }
        return new INDArray[] {
            Nd4j.createFromArray(d0).reshape('c', rows, cols),
            Nd4j.createFromArray(d1).reshape('c', rows, cols),
            Nd4j.createFromArray(d2).reshape('c', rows, cols),
        };
    }
}
