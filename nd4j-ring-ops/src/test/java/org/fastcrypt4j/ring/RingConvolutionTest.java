package org.fastcrypt4j.ring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Ring convolutions (forward, both backward ones, im2col/col2im) against naive direct loops on full-range
 * longs, and the geometry against ND4J's DOUBLE conv2d on small integers (so DL4J layers agree).
 */
class RingConvolutionTest {

    private static final long SEED = System.nanoTime();
    private final SplittableRandom rnd = new SplittableRandom(SEED);
    private final RingKernels kernels = new CpuRingKernels();

    /** {n, c, h, w, oc} x geometry. */
    private static final Object[][] CASES = {
        {new int[] {1, 1, 1, 1, 1}, ConvGeometry.kernel(1)},
        {new int[] {2, 3, 7, 9, 4}, ConvGeometry.kernel(3)},
        {new int[] {2, 2, 8, 7, 3}, ConvGeometry.kernel(3).stride(2).padding(1)},
        {new int[] {1, 3, 9, 10, 2}, ConvGeometry.of(2, 3, 2, 1, 0, 2, 1, 1, ConvGeometry.Mode.TRUNCATE)},
        {new int[] {2, 2, 11, 11, 3}, ConvGeometry.kernel(3).dilation(2).padding(1)},
        {new int[] {2, 3, 7, 8, 2}, ConvGeometry.kernel(3).stride(2).mode(ConvGeometry.Mode.SAME)},
        {new int[] {1, 2, 10, 9, 3}, ConvGeometry.kernel(4).mode(ConvGeometry.Mode.SAME)},
        {new int[] {1, 1, 9, 9, 2}, ConvGeometry.kernel(3).stride(2).mode(ConvGeometry.Mode.STRICT)},
        {new int[] {2, 3, 12, 12, 5}, ConvGeometry.kernel(5).stride(4).padding(2)},
    };

    private long[] random(int len, long bound) {
        long[] x = new long[len];
        for (int i = 0; i < len; i++) {
            x[i] = bound == 0 ? rnd.nextLong() : rnd.nextLong(-bound, bound + 1);
        }
        return x;
    }

    /** Input value at (n, c, iy, ix), or 0 in the padding. */
    private static long at(long[] x, int c, int h, int w, int n, int ch, int iy, int ix) {
        return iy < 0 || iy >= h || ix < 0 || ix >= w ? 0L : x[((n * c + ch) * h + iy) * w + ix];
    }

    private static long[] naiveForward(long[] x, long[] wt, long[] bias, int[] s, ConvGeometry g) {
        int n = s[0], c = s[1], h = s[2], w = s[3], oc = s[4];
        int oh = g.outputHeight(h), ow = g.outputWidth(w), pt = g.padTop(h), pl = g.padLeft(w);
        int kh = g.kernelH(), kw = g.kernelW();
        long[] out = new long[n * oc * oh * ow];
        for (int b = 0; b < n; b++) {
            for (int o = 0; o < oc; o++) {
                for (int y = 0; y < oh; y++) {
                    for (int xo = 0; xo < ow; xo++) {
                        long sum = bias == null ? 0 : bias[o];
                        for (int ch = 0; ch < c; ch++) {
                            for (int ky = 0; ky < kh; ky++) {
                                for (int kx = 0; kx < kw; kx++) {
                                    sum += wt[((o * c + ch) * kh + ky) * kw + kx] * at(x, c, h, w, b, ch,
                                            y * g.strideH() - pt + ky * g.dilationH(),
                                            xo * g.strideW() - pl + kx * g.dilationW());
                                }
                            }
                        }
                        out[((b * oc + o) * oh + y) * ow + xo] = sum;
                    }
                }
            }
        }
        return out;
    }

    @Test
    void forwardAndBothBackwardsMatchNaiveLoops() {
        for (Object[] cs : CASES) {
            int[] s = (int[]) cs[0];
            ConvGeometry g = (ConvGeometry) cs[1];
            int n = s[0], c = s[1], h = s[2], w = s[3], oc = s[4];
            int oh = g.outputHeight(h), ow = g.outputWidth(w), pt = g.padTop(h), pl = g.padLeft(w);
            int kh = g.kernelH(), kw = g.kernelW();
            long[] x = random(n * c * h * w, 0);
            long[] wt = random(oc * c * kh * kw, 0);
            long[] bias = random(oc, 0);
            String msg = g + " input " + Arrays.toString(s) + " seed " + SEED;
            RingTensor xt = RingTensor.of(x, n, c, h, w);
            RingTensor wtT = RingTensor.of(wt, oc, c, kh, kw);
            RingTensor out = kernels.conv2d(xt, wtT, RingTensor.of(bias, oc), g);
            assertArrayEquals(new long[] {n, oc, oh, ow}, out.shape(), msg);
            assertArrayEquals(naiveForward(x, wt, bias, s, g), out.toLongArray(), "forward " + msg);
            assertArrayEquals(naiveForward(x, wt, null, s, g), kernels.conv2d(xt, wtT, null, g).toLongArray(),
                    "forward without bias " + msg);

            long[] dOut = random(n * oc * oh * ow, 0);
            long[] dx = new long[x.length];
            long[] dw = new long[wt.length];
            for (int b = 0; b < n; b++) {
                for (int o = 0; o < oc; o++) {
                    for (int y = 0; y < oh; y++) {
                        for (int xo = 0; xo < ow; xo++) {
                            long d = dOut[((b * oc + o) * oh + y) * ow + xo];
                            for (int ch = 0; ch < c; ch++) {
                                for (int ky = 0; ky < kh; ky++) {
                                    for (int kx = 0; kx < kw; kx++) {
                                        int iy = y * g.strideH() - pt + ky * g.dilationH();
                                        int ix = xo * g.strideW() - pl + kx * g.dilationW();
                                        if (iy < 0 || iy >= h || ix < 0 || ix >= w) {
                                            continue;
                                        }
                                        int wi = ((o * c + ch) * kh + ky) * kw + kx;
                                        int xi = ((b * c + ch) * h + iy) * w + ix;
                                        dx[xi] += wt[wi] * d;
                                        dw[wi] += x[xi] * d;
                                    }
                                }
                            }
                        }
                    }
                }
            }
            RingTensor dOutT = RingTensor.of(dOut, n, oc, oh, ow);
            assertArrayEquals(dx, kernels.conv2dBackwardInput(dOutT, wtT, xt.shape(), g).toLongArray(),
                    "backward input " + msg);
            RingTensor gw = kernels.conv2dBackwardWeights(xt, dOutT, g);
            assertArrayEquals(wtT.shape(), gw.shape(), msg);
            assertArrayEquals(dw, gw.toLongArray(), "backward weights " + msg);
        }
    }

