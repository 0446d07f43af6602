package org.fastcrypt4j.mpc.falcon;

import org.fastcrypt4j.mpc.binary.MsbProtocol;
import org.fastcrypt4j.mpc.binary.SharedBits;
import org.fastcrypt4j.mpc.sharing.Session;
import org.fastcrypt4j.mpc.sharing.SharedTensor;

/**
 * MSB (sign bit) of every element in Falcon's style: a wrap count from a masked reveal and
 * PrivateCompare over Z_67 (Falcon, Wagh et al., PETS 2021, arXiv 2004.02229, section 3; the reference
 * code's {@code funcRELUPrime} / {@code gw_get_msb}; PROTOCOLS.md section 5).
 *
 * <p>Identity (F1), checked on the share arithmetic: MSB(a) = theta ^ msb(a_0) ^ msb(a_1) ^ msb(a_2) with
 * theta = wrap3(2a_0, 2a_1, 2a_2) mod 2. Over Z_2^64 the LSB of 2a is always 0, so the wrap parity of
 * the doubled components takes the role that LSB(2a) has for an odd modulus (SecureNN).
 *
 * <p>Steps:
 * <ol>
 *   <li>Preprocessing, 10 rounds, dealer-free ({@link FalconPreprocessing}): a mask r with uniform
 *       components, its bits over Z_67, the parity of its wrap count, a bit eta in both forms and the
 *       factors of the multiplicative mask.</li>
 *   <li>Online, 10 rounds: [[theta]]^B = {@link Wrap3#parity} of the doubled components (one masked
 *       opening of 2a + r, then {@link PrivateCompare}, one opening of a multiplicatively masked
 *       d).</li>
 *   <li>Local: MSB = theta ^ (component-wise msb(a_j)).</li>
 * </ol>
 * Exact over the whole ring (0 and 2^63 included: PrivateCompare handles M = R).
 *
 * <p>Simulation argument (semi-honest, one corrupted party P_i; the preprocessing is PROTOCOLS.md 5.6
 * "G3", derived there, not taken from the paper). P_i's view holds: (1) reshares of AND gates and of
 * Z_p products, each masked by the zero-sharing term F(k_{i+1}) of the key P_i lacks: simulated by
 * uniform values; (2) at P_1, P_0's Z_p input u - F_p(k_2): uniform; (3) the third component of
 * x = 2a + r, x_{i+2} = 2a_{i+2} + r_{i+2} with r_{i+2} = F(k_{i+1}), which enters the rest of the
 * view only under the masks of (1): x is uniform; (4) eta' = eta ^ [r > x], where eta's missing
 * component comes from k_{i+1}: a uniform bit; (5) d = 0 when eta' = 1, else mu times a non-zero
 * product with mu's factor m_{i+1} (key k_{i+1}) uniform in Z_p^*: uniform non-zero. The simulator
 * samples x uniform, eta' a uniform bit and d accordingly; the output shares are consistent because
 * every output component carries a component of eta or alpha that P_i does not hold.
 *
 * <p>Cost per element and party, with Z_67 packed 9 elements per 64-bit word (7.11 bits each):
 * online 8 + 131 * 8 / 9 = 124.4 bytes, 10 rounds (PROTOCOLS.md 5.5 counts ~121 bytes with 7-bit
 * packing, 64 instead of 66 tree products and mu as one factor); preprocessing
 * 447 / 8 + 130 * 8 / 9 = 171.4 bytes for P_0 and 447 / 8 + 65 * 8 / 9 = 113.7 bytes for P_1 and P_2,
 * 10 rounds. {@link #msb(Session, SharedTensor)} runs both phases: 20 rounds. Openings: 2 per call
 * (tag prefix {@value #TAG_PREFIX}), none in preprocessing.
 */
public final class FalconMsb implements MsbProtocol {

    /** Tag prefix of the online messages and openings (preprocessing uses "falcon-pre"). */
    public static final String TAG_PREFIX = "falcon";

