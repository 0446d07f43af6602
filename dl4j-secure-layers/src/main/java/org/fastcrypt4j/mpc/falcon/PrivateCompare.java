package org.fastcrypt4j.mpc.falcon;

import java.lang.invoke.MethodHandles;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.fastcrypt4j.mpc.binary.SharedBits;
import org.fastcrypt4j.mpc.opening.Openings;
import org.fastcrypt4j.mpc.sharing.Session;

/**
 * PrivateCompare over Z_67 in Falcon's product form (Falcon, Wagh et al., PETS 2021, section 3;
 * PROTOCOLS.md 5.3): for a secret M given by its bits [[m_k]]_p, a public R (both unsigned 64-bit) and
 * a secret uniform bit [[eta]]_p, outputs the public bit eta' with eta XOR eta' = [M > R].
 *
 * <p>Steps, for every element (k = 63 .. 0, most significant first; T = R + 1):
 * <ol>
 *   <li>Local: c0_k = R_k - m_k + 1 + sum_{j > k} (m_j XOR R_j) and
 *       c1_k = m_k - T_k + 1 + sum_{j > k} (m_j XOR T_j), where m XOR c = m + c - 2cm is linear for a
 *       public bit c. When R = 2^64 - 1 (T overflows) c1 is the public vector (0, 1, ..., 1) instead.
 *       Some c0_k is 0 iff M > R; some c1_k is 0 iff T > M, i.e. M <= R (at most one entry is 0).</li>
 *   <li>Round 1: c_k = c0_k + eta (c1_k - c0_k), one Z_p product per bit (64 per element); c0's
 *       component is added to the product's local share before the reshare, so the sum costs nothing.</li>
 *   <li>Rounds 2-8: d = m_0 m_1 m_2 prod_k c_k by a binary tree of Z_p products over 67 factors
 *       (the three non-zero factors of the multiplicative mask mu from {@link FalconPreprocessing}):
 *       ceil(log2 67) = 7 rounds, 66 products per element.</li>
 *   <li>Round 9: open d; eta' = [d == 0].</li>
 * </ol>
 * Correctness: every c_k lies in [0, 65] and p = 67 > 65, so d = 0 iff some c_k = 0 as an integer.
 * eta = 0: eta' = [M > R]. eta = 1: eta' = [M <= R], so eta XOR eta' = [M > R] also when M = R
 * (comparing with T = R + 1 fixes the M = R case that the plain (2 eta - 1)(m_k - R_k) form of
 * falcon-public gets wrong, PROTOCOLS.md 5.3; this makes DReLU(0) exact).
 *
 * <p>Masking: d = mu * prod c_k with mu uniform in Z_p^* and unknown to every single party (each misses
 * one of its three factors), so the opened d is 0 or a uniform non-zero element: it reveals exactly
 * eta', which is [M > R] masked by the uniform eta. Because the factors are multiplied into one
 * product, which position k holds the zero is not revealed, so no shuffle is needed (SecureNN opens the
 * c_k one by one to a third party and must mask each with its own non-zero factor and permute them;
 * PROTOCOLS.md 5.3).
 *
 * <p>Cost per element: 9 rounds; 64 + 66 + 1 = 131 elements of Z_p per party (7.11 bits each packed):
 * about 116.4 bytes per party. One opening (of d).
 */
public final class PrivateCompare {

    /** Sequential rounds. */
    public static final int ROUNDS = 9;

    /** Z_p elements each party sends per compared element: 64 products, 66 tree products, 1 opening. */
    public static final int ZP_ELEMENTS_SENT = 64 + 66 + 1;

    private static final int L = FalconPreprocessing.L;

    private static final Openings OPEN = Openings.forProtocol(MethodHandles.lookup());

    private PrivateCompare() {
    }

    /**
     * @param s     the session
     * @param tag   tag prefix of the messages (ends with '/')
     * @param bits  [[m_k]]_p, position-major: element e's bit k at index k * n + e
     * @param r     the public values R, one per element
     * @param eta   [[eta]]_p, one per element
     * @param mu    the three factors of the multiplicative mask, n elements each
     * @return eta' packed 64 per word (bit e = element e)
     */
    public static long[] compare(Session s, String tag, ZpShares bits, long[] r, ZpShares eta, ZpShares[] mu) {
        int n = r.length;
        if (bits.length() != L * n || eta.length() != n || mu.length != 3) {
            throw new IllegalArgumentException("party " + s.party() + ": PrivateCompare of " + n + " elements needs "
                    + L * n + " bit shares, " + n + " eta shares and 3 mask factors; got " + bits.length() + ", "
                    + eta.length() + ", " + mu.length);
        }
        byte[] z = ZpShares.zeroShare(s, L * n);
        addSelectShare(s.party(), bits, r, eta, z);
        ZpShares c = ZpShares.reshare(s, tag + "select", z);

        List<Factor> factors = new ArrayList<>();
        for (int k = 0; k < L; k++) {
            factors.add(new Factor(c.first(), c.second(), k * n));
        }
        for (ZpShares m : mu) {
            if (m.length() != n) {
                throw new IllegalArgumentException("party " + s.party() + ": mask factor has " + m.length()
                        + " elements, expected " + n);
            }
            factors.add(new Factor(m.first(), m.second(), 0));
        }
        int level = 0;
        while (factors.size() > 1) {
            factors = treeLevel(s, tag + "tree-" + level, factors, n);
            level++;
        }
        Factor last = factors.get(0);
        ZpShares product = new ZpShares(s.party(), last.first, last.second).slice(last.offset, n);
        byte[] d = OPEN.openMaskedZp(s, tag + "open-d", product);
        long[] out = new long[SharedBits.wordsFor(n)];
        for (int e = 0; e < n; e++) {
            if (d[e] == 0) {
                out[e >>> 6] |= 1L << (e & 63);
            }
        }
        return out;
    }

