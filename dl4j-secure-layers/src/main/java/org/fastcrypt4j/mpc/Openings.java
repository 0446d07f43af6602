package org.fastcrypt4j.mpc;

import org.fastcrypt4j.ring.RingTensor;

/**
 * The only way protocol code opens a value. Contract: the caller passes a sharing of a value that is
 * masked by fresh randomness unknown to the receivers (a uniform ring mask, a one-time XOR mask, a
 * multiplicative mask), so the opened value reveals nothing about the secret. Each call is recorded in
 * the session's {@link OpeningLog} under the tag's prefix, and tests check those counts against the
 * documented number of openings of every protocol.
 *
 * <p>Opening to all (PROTOCOLS.md 1.3): P_i sends x_i to P_{i+1}; one round, 8 bytes per element per
 * party. User-facing reveals of results are in {@link Sharing}, not here.
 */
public final class Openings {

    private Openings() {
    }

    /** Opens a masked arithmetic sharing to all three parties. */
    public static RingTensor openMasked(Session s, String tag, SharedTensor masked) {
        s.openings().record(tag, masked.length());
        long[] mine = masked.first().toLongArray();
        long[] missing = new long[mine.length];
        s.transport().exchange(tag, s.next(), mine, s.prev(), missing);
        RingTensor out = masked.first().add(masked.second());
        long[] sum = out.toLongArray();
        for (int i = 0; i < sum.length; i++) {
            sum[i] += missing[i];
        }
        return out.copyFrom(sum, 0);
    }

    /** Opens a masked boolean sharing (packed words) to all three parties. */
    public static long[] openMaskedBits(Session s, String tag, SharedBits masked) {
        s.openings().record(tag, masked.bits());
        long[] missing = new long[masked.words()];
        s.transport().exchange(tag, s.next(), masked.first(), s.prev(), missing);
        long[] out = new long[missing.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = masked.first()[i] ^ masked.second()[i] ^ missing[i];
        }
        return out;
    }

    /**
     * Records an opening done by a protocol with its own message pattern (for example to two parties
     * only, or of elements of Z_p), so that it is counted like the others. The caller must still obey the
     * masking contract.
     */
    public static void record(Session s, String tag, long elements) {
        s.openings().record(tag, elements);
    }
}
