package org.fastcrypt4j.ring;

import java.util.Arrays;

/**
 * im2col / col2im on {@code long[]} for NCHW inputs, in the column layout of {@link RingKernels#im2col}:
 * {@code cols[C*KH*KW, N*OH*OW]}, row {@code (c*KH + kh)*KW + kw}, column {@code (n*OH + oh)*OW + ow}.
 * Pure data movement (col2im adds mod 2^64), so exact; parallel ({@link RingParallel}) over rows of the column matrix (im2col) or
 * over channels (col2im, whose rows of one channel write the same input plane).
 */
public final class Im2Col {

    private final int n;
    private final int c;
    private final int h;
    private final int w;
    private final int kh;
    private final int kw;
    private final int sh;
    private final int sw;
    private final int dh;
    private final int dw;
    private final int padTop;
    private final int padLeft;
    private final int oh;
    private final int ow;

    /** The geometry of one convolution of an input of shape {@code [n, c, h, w]}. */
    public Im2Col(int n, int c, int h, int w, ConvGeometry g) {
        this.n = n;
        this.c = c;
        this.h = h;
        this.w = w;
        this.kh = g.kernelH();
        this.kw = g.kernelW();
        this.sh = g.strideH();
        this.sw = g.strideW();
        this.dh = g.dilationH();
        this.dw = g.dilationW();
        this.padTop = g.padTop(h);
        this.padLeft = g.padLeft(w);
        this.oh = g.outputHeight(h);
        this.ow = g.outputWidth(w);
    }

    public int outH() { return oh; }
    public int outW() { return ow; }
    /** Rows of the column matrix, {@code C*KH*KW}. */
    public int colRows() { return c * kh * kw; }
    /** Columns of the column matrix, {@code N*OH*OW}. */
    public int colCols() { return n * oh * ow; }

    /** Fills {@code cols} (length {@link #colRows()} x {@link #colCols()}) from {@code in} ([n, c, h, w]). */
    public void im2col(long[] in, long[] cols) {
        int rows = colRows();
        int ncols = colCols();
        RingParallel.forEach(rows, r -> {
            int ch = r / (kh * kw);
            int ky = (r / kw) % kh;
            int kx = r % kw;
            int base = r * ncols;
            for (int img = 0; img < n; img++) {
                int plane = (img * c + ch) * h * w;
                int outBase = base + img * oh * ow;
                for (int y = 0; y < oh; y++) {
                    int iy = y * sh - padTop + ky * dh;
                    int o = outBase + y * ow;
                    if (iy < 0 || iy >= h) {
                        Arrays.fill(cols, o, o + ow, 0L);
                        continue;
                    }
                    int rowOff = plane + iy * w;
                    int ix = -padLeft + kx * dw;
                    for (int x = 0; x < ow; x++, ix += sw) {
                        cols[o + x] = ix >= 0 && ix < w ? in[rowOff + ix] : 0L;
                    }
                }
            }
        });
    }

    /** Adds the entries of {@code cols} into {@code out} ([n, c, h, w]); {@code out} is not cleared first. */
    public void col2im(long[] cols, long[] out) {
        int ncols = colCols();
        RingParallel.forEach(c, ch -> {
            for (int ky = 0; ky < kh; ky++) {
                for (int kx = 0; kx < kw; kx++) {
                    int base = ((ch * kh + ky) * kw + kx) * ncols;
                    for (int img = 0; img < n; img++) {
                        int plane = (img * c + ch) * h * w;
                        int inBase = base + img * oh * ow;
                        for (int y = 0; y < oh; y++) {
                            int iy = y * sh - padTop + ky * dh;
                            if (iy < 0 || iy >= h) {
                                continue;
                            }
                            int rowOff = plane + iy * w;
                            int o = inBase + y * ow;
                            int ix = -padLeft + kx * dw;
                            for (int x = 0; x < ow; x++, ix += sw) {
                                if (ix >= 0 && ix < w) {
                                    out[rowOff + ix] += cols[o + x];
                                }
                            }
                        }
                    }
                }
            }
        });
    }
}
