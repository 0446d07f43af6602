package org.fastcrypt4j.mpc.sharing;

import org.fastcrypt4j.mpc.binary.SharedBits;
import org.fastcrypt4j.ring.RingTensor;

/**
 * Correlated randomness that costs no messages, drawn from the pairwise keys (PROTOCOLS.md section 0):
 * k_i is shared by P_i and P_{i+1}; P_i holds k_{i-1} ({@link Session#prgWithPrev()}) and k_i
 * ({@link Session#prgWithNext()}).
 * <ul>
 *   <li>ZERO: alpha_i = F(k_i) - F(k_{i-1}); alpha_0 + alpha_1 + alpha_2 = 0, and each alpha_i is
 *       uniform to the two parties that miss k_i or k_{i-1}.</li>
 *   <li>RAND: a replicated sharing of a uniform value nobody knows: component j = F(k_{j-1}).</li>
 *   <li>PAIR: F(k) common to the two holders of k.</li>
 * </ul>
 * Every method draws from both streams the holder shares, in a fixed order, so the lock-step rule of
 * {@link Session} holds when all three parties call the same methods with the same sizes.
 */
public final class CorrelatedRandomness {

    private final Session session;

    CorrelatedRandomness(Session session) {
        this.session = session;
    }

    /** This party's alpha_i for {@code n} elements (arithmetic zero sharing). */
    public long[] zeroShare(int n) {
        long[] a = session.prgWithNext().nextLongs(n);
        long[] b = session.prgWithPrev().nextLongs(n);
        for (int i = 0; i < n; i++) {
            a[i] -= b[i];
        }
        return a;
    }

    /** Adds this party's alpha_i to {@code z} in place. */
    public void addZeroShare(long[] z) {
        long[] alpha = zeroShare(z.length);
        for (int i = 0; i < z.length; i++) {
            z[i] += alpha[i];
        }
    }

    /** This party's XOR zero sharing of {@code words} packed words. */
    public long[] zeroShareXor(int words) {
        long[] a = session.prgWithNext().nextLongs(words);
        long[] b = session.prgWithPrev().nextLongs(words);
        for (int i = 0; i < words; i++) {
            a[i] ^= b[i];
        }
        return a;
    }

    /** A replicated sharing of a uniform ring tensor that no party knows. */
    public SharedTensor random(long... shape) {
        RingTensor first = session.prgWithPrev().nextRing(shape);
        RingTensor second = session.prgWithNext().nextRing(shape);
        return new SharedTensor(session.party(), first, second);
    }

    /** A replicated boolean sharing of {@code bits} uniform bits that no party knows. */
    public SharedBits randomBits(int bits) {
        int words = SharedBits.wordsFor(bits);
        long[] first = session.prgWithPrev().nextLongs(words);
        long[] second = session.prgWithNext().nextLongs(words);
        long mask = (bits & 63) == 0 ? -1L : (1L << (bits & 63)) - 1;
        if (words > 0) {
            first[words - 1] &= mask;
            second[words - 1] &= mask;
        }
        return new SharedBits(session.party(), bits, first, second);
    }
}
