package org.fastcrypt4j.mpc.arithmetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.List;
import java.util.SplittableRandom;

import org.fastcrypt4j.mpc.functions.Exp;
import org.fastcrypt4j.mpc.functions.Max;
import org.fastcrypt4j.mpc.functions.Reciprocal;
import org.fastcrypt4j.mpc.functions.Softmax;
import org.fastcrypt4j.mpc.sharing.MpcSettings;
import org.fastcrypt4j.mpc.sharing.Parties;
import org.fastcrypt4j.mpc.sharing.Session;
import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.mpc.sharing.Sharing;
import org.fastcrypt4j.ring.RingTensor;
import org.junit.jupiter.api.Test;

/**
 * Truncation, fixed-point products, exp, reciprocal and softmax against plaintext oracles, three parties
 * over Aeron IPC. Tolerances (f = 20): truncation error in (-1, 1] unit (exact, zero larger errors);
 * products 2 units; exp 1.2e-3 absolute for x in [-12, 0] (PROTOCOLS.md 8.1); reciprocal 1e-3 relative
 * for x in [0.01, 200] (8.2 gives 2e-4 on the real line, plus rounding); softmax 1e-2 absolute (8.3 gives 3.4e-3).
 */
class FixedPointProtocolsTest {

    private static final int F = 20;

    private static SharedTensor in(Session s, long[] v, long... shape) {
        return Sharing.input(s, 0, s.party() == 0 ? RingTensor.of(v, shape) : null, shape);
    }

    private static long[] open(Session s, SharedTensor x) {
        return Sharing.revealToAll(s, x).toLongArray();
    }

    @Test
    void exactTruncationOfTenMillionProductsHasNoErrorAboveOneUnit() {
        long seed = System.nanoTime();
        int batch = 1 << 20;
        int batches = 10;
        List<long[]> out = Parties.overIpc(MpcSettings.defaults(), s -> {
            SplittableRandom r = new SplittableRandom(seed);
            long bad = 0;
            long opened = 0;
            long[] v = new long[batch];
            for (int b = 0; b < batches; b++) {
                for (int i = 0; i < batch; i++) {
                    v[i] = switch (i & 7) {
                        case 0 -> (1L << 61) - 1 - r.nextLong(1 << 20);
                        case 1 -> -(1L << 61) + r.nextLong(1 << 20);
                        default -> r.nextLong(-(1L << 61), 1L << 61);
                    };
                }
                // The value is shared by P0 and reconstructed as a 3-out-of-3 "product share" sum.
                SharedTensor x = in(s, v, batch);
                RingTensor z = x.first().dup();
                long[] zz = z.toLongArray();
                s.randomness().addZeroShare(zz);
                z.copyFrom(zz, 0);
                long before = s.openings().total();
                SharedTensor y = Truncation.truncateProduct(s, z, F);
                opened += s.openings().total() - before;
                long[] yy = open(s, y);
                for (int i = 0; i < batch; i++) {
                    long floor = v[i] >> F;
                    long d = yy[i] - floor;
                    if (d != 0 && d != 1) {
                        bad++;
                    }
                }
            }
            return new long[] {bad, opened};
        });
        assertEquals(0, out.get(0)[0], "large errors, seed " + seed);
        assertEquals(0, out.get(0)[1], "TruncD opens nothing, seed " + seed);
    }

