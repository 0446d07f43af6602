package org.fastcrypt4j.mpc.binary;

import org.fastcrypt4j.mpc.sharing.Session;

/**
 * AND of replicated boolean sharings, packed 64 bits per word (ABY3 section 3 over Z_2):
 * z_i = (a_i AND (b_i XOR b_{i+1})) XOR (a_{i+1} AND b_i) XOR alpha_i, with alpha an XOR zero
 * sharing, then z_i is sent to P_{i-1}. 1 round, 1 bit per AND gate per party. Several ANDs of one
 * circuit layer travel in one message ({@link #andAll}).
 */
public final class BinaryAnd {

    private BinaryAnd() {
    }

    public static SharedBits and(Session s, String tag, SharedBits a, SharedBits b) {
        return andAll(s, tag, new SharedBits[] {a}, new SharedBits[] {b})[0];
    }

    /** Computes a[k] AND b[k] for every k with a single message per party. */
    public static SharedBits[] andAll(Session s, String tag, SharedBits[] a, SharedBits[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("AND needs as many left as right operands: " + a.length + " vs " + b.length);
        }
        int total = 0;
        for (int k = 0; k < a.length; k++) {
            if (a[k].bits() != b[k].bits()) {
                throw new IllegalArgumentException("AND operand " + k + ": " + a[k] + " vs " + b[k]);
            }
            total += a[k].words();
        }
        long[] z = s.randomness().zeroShareXor(total);
        int off = 0;
        for (int k = 0; k < a.length; k++) {
            long[] a0 = a[k].first();
            long[] a1 = a[k].second();
            long[] b0 = b[k].first();
            long[] b1 = b[k].second();
            for (int w = 0; w < a0.length; w++) {
                z[off + w] ^= (a0[w] & (b0[w] ^ b1[w])) ^ (a1[w] & b0[w]);
            }
            off += a0.length;
        }
        long[] in = new long[total];
        s.transport().exchange(tag, s.prev(), z, s.next(), in);
        SharedBits[] out = new SharedBits[a.length];
        off = 0;
        for (int k = 0; k < a.length; k++) {
            int n = a[k].words();
            long[] first = java.util.Arrays.copyOfRange(z, off, off + n);
            long[] second = java.util.Arrays.copyOfRange(in, off, off + n);
            long mask = a[k].lastWordMask();
            if (n > 0) {
                first[n - 1] &= mask;
                second[n - 1] &= mask;
            }
            out[k] = new SharedBits(s.party(), a[k].bits(), first, second);
            off += n;
        }
        return out;
    }
}
