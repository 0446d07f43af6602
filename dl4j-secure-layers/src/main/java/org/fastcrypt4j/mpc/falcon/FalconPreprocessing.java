package org.fastcrypt4j.mpc.falcon;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.fastcrypt4j.mpc.binary.BinaryAnd;
import org.fastcrypt4j.mpc.binary.SharedBits;
import org.fastcrypt4j.mpc.sharing.Session;
import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.ring.AesCtrPrg;

/**
 * The correlated randomness of {@link FalconMsb} for n elements, produced by the three parties
 * themselves (no dealer; PROTOCOLS.md 5.6, proposal G3 with a Sklansky adder):
 * <ul>
 *   <li>[[r]]: a mask with uniform components r_j = F(k_{j-1}) (RAND, no messages);</li>
 *   <li>[[r[k]]]_p, k = 0..63: the bits of r = r_0 + r_1 + r_2 mod 2^64 over Z_67;</li>
 *   <li>[[alpha mod 2]]^B with alpha = wrap3(r_0, r_1, r_2) (integer carries of the component sum);</li>
 *   <li>a uniform bit eta as [[eta]]^B and [[eta]]_p (the PrivateCompare flip bit);</li>
 *   <li>three factors of the multiplicative mask mu = m_0 m_1 m_2 of PrivateCompare: m_j is a uniform
 *       non-zero element of Z_p from the PRG of key k_j, shared as component j + 1 (held by exactly the
 *       two parties that know it). Each party misses one factor, so mu is uniform in Z_p^* to it.</li>
 * </ul>
 *
 * <p>Steps ({@link #generate}):
 * <ol>
 *   <li>Round 1 (carry-save, PROTOCOLS.md 4.1 variant C): the binary sharing of component r_j is local
 *       (component j = r_j, others 0), so s = r_0 ^ r_1 ^ r_2 is local and
 *       cy = maj(r_0, r_1, r_2) = r_0 ^ ((r_0 ^ r_1) AND (r_0 ^ r_2)) costs 64 ANDs. Then
 *       r_0 + r_1 + r_2 = s + 2 cy (integers).</li>
 *   <li>Round 2: generate bits g_k = s_k AND cy_{k-1} (k = 1..63; g_0 = 0), propagate p_k = s_k ^ cy_{k-1}.</li>
 *   <li>Rounds 3-8: Sklansky parallel prefix over 64 positions, G[0..k] = carry into bit k + 1;
 *       propagate products are formed only for groups that do not start at bit 0 (320 ANDs).
 *       Then r_k = p_k ^ G[0..k-1] and alpha mod 2 = cy_63 ^ G[0..63] (the two carries worth 2^64).</li>
 *   <li>Rounds 9-10, for the 64 bits of r and for eta (PROTOCOLS.md 4.3 (ii) over Z_p): for a bit
 *       b = b_0 ^ b_1 ^ b_2, P_0 knows u = b_0 ^ b_1 and inputs it over Z_p ({@link ZpShares#input});
 *       P_1 and P_2 know t = b_2, shared locally as component 2; then b = u + t - 2 u t with one Z_p
 *       product.</li>
 * </ol>
 * Binary ANDs are bit-sliced: position k of all n elements is one packed bit vector, and each circuit
 * layer is one {@link BinaryAnd#andAll} message.
 *
 * <p>Cost per element: 10 rounds; binary ANDs 64 + 63 + 320 = 447 bits per party; Z_p: P_0 sends
 * 2 x 65 elements, P_1 and P_2 65 elements each (7.11 bits per element packed): about 171.4 / 113.7 /
 * 113.7 bytes for P_0 / P_1 / P_2 ({@link FalconMsb#expectedPreprocessingBytesPerElement}). No openings.
 *
 * <p>Security (semi-honest, one corruption): every message is a reshare of an AND or Z_p product
 * re-randomised by a pseudo-random zero sharing term from the key the receiver misses, or P_0's input
 * u - F_p(k_2) to P_1, who misses k_2; so each party's view is pseudo-random and tells it nothing about
 * r, its bits, alpha, eta or mu beyond the components the party holds. Use each instance once.
 */
public final class FalconPreprocessing {

    /** Ring bit length. */
    public static final int L = 64;

    /** Binary AND gates per element: carry-save 64, generate 63, Sklansky prefix 320. */
    public static final int AND_GATES = 64 + 63 + 320;

