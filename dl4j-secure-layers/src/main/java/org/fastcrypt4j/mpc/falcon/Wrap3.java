package org.fastcrypt4j.mpc.falcon;

import java.lang.invoke.MethodHandles;

import org.fastcrypt4j.mpc.binary.SharedBits;
import org.fastcrypt4j.mpc.opening.Openings;
import org.fastcrypt4j.mpc.sharing.Session;
import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.ring.RingTensor;

/**
 * The parity of the wrap count of a replicated sharing, wrap3(a_0, a_1, a_2) mod 2 with
 * wrap3(u_0, u_1, u_2) = floor((u_0 + u_1 + u_2) / 2^64) in {0, 1, 2} (Falcon, Wagh et al., PETS 2021,
 * section 3, the wrap functionality; PROTOCOLS.md 5.1-5.2), from a masked reveal.
 *
 * <p>Identity (F2), checked on the share arithmetic: with x_j = a_j + r_j mod 2^64,
 * beta_j = [a_j + r_j >= 2^64], delta = wrap3(x_0, x_1, x_2), alpha = wrap3(r_0, r_1, r_2) and
 * x = a + r mod 2^64: wrap3(a_0, a_1, a_2) = beta_0 + beta_1 + beta_2 + delta - alpha - [r > x].
 *
 * <p>Steps ({@link #parity}):
 * <ol>
 *   <li>Local: the two holders of component j compute x_j and beta_j, so [[beta]]^B has components
 *       beta_j.</li>
 *   <li>Round 1: open x = a + r through {@link Openings#openMasked} (every component x_j is masked by
 *       the uniform r_j; the third component follows from x and the party's own two). All parties
 *       compute delta.</li>
 *   <li>Rounds 2-10: eta' = {@link PrivateCompare}([[r[k]]]_p, x, [[eta]]_p), so eta XOR eta' = [r > x].</li>
 *   <li>Local: [[theta]]^B = [[beta]]^B ^ [[alpha mod 2]]^B ^ [[eta]]^B ^ (delta mod 2 ^ eta') (the public
 *       part on component 0).</li>
 * </ol>
 * Cost per element: 10 rounds; 8 bytes (x) + 131 elements of Z_67 (about 116.4 bytes) per party;
 * 2 openings (x and d) of n elements each. Randomness: one {@link FalconPreprocessing} per call.
 */
public final class Wrap3 {

    /** Sequential rounds of {@link #parity}. */
    public static final int ROUNDS = 1 + PrivateCompare.ROUNDS;

    /** Openings per call. */
    public static final int OPENINGS = 2;

    private static final Openings OPEN = Openings.forProtocol(MethodHandles.lookup());

    private Wrap3() {
    }

    /** floor((u0 + u1 + u2) / 2^64) for unsigned 64-bit u_j: 0, 1 or 2. */
    public static int wrap3(long u0, long u1, long u2) {
        long s1 = u0 + u1;
        int w = Long.compareUnsigned(s1, u0) < 0 ? 1 : 0;
        long s2 = s1 + u2;
        return w + (Long.compareUnsigned(s2, s1) < 0 ? 1 : 0);
    }

    /**
     * Binary shares of wrap3(a_0, a_1, a_2) mod 2 for every element of {@code a}, bit e = element e in
     * c-order. Consumes {@code pre}, which must serve exactly as many elements and must not have been used
     * before ({@link FalconPreprocessing} is single-use).
     *
     * @param tag prefix of the message tags (ends with '/')
     */
    public static SharedBits parity(Session s, String tag, SharedTensor a, FalconPreprocessing pre) {
        int n = a.intLength();
        if (pre.size() != n) {
            throw new IllegalArgumentException("party " + s.party() + ": wrap3 of " + n
                    + " elements given randomness for " + pre.size());
        }
        pre.consume(s.party());
        int me = s.party();
        long[] a0 = a.first().toLongArray();
        long[] a1 = a.second().toLongArray();
        long[] r0 = pre.mask().first().toLongArray();
        long[] r1 = pre.mask().second().toLongArray();
        long[] x0 = new long[n];
        long[] x1 = new long[n];
        int words = SharedBits.wordsFor(n);
        long[] beta0 = new long[words];
        long[] beta1 = new long[words];
        for (int e = 0; e < n; e++) {
            x0[e] = a0[e] + r0[e];
            x1[e] = a1[e] + r1[e];
            beta0[e >>> 6] |= (Long.compareUnsigned(x0[e], r0[e]) < 0 ? 1L : 0L) << (e & 63);
            beta1[e >>> 6] |= (Long.compareUnsigned(x1[e], r1[e]) < 0 ? 1L : 0L) << (e & 63);
        }
        SharedTensor masked = new SharedTensor(me, RingTensor.of(x0, n), RingTensor.of(x1, n));
        long[] x = OPEN.openMasked(s, tag + "open-x", masked).toLongArray();
        long[] publicBits = new long[words];
        for (int e = 0; e < n; e++) {
            long third = x[e] - x0[e] - x1[e];
            publicBits[e >>> 6] ^= (long) (wrap3(x0[e], x1[e], third) & 1) << (e & 63);
        }
        long[] etaPrime = PrivateCompare.compare(s, tag, pre.maskBits(), x, pre.etaModP(), pre.muFactors());
        for (int w = 0; w < words; w++) {
            publicBits[w] ^= etaPrime[w];
        }
        return new SharedBits(me, n, beta0, beta1)
                .xor(pre.maskWrapParity())
                .xor(pre.eta())
                .xorPublic(publicBits);
    }
}