    /** n consecutive elements of a replicated Z_p sharing, starting at {@code offset} of its arrays. */
    private record Factor(byte[] first, byte[] second, int offset) {
    }

    /** Multiplies neighbouring factors (an odd last one passes through): one round, one message. */
    private static List<Factor> treeLevel(Session s, String tag, List<Factor> factors, int n) {
        int pairs = factors.size() / 2;
        byte[] z = ZpShares.zeroShare(s, pairs * n);
        for (int i = 0; i < pairs; i++) {
            Factor x = factors.get(2 * i);
            Factor y = factors.get(2 * i + 1);
            int base = i * n;
            for (int e = 0; e < n; e++) {
                int x0 = x.first[x.offset + e];
                int x1 = x.second[x.offset + e];
                int y0 = y.first[y.offset + e];
                int y1 = y.second[y.offset + e];
                z[base + e] = (byte) ZpShares.modSmall(z[base + e] + x0 * (y0 + y1) + x1 * y0);
            }
        }
        ZpShares products = ZpShares.reshare(s, tag, z);
        List<Factor> next = new ArrayList<>(pairs + 1);
        for (int i = 0; i < pairs; i++) {
            next.add(new Factor(products.first(), products.second(), i * n));
        }
        if (factors.size() % 2 == 1) {
            next.add(factors.get(factors.size() - 1));
        }
        return next;
    }

    /** Elements per block of {@link #addSelectShare}: its four running sums stay in the L1 cache. */
    private static final int SELECT_BLOCK = 2048;

    /**
     * Added before the one reduction of {@link #addSelectShare}: a multiple of p above the largest negative
     * sum, 66 * 2 * 9000 + 66 * 9000 = 1,782,000 (see there).
     */
    private static final int SELECT_LIFT = 27_000 * ZpShares.P;

    /**
     * Adds to {@code z} this party's 3-out-of-3 share of c = c0 + eta (c1 - c0): the local product terms
     * eta_i (d_i + d_{i+1}) + eta_{i+1} d_i of the replicated product formula, with d = c1 - c0, plus c0's
     * component i. The caller has put the zero-sharing term alpha_i in {@code z}; resharing z then gives
     * [[c]]_p in the round of the product. Public constants go into component 0 only.
     *
     * <p>Elements go in blocks of {@value #SELECT_BLOCK} (all 64 positions of a block before the next), and
     * each output is reduced once: the running sums start at 70 p and move by at most 66 per position, so
     * they stay in [466, 8914]; c0 in [400, 8916], c1 in [0, 8981], d in (-9000, 9000); the sum before
     * the reduction lies above -66 * 2 * 9000 - 66 * 9000 and is lifted by {@link #SELECT_LIFT} (all in
     * int range).
     */
    private static void addSelectShare(int me, ZpShares bits, long[] r, ZpShares eta, byte[] z) {
        int n = r.length;
        int p = ZpShares.P;
        int oneF = me == 0 ? 1 : 0;
        int oneS = me == 2 ? 1 : 0;
        byte[] mF = bits.first();
        byte[] mS = bits.second();
        byte[] etaF = eta.first();
        byte[] etaS = eta.second();
        int offset = 70 * p;
        int[] accRF = new int[SELECT_BLOCK];
        int[] accTF = new int[SELECT_BLOCK];
        int[] accRS = new int[SELECT_BLOCK];
        int[] accTS = new int[SELECT_BLOCK];
        for (int from = 0; from < n; from += SELECT_BLOCK) {
            int len = Math.min(SELECT_BLOCK, n - from);
            Arrays.fill(accRF, offset);
            Arrays.fill(accTF, offset);
            Arrays.fill(accRS, offset);
            Arrays.fill(accTS, offset);
            for (int k = L - 1; k >= 0; k--) {
                int base = k * n + from;
                for (int i = 0; i < len; i++) {
                    int e = from + i;
                    int mf = mF[base + i];
                    int ms = mS[base + i];
                    long rv = r[e];
                    int rk = (int) ((rv >>> k) & 1);
                    int tk = (int) (((rv + 1) >>> k) & 1);
                    int c0f = oneF * (rk + 1) - mf + accRF[i];
                    int c0s = oneS * (rk + 1) - ms + accRS[i];
                    int c1f;
                    int c1s;
                    if (rv == -1L) {
                        c1f = k == 0 ? 0 : oneF;
                        c1s = k == 0 ? 0 : oneS;
                    } else {
                        c1f = mf + oneF * (1 - tk) + accTF[i];
                        c1s = ms + oneS * (1 - tk) + accTS[i];
                    }
                    int df = c1f - c0f;
                    int ds = c1s - c0s;
                    int sum = z[base + i] + c0f + etaF[e] * (df + ds) + etaS[e] * df;
                    z[base + i] = (byte) ((sum + SELECT_LIFT) % p);
                    accRF[i] += mf + rk * (oneF - 2 * mf);
                    accTF[i] += mf + tk * (oneF - 2 * mf);
                    accRS[i] += ms + rk * (oneS - 2 * ms);
                    accTS[i] += ms + tk * (oneS - 2 * ms);
                }
            }
        }
    }
}
