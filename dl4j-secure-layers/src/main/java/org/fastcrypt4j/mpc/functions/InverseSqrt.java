package org.fastcrypt4j.mpc.functions;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.fastcrypt4j.mpc.arithmetic.FixedPointOps;
import org.fastcrypt4j.mpc.arithmetic.Multiplication;
import org.fastcrypt4j.mpc.arithmetic.Truncation;
import org.fastcrypt4j.mpc.sharing.Session;
import org.fastcrypt4j.mpc.sharing.SharedTensor;

/**
 * 1/sqrt(x) for x &gt;= 0 over a wide range of magnitudes, as adaptive optimizers (Adam, RmsProp, AdaGrad, AdaDelta),
 * L2-norm gradient normalization and batch normalization need: the magnitude is found by comparisons against public
 * powers of sixteen, which give an initial guess within a factor 2, then Newton's iteration for the inverse square
 * root converges from there. This is the structure of Keller and Sun's inverse square root for secure training (ICML
 * 2022, MP-SPDZ), which normalises by bit decomposition; here the normalisation is a row of comparisons, simple to
 * verify (one comparison per factor 16 of range, traded against two more Newton steps than a factor 4 would need).
 *
 * <p>Input x at {@code fx} fractional bits (a wider fraction than f keeps small second moments), output at f. For
 * a range {@code [4^lo, 4^(hi+1))}:
 * <ol>
 *   <li>d_j = DReLU(x - 4^j) for j = lo+2, lo+4, ... &lt;= hi, one DReLU pass over {@link #comparisons} values per
 *       element; the differences are bounded by the range, so the comparison runs on the low
 *       {@link #comparisonBits} bits only ({@link Drelu#computeWithin}: 10 rounds, 28.1 / 22.75 / 22.75 bytes per
 *       compared value at Adam's 43 bits instead of a full DReLU's 38.6 / 30.6 / 30.6);</li>
 *   <li>y0 = c 2^-lo - sum_j d_j c (2^-(j-2) - 2^-j) = c 2^-m for x in [4^m, 4^(m+2)), with c = {@value #GUESS}:
 *       local (d_j is a 0/1 sharing at scale 0 times public constants), so y0 sqrt(x) lies in [0.35, 1.4);</li>
 *   <li>{@value #ITERATIONS} Newton steps y &lt;- y (3 - x y^2) / 2: three chained products each (x y truncated by
 *       f (kept at fx bits), then (x y) y truncated by fx, then y (3 - x y^2) truncated by f + 1), 2 rounds each
 *       after the first with the wrap-free truncation, 8 + f/8 bytes per product per party.</li>
 * </ol>
 * Precision: Newton's relative error from y0 sqrt(x) = 0.35 falls below 1e-9 after seven steps (from 1.4, after
 * five); the roundings leave |y - 1/sqrt(x)| &lt;= 4 * 2^-f + y (1e-5 + 2^-fx / sqrt(x)) across the range (the last
 * term is the precision of x y at fx bits, which matters only near the bottom of a range that reaches down to few
 * units of 2^-fx). Below 4^lo, where the guess starts too small, the steps grow y by at most 1.5 each: the result
 * stays below 6 * 2^-lo (0.35 * 1.5^7 = 5.98; a floor on x of about 0.028 * 4^lo, as a larger epsilon would be); at and
 * above 4^(hi+1) the iteration is not valid. Nothing is opened.
 */
public final class InverseSqrt {

    /** Newton steps. */
    public static final int ITERATIONS = 7;

    /** The initial guess's constant: y0 sqrt(x) in [GUESS, 4 GUESS). */
    public static final double GUESS = 0.35;

    /** Powers of four between thresholds: thresholds at powers of sixteen. */
    static final int STEP = 2;

    private InverseSqrt() {
    }

    /**
     * 1/sqrt(x), x &gt;= 0 shared at {@code fx} fractional bits and valid below 4^(hi+1), the result at the session's
     * f; inputs below 4^lo are treated as explained in the class description.
     *
     * @throws IllegalArgumentException if the range is empty or 4^lo is not representable at fx bits
     */
    public static SharedTensor inverseSqrt(Session s, SharedTensor x, int fx, int lo, int hi) {
        int f = s.fractionalBits();
        if (hi < lo || 2 * lo + fx < 0 || 2 * (hi + 1) + fx > 60 || f - lo > 40) {
            throw new IllegalArgumentException("party " + s.party() + ": inverse square root range [4^" + lo + ", 4^"
                    + (hi + 1) + ") at " + fx + " fractional bits not supported");
        }
        SharedTensor y = initialGuess(s, x, fx, lo, hi);
        long three = 3L << f;
        for (int i = 0; i < ITERATIONS; i++) {
            // x y first, kept at fx bits, then (x y) y: x y^2 near 1 keeps its rounding to a unit of 2^-f (y^2 first
            // would multiply the rounding of y^2 by x; x y at f bits would lose the precision of small x)
            SharedTensor xy = Truncation.truncateProduct(s,
                    Multiplication.localShare(s, x, y, Multiplication.ELEMENTWISE), f);
            SharedTensor xy2 = Truncation.truncateProduct(s,
                    Multiplication.localShare(s, xy, y, Multiplication.ELEMENTWISE), fx);
            y = Truncation.truncateProduct(s,
                    Multiplication.localShare(s, y, xy2.neg().addPublic(three), Multiplication.ELEMENTWISE), f + 1);
        }
        return y;
    }

