package org.fastcrypt4j.mpc.falcon;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.invoke.MethodHandles;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.fastcrypt4j.mpc.arithmetic.Multiplication;
import org.fastcrypt4j.mpc.binary.SharedBits;
import org.fastcrypt4j.mpc.functions.MsbProtocols;
import org.fastcrypt4j.mpc.opening.Openings;
import org.fastcrypt4j.mpc.sharing.MpcSettings;
import org.fastcrypt4j.mpc.sharing.Parties;
import org.fastcrypt4j.mpc.sharing.Session;
import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.mpc.sharing.Sharing;
import org.fastcrypt4j.ring.RingTensor;
import org.junit.jupiter.api.Test;

/**
 * Falcon-style MSB and its parts against plaintext oracles (exact: no tolerance, these are integer
 * protocols). Shares are reconstructed from the three parties' first components, after checking that
 * the replicated copies agree (P_i's second component equals P_{i+1}'s first).
 */
class FalconMsbTest {

    /** The test's own opening capability (it lives in the falcon package, a protocol package). */
    private static final Openings OPEN = Openings.forProtocol(MethodHandles.lookup());

    private static final MpcSettings FALCON = MpcSettings.defaults().withMsb(MpcSettings.MsbKind.FALCON);

    private static long[] fullRange(SplittableRandom r, int n) {
        long[] v = new long[n];
        long[] edges = {0L, 1L, -1L, 2L, -2L, Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE + 1, Long.MAX_VALUE - 1};
        for (int i = 0; i < n; i++) {
            v[i] = i < edges.length ? edges[i] : switch (r.nextInt(4)) {
                case 0 -> edges[r.nextInt(edges.length)];
                case 1 -> r.nextLong(-1000, 1000);
                default -> r.nextLong();
            };
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            long t = v[i];
            v[i] = v[j];
            v[j] = t;
        }
        return v;
    }

    /**
     * Input by P0, then a random re-sharing of zero added, so that all three components are random: the product
     * of two zero sharings, whose local share is exactly the zero sharing alpha_i, reshared in one round.
     */
    private static SharedTensor shareWithRandomComponents(Session s, long[] values, long... shape) {
        SharedTensor x = Sharing.input(s, 0, s.party() == 0 ? RingTensor.of(values, shape) : null, shape);
        SharedTensor none = SharedTensor.zeros(s.party(), shape);
        SharedTensor zero = Multiplication.bilinear(s, "test/zero", none, none, Multiplication.ELEMENTWISE);
        return x.add(zero);
    }

    /**
     * Two all-to-all message rounds: afterwards every party's causal depth is the same (one round leaves
     * the party that was ahead one behind), so depth differences measure the rounds of what follows.
     */
    private static void synchronizeDepth(Session s) {
        for (int round = 0; round < 2; round++) {
            for (int peer : new int[] {s.next(), s.prev()}) {
                s.transport().send(peer, "test/sync", new long[1]);
            }
            for (int peer : new int[] {s.prev(), s.next()}) {
                s.transport().receive(peer, "test/sync", 1);
            }
        }
    }

    private static long[] xorOfFirsts(List<long[][]> parts, int index, String what, long seed) {
        for (int p = 0; p < 3; p++) {
            assertArrayEquals(parts.get(p)[index + 1], parts.get((p + 1) % 3)[index], what
                    + ": replicated copies differ between parties " + p + " and " + (p + 1) % 3 + ", seed " + seed);
        }
        long[] out = parts.get(0)[index].clone();
        for (int w = 0; w < out.length; w++) {
            out[w] ^= parts.get(1)[index][w] ^ parts.get(2)[index][w];
        }
        return out;
    }

    private static long[] packedSignBits(long[] values) {
        long[] out = new long[SharedBits.wordsFor(values.length)];
        for (int e = 0; e < values.length; e++) {
            out[e >>> 6] |= (values[e] >>> 63) << (e & 63);
        }
        return out;
    }