    @Test
    void im2colIsTheAdjointOfCol2im() {
        int[] s = {2, 3, 9, 8};
        ConvGeometry g = ConvGeometry.kernel(3).stride(2).padding(1).dilation(2);
        long[] x = random(s[0] * s[1] * s[2] * s[3], 0);
        RingTensor xt = RingTensor.of(x, 2, 3, 9, 8);
        RingTensor cols = kernels.im2col(xt, g);
        long[] y = random(cols.intLength(), 0);
        long lhs = dot(cols.toLongArray(), y);
        long rhs = dot(x, kernels.col2im(RingTensor.of(y, cols.shape()), xt.shape(), g).toLongArray());
        assertEquals(lhs, rhs, "<im2col(x), y> = <x, col2im(y)> mod 2^64, seed " + SEED);
        assertThrows(IllegalArgumentException.class,
                () -> kernels.col2im(RingTensor.zeros(3, 4), xt.shape(), g));
    }

    private static long dot(long[] a, long[] b) {
        long s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    @Test
    void geometryAgreesWithNd4jDoubleConv2d() {
        for (Object[] cs : CASES) {
            int[] s = (int[]) cs[0];
            ConvGeometry g = (ConvGeometry) cs[1];
            if (g.mode() == ConvGeometry.Mode.STRICT) {
                continue; // Strict is Truncate plus a divisibility check, covered by the Truncate cases
            }
            int n = s[0], c = s[1], h = s[2], w = s[3], oc = s[4];
            long[] x = random(n * c * h * w, 50);
            long[] wt = random(oc * c * g.kernelH() * g.kernelW(), 50);
            INDArray xd = Nd4j.createFromArray(x).reshape('c', n, c, h, w).castTo(DataType.DOUBLE);
            INDArray wd = Nd4j.createFromArray(wt).reshape('c', oc, c, g.kernelH(), g.kernelW()).castTo(DataType.DOUBLE);
            Conv2DConfig cfg = Conv2DConfig.builder().kH(g.kernelH()).kW(g.kernelW()).sH(g.strideH()).sW(g.strideW())
                    .pH(g.padH()).pW(g.padW()).dH(g.dilationH()).dW(g.dilationW())
                    .paddingMode(g.mode() == ConvGeometry.Mode.SAME ? PaddingMode.SAME : PaddingMode.VALID)
                    .dataFormat("NCHW").weightsFormat(WeightsFormat.OIYX).build();
            INDArray expected = Nd4j.cnn().conv2d(xd, wd, cfg).castTo(DataType.LONG);
            RingTensor got = kernels.conv2d(RingTensor.of(x, n, c, h, w),
                    RingTensor.of(wt, oc, c, g.kernelH(), g.kernelW()), null, g);
            assertArrayEquals(expected.shape(), got.shape(), "shape " + g);
            assertArrayEquals(expected.dup('c').data().asLong(), got.toLongArray(), "values " + g + " seed " + SEED);
        }
    }

    @Test
    void badGeometriesFailClearly() {
        ConvGeometry strict = ConvGeometry.kernel(3).stride(2).mode(ConvGeometry.Mode.STRICT);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> strict.outputHeight(8));
        assertTrue(e.getMessage().contains("Strict"), e.getMessage());
        assertEquals(3, ConvGeometry.kernel(3).stride(2).outputHeight(8)); // Truncate drops the last row
        assertEquals(4, ConvGeometry.kernel(3).stride(2).mode(ConvGeometry.Mode.SAME).outputHeight(8));
        assertThrows(IllegalArgumentException.class, () -> ConvGeometry.kernel(5).outputWidth(4));
        assertThrows(IllegalArgumentException.class, () -> ConvGeometry.kernel(0));
        assertThrows(IllegalArgumentException.class, () -> ConvGeometry.kernel(2).padding(-1));
        RingTensor x = RingTensor.zeros(1, 2, 5, 5);
        assertThrows(IllegalArgumentException.class,
                () -> kernels.conv2d(x, RingTensor.zeros(3, 1, 3, 3), null, ConvGeometry.kernel(3)));
        assertThrows(IllegalArgumentException.class,
                () -> kernels.conv2d(RingTensor.zeros(2, 5, 5), RingTensor.zeros(3, 2, 3, 3), null, ConvGeometry.kernel(3)));
        assertThrows(IllegalArgumentException.class,
                () -> kernels.conv2d(x, RingTensor.zeros(3, 2, 3, 3), RingTensor.zeros(2), ConvGeometry.kernel(3)));
    }
}
