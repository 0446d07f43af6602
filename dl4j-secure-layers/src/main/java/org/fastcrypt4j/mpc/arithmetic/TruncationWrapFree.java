package org.fastcrypt4j.mpc.arithmetic;

import org.fastcrypt4j.mpc.opening.OpeningLog;
import org.fastcrypt4j.mpc.sharing.Session;

/**
 * Truncation without large errors and without a dealer or preprocessing ("TruncD", PROTOCOLS.md 3c2,
 * derived for this project). Its structure (one party learns c, the other two a common r with
 * c + r = x + 2^62, the wrap corrected with msb(c) * msb(r)) matches MP-SPDZ's Rep3 {@code trunc_pr}
 * "small gap" branch (Protocols/Replicated.hpp); no paper section is claimed here.
 *
 * <p>Notation: d = shift, X = x + 2^62 (in [0, 2^63) whenever |s(x)| &lt; 2^62), low(v) = v mod 2^63,
 * msb(v) = v &gt;&gt;&gt; 63, mask = 2^d - 1. Keys: k_i is common to P_i and P_{i+1}. P0 is the c-holder.
 * <ol>
 *   <li>Round 1 (only when truncating product shares z_i, and then it replaces the multiplication's
 *       reshare): P1 sends z1 to P0, P2 sends z2 to P1. P0 knows c = z0 + z1 + 2^62, P1 and P2 know
 *       r = z2. (Standalone, on a replicated sharing: c = x0 + x1 + 2^62 and r = x2, no messages.)</li>
 *   <li>Round 2: P0 and P2 draw sigma (64 bits) and sigma', rho (d bits each) from k2. P0 computes
 *       ch = msb(c), A = (low(c) &gt;&gt;&gt; d) - 2^(63-d) ch + 1 - 2^(62-d) and sends P1 the values A - sigma
 *       and (ch - sigma') mod 2^d (64 + d bits). P1 and P2 compute rh = msb(r), B = (low(r) &gt;&gt;&gt; d) - 2^(63-d) rh.</li>
 *   <li>Round 3: P1 and P2 draw tau (d bits) from k1. P1: u1 = ((ch - sigma') mod 2^d) rh, sends
 *       (u1 + tau) mod 2^d to P0. P2: u2 = sigma' rh, sends (u2 - rho - tau) mod 2^d to P1.</li>
 *   <li>Output: y0 = sigma + 2^(64-d) rho, y1 = (A - sigma) + 2^(64-d)(u1 + tau),
 *       y2 = B + 2^(64-d)(u2 - rho - tau). Then y0 + y1 + y2 = A + B + 2^(64-d) ch rh (mod 2^64).</li>
 * </ol>
 *
 * <p>Correctness. For 0 &lt;= X &lt; 2^63 and X = c + r mod 2^64: X = low(c) + low(r) - 2^63 (ch XOR rh),
 * and ch XOR rh = ch + rh - 2 ch rh, so floor(X / 2^d) = (low(c) &gt;&gt;&gt; d) + (low(r) &gt;&gt;&gt; d) + carry
 * - 2^(63-d)(ch + rh) + 2^(64-d) ch rh with carry = [(c mod 2^d) + (r mod 2^d) &gt;= 2^d]. Hence
 * y = floor(x / 2^d) + 1 - carry: the error against x / 2^d lies in (-1, 1] unit, never larger, for
 * every |s(x)| &lt; 2^62 (the rounding is stochastic: carry depends on the random low bits of r).
 * The factor 2^(64-d) makes only ch rh mod 2^d matter, which is why the round-3 product is taken mod 2^d.
 *
 * <p>Security (semi-honest, one corrupted party; simulation argument). Each party's view is its input
 * shares, its keys and the messages it receives. Every received message is the sum of a value the
 * receiver may not know and a fresh PRG output under a key the receiver does not hold; distinct messages
 * use disjoint PRG outputs, so the received messages are jointly pseudo-random and independent of x.
 * The simulator for party P outputs P's keys and uniform values of the right widths for its messages:
 * <ul>
 *   <li>P0 (holds k2, k0) receives z1 (masked by alpha_1 = F(k1) - F(k0), k1 unknown to P0) and
 *       (u1 + tau) mod 2^d (tau from k1).</li>
 *   <li>P1 (holds k0, k1) receives z2 (masked by alpha_2 = F(k2) - F(k1), k2 unknown to P1),
 *       A - sigma (sigma from k2), (ch - sigma') mod 2^d (sigma' from k2), and (u2 - rho - tau) mod 2^d
 *       (rho from k2).</li>
 *   <li>P2 (holds k1, k2) receives nothing.</li>
 * </ul>
 * The output pair of each party is consistent with the simulated view: P0's y0 is fixed by its keys, y1
 * by A - sigma and the message from P1, which the simulator chose; similarly for P1 and P2. In the joint
 * distribution with the outputs, the third component of the sharing (the one a party lacks) carries the
 * masks sigma / rho / tau of a key that party lacks, so the pair a party holds is uniform given x.
 * Nothing is opened to all (0 entries in the {@link OpeningLog}).
 *
 * <p>The functionality this simulates, leakage included (found in review, 2026-12; PROTOCOLS.md 3d). The
 * rounding is decided by carry = [(c mod 2^d) + (r mod 2^d) &gt;= 2^d], where c = X - r is P0's value and r
 * is P1's and P2's. So the ideal functionality F_TruncD is: on input [[x]], sample r uniformly in Z_2^64,
 * output a fresh sharing of y = floor(X / 2^d) + 1 - carry - 2^(62-d), and give c = X - r to P0 and r to P1
 * and P2 as leakage. Each leaked value alone is uniform and independent of x (that is the simulation above),
 * and y inside the computation reveals nothing. But a party that later receives y in the clear learns, from
 * y and its leaked value, the bit [(X mod 2^d) &lt; (r mod 2^d)] for a known r (P1, P2) or a known c (P0): one
 * threshold bit of the low d bits of x, i.e. below the output's precision of 2^-d. Where a result is revealed
 * to a party, the caller must either accept that bit as part of its functionality (and say so) or not end
 * with this truncation: the secure network reveals its outputs (logits) before the last truncation, at scale
 * 2f, and the receiver floors them in the clear (no view-dependent rounding at all); a trained model revealed
 * to its owner carries this bit per weight from the last update, which its doc comment states.
 *
 * <p>Cost: fused with a multiplication 3 rounds, 8 + d/8 bytes per element from each party (10.5 at
 * d = 20); standalone 2 rounds, 8 + d/8 (P0), d/8 (P1), d/8 (P2). d-bit values are packed densely
 * ({@link BitPacking}). The c-holder role is fixed at P0 (no rotation), so P0's CPU work is largest.
 */