    @Test
    void msbMatchesTheSignBitOverTheFullRingWithDocumentedOpeningsAndBytes() {
        long seed = System.nanoTime();
        SplittableRandom r = new SplittableRandom(seed);
        for (int trial = 0; trial < 6; trial++) {
            int rank = 1 + r.nextInt(3);
            long[] shape = new long[rank];
            int n = 1;
            for (int d = 0; d < rank; d++) {
                shape[d] = 1 + r.nextInt(trial == 0 ? 3 : 12);
                n *= (int) shape[d];
            }
            if (trial == 1) {
                shape = new long[] {130};
                n = 130;
            }
            long[] values = fullRange(r, n);
            int count = n;
            long[] shp = shape;
            boolean rerandomize = trial % 2 == 0;
            List<long[][]> out = Parties.overIpc(FALCON, s -> {
                SharedTensor x = rerandomize ? shareWithRandomComponents(s, values, shp)
                        : Sharing.input(s, 1, s.party() == 1 ? RingTensor.of(values, shp) : null, shp);
                s.openings().reset();
                s.stats().reset();
                SharedBits msb = MsbProtocols.of(s.settings().msb()).msb(s, x);
                long[] counts = {s.openings().openings(FalconMsb.TAG_PREFIX), s.openings().total(),
                    s.stats().totalBytesSent()};
                return new long[][] {msb.first(), msb.second(), counts};
            });
            String where = "shape " + Arrays.toString(shape) + (rerandomize ? ", random" : ", input")
                    + " components, seed " + seed;
            assertArrayEquals(packedSignBits(values), xorOfFirsts(out, 0, "msb", seed), "msb, " + where);
            for (int p = 0; p < 3; p++) {
                long[] c = out.get(p)[2];
                assertEquals(FalconMsb.OPENINGS, c[0], "openings of party " + p + ", " + where);
                assertEquals(FalconMsb.OPENINGS, c[1], "all openings of party " + p + ", " + where);
                assertEquals(FalconMsb.expectedBytesSent(p, count), c[2], "bytes sent by party " + p + ", " + where);
            }
        }
    }

    @Test
    void msbOfTwoToTheSixteenElementsCostsTheDocumentedBytesAndRounds() {
        long seed = System.nanoTime();
        int n = 1 << 16;
        long[] values = fullRange(new SplittableRandom(seed), n);
        List<long[][]> out = Parties.overIpc(FALCON, s -> {
            SharedTensor x = shareWithRandomComponents(s, values, n);
            synchronizeDepth(s);
            s.stats().reset();
            long depth0 = s.stats().depth();
            FalconPreprocessing pre = FalconPreprocessing.generate(s, n);
            long preBytes = s.stats().totalBytesSent();
            long preDepth = s.stats().depth();
            synchronizeDepth(s);
            long sentBeforeOnline = s.stats().totalBytesSent();
            long depth1 = s.stats().depth();
            SharedBits msb = FalconMsb.msb(s, x, pre);
            long[] counts = {preBytes, s.stats().totalBytesSent() - sentBeforeOnline, preDepth - depth0,
                s.stats().depth() - depth1};
            return new long[][] {msb.first(), msb.second(), counts};
        });
        assertArrayEquals(packedSignBits(values), xorOfFirsts(out, 0, "msb", seed), "msb of 2^16, seed " + seed);
        long maxPreRounds = 0;
        long maxOnlineRounds = 0;
        for (int p = 0; p < 3; p++) {
            long[] c = out.get(p)[2];
            assertEquals(FalconMsb.expectedBytesSent(p, n), c[0] + c[1], "bytes of party " + p + ", seed " + seed);
            maxPreRounds = Math.max(maxPreRounds, c[2]);
            maxOnlineRounds = Math.max(maxOnlineRounds, c[3]);
            System.out.printf("falcon msb n=%d party %d: preprocessing %.2f B/elt, online %.2f B/elt "
                    + "(expected %.2f, %.2f); rounds pre %d, online %d%n", n, p, c[0] / (double) n, c[1] / (double) n,
                    FalconMsb.expectedPreprocessingBytesPerElement(p), FalconMsb.expectedOnlineBytesPerElement(),
                    c[2], c[3]);
        }
        assertEquals(FalconMsb.PREPROCESSING_ROUNDS, maxPreRounds, "preprocessing rounds, seed " + seed);
        assertEquals(FalconMsb.ONLINE_ROUNDS, maxOnlineRounds, "online rounds, seed " + seed);
    }

