package org.fastcrypt4j.mpc.sharing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.invoke.MethodHandles;
import java.util.List;
import java.util.SplittableRandom;

import org.fastcrypt4j.mpc.arithmetic.Multiplication;
import org.fastcrypt4j.mpc.binary.BinaryAnd;
import org.fastcrypt4j.mpc.binary.SharedBits;
import org.fastcrypt4j.mpc.opening.Openings;
import org.fastcrypt4j.ring.RingTensor;
import org.junit.jupiter.api.Test;

class SharingAndMultiplicationTest {

    /** The test's own opening capability (it lives in the sharing package, a protocol package). */
    private static final Openings OPEN = Openings.forProtocol(MethodHandles.lookup());

    private static long[] fullRange(SplittableRandom r, int n) {
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            v[i] = switch (r.nextInt(6)) {
                case 0 -> Long.MIN_VALUE;
                case 1 -> Long.MAX_VALUE;
                case 2 -> r.nextInt(5) - 2;
                default -> r.nextLong();
            };
        }
        return v;
    }

    @Test
    void inputRevealAndProductsMatchThePlaintext() {
        long seed = System.nanoTime();
        SplittableRandom r = new SplittableRandom(seed);
        long[] x = fullRange(r, 7 * 13);
        long[] y = fullRange(r, 7 * 13);
        long[] m = fullRange(r, 13 * 5);
        List<long[][]> out = Parties.overIpc(MpcSettings.defaults(), s -> {
            SharedTensor sx = Sharing.input(s, 0, s.party() == 0 ? RingTensor.of(x, 7, 13) : null, 7, 13);
            SharedTensor sy = Sharing.input(s, 1, s.party() == 1 ? RingTensor.of(y, 7, 13) : null, 7, 13);
            SharedTensor sm = Sharing.input(s, 2, s.party() == 2 ? RingTensor.of(m, 13, 5) : null, 13, 5);
            long[] sum = Sharing.revealToAll(s, sx.add(sy).addPublic(3L)).toLongArray();
            long[] prod = Sharing.revealToAll(s, Multiplication.mul(s, sx, sy)).toLongArray();
            long[] mm = Sharing.revealToAll(s, Multiplication.matmul(s, sx, sm)).toLongArray();
            RingTensor toOne = Sharing.revealTo(s, 1, sx);
            long[] one = toOne == null ? null : toOne.toLongArray();
            return new long[][] {sum, prod, mm, one};
        });
        long[] sum = new long[x.length];
        long[] prod = new long[x.length];
        for (int i = 0; i < x.length; i++) {
            sum[i] = x[i] + y[i] + 3;
            prod[i] = x[i] * y[i];
        }
        long[] mm = new long[7 * 5];
        for (int i = 0; i < 7; i++) {
            for (int j = 0; j < 5; j++) {
                long acc = 0;
                for (int k = 0; k < 13; k++) {
                    acc += x[i * 13 + k] * m[k * 5 + j];
                }
                mm[i * 5 + j] = acc;
            }
        }
        for (int p = 0; p < 3; p++) {
            assertArrayEquals(sum, out.get(p)[0], "sum, party " + p + ", seed " + seed);
            assertArrayEquals(prod, out.get(p)[1], "product, party " + p + ", seed " + seed);
            assertArrayEquals(mm, out.get(p)[2], "matmul, party " + p + ", seed " + seed);
        }
        assertNull(out.get(0)[3]);
        assertArrayEquals(x, out.get(1)[3], "reveal to party 1, seed " + seed);
        assertNull(out.get(2)[3]);
    }

    @Test
    void binaryAndMatchesThePlaintext() {
        long seed = System.nanoTime();
        SplittableRandom r = new SplittableRandom(seed);
        int bits = 200;
        long[] a = fullRange(r, SharedBits.wordsFor(bits));
        long[] b = fullRange(r, SharedBits.wordsFor(bits));
        List<long[]> out = Parties.overIpc(MpcSettings.defaults(), s -> {
            SharedBits ra = s.randomness().randomBits(bits);
            SharedBits rb = s.randomness().randomBits(bits);
            SharedBits sa = ra.xorPublic(a);
            SharedBits sb = rb.xorPublic(b);
            long[] ma = OPEN.openMaskedBits(s, "test/open", ra);
            long[] mb = OPEN.openMaskedBits(s, "test/open", rb);
            long[] and = OPEN.openMaskedBits(s, "test/open", BinaryAnd.and(s, "test/and", sa, sb));
            // (a ^ ra) & (b ^ rb) opened; recompute the oracle from the opened masks
            long[] expect = new long[and.length];
            for (int w = 0; w < and.length; w++) {
                expect[w] = (a[w] ^ ma[w]) & (b[w] ^ mb[w]);
            }
            expect[expect.length - 1] &= (1L << (bits & 63)) - 1;
            assertArrayEquals(expect, and, "AND at party " + s.party() + ", seed " + seed);
            return and;
        });
        assertEquals(3, out.size());
    }

    @Test
    void differentSettingsStopTheParties() throws Exception {
        try (var net = new org.fastcrypt4j.transport.InProcessNetwork(java.time.Duration.ofSeconds(5))) {
            MpcSettings[] settings = {MpcSettings.defaults(), MpcSettings.defaults().withFractionalBits(16),
                MpcSettings.defaults()};
            var pool = java.util.concurrent.Executors.newFixedThreadPool(3);
            try {
                var futures = new java.util.ArrayList<java.util.concurrent.Future<Session>>();
                for (int p = 0; p < 3; p++) {
                    int party = p;
                    futures.add(pool.submit(() -> Session.start(net.party(party), settings[party],
                            Session.LinkPolicy.ALLOW_UNPROTECTED_INSECURE)));
                }
                for (int p = 0; p < 3; p++) {
                    var f = futures.get(p);
                    var e = assertThrows(java.util.concurrent.ExecutionException.class, f::get, "party " + p);
                    org.junit.jupiter.api.Assertions.assertTrue(e.getCause().getMessage().contains("different MPC settings"),
                            e.getCause().getMessage());
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
