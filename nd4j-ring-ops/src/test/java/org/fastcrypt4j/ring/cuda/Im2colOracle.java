package org.fastcrypt4j.ring.cuda;

/**
 * Plain-Java im2col / col2im in the layout of org.fastcrypt4j.ring.RingKernels (column matrix
 * [C*KH*KW, N*OH*OW]), written as nested loops over the convolution's windows; col2im scatters and
 * adds, so it checks the kernels' gather form independently.
 */
final class Im2colOracle {
    /** n, c, h, w, kH, kW, sH, sW, pH (top), pW (left), dH, dW, oH, oW. */
    private final int n, c, h, w, kH, kW, sH, sW, pH, pW, dH, dW, oH, oW;

    Im2colOracle(int[] g) {
        n = g[0]; c = g[1]; h = g[2]; w = g[3]; kH = g[4]; kW = g[5]; sH = g[6]; sW = g[7];
        pH = g[8]; pW = g[9]; dH = g[10]; dW = g[11]; oH = g[12]; oW = g[13];
    }

    int imageLength() {
        return n * c * h * w;
    }

    int columnsLength() {
        return c * kH * kW * n * oH * oW;
    }

    /** Input index read by column-matrix entry (row, col), or -1 in the padding; visits every entry. */
    private interface Visitor {
        void visit(int matrixIndex, int inputIndex);
    }

    private void forEachEntry(Visitor visitor) {
        int cols = n * oH * oW;
        for (int ch = 0; ch < c; ch++) {
            for (int ky = 0; ky < kH; ky++) {
                for (int kx = 0; kx < kW; kx++) {
                    int row = (ch * kH + ky) * kW + kx;
                    for (int b = 0; b < n; b++) {
                        for (int oy = 0; oy < oH; oy++) {
                            for (int ox = 0; ox < oW; ox++) {
                                int y = oy * sH - pH + ky * dH;
                                int x = ox * sW - pW + kx * dW;
                                int col = (b * oH + oy) * oW + ox;
                                boolean inside = y >= 0 && y < h && x >= 0 && x < w;
                                visitor.visit(row * cols + col, inside ? ((b * c + ch) * h + y) * w + x : -1);
                            }
                        }
                    }
                }
            }
        }
    }

    long[] im2col(long[] input) {
        long[] out = new long[columnsLength()];
        forEachEntry((m, i) -> out[m] = i < 0 ? 0L : input[i]);
        return out;
    }

    long[] col2im(long[] columns) {
        long[] out = new long[imageLength()];
        forEachEntry((m, i) -> {
            if (i >= 0) {
                out[i] += columns[m];
            }
        });
        return out;
    }
}
