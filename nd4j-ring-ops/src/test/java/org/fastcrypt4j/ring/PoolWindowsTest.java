package org.fastcrypt4j.ring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Pooling windows against a direct per-window oracle, the adjoint identity of scatter-add, and ND4J's own
 * max pooling (DOUBLE, exact for integers below 2^53) for the DL4J Truncate/Same output geometry.
 */
class PoolWindowsTest {

    private static final ConvGeometry[] GEOMETRIES = {
        ConvGeometry.kernel(2).stride(2),
        ConvGeometry.kernel(3).stride(2).padding(1),
        ConvGeometry.of(3, 2, 1, 2, 0, 1, 1, 1, ConvGeometry.Mode.TRUNCATE),
        ConvGeometry.kernel(3).stride(2).mode(ConvGeometry.Mode.SAME),
        ConvGeometry.kernel(2).stride(3).mode(ConvGeometry.Mode.SAME),
        ConvGeometry.kernel(2).dilation(2),
    };

    private static long at(long[] x, long[] s, int n, int c, int h, int w, long pad) {
        if (h < 0 || h >= s[2] || w < 0 || w >= s[3]) {
            return pad;
        }
        return x[(int) (((n * s[1] + c) * s[2] + h) * s[3] + w)];
    }

    @Test
    void windowsMatchOracleAndScatterAddIsTheAdjoint() {
        long seed = RingTestData.seed();
        SplittableRandom rnd = new SplittableRandom(seed);
        long[][] shapes = {{2, 3, 7, 9}, {1, 1, 5, 5}, {3, 2, 6, 11}};
        for (long[] s : shapes) {
            for (ConvGeometry g : GEOMETRIES) {
                String msg = "seed=" + seed + " " + java.util.Arrays.toString(s) + " " + g;
                long[] x = RingTestData.values(rnd, (int) RingTestData.product(s));
                long pad = rnd.nextLong();
                RingTensor win = PoolWindows.extract(RingTensor.of(x, s), g, pad);
                int oh = g.outputHeight((int) s[2]);
                int ow = g.outputWidth((int) s[3]);
                assertArrayEquals(new long[] {(long) g.kernelH() * g.kernelW(), s[0], s[1], oh, ow}, win.shape(), msg);
                long[] w = win.toLongArray();
                int top = g.padTop((int) s[2]);
                int left = g.padLeft((int) s[3]);
                long[] sums = PoolWindows.sumWindows(RingTensor.of(x, s), g).toLongArray();
                int[] counts = PoolWindows.validCounts(s, g);
                int i = 0;
                for (int kh = 0; kh < g.kernelH(); kh++) {
                    for (int kw = 0; kw < g.kernelW(); kw++) {
                        for (int n = 0; n < s[0]; n++) {
                            for (int c = 0; c < s[1]; c++) {
                                for (int y = 0; y < oh; y++) {
                                    for (int z = 0; z < ow; z++) {
                                        int h = y * g.strideH() - top + kh * g.dilationH();
                                        int ww = z * g.strideW() - left + kw * g.dilationW();
                                        assertEquals(at(x, s, n, c, h, ww, pad), w[i++], msg);
                                    }
                                }
                            }
                        }
                    }
                }
                int plane = oh * ow;
                for (int o = 0; o < sums.length; o++) {
                    long expected = 0;
                    int valid = 0;
                    for (int k = 0; k < g.kernelH() * g.kernelW(); k++) {
                        long e = w[k * sums.length + o];
                        int y = (o % plane) / ow;
                        int z = o % ow;
                        int h = y * g.strideH() - top + (k / g.kernelW()) * g.dilationH();
                        int ww = z * g.strideW() - left + (k % g.kernelW()) * g.dilationW();
                        boolean inside = h >= 0 && h < s[2] && ww >= 0 && ww < s[3];
                        expected += inside ? e : 0;
                        valid += inside ? 1 : 0;
                    }
                    assertEquals(expected, sums[o], msg + " window sum " + o);
                    assertEquals(valid, counts[o % plane], msg + " valid count " + o);
                }
                // <extract(x), y> == <x, scatterAdd(y)> for the zero-padded extraction
                long[] y = RingTestData.values(rnd, w.length);
                long[] back = PoolWindows.scatterAdd(RingTensor.of(y, win.shape()), s, g).toLongArray();
                long[] w0 = PoolWindows.extract(RingTensor.of(x, s), g, 0L).toLongArray();
                long lhs = 0;
                for (int j = 0; j < w0.length; j++) {
                    lhs += w0[j] * y[j];
                }
                long rhs = 0;
                for (int j = 0; j < x.length; j++) {
                    rhs += x[j] * back[j];
                }
                assertEquals(lhs, rhs, "adjoint identity mod 2^64, " + msg);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> PoolWindows.extract(RingTensor.zeros(3, 4, 4), GEOMETRIES[0], 0));
        assertThrows(IllegalArgumentException.class,
                () -> PoolWindows.scatterAdd(RingTensor.zeros(4, 1, 1, 3, 3), new long[] {1, 1, 5, 5}, GEOMETRIES[0]));
    }

    @Test
    void maxOverWindowsMatchesNd4jMaxPooling() {
        long seed = RingTestData.seed();
        SplittableRandom rnd = new SplittableRandom(seed);
        long[] s = {2, 3, 7, 9};
        long[] x = new long[(int) RingTestData.product(s)];
        for (int i = 0; i < x.length; i++) {
            x[i] = rnd.nextLong(-(1L << 40), 1L << 40);
        }
        for (ConvGeometry g : new ConvGeometry[] {GEOMETRIES[0], GEOMETRIES[1], GEOMETRIES[2], GEOMETRIES[3], GEOMETRIES[4],
            ConvGeometry.kernel(3).stride(2)}) {
            long[] w = PoolWindows.extract(RingTensor.of(x, s), g, Long.MIN_VALUE).toLongArray();
            int k = g.kernelH() * g.kernelW();
            int outs = w.length / k;
            long[] max = new long[outs];
            java.util.Arrays.fill(max, Long.MIN_VALUE);
            for (int j = 0; j < w.length; j++) {
                max[j % outs] = Math.max(max[j % outs], w[j]);
            }
            INDArray in = Nd4j.createFromArray(x).reshape('c', s).castTo(DataType.DOUBLE);
            Pooling2DConfig cfg = Pooling2DConfig.builder().kH(g.kernelH()).kW(g.kernelW()).sH(g.strideH()).sW(g.strideW())
                    .pH(g.padH()).pW(g.padW()).dH(1).dW(1).paddingMode(g.mode() == ConvGeometry.Mode.SAME ? PaddingMode.SAME : PaddingMode.VALID)
                    .type(Pooling2D.Pooling2DType.MAX).isNHWC(false).build();
            INDArray out = Nd4j.exec(new Pooling2D(in, null, cfg))[0];
            assertArrayEquals(PoolWindows.outputShape(s, g), out.shape(), g.toString());
            long[] expected = out.castTo(DataType.LONG).dup('c').data().asLong();
            assertArrayEquals(expected, max, "seed=" + seed + " " + g);
        }
    }
}