final class TruncationWrapFree {

    static final String TAG = "trunc";

    private TruncationWrapFree() {
    }

    /** Truncates product shares z_i (zero sharing included); returns this party's {first, second}. */
    static long[][] fromProductShares(Session s, long[] z, int d) {
        int n = z.length;
        switch (s.party()) {
            case 0 -> {
                long[] z1 = new long[n];
                s.transport().receive(1, TAG + "/z", z1);
                long[] c = new long[n];
                for (int i = 0; i < n; i++) {
                    c[i] = z[i] + z1[i] + (1L << 62);
                }
                return holderOfC(s, c, d);
            }
            case 1 -> {
                s.transport().send(0, TAG + "/z", z);
                long[] r = new long[n];
                s.transport().receive(2, TAG + "/z", r);
                return party1(s, r, d);
            }
            default -> {
                s.transport().send(1, TAG + "/z", z);
                return party2(s, z, d);
            }
        }
    }

    /** Truncates a replicated sharing (first = x_i, second = x_{i+1}). */
    static long[][] fromReplicated(Session s, long[] first, long[] second, int d) {
        int n = first.length;
        switch (s.party()) {
            case 0 -> {
                long[] c = new long[n];
                for (int i = 0; i < n; i++) {
                    c[i] = first[i] + second[i] + (1L << 62);
                }
                return holderOfC(s, c, d);
            }
            case 1 -> {
                return party1(s, second, d);
            }
            default -> {
                return party2(s, first, d);
            }
        }
    }