    /** Bits converted to Z_p per element: the 64 bits of r and eta. */
    public static final int ZP_BITS = L + 1;

    /** Sequential rounds of {@link #generate}. */
    public static final int ROUNDS = 10;

    private static final String TAG = "falcon-pre/";

    private final int n;
    private final SharedTensor mask;
    private final ZpShares maskBits;
    private final SharedBits maskWrapParity;
    private final SharedBits eta;
    private final ZpShares etaModP;
    private final ZpShares[] muFactors;
    private boolean used;

    private FalconPreprocessing(int n, SharedTensor mask, ZpShares maskBits, SharedBits maskWrapParity,
            SharedBits eta, ZpShares etaModP, ZpShares[] muFactors) {
        this.n = n;
        this.mask = mask;
        this.maskBits = maskBits;
        this.maskWrapParity = maskWrapParity;
        this.eta = eta;
        this.etaModP = etaModP;
        this.muFactors = muFactors;
    }

    /**
     * Marks this randomness used; a second use is refused, because two openings masked by the same r would
     * reveal their difference (x + r - (x' + r) = x - x').
     *
     * @throws IllegalStateException on the second call
     */
    synchronized void consume(int party) {
        if (used) {
            throw new IllegalStateException("party " + party + ": Falcon preprocessing for " + n + " elements used a"
                    + " second time; it is single-use (reuse would open the difference of two masked inputs)");
        }
        used = true;
    }

    /** True once a protocol has consumed this randomness. */
    public synchronized boolean isUsed() {
        return used;
    }

    /** Number of elements this randomness serves (use it once). */
    public int size() {
        return n;
    }

    /** [[r]], shape [n], with uniform components. */
    public SharedTensor mask() {
        return mask;
    }

    /** [[r[k]]]_p, position-major: element e's bit k at index k * n + e. */
    public ZpShares maskBits() {
        return maskBits;
    }

    /** [[wrap3(r_0, r_1, r_2) mod 2]]^B, bit e = element e. */
    public SharedBits maskWrapParity() {
        return maskWrapParity;
    }

    /** [[eta]]^B. */
    public SharedBits eta() {
        return eta;
    }

    /** [[eta]]_p, the same bits over Z_p. */
    public ZpShares etaModP() {
        return etaModP;
    }

    /** The three non-zero factors of mu, as [[m_0]]_p, [[m_1]]_p, [[m_2]]_p. */
    public ZpShares[] muFactors() {
        return muFactors.clone();
    }

    /** Produces the randomness for {@code n >= 1} elements: 10 rounds (see the class comment). */
    public static FalconPreprocessing generate(Session s, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("party " + s.party()
                    + ": Falcon preprocessing needs at least one element, got " + n);
        }
        int me = s.party();
        SharedTensor r = s.randomness().random(n);
        long[][] own = bitSlice(r.first().toLongArray(), n);
        long[][] next = bitSlice(r.second().toLongArray(), n);
        int words = SharedBits.wordsFor(n);

        SharedBits[] left = new SharedBits[L];
        SharedBits[] right = new SharedBits[L];
        SharedBits[] sum = new SharedBits[L];
        SharedBits[] r0 = new SharedBits[L];
        for (int k = 0; k < L; k++) {
            sum[k] = new SharedBits(me, n, own[k], next[k]);
            left[k] = componentsOf(me, n, words, own[k], next[k], 0, 1);
            right[k] = componentsOf(me, n, words, own[k], next[k], 0, 2);
            r0[k] = componentsOf(me, n, words, own[k], next[k], 0, -1);
        }
        SharedBits[] q = BinaryAnd.andAll(s, TAG + "csa", left, right);
        SharedBits[] carry = new SharedBits[L];
        for (int k = 0; k < L; k++) {
            carry[k] = r0[k].xor(q[k]);
        }

        SharedBits[] prop = new SharedBits[L];
        SharedBits[] gen = new SharedBits[L];
        prop[0] = sum[0];
        gen[0] = SharedBits.zeros(me, n);
        SharedBits[] gl = new SharedBits[L - 1];
        SharedBits[] gr = new SharedBits[L - 1];
        for (int k = 1; k < L; k++) {
            prop[k] = sum[k].xor(carry[k - 1]);
            gl[k - 1] = sum[k];
            gr[k - 1] = carry[k - 1];
        }
        System.arraycopy(BinaryAnd.andAll(s, TAG + "generate", gl, gr), 0, gen, 1, L - 1);

