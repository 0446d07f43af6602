package org.fastcrypt4j.ring;

import java.util.Arrays;

/**
 * Pooling windows of an NCHW ring tensor, with DL4J's kernel/stride/padding/{@code ConvolutionMode}
 * semantics as computed by {@link ConvGeometry} (Truncate, Same, Strict; dilation honoured).
 *
 * <p>Layout of the windows: {@code [KH*KW, N, C, OH, OW]}; slice {@code k = kh*KW + kw} holds, at
 * {@code [n, c, oh, ow]}, the input {@code [n, c, oh*sH - padTop + kh*dH, ow*sW - padLeft + kw*dW]}, or
 * {@code padValue} where that position lies in the padding. Window-major slices let a max tree compare
 * whole slices pairwise (one secure comparison layer per tree level). For max pooling pass a pad value
 * below every input (e.g. the encoding of a large negative number) or 0 after a ReLU; for average pooling 0.
 *
 * <p>Average pooling is {@link #sumWindows} (a local operation on shares) followed by a public scale
 * by the caller, either {@code 1/(KH*KW)} or the per-output {@link #validCounts} (DL4J's divisor excluding
 * padding).
 */
public final class PoolWindows {

    private PoolWindows() {
    }

    /** The windows {@code [KH*KW, N, C, OH, OW]} of {@code x [N, C, H, W]} (layout in the class doc). */
    public static RingTensor extract(RingTensor x, ConvGeometry g, long padValue) {
        Dims d = Dims.of(x.shape(), g);
        long[] in = x.toLongArray();
        int plane = d.oh * d.ow;
        int slice = d.nc * plane;
        long[] out = new long[d.kh * d.kw * slice];
        for (int kh = 0; kh < d.kh; kh++) {
            for (int kw = 0; kw < d.kw; kw++) {
                int base = (kh * d.kw + kw) * slice;
                for (int p = 0; p < d.nc; p++) {
                    int src = p * d.h * d.w;
                    int dst = base + p * plane;
                    for (int oh = 0; oh < d.oh; oh++) {
                        int ih = oh * g.strideH() - d.padTop + kh * g.dilationH();
                        int row = dst + oh * d.ow;
                        if (ih < 0 || ih >= d.h) {
                            Arrays.fill(out, row, row + d.ow, padValue);
                            continue;
                        }
                        int srcRow = src + ih * d.w;
                        for (int ow = 0; ow < d.ow; ow++) {
                            int iw = ow * g.strideW() - d.padLeft + kw * g.dilationW();
                            out[row + ow] = iw < 0 || iw >= d.w ? padValue : in[srcRow + iw];
                        }
                    }
                }
            }
        }
        return RingTensor.of(out, d.kh * (long) d.kw, d.n, d.c, d.oh, d.ow);
    }

    /**
     * The adjoint of {@link #extract}: adds every window entry back to the input position it came from
     * (entries in the padding are dropped). {@code windows} is {@code [KH*KW, N, C, OH, OW]}, the result
     * {@code inputShape = [N, C, H, W]}. Used for the backward pass of pooling.
     */
    public static RingTensor scatterAdd(RingTensor windows, long[] inputShape, ConvGeometry g) {
        Dims d = Dims.of(inputShape, g);
        long[] expected = {d.kh * (long) d.kw, d.n, d.c, d.oh, d.ow};
        if (!Arrays.equals(windows.shape(), expected)) {
            throw new IllegalArgumentException("scatterAdd: windows have shape " + Arrays.toString(windows.shape())
                    + ", expected " + Arrays.toString(expected) + " for input " + Arrays.toString(inputShape) + " and " + g);
        }
        long[] win = windows.toLongArray();
        long[] out = new long[d.nc * d.h * d.w];
        int plane = d.oh * d.ow;
        int slice = d.nc * plane;
        for (int kh = 0; kh < d.kh; kh++) {
            for (int kw = 0; kw < d.kw; kw++) {
                int base = (kh * d.kw + kw) * slice;
                for (int p = 0; p < d.nc; p++) {
                    int dstPlane = p * d.h * d.w;
                    int src = base + p * plane;
                    for (int oh = 0; oh < d.oh; oh++) {
                        int ih = oh * g.strideH() - d.padTop + kh * g.dilationH();
                        if (ih < 0 || ih >= d.h) {
                            continue;
                        }
                        int dstRow = dstPlane + ih * d.w;
                        int row = src + oh * d.ow;
                        for (int ow = 0; ow < d.ow; ow++) {
                            int iw = ow * g.strideW() - d.padLeft + kw * g.dilationW();
                            if (iw >= 0 && iw < d.w) {
                                out[dstRow + iw] += win[row + ow];
                            }
                        }
                    }
                }
            }
        }
        return RingTensor.of(out, inputShape.clone());
    }

    /** The sum of each window, {@code [N, C, OH, OW]} (padding contributes 0): average pooling before scaling. */
    public static RingTensor sumWindows(RingTensor x, ConvGeometry g) {
        Dims d = Dims.of(x.shape(), g);
        RingTensor w = extract(x, g, 0L);
        return RingOps.sum(w, 0).reshapeView(d.n, d.c, d.oh, d.ow);
    }

    /** For each output position {@code oh*OW + ow}, how many window entries lie inside the input. */
    public static int[] validCounts(long[] inputShape, ConvGeometry g) {
        Dims d = Dims.of(inputShape, g);
        int[] rows = new int[d.oh];
        for (int oh = 0; oh < d.oh; oh++) {
            for (int kh = 0; kh < d.kh; kh++) {
                int ih = oh * g.strideH() - d.padTop + kh * g.dilationH();
                rows[oh] += ih >= 0 && ih < d.h ? 1 : 0;
            }
        }
        int[] out = new int[d.oh * d.ow];
        for (int ow = 0; ow < d.ow; ow++) {
            int cols = 0;
            for (int kw = 0; kw < d.kw; kw++) {
                int iw = ow * g.strideW() - d.padLeft + kw * g.dilationW();
                cols += iw >= 0 && iw < d.w ? 1 : 0;
            }
            for (int oh = 0; oh < d.oh; oh++) {
                out[oh * d.ow + ow] = rows[oh] * cols;
            }
        }
        return out;
    }

    /** The output shape {@code [N, C, OH, OW]} of pooling {@code inputShape} with {@code g}. */
    public static long[] outputShape(long[] inputShape, ConvGeometry g) {
        Dims d = Dims.of(inputShape, g);
        return new long[] {d.n, d.c, d.oh, d.ow};
    }

    private static final class Dims {
        final int n, c, h, w, kh, kw, oh, ow, padTop, padLeft, nc;

        private Dims(int n, int c, int h, int w, ConvGeometry g) {
            this.n = n;
            this.c = c;
            this.h = h;
            this.w = w;
            this.kh = g.kernelH();
            this.kw = g.kernelW();
            this.oh = g.outputHeight(h);
            this.ow = g.outputWidth(w);
            this.padTop = g.padTop(h);
            this.padLeft = g.padLeft(w);
            this.nc = n * c;
            long windows = (long) kh * kw * nc * oh * ow;
            if (windows > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("pooling windows of " + windows + " elements exceed a Java array");
            }
        }

        static Dims of(long[] s, ConvGeometry g) {
            if (s.length != 4) {
                throw new IllegalArgumentException("pooling needs an NCHW [N, C, H, W] tensor, got shape "
                        + Arrays.toString(s));
            }
            return new Dims((int) s[0], (int) s[1], (int) s[2], (int) s[3], g);
        }
    }
}