    private static long[][] holderOfC(Session s, long[] c, int d) {
        int n = c.length;
        long mask = (1L << d) - 1;
        long[] sigma = s.prgWithPrev().nextLongs(n);
        long[] small = s.prgWithPrev().nextLongs(n);
        long[] rhos = s.prgWithPrev().nextLongs(n);
        int packed = BitPacking.words(n, d);
        long[] msg = new long[n + packed];
        long[] chMasked = new long[n];
        long offset = 1 - (1L << (62 - d));
        for (int i = 0; i < n; i++) {
            long ch = c[i] >>> 63;
            long a = ((c[i] & Long.MAX_VALUE) >>> d) - (ch << (63 - d)) + offset;
            msg[i] = a - sigma[i];
            chMasked[i] = (ch - small[i]) & mask;
        }
        BitPacking.pack(chMasked, d, msg, n);
        s.transport().send(1, TAG + "/a", msg);
        long[] in = new long[packed];
        s.transport().receive(1, TAG + "/u", in);
        long[] u = BitPacking.unpack(in, 0, n, d);
        long[] y0 = new long[n];
        long[] y1 = new long[n];
        for (int i = 0; i < n; i++) {
            long rho = rhos[i] & mask;
            y0[i] = sigma[i] + (rho << (64 - d));
            y1[i] = msg[i] + (u[i] << (64 - d));
        }
        return new long[][] {y0, y1};
    }

    private static long[][] party1(Session s, long[] r, int d) {
        int n = r.length;
        long mask = (1L << d) - 1;
        long[] tau = s.prgWithNext().nextLongs(n);
        int packed = BitPacking.words(n, d);
        long[] msg = new long[n + packed];
        s.transport().receive(0, TAG + "/a", msg);
        long[] chMasked = BitPacking.unpack(msg, n, n, d);
        long[] u = new long[n];
        for (int i = 0; i < n; i++) {
            long rh = r[i] >>> 63;
            u[i] = (chMasked[i] * rh + tau[i]) & mask;
        }
        long[] out = new long[packed];
        BitPacking.pack(u, d, out, 0);
        s.transport().send(0, TAG + "/u", out);
        long[] in = new long[packed];
        s.transport().receive(2, TAG + "/v", in);
        long[] v = BitPacking.unpack(in, 0, n, d);
        long[] y1 = new long[n];
        long[] y2 = new long[n];
        for (int i = 0; i < n; i++) {
            y1[i] = msg[i] + (u[i] << (64 - d));
            y2[i] = partB(r[i], d) + (v[i] << (64 - d));
        }
        return new long[][] {y1, y2};
    }

    private static long[][] party2(Session s, long[] r, int d) {
        int n = r.length;
        long mask = (1L << d) - 1;
        long[] sigma = s.prgWithNext().nextLongs(n);
        long[] small = s.prgWithNext().nextLongs(n);
        long[] rhos = s.prgWithNext().nextLongs(n);
        long[] tau = s.prgWithPrev().nextLongs(n);
        long[] v = new long[n];
        long[] y2 = new long[n];
        long[] y0 = new long[n];
        for (int i = 0; i < n; i++) {
            long rh = r[i] >>> 63;
            long rho = rhos[i] & mask;
            v[i] = ((small[i] & mask) * rh - rho - tau[i]) & mask;
            y2[i] = partB(r[i], d) + (v[i] << (64 - d));
            y0[i] = sigma[i] + (rho << (64 - d));
        }
        long[] out = new long[BitPacking.words(n, d)];
        BitPacking.pack(v, d, out, 0);
        s.transport().send(1, TAG + "/v", out);
        return new long[][] {y2, y0};
    }

    private static long partB(long r, int d) {
        long rh = r >>> 63;
        return ((r & Long.MAX_VALUE) >>> d) - (rh << (63 - d));
    }
}
