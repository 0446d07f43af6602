package org.fastcrypt4j.mpc.arithmetic;

import org.fastcrypt4j.mpc.sharing.MpcSettings;
import org.fastcrypt4j.mpc.sharing.Session;
import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.ring.RingTensor;

/**
 * Division of a shared value by a public power of two 2^d (fixed-point truncation), in the two forms the
 * session setting {@link MpcSettings.TruncationKind} chooses between:
 * <ul>
 *   <li>{@link MpcSettings.TruncationKind#WRAP_FREE}: {@link TruncationWrapFree} (PROTOCOLS.md 3c2, "TruncD").
 *       Never a large (wrap) error while |s(x)| &lt; 2^62; result floor(x/2^d) or floor(x/2^d) + 1. Fused with a
 *       multiplication: 3 rounds, 8 + d/8 bytes per element per party (10.5 at d = 20). Standalone: 2 rounds,
 *       8 + d/8 / d/8 / d/8 bytes (P0/P1/P2). Opens nothing.</li>
 *   <li>{@link MpcSettings.TruncationKind#PROBABILISTIC}: {@link TruncationProbabilistic} (ABY3 Pi_trunc1,
 *       PROTOCOLS.md 3a). 1 round standalone (8 bytes from P1 only), 2 rounds after a multiplication; fails
 *       (error ~2^(64-d)) with probability about |s(x)|/2^64 per element.</li>
 * </ul>
 * Inputs are either a replicated sharing ({@link #truncate}) or the 3-out-of-3 product shares z_i of
 * {@link Multiplication#localShare} (zero sharing already added; {@link #truncateProduct}), which replaces
 * the multiplication's reshare.
 */
public final class Truncation {

    private Truncation() {
    }

    /** Truncates a replicated sharing by {@code shift} bits with the session's protocol. */
    public static SharedTensor truncate(Session s, SharedTensor x, int shift) {
        checkShift(s, shift);
        long[] a = x.first().toLongArray();
        long[] b = x.second().toLongArray();
        long[][] y = s.settings().truncation() == MpcSettings.TruncationKind.WRAP_FREE
                ? TruncationWrapFree.fromReplicated(s, a, b, shift)
                : TruncationProbabilistic.fromReplicated(s, a, b, shift);
        return new SharedTensor(s.party(), RingTensor.of(y[0], x.shape()), RingTensor.of(y[1], x.shape()));
    }

    /** Truncates by the session's fractional bits f. */
    public static SharedTensor truncate(Session s, SharedTensor x) {
        return truncate(s, x, s.fractionalBits());
    }

    /**
     * Turns product shares z_i (3-out-of-3, zero sharing included) into a replicated sharing of z / 2^shift,
     * replacing the multiplication's reshare (wrap-free: 3 rounds in all; probabilistic: reshare then Trunc1,
     * 2 rounds).
     */
    public static SharedTensor truncateProduct(Session s, RingTensor z, int shift) {
        checkShift(s, shift);
        long[] zz = z.toLongArray();
        long[][] y = truncateProductShares(s, zz, shift);
        return new SharedTensor(s.party(), RingTensor.of(y[0], z.shape()), RingTensor.of(y[1], z.shape()));
    }

    /** As {@link #truncateProduct} on flat arrays: returns {first, second} components. */
    static long[][] truncateProductShares(Session s, long[] z, int shift) {
        if (s.settings().truncation() == MpcSettings.TruncationKind.WRAP_FREE) {
            return TruncationWrapFree.fromProductShares(s, z, shift);
        }
        long[] second = new long[z.length];
        s.transport().exchange("trunc1/reshare", s.prev(), z, s.next(), second);
        return TruncationProbabilistic.fromReplicated(s, z, second, shift);
    }

    /**
     * Causal message depth of each party's output, given the depth {@code t} (per party) at which each party
     * holds its input shares: a model of the message pattern, used for the expected round counts of chains
     * of products. With the wrap-free truncation P2 never waits for a message and P1 holds its output one round
     * before P0, so in a chain every fused product after the first adds 2 rounds, not 3.
     *
     * @param fused true for a product truncated in place of its reshare, false for a standalone truncation
     */
    public static long[] depthAfter(MpcSettings.TruncationKind kind, boolean fused, long[] t) {
        if (kind == MpcSettings.TruncationKind.WRAP_FREE) {
            long c0 = fused ? Math.max(t[0], t[1] + 1) : t[0];
            long a = c0 + 1;
            long p1 = Math.max(Math.max(t[1], t[2] + 1), a);
            long u = p1 + 1;
            return new long[] {Math.max(c0, u), p1, t[2]};
        }
        long[] d = t.clone();
        if (fused) {
            for (int p = 0; p < 3; p++) {
                d[p] = Math.max(t[p], t[(p + 1) % 3] + 1);
            }
        }
        return new long[] {Math.max(d[0], d[1] + 1), d[1], d[2]};
    }

    /** Per-party maximum of two depth vectors (the inputs of a product). */
    public static long[] later(long[] a, long[] b) {
        return new long[] {Math.max(a[0], b[0]), Math.max(a[1], b[1]), Math.max(a[2], b[2])};
    }

    /** The largest entry (rounds of a protocol started at depth 0 by all parties). */
    public static long maxDepth(long[] t) {
        return Math.max(t[0], Math.max(t[1], t[2]));
    }

    private static void checkShift(Session s, int shift) {
        if (shift < 1 || shift > 62) {
            throw new IllegalArgumentException("party " + s.party() + ": truncation shift must be in [1, 62], got "
                    + shift);
        }
    }
}
