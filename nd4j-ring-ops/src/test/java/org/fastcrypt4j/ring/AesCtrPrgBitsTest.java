package org.fastcrypt4j.ring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** Random bit tensors and ring tensors from the PRG: determinism per (seed, stream), independence, balance. */
class AesCtrPrgBitsTest {

    private static byte[] seedBytes(SplittableRandom rnd) {
        byte[] s = new byte[AesCtrPrg.SEED_BYTES];
        rnd.nextBytes(s);
        return s;
    }

    @Test
    void sameSeedAndStreamGiveSameBitsAndRing() {
        long seed = RingTestData.seed();
        byte[] key = seedBytes(new SplittableRandom(seed));
        AesCtrPrg a = new AesCtrPrg(key, 7);
        AesCtrPrg b = new AesCtrPrg(key, 7);
        for (int n : new int[] {1, 63, 64, 1000, 100_001}) {
            BitTensor x = a.nextBits(n);
            BitTensor y = b.nextBits(n);
            assertTrue(x.contentEquals(y), "seed=" + seed + " n=" + n);
            if ((n & 63) != 0) {
                assertEquals(0L, x.words()[x.wordCount() - 1] >>> (n & 63), "tail bits, seed=" + seed);
            }
        }
        assertArrayEquals(a.nextRing(3, 5).toLongArray(), b.nextRing(3, 5).toLongArray(), "seed=" + seed);
        assertEquals(a.bytesProduced(), b.bytesProduced());
    }

    @Test
    void differentStreamIdsAndSeedsDiffer() {
        long seed = RingTestData.seed();
        SplittableRandom rnd = new SplittableRandom(seed);
        byte[] key = seedBytes(rnd);
        byte[] other = seedBytes(rnd);
        BitTensor s0 = new AesCtrPrg(key, 0).nextBits(4096);
        BitTensor s1 = new AesCtrPrg(key, 1).nextBits(4096);
        BitTensor k2 = new AesCtrPrg(other, 0).nextBits(4096);
        assertFalse(s0.contentEquals(s1), "seed=" + seed);
        assertFalse(s0.contentEquals(k2), "seed=" + seed);
        // independent streams agree on about half the bits (5 sigma = 5 * sqrt(4096) / 2 = 160)
        assertEquals(2048, s0.xor(s1).bitCount(), 160, "seed=" + seed);
    }

    @Test
    void bitsAreBalancedWithinFiveSigma() {
        long seed = RingTestData.seed();
        AesCtrPrg prg = new AesCtrPrg(seedBytes(new SplittableRandom(seed)), 3);
        int n = 1 << 22;
        BitTensor bits = prg.nextBits(n);
        double sigma = Math.sqrt(n) / 2;
        assertEquals(n / 2.0, bits.bitCount(), 5 * sigma, "seed=" + seed);
        long[] ring = prg.nextRing(1 << 16).toLongArray();
        for (int k : new int[] {0, 31, 63}) {
            long ones = BitTensor.bitOf(ring, k).bitCount();
            assertEquals(ring.length / 2.0, ones, 5 * Math.sqrt(ring.length) / 2, "seed=" + seed + " bit " + k);
        }
    }
}