    @Test
    void truncationFromReplicatedBothKindsAndProbabilisticFailsRarely() {
        long seed = System.nanoTime();
        int n = 1 << 16;
        SplittableRandom r = new SplittableRandom(seed);
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextLong(-(1L << 45), 1L << 45);
        }
        for (MpcSettings.TruncationKind kind : MpcSettings.TruncationKind.values()) {
            List<long[]> out = Parties.overIpc(MpcSettings.defaults().withTruncation(kind), s -> {
                long before = s.openings().total();
                SharedTensor y = Truncation.truncate(s, in(s, v, n), F);
                long opened = s.openings().total() - before;
                long[] yy = open(s, y);
                long bad = 0;
                for (int i = 0; i < n; i++) {
                    long d = yy[i] - (v[i] >> F);
                    if (d != 0 && d != 1) {
                        bad++;
                    }
                }
                return new long[] {bad, opened};
            });
            assertEquals(0, out.get(0)[1], kind + " opens nothing, seed " + seed);
            long limit = kind == MpcSettings.TruncationKind.WRAP_FREE ? 0 : 20; // Trunc1: ~2^16 * 2^44 / 2^64 = 0.06 expected
            assertTrue(out.get(0)[0] <= limit, kind + ": " + out.get(0)[0] + " large errors, seed " + seed);
        }
    }

    /** Two all-to-all rounds: afterwards all parties have the same causal depth. */
    private static long barrier(Session s) {
        for (int i = 0; i < 2; i++) {
            s.transport().send(s.next(), "test/barrier", new long[1]);
            s.transport().send(s.prev(), "test/barrier", new long[1]);
            s.transport().receive(s.next(), "test/barrier", new long[1]);
            s.transport().receive(s.prev(), "test/barrier", new long[1]);
        }
        return s.stats().depth();
    }

    @Test
    void exactTruncationSendsTheDocumentedBytesAndRounds() {
        int n = 1000;
        List<long[]> out = Parties.overIpc(MpcSettings.defaults(), s -> {
            SharedTensor x = s.randomness().random(n);
            long d0 = barrier(s);
            long b0 = s.stats().totalBytesSent();
            Truncation.truncate(s, x);
            long d1 = s.stats().depth();
            long b1 = s.stats().totalBytesSent();
            long d2 = barrier(s);
            long b2 = s.stats().totalBytesSent();
            FixedPointOps.mul(s, x, x);
            long d3 = s.stats().depth();
            long b3 = s.stats().totalBytesSent();
            long d4 = barrier(s);
            Exp.exp(s, x);
            long d5 = s.stats().depth();
            return new long[] {d1 - d0, b1 - b0, d3 - d2, b3 - b2, d5 - d4};
        });
        long packed = 8L * BitPacking.words(n, F);
        long[] standaloneBytes = {8L * n + packed, packed, packed};
        long[] d = new long[5];
        for (int p = 0; p < 3; p++) {
            assertEquals(standaloneBytes[p], out.get(p)[1], "standalone bytes of P" + p);
            assertEquals(8L * n + packed, out.get(p)[3], "fused bytes of P" + p);
            for (int k : new int[] {0, 2, 4}) {
                d[k] = Math.max(d[k], out.get(p)[k]);
            }
        }
        assertEquals(2, d[0], "standalone rounds");
        assertEquals(3, d[2], "fused rounds");
        assertEquals(Exp.expectedRounds(MpcSettings.defaults()), d[4], "exp rounds");
    }

    @Test
    void fixedPointProductsMatchThePlaintext() {
        long seed = System.nanoTime();
        SplittableRandom r = new SplittableRandom(seed);
        int m = 5 + r.nextInt(8);
        int k = 3 + r.nextInt(9);
        int n = 2 + r.nextInt(7);
        long[] a = new long[m * k];
        long[] b = new long[k * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextLong(-(100L << F), 100L << F);
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = r.nextLong(-(100L << F), 100L << F);
        }
        long[] img = new long[2 * 3 * 6 * 6];
        long[] w = new long[4 * 3 * 3 * 3];
        for (int i = 0; i < img.length; i++) {
            img[i] = r.nextLong(-(8L << F), 8L << F);
        }
        for (int i = 0; i < w.length; i++) {
            w[i] = r.nextLong(-(8L << F), 8L << F);
        }
        long[] img2 = new long[2 * 4 * 6 * 6];
        for (int i = 0; i < img2.length; i++) {
            img2[i] = r.nextLong(-(8L << F), 8L << F);
        }
        org.fastcrypt4j.ring.ConvGeometry g = org.fastcrypt4j.ring.ConvGeometry.kernel(3).padding(1);
        List<long[][]> out = Parties.overIpc(MpcSettings.defaults(), s -> {
            SharedTensor sa = in(s, a, m, k);
            SharedTensor sb = in(s, b, k, n);
            SharedTensor sa2 = in(s, a, m * k);
            SharedTensor[] both = FixedPointOps.mulAll(s, new SharedTensor[] {sa2, sa2},
                    new SharedTensor[] {sa2, sa2.neg()});
            SharedTensor conv = FixedPointOps.conv2d(s, in(s, img, 2, 3, 6, 6), in(s, w, 4, 3, 3, 3), g);
            SharedTensor dOut = in(s, img2, 2, 4, 6, 6);
            SharedTensor dIn = FixedPointOps.conv2dBackwardInput(s, dOut, in(s, w, 4, 3, 3, 3), new long[] {2, 3, 6, 6}, g);
            SharedTensor dW = FixedPointOps.conv2dBackwardWeights(s, in(s, img, 2, 3, 6, 6), dOut, g);
            long opened = s.openings().total();
            return new long[][] {open(s, FixedPointOps.matmul(s, sa, sb)), open(s, FixedPointOps.mul(s, sa2, sa2)),
                    open(s, both[1]), open(s, FixedPointOps.mulConstant(s, sa2, -0.75)), open(s, conv),
                    {opened}, open(s, dIn), open(s, dW)};
        });
        long[][] res = out.get(0);
        assertEquals(0, res[5][0], "products open nothing, seed " + seed);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                BigInteger acc = BigInteger.ZERO;
                for (int t = 0; t < k; t++) {
                    acc = acc.add(BigInteger.valueOf(a[i * k + t]).multiply(BigInteger.valueOf(b[t * n + j])));
                }
                long want = acc.shiftRight(F).longValueExact();
                assertTrue(Math.abs(res[0][i * n + j] - want) <= 1, "matmul (" + i + "," + j + "), seed " + seed);
            }
        }
        for (int i = 0; i < a.length; i++) {
            long sq = BigInteger.valueOf(a[i]).pow(2).shiftRight(F).longValueExact();
            assertTrue(Math.abs(res[1][i] - sq) <= 1, "square " + i + ", seed " + seed);
            assertTrue(Math.abs(res[2][i] + sq) <= 2, "mulAll " + i + ", seed " + seed);
            long c = BigInteger.valueOf(a[i]).multiply(BigInteger.valueOf(-(3L << (F - 2)))).shiftRight(F).longValueExact();
            assertTrue(Math.abs(res[3][i] - c) <= 1, "mulConstant " + i + ", seed " + seed);
        }
        assertBackwardConvolutions(res, img, img2, w, g, seed);
        for (int nn = 0; nn < 2; nn++) {
            for (int oc = 0; oc < 4; oc++) {
                for (int y = 0; y < 6; y++) {
                    for (int x = 0; x < 6; x++) {
                        BigInteger acc = BigInteger.ZERO;
                        for (int ic = 0; ic < 3; ic++) {
                            for (int ky = 0; ky < 3; ky++) {
                                for (int kx = 0; kx < 3; kx++) {
                                    int iy = y - 1 + ky;
                                    int ix = x - 1 + kx;
                                    if (iy < 0 || iy >= 6 || ix < 0 || ix >= 6) {
                                        continue;
                                    }
                                    acc = acc.add(BigInteger.valueOf(img[((nn * 3 + ic) * 6 + iy) * 6 + ix])
                                            .multiply(BigInteger.valueOf(w[((oc * 3 + ic) * 3 + ky) * 3 + kx])));
                                }
                            }
                        }
                        long want = acc.shiftRight(F).longValueExact();
                        long got = res[4][((nn * 4 + oc) * 6 + y) * 6 + x];
                        assertTrue(Math.abs(got - want) <= 1, "conv at " + nn + "," + oc + "," + y + "," + x
                                + ", seed " + seed);
                    }
                }
            }
        }
    }

    /**
     * The backward convolutions against the plaintext ring kernels (exact mod 2^64; the values here never wrap)
     * followed by a floor shift: the result may differ by one unit.
     */
    private static void assertBackwardConvolutions(long[][] res, long[] img, long[] img2, long[] w,
            org.fastcrypt4j.ring.ConvGeometry g, long seed) {
        org.fastcrypt4j.ring.RingKernels k = org.fastcrypt4j.ring.RingKernels.current();
        long[] dIn = k.conv2dBackwardInput(RingTensor.of(img2, 2, 4, 6, 6), RingTensor.of(w, 4, 3, 3, 3),
                new long[] {2, 3, 6, 6}, g).toLongArray();
        long[] dW = k.conv2dBackwardWeights(RingTensor.of(img, 2, 3, 6, 6), RingTensor.of(img2, 2, 4, 6, 6), g)
                .toLongArray();
        for (int i = 0; i < dIn.length; i++) {
            assertTrue(Math.abs(res[6][i] - (dIn[i] >> F)) <= 1, "conv backward input " + i + ", seed " + seed);
        }
        for (int i = 0; i < dW.length; i++) {
            assertTrue(Math.abs(res[7][i] - (dW[i] >> F)) <= 1, "conv backward weights " + i + ", seed " + seed);
        }
    }

    @Test
    void expReciprocalSoftmaxAndGradientMatchDoubleOracles() {
        long seed = System.nanoTime();
        SplittableRandom r = new SplittableRandom(seed);
        int n = 64;
        double[] xe = new double[n];
        double[] xr = new double[n];
        for (int i = 0; i < n; i++) {
            xe[i] = -12.0 * r.nextDouble();
            xr[i] = i == 0 ? 0.01 : i == 1 ? 200 : Math.exp(Math.log(0.01) + r.nextDouble() * Math.log(20000));
        }
        int batch = 3 + r.nextInt(5);
        int classes = 10;
        double[] logits = new double[batch * classes];
        long[] oneHot = new long[batch * classes];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = r.nextGaussian() * 3;
        }
        for (int b = 0; b < batch; b++) {
            oneHot[b * classes + r.nextInt(classes)] = 1L << F;
        }
        List<long[][]> out = Parties.overIpc(MpcSettings.defaults(), s -> {
            long start = s.openings().total();
            SharedTensor e = Exp.exp(s, in(s, enc(xe), n));
            SharedTensor rec = Reciprocal.reciprocal(s, in(s, enc(xr), n));
            long expAndReciprocal = s.openings().total() - start;
            long beforeMax = s.openings().total();
            Max.alongAxis(s, in(s, enc(logits), batch, classes), 1, false);
            long maxAlone = s.openings().total() - beforeMax;
            long before = s.openings().total();
            SharedTensor sm = Softmax.softmax(s, in(s, enc(logits), batch, classes));
            SharedTensor grad = Softmax.crossEntropyGradient(s, in(s, enc(logits), batch, classes),
                    in(s, oneHot, batch, classes));
            long softmaxAndGradient = s.openings().total() - before;
            return new long[][] {open(s, e), open(s, rec), open(s, sm), open(s, grad),
                    {expAndReciprocal, maxAlone, softmaxAndGradient}};
        });
        long[][] res = out.get(0);
        for (int i = 0; i < n; i++) {
            assertEquals(Math.exp(xe[i]), dec(res[0][i]), 1.2e-3, "exp(" + xe[i] + "), seed " + seed);
            assertEquals(1.0, dec(res[1][i]) * xr[i], 1e-3, "1/" + xr[i] + ", seed " + seed);
        }
        for (int b = 0; b < batch; b++) {
            double mx = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                mx = Math.max(mx, logits[b * classes + c]);
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                sum += Math.exp(logits[b * classes + c] - mx);
            }
            for (int c = 0; c < classes; c++) {
                int i = b * classes + c;
                double p = Math.exp(logits[i] - mx) / sum;
                assertEquals(p, dec(res[2][i]), 1e-2, "softmax " + b + "," + c + ", seed " + seed);
                assertEquals(p - dec(oneHot[i]), dec(res[3][i]), 1e-2, "gradient " + b + "," + c + ", seed " + seed);
            }
        }
        // Exp and reciprocal open nothing; softmax opens exactly what its max opens (twice: softmax, gradient).
        assertEquals(0, res[4][0], "exp and reciprocal openings, seed " + seed);
        assertEquals(2 * res[4][1], res[4][2], "softmax openings = those of its max, seed " + seed);
    }

    @Test
    void softmaxTakesTheModelledRounds() {
        List<long[]> out = Parties.overIpc(MpcSettings.defaults(), s -> {
            SharedTensor zeros = SharedTensor.zeros(s.party(), 4, 10); // a sharing of 0 that costs no message
            long start = s.stats().depth();
            SharedTensor sm = Softmax.softmax(s, zeros);
            long rounds = s.stats().depth() - start;
            return new long[] {rounds, open(s, sm)[0]};
        });
        long rounds = 0;
        for (long[] o : out) {
            rounds = Math.max(rounds, o[0]);
        }
        assertEquals(Softmax.expectedRounds(MpcSettings.defaults(), 10), rounds, "softmax rounds (causal depth)");
        assertEquals(0.1, dec(out.get(0)[1]), 1e-2, "softmax of zeros");
    }

    private static long[] enc(double[] v) {
        long[] out = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = FixedPointOps.encode(v[i], F);
        }
        return out;
    }

    private static double dec(long x) {
        return FixedPointOps.decode(x, F);
    }
}