    /**
     * Most compared values in one DReLU pass: a pass holds about a dozen arrays of its length per party (the
     * comparison's bit planes and messages), so Adam's 9 comparisons for each of LeNet's 431,000 parameters in one
     * pass would need gigabytes per party; passes of at most 2^20 values keep it near 100 MB.
     */
    static final int MAX_COMPARISONS_PER_PASS = 1 << 20;

    /**
     * y0 = c 2^-m for x in [4^m, 4^(m+2)), from DReLU passes over the thresholds 4^(lo+2), 4^(lo+4), ... (one pass,
     * 10 rounds, unless the input has more than {@link #MAX_COMPARISONS_PER_PASS} / {@link #comparisons} elements).
     */
    static SharedTensor initialGuess(Session s, SharedTensor x, int fx, int lo, int hi) {
        return initialGuess(s, x, fx, lo, hi, MAX_COMPARISONS_PER_PASS);
    }

    /** As {@link #initialGuess(Session, SharedTensor, int, int, int)} with passes of at most {@code maxPerPass}. */
    static SharedTensor initialGuess(Session s, SharedTensor x, int fx, int lo, int hi, int maxPerPass) {
        int f = s.fractionalBits();
        int k = comparisons(lo, hi);
        int n = x.intLength();
        if (k == 0) {
            return SharedTensor.zeros(s.party(), x.shape()).addPublic(FixedPointOps.encode(GUESS * Math.pow(2, -lo), f));
        }
        int slice = Math.max(1, maxPerPass / k);
        if (n <= slice) {
            return guess(s, x, fx, lo, hi);
        }
        List<long[]> shapes = new ArrayList<>();
        for (int off = 0; off < n; off += slice) {
            shapes.add(new long[] {Math.min(slice, n - off)});
        }
        List<SharedTensor> parts = new ArrayList<>();
        for (SharedTensor part : x.reshape(n).splitFlat(shapes)) {
            parts.add(guess(s, part, fx, lo, hi));
        }
        return SharedTensor.concatFlat(s.party(), parts).reshape(x.shape());
    }

    /** The initial guess of a flat slice, in one DReLU pass. */
    private static SharedTensor guess(Session s, SharedTensor x, int fx, int lo, int hi) {
        int f = s.fractionalBits();
        SharedTensor y = SharedTensor.zeros(s.party(), x.shape())
                .addPublic(FixedPointOps.encode(GUESS * Math.pow(2, -lo), f));
        List<SharedTensor> shifted = new ArrayList<>();
        for (int j = lo + STEP; j <= hi; j += STEP) {
            shifted.add(x.addPublic(-threshold(j, fx)));
        }
        SharedTensor[] d = Drelu.computeWithin(s, SharedTensor.concatFlat(s.party(), shifted), comparisonBits(fx, hi))
                .splitFlat(Collections.nCopies(shifted.size(), x.shape()));
        int i = 0;
        for (int j = lo + STEP; j <= hi; j += STEP) {
            double step = GUESS * (Math.pow(2, -(j - STEP)) - Math.pow(2, -j));
            y = y.sub(d[i++].mul(FixedPointOps.encode(step, f)));
        }
        return y;
    }

    /** 4^j at fx fractional bits. */
    private static long threshold(int j, int fx) {
        return 1L << (2 * j + fx);
    }

    /**
     * Bits of the comparisons: x - 4^j lies in (-2^(2 hi + fx), 2^(2 hi + 2 + fx)) for x in the range, so the sign is
     * bit 2 hi + fx + 2 of the difference mod 2^(2 hi + fx + 3) (43 bits for Adam's v at 36 fractional bits below 64).
     */
    public static int comparisonBits(int fx, int hi) {
        return 2 * hi + fx + 3;
    }

    /** Compared values per element: one per power of sixteen above 4^lo below 4^(hi+1). */
    public static int comparisons(int lo, int hi) {
        return (hi - lo) / STEP;
    }
}