    @Test
    void wrap3CountsTheCarriesOfTheComponentSum() {
        long seed = System.nanoTime();
        SplittableRandom r = new SplittableRandom(seed);
        long[] edges = {0L, 1L, -1L, Long.MIN_VALUE, Long.MAX_VALUE};
        BigInteger two64 = BigInteger.ONE.shiftLeft(64);
        for (int i = 0; i < 2000; i++) {
            long[] u = new long[3];
            for (int j = 0; j < 3; j++) {
                u[j] = r.nextBoolean() ? edges[r.nextInt(edges.length)] : r.nextLong();
            }
            BigInteger sum = BigInteger.ZERO;
            for (long v : u) {
                sum = sum.add(new BigInteger(Long.toUnsignedString(v)));
            }
            assertEquals(sum.divide(two64).intValue(), Wrap3.wrap3(u[0], u[1], u[2]),
                    "wrap3 of " + Arrays.toString(u) + ", seed " + seed);
        }
    }

    @Test
    void wrap3ParityMatchesTheComponentsOfTheSharing() {
        long seed = System.nanoTime();
        int n = 333;
        long[] values = fullRange(new SplittableRandom(seed), n);
        List<long[][]> out = Parties.overIpc(FALCON, s -> {
            SharedTensor x = shareWithRandomComponents(s, values, n);
            SharedBits w = Wrap3.parity(s, "wrap/", x, FalconPreprocessing.generate(s, n));
            return new long[][] {w.first(), w.second(), x.first().toLongArray()};
        });
        long[] parity = xorOfFirsts(out, 0, "wrap parity", seed);
        for (int e = 0; e < n; e++) {
            int expected = Wrap3.wrap3(out.get(0)[2][e], out.get(1)[2][e], out.get(2)[2][e]) & 1;
            assertEquals(expected, (parity[e >>> 6] >>> (e & 63)) & 1,
                    "wrap3 parity of element " + e + ", seed " + seed);
        }
    }

    @Test
    void privateCompareGivesEtaXorGreaterIncludingEqualAndExtremeValues() {
        long seed = System.nanoTime();
        SplittableRandom r = new SplittableRandom(seed);
        int n = 4100; // more than two blocks of the select step, the last one partial
        long[] m = new long[n];
        long[] pub = new long[n];
        byte[] eta = new byte[n];
        long[] specials = {0L, 1L, -1L, -2L, Long.MIN_VALUE, Long.MAX_VALUE};
        for (int e = 0; e < n; e++) {
            m[e] = r.nextInt(3) == 0 ? specials[r.nextInt(specials.length)] : r.nextLong();
            pub[e] = switch (r.nextInt(5)) {
                case 0 -> m[e];
                case 1 -> m[e] + 1;
                case 2 -> m[e] - 1;
                case 3 -> specials[r.nextInt(specials.length)];
                default -> r.nextLong();
            };
            eta[e] = (byte) (e & 1);
        }
        pub[0] = -1L;
        m[0] = -1L;
        pub[1] = -1L;
        m[1] = 5L;
        pub[2] = -1L;
        m[2] = 5L;
        byte[] bits = new byte[64 * n];
        for (int k = 0; k < 64; k++) {
            for (int e = 0; e < n; e++) {
                bits[k * n + e] = (byte) ((m[e] >>> k) & 1);
            }
        }
        List<long[]> out = Parties.overIpc(FALCON, s -> {
            ZpShares mb = ZpShares.input(s, "test/bits", 1, s.party() == 1 ? bits : null, 64 * n);
            ZpShares et = ZpShares.input(s, "test/eta", 2, s.party() == 2 ? eta : null, n);
            s.openings().reset();
            long[] flip = PrivateCompare.compare(s, "pc/", mb, pub, et, FalconPreprocessing.muFactors(s, n));
            assertEquals(1, s.openings().openings("pc"), "PrivateCompare opens once, seed " + seed);
            return flip;
        });
        for (int e = 0; e < n; e++) {
            long expected = Long.compareUnsigned(m[e], pub[e]) > 0 ? 1 : 0;
            for (int p = 0; p < 3; p++) {
                long got = ((out.get(p)[e >>> 6] >>> (e & 63)) & 1) ^ eta[e];
                assertEquals(expected, got, "eta ^ eta' vs [M > R] for M = " + Long.toUnsignedString(m[e]) + ", R = "
                        + Long.toUnsignedString(pub[e]) + ", eta " + eta[e] + ", party " + p + ", seed " + seed);
            }
        }
    }

