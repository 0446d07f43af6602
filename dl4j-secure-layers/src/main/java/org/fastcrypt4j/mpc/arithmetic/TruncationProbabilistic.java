package org.fastcrypt4j.mpc.arithmetic;

import org.fastcrypt4j.mpc.sharing.Session;

/**
 * ABY3's local truncation Pi_trunc1 (ABY3 Figure 2 as cited by CrypTen's replicated.py; error analysis
 * SecureML Theorem 1; PROTOCOLS.md 3a) on a replicated sharing x = x0 + x1 + x2:
 * <ol>
 *   <li>P0 and P2 set y0 = (x0 &gt;&gt; d) + 1 (signed shift; the +1 removes the mean bias of -1 unit).</li>
 *   <li>P1 and P2 draw rho = F(k1). P1 sets y1 = ((x1 + x2) &gt;&gt; d) - rho and sends it to P0; y2 = rho.</li>
 * </ol>
 * 1 round, 8 bytes per element from P1 only; no opening. Security: P0 receives y1, masked by rho from k1,
 * which P0 lacks.
 *
 * <p>Correctness: if the signed sum s(x0) + s(x1 + x2) does not wrap, y is floor(x/2^d) or floor(x/2^d) + 1.
 * Otherwise the result is off by about 2^(64-d) (a "large error"); this happens with probability about
 * |s(x)|/2^64 per element (about |v| * 2^-24 for a product of real size |v| at f = 20). Use it only where
 * (#elements) * |v| * 2^-24 is negligible; the default is {@link TruncationWrapFree}.
 */
final class TruncationProbabilistic {

    private TruncationProbabilistic() {
    }

    /** Truncates the replicated sharing (first = x_i, second = x_{i+1}); returns {first, second} of y. */
    static long[][] fromReplicated(Session s, long[] first, long[] second, int d) {
        int n = first.length;
        switch (s.party()) {
            case 0 -> {
                long[] y0 = new long[n];
                for (int i = 0; i < n; i++) {
                    y0[i] = (first[i] >> d) + 1;
                }
                long[] y1 = new long[n];
                s.transport().receive(1, "trunc1/y1", y1);
                return new long[][] {y0, y1};
            }
            case 1 -> {
                long[] rho = s.prgWithNext().nextLongs(n);
                long[] y1 = new long[n];
                for (int i = 0; i < n; i++) {
                    y1[i] = ((first[i] + second[i]) >> d) - rho[i];
                }
                s.transport().send(0, "trunc1/y1", y1);
                return new long[][] {y1, rho};
            }
            default -> {
                long[] rho = s.prgWithPrev().nextLongs(n);
                long[] y0 = new long[n];
                for (int i = 0; i < n; i++) {
                    y0[i] = (second[i] >> d) + 1;
                }
                return new long[][] {rho, y0};
            }
        }
    }
}
