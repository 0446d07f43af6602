package org.fastcrypt4j.mpc.functions;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.SplittableRandom;

import org.fastcrypt4j.mpc.binary.Aby3Msb;
import org.fastcrypt4j.mpc.binary.BitInjection;
import org.fastcrypt4j.mpc.binary.SharedBits;
import org.fastcrypt4j.mpc.falcon.FalconMsb;
import org.fastcrypt4j.mpc.sharing.MpcSettings;
import org.fastcrypt4j.mpc.sharing.Parties;
import org.fastcrypt4j.mpc.sharing.Session;
import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.mpc.sharing.Sharing;
import org.fastcrypt4j.ring.ConvGeometry;
import org.fastcrypt4j.ring.RingTensor;
import org.junit.jupiter.api.Test;

/**
 * ABY3-style MSB, bit injection, DReLU/ReLU, max with one-hot argmax and max pooling against plaintext
 * oracles (exact: these protocols have no approximation error), plus their traffic, rounds and opening
 * counts. Components are recombined in the test only, as the oracle check. (A2B's local bit slicing is
 * tested in the binary package, where it is visible.)
 */
class ComparisonProtocolsTest {

    private static final MpcSettings ABY3 = MpcSettings.defaults().withMsb(MpcSettings.MsbKind.ABY3);

    /** Party results are {first, second} components (or packed bits); this adds the first components. */
    private static long[] combine(List<long[][]> parts, int which) {
        long[] out = parts.get(0)[which].clone();
        for (int p = 1; p < 3; p++) {
            long[] c = parts.get(p)[which];
            for (int i = 0; i < out.length; i++) {
                out[i] += c[i];
            }
        }
        return out;
    }

