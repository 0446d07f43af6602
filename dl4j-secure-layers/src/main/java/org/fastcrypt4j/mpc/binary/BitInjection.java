package org.fastcrypt4j.mpc.binary;

import java.util.Arrays;

import org.fastcrypt4j.mpc.arithmetic.Multiplication;
import org.fastcrypt4j.mpc.sharing.Session;
import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.ring.RingTensor;

/**
 * One-bit B2A ("bit injection", ABY3 section 5.4; PROTOCOLS.md 4.3 (ii)): turns a binary sharing
 * [[b]]^B of single bits into an arithmetic sharing of b in {0, 1} (scale 0).
 *
 * <p>Chosen over the one-round OT variant 4.3 (i) because it sends a quarter of P0's bytes
 * (8 / 8 / 8 bytes per bit instead of 32 / 8 / 8) for one extra round. With u = b_0 XOR b_1 (known to
 * P0) and t = b_2 (known to P1 and P2), b = u + t - 2ut:
 * <ol>
 *   <li>Round 1: P0 inputs u arithmetically as (sigma, u - sigma, 0), sigma from key k_2 (shared with
 *       P2); u - sigma goes to P1, which lacks k_2, so it sees a uniform value. t is (0, 0, t) locally.</li>
 *   <li>Round 2: u*t = (u - sigma)*t + sigma*t, two additive terms held by P1 and P2. The product is
 *       made replicated with comp0 = r0 (key k_2), comp1 = r1 (key k_0), comp2 = the rest: P1 sends
 *       (u - sigma)*t - r1 to P2 and P2 sends sigma*t - r0 to P1, each masked by a key the receiver
 *       lacks; P0 sends nothing.</li>
 * </ol>
 * 2 rounds, 8 bytes per bit from each party, nothing opened.
 */
public final class BitInjection {

    /** Message layers of {@link #toArithmetic}. */
    public static final int ROUNDS = 2;

    /** Bytes sent per bit by each party (P0 in round 1, P1 and P2 in round 2). */
    public static final double BYTES_PER_ELEMENT = 8.0;

    private BitInjection() {
    }

    /** The arithmetic 0/1 sharing of every bit of {@code b}, with the given shape (its length = bits). */
    public static SharedTensor toArithmetic(Session s, SharedBits b, long... shape) {
        int n = b.bits();
        long len = 1;
        for (long d : shape) {
            len *= d;
        }
        if (len != n) {
            throw new IllegalArgumentException("party " + s.party() + ": B2A of " + n + " bits into shape "
                    + Arrays.toString(shape));
        }
        int me = s.party();
        long[] first = new long[n];
        long[] second = new long[n];
        String tagIn = "b2a/input";
        String tagRe = "b2a/reshare";
        if (me == 0) {
            long[] sigma = s.prgWithPrev().nextLongs(n);
            long[] w = new long[n];
            long[] b0 = b.first();
            long[] b1 = b.second();
            for (int i = 0; i < n; i++) {
                long u = ((b0[i >>> 6] ^ b1[i >>> 6]) >>> (i & 63)) & 1L;
                w[i] = u - sigma[i];
            }
            s.transport().send(1, tagIn, w);
            long[] r0 = s.prgWithPrev().nextLongs(n);
            long[] r1 = s.prgWithNext().nextLongs(n);
            // [[u]] = (sigma, w); [[t]] = (0, 0); [[ut]] = (r0, r1).
            for (int i = 0; i < n; i++) {
                first[i] = sigma[i] - 2 * r0[i];
                second[i] = w[i] - 2 * r1[i];
            }
        } else if (me == 1) {
            long[] w = s.transport().receive(0, tagIn, n);
            long[] t = bitsToLongs(b.second(), n);
            long[] r1 = s.prgWithPrev().nextLongs(n);
            long[] out = new long[n];
            for (int i = 0; i < n; i++) {
                out[i] = w[i] * t[i] - r1[i];
            }
            long[] in = new long[n];
            s.transport().exchange(tagRe, 2, out, 2, in);
            // [[u]] = (w, 0); [[t]] = (0, t); [[ut]] = (r1, c2).
            for (int i = 0; i < n; i++) {
                long c2 = out[i] + in[i];
                first[i] = w[i] - 2 * r1[i];
                second[i] = t[i] - 2 * c2;
            }
        } else {
            long[] sigma = s.prgWithNext().nextLongs(n);
            long[] t = bitsToLongs(b.first(), n);
            long[] r0 = s.prgWithNext().nextLongs(n);
            long[] out = new long[n];
            for (int i = 0; i < n; i++) {
                out[i] = sigma[i] * t[i] - r0[i];
            }
            long[] in = new long[n];
            s.transport().exchange(tagRe, 1, out, 1, in);
            // [[u]] = (0, sigma); [[t]] = (t, 0); [[ut]] = (c2, r0).
            for (int i = 0; i < n; i++) {
                long c2 = out[i] + in[i];
                first[i] = t[i] - 2 * c2;
                second[i] = sigma[i] - 2 * r0[i];
            }
        }
        return new SharedTensor(me, RingTensor.of(first, shape), RingTensor.of(second, shape));
    }

    /**
     * [[a]] * b for an arithmetic sharing a and a binary sharing b of one bit per element of a:
     * {@link #toArithmetic} then one multiplication. 3 rounds, 16 bytes per element per party (P0 sends
     * in rounds 1 and 3 only). Cheaper in bytes than the OT-based product of PROTOCOLS.md 4.3 (iii)
     * (24 / 8 / 24 bytes, 2 rounds), one round slower.
     */
    public static SharedTensor times(Session s, SharedTensor a, SharedBits b) {
        SharedTensor bit = toArithmetic(s, b, a.shape());
        return Multiplication.bilinear(s, "b2a/times", a, bit, Multiplication.ELEMENTWISE);
    }

    private static long[] bitsToLongs(long[] words, int n) {
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = (words[i >>> 6] >>> (i & 63)) & 1L;
        }
        return out;
    }
}
