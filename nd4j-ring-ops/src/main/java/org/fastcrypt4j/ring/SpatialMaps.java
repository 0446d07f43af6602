package org.fastcrypt4j.ring;

import java.util.Arrays;

/**
 * Index maps over the two spatial dimensions of an NCHW ring tensor {@code [N, C, H, W]}: zero padding, cropping,
 * nearest-neighbour upsampling (each value repeated over an {@code sH x sW} block) and its adjoint, the sum of each
 * block. They move or add elements and never multiply, so applied to each component of a replicated sharing they
 * compute the same map on the shared value, exactly and without communication. Padding and cropping are each
 * other's adjoint, as are {@link #repeat} and {@link #sumBlocks}: the backward pass of each is the other.
 *
 * <p>Amounts follow DL4J's order {@code [top, bottom, left, right]}; all must be non-negative.
 */
public final class SpatialMaps {

    private SpatialMaps() {
    }

    /** {@code [N, C, H, W]} to {@code [N, C, top + H + bottom, left + W + right]}, zeros around the input. */
    public static RingTensor pad(RingTensor x, int top, int bottom, int left, int right) {
        long[] s = nchw(x, "pad");
        requireNonNegative("pad", top, bottom, left, right);
        return place(x, s[2] + top + bottom, s[3] + left + right, top, left);
    }

    /** {@code [N, C, H, W]} to {@code [N, C, H - top - bottom, W - left - right]}: the rows and columns kept. */
    public static RingTensor crop(RingTensor x, int top, int bottom, int left, int right) {
        long[] s = nchw(x, "crop");
        requireNonNegative("crop", top, bottom, left, right);
        long h = s[2] - top - bottom;
        long w = s[3] - left - right;
        if (h < 1 || w < 1) {
            throw new IllegalArgumentException("crop [" + top + ", " + bottom + ", " + left + ", " + right
                    + "] leaves nothing of " + Arrays.toString(s));
        }
        return place(x, h, w, -top, -left);
    }

    /** {@code [N, C, H, W]} to {@code [N, C, H * sH, W * sW]}: output {@code (h, w)} is input {@code (h / sH, w / sW)}. */
    public static RingTensor repeat(RingTensor x, int sH, int sW) {
        long[] s = nchw(x, "repeat");
        requirePositive("repeat", sH, sW);
        int planes = Math.toIntExact(s[0] * s[1]);
        int h = (int) s[2];
        int w = (int) s[3];
        int oh = Math.multiplyExact(h, sH);
        int ow = Math.multiplyExact(w, sW);
        long[] in = x.toLongArray();
        long[] out = new long[Math.multiplyExact(planes, Math.multiplyExact(oh, ow))];
        for (int p = 0; p < planes; p++) {
            for (int i = 0; i < oh; i++) {
                int src = (p * h + i / sH) * w;
                int dst = (p * oh + i) * ow;
                for (int j = 0; j < ow; j++) {
                    out[dst + j] = in[src + j / sW];
                }
            }
        }
        return RingTensor.of(out, s[0], s[1], oh, ow);
    }

    /**
     * The adjoint of {@link #repeat}: {@code [N, C, H * sH, W * sW]} to {@code [N, C, H, W]}, each output the sum of
     * its {@code sH x sW} block (mod 2^64).
     */
    public static RingTensor sumBlocks(RingTensor x, int sH, int sW) {
        long[] s = nchw(x, "sumBlocks");
        requirePositive("sumBlocks", sH, sW);
        if (s[2] % sH != 0 || s[3] % sW != 0) {
            throw new IllegalArgumentException("sumBlocks: " + Arrays.toString(s) + " is not a whole number of "
                    + sH + "x" + sW + " blocks");
        }
        int planes = Math.toIntExact(s[0] * s[1]);
        int ih = (int) s[2];
        int iw = (int) s[3];
        int h = ih / sH;
        int w = iw / sW;
        long[] in = x.toLongArray();
        long[] out = new long[planes * h * w];
        for (int p = 0; p < planes; p++) {
            for (int i = 0; i < ih; i++) {
                int src = (p * ih + i) * iw;
                int dst = (p * h + i / sH) * w;
                for (int j = 0; j < iw; j++) {
                    out[dst + j / sW] += in[src + j];
                }
            }
        }
        return RingTensor.of(out, s[0], s[1], h, w);
    }

    /**
     * A tensor of {@code [N, C, outH, outW]} zeros with input {@code (h, w)} written at {@code (h + dh, w + dw)}
     * wherever that lies inside; negative offsets crop.
     */
    private static RingTensor place(RingTensor x, long outH, long outW, int dh, int dw) {
        long[] s = x.shape();
        int planes = Math.toIntExact(s[0] * s[1]);
        int h = (int) s[2];
        int w = (int) s[3];
        int oh = Math.toIntExact(outH);
        int ow = Math.toIntExact(outW);
        int rowFrom = Math.max(0, -dh);
        int rowTo = Math.min(h, oh - dh);
        int colFrom = Math.max(0, -dw);
        int colTo = Math.min(w, ow - dw);
        long[] in = x.toLongArray();
        long[] out = new long[Math.multiplyExact(planes, Math.multiplyExact(oh, ow))];
        for (int p = 0; p < planes; p++) {
            for (int i = rowFrom; i < rowTo; i++) {
                int src = (p * h + i) * w + colFrom;
                int dst = (p * oh + i + dh) * ow + colFrom + dw;
                System.arraycopy(in, src, out, dst, colTo - colFrom);
            }
        }
        return RingTensor.of(out, s[0], s[1], oh, ow);
    }

    private static long[] nchw(RingTensor x, String op) {
        if (x.rank() != 4) {
            throw new IllegalArgumentException(op + ": needs [N, C, H, W], got " + Arrays.toString(x.shape()));
        }
        return x.shape();
    }

    private static void requireNonNegative(String op, int... v) {
        for (int a : v) {
            if (a < 0) {
                throw new IllegalArgumentException(op + ": amounts [top, bottom, left, right] must be >= 0, got "
                        + Arrays.toString(v));
            }
        }
    }

    private static void requirePositive(String op, int sH, int sW) {
        if (sH < 1 || sW < 1) {
            throw new IllegalArgumentException(op + ": block sizes must be >= 1, got " + sH + "x" + sW);
        }
    }
}