    private static long[] combineBits(List<long[][]> parts, int which, int n) {
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            long b = 0;
            for (int p = 0; p < 3; p++) {
                b ^= parts.get(p)[which][i >>> 6] >>> (i & 63);
            }
            out[i] = b & 1;
        }
        return out;
    }

    private static SharedTensor share(Session s, long[] v, long... shape) {
        return Sharing.input(s, 0, s.party() == 0 ? RingTensor.of(v, shape) : null, shape);
    }

    private static long[] fullRange(SplittableRandom r, int n) {
        long[] v = new long[n];
        long[] special = {0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE + 1, Long.MAX_VALUE - 1, 1L << 62,
            -(1L << 62), 2, -2};
        for (int i = 0; i < n; i++) {
            v[i] = i < special.length ? special[i] : r.nextInt(4) == 0 ? r.nextInt(9) - 4 : r.nextLong();
        }
        return v;
    }

    @Test
    void aby3MsbIsExactOverTheWholeRing() {
        long seed = System.nanoTime();
        SplittableRandom r = new SplittableRandom(seed);
        int n = 1000;
        long[] x = fullRange(r, n);
        List<long[][]> out = Parties.overIpc(ABY3, s -> {
            SharedBits b = new Aby3Msb().msb(s, share(s, x, n));
            return new long[][] {b.first(), b.second(), {s.openings().total()}};
        });
        long[] msb = combineBits(out, 0, n);
        for (int i = 0; i < n; i++) {
            assertEquals(x[i] >>> 63, msb[i], "msb of " + x[i] + " (element " + i + "), seed " + seed);
        }
        for (int p = 0; p < 3; p++) {
            assertEquals(0, out.get(p)[2][0], "openings, party " + p);
            long[] words = out.get(p)[0];
            assertEquals(0, words[words.length - 1] >>> (n & 63), "padding bits must be zero, party " + p);
        }
    }

    /**
     * DReLU on the low bits only ({@link Drelu#computeWithin}) is exact for every value in [-2^(bits-1), 2^(bits-1)),
     * the ends included, for several widths (shares are uniform over the whole ring, so the low bits wrap freely).
     */
    @Test
    void dreluOnTheLowBitsIsExactWithinItsRange() {
        long seed = System.nanoTime();
        SplittableRandom r = new SplittableRandom(seed);
        for (int bits : new int[] {2, 3, 17, 33, 34, 43, 63, 64}) {
            int n = 700;
            long lo = bits == 64 ? Long.MIN_VALUE : -(1L << (bits - 1));
            long hi = bits == 64 ? Long.MAX_VALUE : (1L << (bits - 1)) - 1;
            long[] x = new long[n];
            long[] special = {0, 1, -1, lo, hi, lo + 1, hi - 1};
            for (int i = 0; i < n; i++) {
                x[i] = i < special.length ? special[i] : bits == 64 ? r.nextLong() : r.nextLong(lo, hi + 1);
            }
            List<long[][]> out = Parties.overIpc(ABY3, s -> {
                SharedTensor d = Drelu.computeWithin(s, share(s, x, n), bits);
                return new long[][] {d.first().toLongArray(), {s.openings().total()}};
            });
            long[] d = combine(out, 0);
            for (int i = 0; i < n; i++) {
                assertEquals(x[i] >= 0 ? 1 : 0, d[i], "DReLU on " + bits + " bits of " + x[i] + ", seed " + seed);
            }
            for (int p = 0; p < 3; p++) {
                assertEquals(0, out.get(p)[1][0], "openings, party " + p);
            }
        }
    }

    @Test
    void bitInjectionGivesArithmeticBits() {
        long seed = System.nanoTime();
        int n = 333;
        List<long[][]> out = Parties.overIpc(ABY3, s -> {
            SharedBits b = s.randomness().randomBits(n);
            SharedTensor a = BitInjection.toArithmetic(s, b, 9, 37);
            SharedTensor v = s.randomness().random(9, 37);
            SharedTensor bv = BitInjection.times(s, v, b);
            return new long[][] {b.first(), a.first().toLongArray(), {s.openings().total()}, v.first().toLongArray(),
                bv.first().toLongArray()};
        });
        long[] bits = combineBits(out, 0, n);
        long[] arith = combine(out, 1);
        assertArrayEquals(bits, arith, "B2A, seed " + seed);
        long[] v = combine(out, 3);
        long[] bv = combine(out, 4);
        for (int i = 0; i < n; i++) {
            assertEquals(bits[i] * v[i], bv[i], "bit " + bits[i] + " times " + v[i] + ", seed " + seed);
        }
        for (int p = 0; p < 3; p++) {
            assertEquals(0, out.get(p)[2][0], "openings, party " + p);
        }
    }

    @Test
    void reluForwardAndBackwardMatchTheOracle() {
        long seed = System.nanoTime();
        SplittableRandom r = new SplittableRandom(seed);
        int f = ABY3.fractionalBits();
        int n = 500;
        long[] x = new long[n];
        long[] dy = new long[n];
        for (int i = 0; i < n; i++) {
            double v = switch (i % 5) {
                case 0 -> 0.0;
                case 1 -> r.nextDouble(-1e-3, 1e-3);
                case 2 -> r.nextDouble(-1e6, 1e6);
                case 3 -> (r.nextBoolean() ? 1 : -1) * Math.scalb(1.0, 40);
                default -> r.nextDouble(-10, 10);
            };
            x[i] = Math.round(Math.scalb(v, f));
            dy[i] = Math.round(Math.scalb(r.nextDouble(-100, 100), f));
        }
        x[1] = -1;
        x[2] = 1;
        List<long[][]> out = Parties.overIpc(ABY3, s -> {
            SharedTensor sx = share(s, x, 20, 25);
            SharedTensor sdy = share(s, dy, 20, 25);
            SharedTensor d = Drelu.compute(s, sx);
            Relu.Forward fw = Relu.forward(s, sx);
            SharedTensor dx = Relu.backward(s, fw, sdy);
            return new long[][] {d.first().toLongArray(), fw.output().first().toLongArray(), dx.first().toLongArray(),
                {s.openings().total()}};
        });
        long[] d = combine(out, 0);
        long[] y = combine(out, 1);
        long[] dx = combine(out, 2);
        for (int i = 0; i < n; i++) {
            double v = Math.scalb((double) x[i], -f);
            assertEquals(v >= 0 ? 1 : 0, d[i], "DReLU(" + v + "), seed " + seed);
            assertEquals(Math.max(v, 0.0), Math.scalb((double) y[i], -f), 0.0, "ReLU(" + v + "), seed " + seed);
            assertEquals(v >= 0 ? dy[i] : 0, dx[i], "ReLU backward at " + v + ", seed " + seed);
        }
        for (int p = 0; p < 3; p++) {
            assertEquals(0, out.get(p)[3][0], "openings, party " + p);
        }
    }

    @Test
    void dreluAndMaxAcceptTheFalconMsbPerCallAndPerSession() {
        long seed = System.nanoTime();
        SplittableRandom r = new SplittableRandom(seed);
        int n = 64;
        long[] x = new long[n];
        for (int i = 0; i < n; i++) {
            x[i] = i < 3 ? i - 1 : r.nextLong() >> 4;
        }
        MpcSettings falcon = ABY3.withMsb(MpcSettings.MsbKind.FALCON);
        List<long[][]> out = Parties.overIpc(falcon, s -> {
            SharedTensor sx = share(s, x, 8, 8);
            SharedTensor perCall = Drelu.compute(s, sx, new FalconMsb());
            Relu.Forward perSession = Relu.forward(s, sx);
            Max.AxisResult m = Max.alongAxis(s, sx, 1);
            return new long[][] {perCall.first().toLongArray(), perSession.output().first().toLongArray(),
                m.max().first().toLongArray()};
        });
        long[] d = combine(out, 0);
        long[] y = combine(out, 1);
        long[] max = combine(out, 2);
        for (int i = 0; i < n; i++) {
            assertEquals(x[i] >= 0 ? 1 : 0, d[i], "Falcon DReLU(" + x[i] + "), seed " + seed);
            assertEquals(Math.max(x[i], 0), y[i], "Falcon ReLU(" + x[i] + "), seed " + seed);
        }
        for (int row = 0; row < 8; row++) {
            long best = Long.MIN_VALUE;
            for (int j = 0; j < 8; j++) {
                best = Math.max(best, x[row * 8 + j]);
            }
            assertEquals(best, max[row], "Falcon max of row " + row + ", seed " + seed);
        }
    }

    @Test
    void maxAlongAnAxisBreaksTiesToTheLeft() {
        long seed = System.nanoTime();
        SplittableRandom r = new SplittableRandom(seed);
        int a = 4;
        int k = 7;
        int c = 3;
        long[] x = new long[a * k * c];
        for (int i = 0; i < x.length; i++) {
            x[i] = switch (r.nextInt(3)) {
                case 0 -> r.nextInt(3) - 1;
                case 1 -> r.nextLong() >> 2;
                default -> -(1L << 61) + r.nextInt(2);
            };
        }
        List<long[][]> out = Parties.overIpc(ABY3, s -> {
            Max.AxisResult m = Max.alongAxis(s, share(s, x, a, k, c), 1);
            Max.AxisResult last = Max.alongAxis(s, share(s, x, a * k, c), 1);
            return new long[][] {m.max().first().toLongArray(), m.oneHot().first().toLongArray(),
                last.max().first().toLongArray(), last.oneHot().first().toLongArray(), {s.openings().total()}};
        });
        long[] max = combine(out, 0);
        long[] hot = combine(out, 1);
        for (int o = 0; o < a; o++) {
            for (int i = 0; i < c; i++) {
                int best = 0;
                for (int j = 1; j < k; j++) {
                    if (x[(o * k + j) * c + i] > x[(o * k + best) * c + i]) {
                        best = j;
                    }
                }
                assertEquals(x[(o * k + best) * c + i], max[o * c + i], "max at " + o + "," + i + ", seed " + seed);
                for (int j = 0; j < k; j++) {
                    assertEquals(j == best ? 1 : 0, hot[(o * k + j) * c + i], "one-hot at " + o + "," + j + "," + i
                            + ", seed " + seed);
                }
            }
        }
        long[] max2 = combine(out, 2);
        long[] hot2 = combine(out, 3);
        for (int o = 0; o < a * k; o++) {
            int best = 0;
            for (int j = 1; j < c; j++) {
                if (x[o * c + j] > x[o * c + best]) {
                    best = j;
                }
            }
            assertEquals(x[o * c + best], max2[o], "last-axis max at " + o + ", seed " + seed);
            for (int j = 0; j < c; j++) {
                assertEquals(j == best ? 1 : 0, hot2[o * c + j], "last-axis one-hot at " + o + "," + j + ", seed " + seed);
            }
        }
        assertEquals(0, out.get(0)[4][0], "openings");
    }

    @Test
    void maxPoolForwardAndBackwardMatchTheOracle() {
        long seed = System.nanoTime();
        SplittableRandom r = new SplittableRandom(seed);
        checkMaxPool(r, seed, new long[] {2, 3, 6, 6}, ConvGeometry.kernel(2).stride(2));
        checkMaxPool(r, seed, new long[] {2, 2, 7, 7}, ConvGeometry.kernel(3).stride(2).padding(1));
        checkMaxPool(r, seed, new long[] {1, 2, 5, 6}, ConvGeometry.kernel(3).stride(2));
        checkMaxPool(r, seed, new long[] {1, 2, 7, 6}, ConvGeometry.kernel(3).stride(2).mode(ConvGeometry.Mode.SAME));
        checkMaxPool(r, seed, new long[] {1, 1, 8, 8}, ConvGeometry.kernel(2).dilation(2));
    }

    @Test
    void maxPoolRejectsWindowsOfPaddingOnly() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> MaxPool.checkWindows(new long[] {1, 1, 4, 4}, ConvGeometry.kernel(2).stride(2).padding(2)));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("covers only padding"), e.getMessage());
    }

    private static void checkMaxPool(SplittableRandom r, long seed, long[] shape, ConvGeometry g) {
        int n = (int) shape[0], c = (int) shape[1], h = (int) shape[2], w = (int) shape[3];
        int oh = g.outputHeight(h);
        int ow = g.outputWidth(w);
        long[] x = new long[n * c * h * w];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextInt(4) == 0 ? r.nextInt(3) - 1 : r.nextLong() >> 3;
        }
        long[] dy = new long[n * c * oh * ow];
        for (int i = 0; i < dy.length; i++) {
            dy[i] = r.nextLong();
        }
        List<long[][]> out = Parties.overIpc(ABY3, s -> {
            MaxPool.Forward fw = MaxPool.forward(s, share(s, x, shape), g);
            SharedTensor dx = MaxPool.backward(s, fw, share(s, dy, n, c, oh, ow));
            return new long[][] {fw.output().first().toLongArray(), dx.first().toLongArray(), {s.openings().total()}};
        });
        long[] y = combine(out, 0);
        long[] dx = combine(out, 1);
        long[] expectedDx = new long[x.length];
        String where = java.util.Arrays.toString(shape) + " " + g + ", seed " + seed;
        for (int nc = 0; nc < n * c; nc++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    int best = -1;
                    for (int di = 0; di < g.kernelH(); di++) {
                        for (int dj = 0; dj < g.kernelW(); dj++) {
                            int ih = i * g.strideH() - g.padTop(h) + di * g.dilationH();
                            int iw = j * g.strideW() - g.padLeft(w) + dj * g.dilationW();
                            if (ih >= 0 && ih < h && iw >= 0 && iw < w) {
                                int idx = (nc * h + ih) * w + iw;
                                if (best < 0 || x[idx] > x[best]) {
                                    best = idx;
                                }
                            }
                        }
                    }
                    int o = (nc * oh + i) * ow + j;
                    assertEquals(x[best], y[o], "max-pool output " + o + " for " + where);
                    expectedDx[best] += dy[o];
                }
            }
        }
        assertArrayEquals(expectedDx, dx, "max-pool backward for " + where);
        assertEquals(0, out.get(0)[2][0], "openings for " + where);
    }

    /** One protocol run alone in a fresh session: per party {bytes sent, rounds (message depth), openings}. */
    private interface Step {
        void run(Session s);
    }

    private static long[][] cost(Step step) {
        List<long[]> out = Parties.overIpc(ABY3, s -> {
            long bytes0 = s.stats().totalBytesSent();
            long depth0 = s.stats().depth();
            step.run(s);
            return new long[] {s.stats().totalBytesSent() - bytes0, s.stats().depth() - depth0, s.openings().total()};
        });
        return out.toArray(new long[0][]);
    }

    private static void checkCost(String name, Step step, double[] bytesPerParty, int rounds) {
        long[][] c = cost(step);
        long maxRounds = 0;
        for (int p = 0; p < 3; p++) {
            assertEquals(Math.round(bytesPerParty[p]), c[p][0], name + " bytes sent by party " + p);
            assertEquals(0, c[p][2], name + " openings at party " + p);
            maxRounds = Math.max(maxRounds, c[p][1]);
        }
        assertEquals(rounds, maxRounds, name + " rounds");
    }

    private static double[] perParty(java.util.function.IntToDoubleFunction f, double scale) {
        return new double[] {f.applyAsDouble(0) * scale, f.applyAsDouble(1) * scale, f.applyAsDouble(2) * scale};
    }

    @Test
    void trafficAndRoundsEqualTheDocumentedCounts() {
        int n = 4096;
        checkCost("MSB", s -> new Aby3Msb().msb(s, s.randomness().random(n)),
                perParty(Aby3Msb::expectedBytesPerElement, n), Aby3Msb.ROUNDS);
        for (int bits : new int[] {43, 64, 34}) {
            checkCost("DReLU within " + bits + " bits", s -> Drelu.computeWithin(s, s.randomness().random(n), bits),
                    perParty(p -> Drelu.expectedBytesPerElement(p, bits), n), Drelu.rounds(bits));
        }
        assertEquals(Drelu.expectedBytesPerElement(0), Drelu.expectedBytesPerElement(0, 64));
        assertEquals(Drelu.ROUNDS_ABY3, Drelu.rounds(64));
        assertEquals(28.125, Drelu.expectedBytesPerElement(0, 43));
        checkCost("B2A", s -> BitInjection.toArithmetic(s, s.randomness().randomBits(n), n),
                perParty(p -> BitInjection.BYTES_PER_ELEMENT, n), BitInjection.ROUNDS);
        checkCost("ReLU", s -> Relu.forward(s, s.randomness().random(n)),
                perParty(Relu::expectedForwardBytesPerElement, n), Relu.FORWARD_ROUNDS_ABY3);
        checkCost("ReLU backward", s -> Relu.backward(s,
                new Relu.Forward(s.randomness().random(n), s.randomness().random(n)), s.randomness().random(n)),
                perParty(p -> Relu.BACKWARD_BYTES_PER_ELEMENT, n), Relu.BACKWARD_ROUNDS);
        for (ConvGeometry g : new ConvGeometry[] {ConvGeometry.kernel(2).stride(2), ConvGeometry.kernel(3).stride(2)}) {
            long[] in = {2, 4, 17, 17};
            int windows = 2 * 4 * ((17 - g.kernelH()) / 2 + 1) * ((17 - g.kernelW()) / 2 + 1);
            checkCost("max-pool " + g, s -> MaxPool.forward(s, s.randomness().random(in), g),
                    perParty(p -> MaxPool.expectedForwardBytesPerOutput(g, p), windows), MaxPool.expectedForwardRounds(g));
            checkCost("max-pool backward " + g, s -> {
                MaxPool.Forward f = MaxPool.forward(s, s.randomness().random(in), g);
                long before = s.stats().totalBytesSent();
                MaxPool.backward(s, f, s.randomness().random(f.output().shape()));
                assertEquals(Math.round(MaxPool.BACKWARD_BYTES_PER_INPUT * 2 * 4 * 17 * 17), s.stats().totalBytesSent() - before,
                        "max-pool backward bytes " + g + " at party " + s.party());
            }, perParty(p -> MaxPool.expectedForwardBytesPerOutput(g, p) * windows
                    + MaxPool.BACKWARD_BYTES_PER_INPUT * 2 * 4 * 17 * 17, 1), MaxPool.expectedForwardRounds(g) + MaxPool.BACKWARD_ROUNDS);
        }
    }
}