    /** Sequential rounds of the online phase. */
    public static final int ONLINE_ROUNDS = Wrap3.ROUNDS;

    /** Sequential rounds of {@link FalconPreprocessing#generate}. */
    public static final int PREPROCESSING_ROUNDS = FalconPreprocessing.ROUNDS;

    /** Openings per call, all in the online phase. */
    public static final int OPENINGS = Wrap3.OPENINGS;

    private static final double ZP_BYTES = 8.0 / ZpShares.PER_WORD;

    @Override
    public SharedBits msb(Session s, SharedTensor x) {
        if (x.length() == 0) {
            return SharedBits.zeros(s.party(), 0);
        }
        return msb(s, x, FalconPreprocessing.generate(s, x.intLength()));
    }

    /** MSB with randomness generated beforehand (for {@code x.intLength()} elements, used once). */
    public static SharedBits msb(Session s, SharedTensor x, FalconPreprocessing pre) {
        int n = x.intLength();
        long[] a0 = x.first().toLongArray();
        long[] a1 = x.second().toLongArray();
        int words = SharedBits.wordsFor(n);
        long[] msb0 = new long[words];
        long[] msb1 = new long[words];
        for (int e = 0; e < n; e++) {
            msb0[e >>> 6] |= (a0[e] >>> 63) << (e & 63);
            msb1[e >>> 6] |= (a1[e] >>> 63) << (e & 63);
        }
        SharedBits theta = Wrap3.parity(s, TAG_PREFIX + "/", x.mul(2), pre);
        return theta.xor(new SharedBits(s.party(), n, msb0, msb1));
    }

    /** Expected online bytes sent per element by every party (large n). */
    public static double expectedOnlineBytesPerElement() {
        return Long.BYTES + PrivateCompare.ZP_ELEMENTS_SENT * ZP_BYTES;
    }

    /** Expected preprocessing bytes sent per element by {@code party} (large n). */
    public static double expectedPreprocessingBytesPerElement(int party) {
        int zp = party == 0 ? 2 * FalconPreprocessing.ZP_BITS : FalconPreprocessing.ZP_BITS;
        return FalconPreprocessing.AND_GATES / 8.0 + zp * ZP_BYTES;
    }

    /** Expected bytes per element of {@link #msb(Session, SharedTensor)} (both phases) for {@code party}. */
    public static double expectedBytesPerElement(int party) {
        return expectedOnlineBytesPerElement() + expectedPreprocessingBytesPerElement(party);
    }

    /** The mean over the three parties of {@link #expectedBytesPerElement(int)}. */
    public static double expectedMeanBytesPerElement() {
        return (expectedBytesPerElement(0) + expectedBytesPerElement(1) + expectedBytesPerElement(2)) / 3;
    }

    /** Expected rounds of {@link #msb(Session, SharedTensor)} (both phases). */
    public static int expectedRounds() {
        return ONLINE_ROUNDS + PREPROCESSING_ROUNDS;
    }

    /**
     * The exact payload bytes {@code party} sends in {@link #msb(Session, SharedTensor)} for n elements,
     * with the word padding of the packed messages (tests compare it with the transport's counters).
     */
    public static long expectedBytesSent(int party, int n) {
        long words = SharedBits.wordsFor(n);
        long pre = (long) FalconPreprocessing.AND_GATES * words * Long.BYTES;
        long zpBits = ZpShares.packedWords(FalconPreprocessing.ZP_BITS * n) * (long) Long.BYTES;
        pre += party == 0 ? 2 * zpBits : zpBits;
        long online = (long) n * Long.BYTES;
        online += ZpShares.packedWords(FalconPreprocessing.L * n) * (long) Long.BYTES;
        int factors = FalconPreprocessing.L + 3;
        while (factors > 1) {
            online += ZpShares.packedWords(factors / 2 * n) * (long) Long.BYTES;
            factors = (factors + 1) / 2;
        }
        online += ZpShares.packedWords(n) * (long) Long.BYTES;
        return pre + online;
    }
}