    @Test
    void preprocessingIsSingleUse() {
        long seed = System.nanoTime();
        int n = 10;
        long[] v = new long[n];
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            v[i] = r.nextLong();
        }
        List<String> out = Parties.overIpc(FALCON, s -> {
            SharedTensor x = Sharing.input(s, 0, s.party() == 0 ? RingTensor.of(v, n) : null, n);
            FalconPreprocessing pre = FalconPreprocessing.generate(s, n);
            FalconMsb.msb(s, x, pre);
            assertTrue(pre.isUsed());
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> FalconMsb.msb(s, x, pre),
                    "second use of the same preprocessing, seed " + seed);
            return e.getMessage();
        });
        for (String m : out) {
            assertTrue(m.contains("single-use"), m);
        }
    }

    @Test
    void preprocessingIsConsistent() {
        long seed = System.nanoTime();
        int n = 150;
        List<Object[]> out = Parties.overIpc(FALCON, s -> {
            s.stats().reset();
            FalconPreprocessing pre = FalconPreprocessing.generate(s, n);
            assertEquals(0, s.openings().total(), "preprocessing opens nothing");
            long[] r = Sharing.revealToAll(s, pre.mask()).toLongArray();
            byte[] bits = OPEN.openMaskedZp(s, "test/bits", pre.maskBits());
            byte[] etaP = OPEN.openMaskedZp(s, "test/eta", pre.etaModP());
            long[] etaB = OPEN.openMaskedBits(s, "test/eta", pre.eta());
            long[] wrap = OPEN.openMaskedBits(s, "test/wrap", pre.maskWrapParity());
            ZpShares[] mu = pre.muFactors();
            byte[] muP = OPEN.openMaskedZp(s, "test/mu", ZpShares.mul(s, "test/mu",
                    ZpShares.mul(s, "test/mu", mu[0], mu[1]), mu[2]));
            return new Object[] {r, bits, etaP, etaB, wrap, muP, pre.mask().first().toLongArray()};
        });
        long[] r = (long[]) out.get(0)[0];
        byte[] bits = (byte[]) out.get(0)[1];
        byte[] etaP = (byte[]) out.get(0)[2];
        long[] etaB = (long[]) out.get(0)[3];
        long[] wrap = (long[]) out.get(0)[4];
        byte[] mu = (byte[]) out.get(0)[5];
        int ones = 0;
        for (int e = 0; e < n; e++) {
            for (int k = 0; k < 64; k++) {
                assertEquals((r[e] >>> k) & 1, bits[k * n + e], "bit " + k + " of r[" + e + "], seed " + seed);
            }
            long r0 = ((long[]) out.get(0)[6])[e];
            long r1 = ((long[]) out.get(1)[6])[e];
            long r2 = ((long[]) out.get(2)[6])[e];
            assertEquals(r[e], r0 + r1 + r2, "components of r, seed " + seed);
            assertEquals(Wrap3.wrap3(r0, r1, r2) & 1, (wrap[e >>> 6] >>> (e & 63)) & 1, "wrap parity, seed " + seed);
            assertEquals((etaB[e >>> 6] >>> (e & 63)) & 1, etaP[e], "eta in both forms, seed " + seed);
            assertNotEquals(0, mu[e], "mu must be non-zero, seed " + seed);
            ones += etaP[e];
        }
        assertNotEquals(0, ones, "eta is not constant 0 (probability 2^-150), seed " + seed);
        assertNotEquals(n, ones, "eta is not constant 1 (probability 2^-150), seed " + seed);
    }

    @Test
    void smallReductionIsExactOverItsWholeRange() {
        for (int v = 0; v <= ZpShares.MOD_SMALL_MAX; v++) {
            if (ZpShares.modSmall(v) != v % ZpShares.P) {
                assertEquals(v % ZpShares.P, ZpShares.modSmall(v), "modSmall(" + v + ")");
            }
        }
    }

    @Test
    void zpPrimitivesMatchModularArithmetic() {
        long seed = System.nanoTime();
        SplittableRandom r = new SplittableRandom(seed);
        int n = 97;
        byte[] a = new byte[n];
        byte[] b = new byte[n];
        int[] c = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = (byte) r.nextInt(ZpShares.P);
            b[i] = (byte) r.nextInt(ZpShares.P);
            c[i] = r.nextInt(-1000, 1000);
        }
        a[0] = ZpShares.P - 1;
        b[0] = ZpShares.P - 1;
        assertArrayEquals(a, ZpShares.unpack(ZpShares.pack(a), n), "pack round trip, seed " + seed);
        for (int len = 0; len <= 2 * ZpShares.PER_WORD + 1; len++) {
            byte[] v = Arrays.copyOf(a, len);
            long[] packed = ZpShares.pack(v);
            assertEquals(ZpShares.packedWords(len), packed.length, "packed words for " + len);
            assertArrayEquals(v, ZpShares.unpack(packed, len), "pack round trip of " + len + ", seed " + seed);
        }
        List<byte[][]> out = Parties.overIpc(FALCON, s -> {
            ZpShares x = ZpShares.input(s, "test/a", 0, s.party() == 0 ? a : null, n);
            ZpShares y = ZpShares.input(s, "test/b", 2, s.party() == 2 ? b : null, n);
            ZpShares[] prods = ZpShares.mulAll(s, "test/mul", new ZpShares[] {x, y}, new ZpShares[] {y, y});
            return new byte[][] {
                OPEN.openMaskedZp(s, "test/o", x.add(y).addPublic(c)),
                OPEN.openMaskedZp(s, "test/o", x.sub(y).mul(-5)),
                OPEN.openMaskedZp(s, "test/o", prods[0]),
                OPEN.openMaskedZp(s, "test/o", prods[1]),
                OPEN.openMaskedZp(s, "test/o", ZpShares.concat(x.slice(3, 4), y.slice(0, 2)))};
        });
        for (int p = 0; p < 3; p++) {
            byte[][] o = out.get(p);
            for (int i = 0; i < n; i++) {
                String at = "element " + i + ", party " + p + ", seed " + seed;
                assertEquals(Math.floorMod(a[i] + b[i] + c[i], ZpShares.P), o[0][i], "a + b + c, " + at);
                assertEquals(Math.floorMod(-5 * (a[i] - b[i]), ZpShares.P), o[1][i], "-5(a - b), " + at);
                assertEquals(a[i] * b[i] % ZpShares.P, o[2][i], "a * b, " + at);
                assertEquals(b[i] * b[i] % ZpShares.P, o[3][i], "b * b, " + at);
            }
            assertArrayEquals(new byte[] {a[3], a[4], a[5], a[6], b[0], b[1]}, o[4], "slice and concat, seed " + seed);
        }
    }
}
