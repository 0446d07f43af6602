package org.fastcrypt4j.ring;

import java.math.BigInteger;
import java.util.SplittableRandom;

/** Random full-range test values with the edge cases mixed in, and a BigInteger oracle for Z_2^64. */
final class RingTestData {

    static final long[] EDGES = {0L, 1L, -1L, Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE + 1, 1L << 53,
        (1L << 53) + 1, -(1L << 53) - 1, 0x7123456789ABCDEFL, 0x8000000000000001L};
    private static final BigInteger MOD = BigInteger.ONE.shiftLeft(64);

    private RingTestData() {
    }

    /** A fresh seed, to be printed in assertion messages. */
    static long seed() {
        Long fixed = Long.getLong("fc4j.seed");
        return fixed != null ? fixed : new SplittableRandom().nextLong();
    }

    /** {@code n} uniform 64-bit values; the first ones are the edge cases. */
    static long[] values(SplittableRandom rnd, int n) {
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            v[i] = i < EDGES.length && rnd.nextBoolean() ? EDGES[i] : rnd.nextLong();
        }
        for (int i = 0; i < Math.min(n, 4); i++) {
            v[rnd.nextInt(n)] = EDGES[rnd.nextInt(EDGES.length)];
        }
        return v;
    }

    /** {@code a * b mod 2^64} as a signed long, computed with BigInteger. */
    static long mulOracle(long a, long b) {
        return BigInteger.valueOf(a).multiply(BigInteger.valueOf(b)).mod(MOD).longValue();
    }

    /** {@code a + b mod 2^64} computed with BigInteger. */
    static long addOracle(long a, long b) {
        return BigInteger.valueOf(a).add(BigInteger.valueOf(b)).mod(MOD).longValue();
    }

    static long product(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }
}
