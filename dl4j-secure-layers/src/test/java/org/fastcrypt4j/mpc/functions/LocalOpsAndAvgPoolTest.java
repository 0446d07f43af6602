package org.fastcrypt4j.mpc.functions;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;

import org.fastcrypt4j.mpc.arithmetic.FixedPointOps;
import org.fastcrypt4j.mpc.sharing.MpcSettings;
import org.fastcrypt4j.mpc.sharing.Parties;
import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.mpc.sharing.Sharing;
import org.fastcrypt4j.ring.ConvGeometry;
import org.fastcrypt4j.ring.RingTensor;
import org.junit.jupiter.api.Test;

/** Local linear ops on sharings (sum, broadcast bias) and average pooling against plaintext oracles. */
class LocalOpsAndAvgPoolTest {

    private static final int F = MpcSettings.DEFAULT_FRACTIONAL_BITS;
    /** Truncation is exact to 1 ulp (once forward, once backward, plus up to 9 overlapping windows). */
    private static final double TOLERANCE_ULPS = 12;

    @Test
    void sumAndBroadcastAreExactOverTheFullRing() {
        long seed = System.nanoTime();
        SplittableRandom r = new SplittableRandom(seed);
        long[] x = new long[5 * 7];
        long[] b = new long[7];
        for (int i = 0; i < x.length; i++) {
            x[i] = i % 5 == 0 ? Long.MIN_VALUE + i : r.nextLong();
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = i == 0 ? Long.MAX_VALUE : r.nextLong();
        }
        List<long[][]> out = Parties.overIpc(MpcSettings.defaults(), s -> {
            SharedTensor sx = Sharing.input(s, 0, s.party() == 0 ? RingTensor.of(x, 5, 7) : null, 5, 7);
            SharedTensor sb = Sharing.input(s, 2, s.party() == 2 ? RingTensor.of(b, 7) : null, 7);
            long before = s.openings().total();
            SharedTensor biased = sx.addBroadcast(sb);
            SharedTensor rows = sx.sum(1);
            SharedTensor all = sx.sum();
            long local = s.openings().total() - before;
            return new long[][] {Sharing.revealToAll(s, biased).toLongArray(), Sharing.revealToAll(s, rows).toLongArray(),
                Sharing.revealToAll(s, all).toLongArray(), {local}};
        });
        long[] biased = new long[x.length];
        long[] rows = new long[5];
        long all = 0;
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 7; j++) {
                biased[i * 7 + j] = x[i * 7 + j] + b[j];
                rows[i] += x[i * 7 + j];
                all += x[i * 7 + j];
            }
        }
        for (int p = 0; p < 3; p++) {
            assertArrayEquals(biased, out.get(p)[0], "broadcast add, party " + p + ", seed " + seed);
            assertArrayEquals(rows, out.get(p)[1], "row sums, party " + p + ", seed " + seed);
            assertArrayEquals(new long[] {all}, out.get(p)[2], "total, party " + p + ", seed " + seed);
            assertEquals(0, out.get(p)[3][0], "local ops open nothing, seed " + seed);
        }
    }

    @Test
    void averagePoolingForwardAndBackwardMatchThePlaintext() {
        long seed = System.nanoTime();
        SplittableRandom r = new SplittableRandom(seed);
        ConvGeometry[] geometries = {
            ConvGeometry.kernel(2).stride(2),
            ConvGeometry.kernel(3).stride(2).padding(1),
            ConvGeometry.kernel(3).stride(1).mode(ConvGeometry.Mode.SAME),
        };
        for (ConvGeometry g : geometries) {
            for (boolean padInDivisor : new boolean[] {true, false}) {
                long[] shape = {2, 3, 7, 6};
                int n = 2 * 3 * 7 * 6;
                double[] x = new double[n];
                for (int i = 0; i < n; i++) {
                    // negative and large magnitudes, within the fixed-point range of sums of 9 entries
                    x[i] = switch (r.nextInt(4)) {
                        case 0 -> -r.nextDouble() * 1e6;
                        case 1 -> r.nextDouble() * 1e6;
                        default -> r.nextGaussian();
                    };
                }
                long[] outShape = org.fastcrypt4j.ring.PoolWindows.outputShape(shape, g);
                int m = (int) (outShape[0] * outShape[1] * outShape[2] * outShape[3]);
                double[] dy = new double[m];
                for (int i = 0; i < m; i++) {
                    dy[i] = r.nextGaussian() * 100;
                }
                List<long[][]> out = Parties.overIpc(MpcSettings.defaults(), s -> {
                    SharedTensor sx = Sharing.input(s, 0, s.party() == 0 ? encode(x, shape) : null, shape);
                    SharedTensor sdy = Sharing.input(s, 1, s.party() == 1 ? encode(dy, outShape) : null, outShape);
                    long before = s.openings().total();
                    AvgPool.Forward fwd = AvgPool.forward(s, sx, g, padInDivisor);
                    SharedTensor dx = AvgPool.backward(s, fwd, sdy);
                    long opened = s.openings().total() - before;
                    return new long[][] {Sharing.revealToAll(s, fwd.output()).toLongArray(),
                        Sharing.revealToAll(s, dx).toLongArray(), {opened}};
                });
                double[][] oracle = oracle(x, shape, dy, g, padInDivisor);
                String where = g + ", padInDivisor " + padInDivisor + ", seed " + seed;
                for (int p = 0; p < 3; p++) {
                    assertClose(oracle[0], oracle[2], out.get(p)[0], "avg-pool forward, party " + p + ", " + where);
                    assertClose(oracle[1], oracle[3], out.get(p)[1], "avg-pool backward, party " + p + ", " + where);
                    assertEquals(0, out.get(p)[2][0], "avg pooling opens nothing (TruncD opens nothing), " + where);
                }
            }
        }
    }

    /** Plain average pooling over doubles with the same geometry. */
    private static double[][] oracle(double[] x, long[] shape, double[] dy, ConvGeometry g, boolean padInDivisor) {
        int n = (int) shape[0], c = (int) shape[1], h = (int) shape[2], w = (int) shape[3];
        int oh = g.outputHeight(h), ow = g.outputWidth(w), pt = g.padTop(h), pl = g.padLeft(w);
        double[] y = new double[n * c * oh * ow];
        double[] dx = new double[x.length];
        double[] yMag = new double[y.length];
        double[] dxMag = new double[x.length];
        for (int p = 0; p < n * c; p++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    double sum = 0;
                    double mag = 0;
                    int valid = 0;
                    for (int a = 0; a < g.kernelH(); a++) {
                        for (int b = 0; b < g.kernelW(); b++) {
                            int ih = i * g.strideH() - pt + a, iw = j * g.strideW() - pl + b;
                            if (ih >= 0 && ih < h && iw >= 0 && iw < w) {
                                sum += x[(p * h + ih) * w + iw];
                                mag += Math.abs(x[(p * h + ih) * w + iw]);
                                valid++;
                            }
                        }
                    }
                    int count = padInDivisor ? g.kernelH() * g.kernelW() : valid;
                    int o = (p * oh + i) * ow + j;
                    y[o] = sum / count;
                    yMag[o] = mag;
                    for (int a = 0; a < g.kernelH(); a++) {
                        for (int b = 0; b < g.kernelW(); b++) {
                            int ih = i * g.strideH() - pt + a, iw = j * g.strideW() - pl + b;
                            if (ih >= 0 && ih < h && iw >= 0 && iw < w) {
                                dx[(p * h + ih) * w + iw] += dy[o] / count;
                                dxMag[(p * h + ih) * w + iw] += Math.abs(dy[o]);
                            }
                        }
                    }
                }
            }
        }
        return new double[][] {y, dx, yMag, dxMag};
    }

    private static RingTensor encode(double[] v, long[] shape) {
        long[] e = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            e[i] = FixedPointOps.encode(v[i], F);
        }
        return RingTensor.of(e, shape);
    }

    /**
     * Within TOLERANCE_ULPS ulps plus the error of the rounded reciprocal enc(1/k) (at most half an ulp)
     * times the sum of the magnitudes of the terms.
     */
    private static void assertClose(double[] expected, double[] magnitude, long[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        double ulp = 1.0 / (1L << F);
        for (int i = 0; i < expected.length; i++) {
            double got = FixedPointOps.decode(actual[i], F);
            double tol = TOLERANCE_ULPS * ulp + magnitude[i] * ulp / 2;
            assertTrue(Math.abs(got - expected[i]) <= tol,
                    what + ": element " + i + " expected " + expected[i] + " got " + got);
        }
    }
}