        SharedBits[] groupGen = gen.clone();
        SharedBits[] groupProp = prop.clone();
        sklansky(s, groupGen, groupProp);

        SharedBits etaBits = s.randomness().randomBits(n);
        SharedBits[] bits = new SharedBits[ZP_BITS];
        bits[0] = prop[0];
        for (int k = 1; k < L; k++) {
            bits[k] = prop[k].xor(groupGen[k - 1]);
        }
        bits[L] = etaBits;
        SharedBits wrapParity = carry[L - 1].xor(groupGen[L - 1]);

        ZpShares[] converted = bitsToZp(s, bits, n);
        return new FalconPreprocessing(n, r, converted[0], wrapParity, etaBits, converted[1], muFactors(s, n));
    }

    /**
     * The binary sharing whose components {@code a} and {@code b} (indices 0..2, or -1 for none) are the
     * corresponding components of r and whose third component is 0: party i knows r_i ({@code own}) and
     * r_{i+1} ({@code next}).
     */
    private static SharedBits componentsOf(int me, int n, int words, long[] own, long[] next, int a, int b) {
        int mine = me;
        int succ = (me + 1) % 3;
        long[] first = mine == a || mine == b ? own : new long[words];
        long[] second = succ == a || succ == b ? next : new long[words];
        return new SharedBits(me, n, first, second);
    }

    /**
     * Sklansky prefix: on return gen[k] = G over bits [0..k]. At level l every k with bit l set absorbs
     * the group ending at j = (k with bits 0..l cleared) + 2^l - 1. Propagate products only where the new
     * group does not start at 0; the AND with gen[0] = 0 is skipped. One AND layer (one round) per level.
     */
    private static void sklansky(Session s, SharedBits[] gen, SharedBits[] prop) {
        for (int level = 0; (1 << level) < L; level++) {
            int d = 1 << level;
            List<SharedBits> a = new ArrayList<>();
            List<SharedBits> b = new ArrayList<>();
            List<int[]> targets = new ArrayList<>();
            for (int k = 0; k < L; k++) {
                if ((k & d) == 0) {
                    continue;
                }
                int j = (k & ~(2 * d - 1)) + d - 1;
                if (j != 0) {
                    a.add(prop[k]);
                    b.add(gen[j]);
                    targets.add(new int[] {k, 0});
                }
                if (k >= 2 * d) {
                    a.add(prop[k]);
                    b.add(prop[j]);
                    targets.add(new int[] {k, 1});
                }
            }
            SharedBits[] out = BinaryAnd.andAll(s, TAG + "prefix-" + level, a.toArray(new SharedBits[0]),
                    b.toArray(new SharedBits[0]));
            for (int t = 0; t < out.length; t++) {
                int k = targets.get(t)[0];
                if (targets.get(t)[1] == 0) {
                    gen[k] = gen[k].xor(out[t]);
                } else {
                    prop[k] = out[t];
                }
            }
        }
    }

    /**
     * Converts bit sharings to Z_p (PROTOCOLS.md 4.3 (ii) over Z_p), 2 rounds: P_0 inputs u = b_0 ^ b_1
     * ({@link ZpShares#input}); t = b_2 is component 2 (held by P_1 and P_2); the product u t is formed with
     * the replicated formula (only P_1 and P_2 have non-zero terms, (u_1) t and (u_2 + u_0) t) plus the
     * zero-sharing term, and reshared; then b = u + t - 2 u t. Returns [bits 0..63 of r, position-major
     * (k * n + e); eta].
     */
    static ZpShares[] bitsToZp(Session s, SharedBits[] bits, int n) {
        int me = s.party();
        int total = bits.length * n;
        byte[] u = me == 0 ? new byte[total] : null;
        byte[] t = me == 0 ? null : new byte[total];
        byte[] known = me == 0 ? u : t;
        for (int k = 0; k < bits.length; k++) {
            long[] f = bits[k].first();
            long[] g = bits[k].second();
            for (int w = 0, from = 0; from < n; w++, from += 64) {
                long word = me == 0 ? f[w] ^ g[w] : me == 1 ? g[w] : f[w];
                int base = k * n + from;
                int len = Math.min(64, n - from);
                for (int b = 0; b < len; b++) {
                    known[base + b] = (byte) ((word >>> b) & 1);
                }
            }
        }
        ZpShares uShared = ZpShares.input(s, TAG + "bits-input", 0, u, total);
        byte[] u0 = uShared.first();
        byte[] u1 = uShared.second();
        byte[] z = ZpShares.zeroShare(s, total);
        if (me == 1) {
            for (int i = 0; i < total; i++) {
                z[i] = (byte) ZpShares.modSmall(z[i] + u0[i] * t[i]);
            }
        } else if (me == 2) {
            for (int i = 0; i < total; i++) {
                z[i] = (byte) ZpShares.modSmall(z[i] + (u0[i] + u1[i]) * t[i]);
            }
        }
        ZpShares ut = ZpShares.reshare(s, TAG + "bits-mul", z);
        byte[] ut0 = ut.first();
        byte[] ut1 = ut.second();
        int split = L * n;
        byte[][] first = {new byte[split], new byte[total - split]};
        byte[][] second = {new byte[split], new byte[total - split]};
        for (int part = 0, from = 0; part < 2; from += first[part].length, part++) {
            byte[] f = first[part];
            byte[] g = second[part];
            for (int j = 0; j < f.length; j++) {
                int i = from + j;
                int tf = me == 2 ? t[i] : 0;
                int ts = me == 1 ? t[i] : 0;
                f[j] = (byte) ZpShares.modSmall(u0[i] + tf + 2 * (ZpShares.P - ut0[i]));
                g[j] = (byte) ZpShares.modSmall(u1[i] + ts + 2 * (ZpShares.P - ut1[i]));
            }
        }
        return new ZpShares[] {new ZpShares(me, first[0], second[0]), new ZpShares(me, first[1], second[1])};
    }

    /**
     * [[m_0]]_p, [[m_1]]_p, [[m_2]]_p with m_j uniform in Z_p^* from key k_j, as component j + 1. Party i
     * draws m_i (key k_i, its second component) and m_{i-1} (key k_{i-1}, its first); no messages.
     */
    static ZpShares[] muFactors(Session s, int n) {
        int me = s.party();
        byte[] mine = nonZero(s.prgWithNext(), n);
        byte[] previous = nonZero(s.prgWithPrev(), n);
        ZpShares[] m = new ZpShares[3];
        m[me] = new ZpShares(me, new byte[n], mine);
        m[Session.prevOf(me)] = new ZpShares(me, previous, new byte[n]);
        m[Session.nextOf(me)] = ZpShares.zeros(me, n);
        return m;
    }

    private static byte[] nonZero(AesCtrPrg prg, int n) {
        byte[] v = new byte[n];
        prg.nextModP(v, 0, n, ZpShares.P - 1);
        for (int i = 0; i < n; i++) {
            v[i]++;
        }
        return v;
    }

    /**
     * Bit-slices n ring elements: result[k][w] holds bit k of elements 64w .. 64w + 63 (element 64w + b
     * at bit b), via 64 x 64 bit-matrix transposes.
     */
    static long[][] bitSlice(long[] values, int n) {
        int words = SharedBits.wordsFor(n);
        long[][] out = new long[L][words];
        long[] block = new long[64];
        for (int w = 0; w < words; w++) {
            int from = w * 64;
            int len = Math.min(64, n - from);
            System.arraycopy(values, from, block, 0, len);
            Arrays.fill(block, len, 64, 0L);
            transpose64(block);
            for (int k = 0; k < L; k++) {
                out[k][w] = block[k];
            }
        }
        return out;
    }

    /** In-place transpose of a 64 x 64 bit matrix (row e = a[e], column k = bit k). */
    private static void transpose64(long[] a) {
        int j = 32;
        long m = 0x00000000FFFFFFFFL;
        for (; j != 0; j >>= 1, m ^= (m << j)) {
            for (int k = 0; k < 64; k = ((k | j) + 1) & ~j) {
                long t = ((a[k] >>> j) ^ a[k | j]) & m;
                a[k | j] ^= t;
                a[k] ^= (t << j);
            }
        }
    }

    /** Only the size: randomness is never printed. */
    @Override
    public String toString() {
        return "FalconPreprocessing[" + n + " elements]";
    }
}
