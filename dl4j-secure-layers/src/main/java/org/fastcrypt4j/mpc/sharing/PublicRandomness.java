package org.fastcrypt4j.mpc.sharing;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.fastcrypt4j.ring.AesCtrPrg;

/**
 * Randomness common to the three servers and independent of the data: coins that are public among the servers by
 * design (dropout masks), never a secret and never a mask of a secret. No dealer and no non-cryptographic generator.
 *
 * <p>Seed agreement ({@link #agree}), once per session, run by the three parties together:
 * <ol>
 *   <li>P_i draws r_i = 16 bytes from its stream with P_{i+1} ({@link Session#prgWithNext()}: key k_i, so P_{i+1}
 *       draws the same r_i in the same step) and sends {@code sid || r_i} to P_{i-1}, the one party without k_i.</li>
 *   <li>P_i draws r_{i-1} from its stream with P_{i-1} ({@link Session#prgWithPrev()}) and receives r_{i+1} from
 *       P_{i+1}, rejecting a message of another session. Every party now knows r_0, r_1, r_2.</li>
 *   <li>seed = HMAC-SHA256(r_0 || r_1 || r_2, "fastcrypt4j public prg v1" || sid), truncated to 128 bits; the
 *       stream is AES-128-CTR under that seed ({@link AesCtrPrg}).</li>
 * </ol>
 * Cost: 1 round, 48 bytes (a 32-byte session id and 16 random bytes) from each party to one peer, once per session.
 *
 * <p>Why this is fine: the stream is meant to be known to all three servers, so revealing r_i to the one party that
 * lacked it gives away nothing secret. The 16 bytes drawn from each pairwise stream serve nothing else: both
 * holders consume them at the same lock-step position, so no zero sharing or mask of a secret is derived from them.
 * Each r_i comes from a pairwise key drawn with {@code SecureRandom}, so the seed is unpredictable before the session
 * starts and independent of every input (masks drawn from it depend on shapes only), and
 * binding the session id gives a fresh stream in every session. A party cannot steer the seed in the semi-honest
 * model, which is the model of this project.
 *
 * <p>Lock-step rule: as for the pairwise streams, all parties must draw the same amounts in the same order; callers
 * draw by public shapes only.
 *
 * <p>Not thread-safe: one per session.
 */
public final class PublicRandomness {

    private static final String TAG = "public-randomness/seed";
    private static final byte[] LABEL = "fastcrypt4j public prg v1".getBytes(StandardCharsets.US_ASCII);
    /** Bits of the uniform integers that {@link #bernoulli} compares against its threshold. */
    static final int UNIFORM_BITS = 53;

    private final AesCtrPrg stream;

    private PublicRandomness(byte[] seed) {
        this.stream = new AesCtrPrg(seed);
    }

    /** Runs the seed agreement above with the two other parties of {@code s} (1 round, 48 bytes sent). */
    static PublicRandomness agree(Session s) {
        byte[] sid = s.sessionId();
        int me = s.party();
        byte[][] draws = new byte[3][];
        draws[me] = new byte[AesCtrPrg.SEED_BYTES];
        s.prgWithNext().nextBytes(draws[me]);
        draws[s.prev()] = new byte[AesCtrPrg.SEED_BYTES];
        s.prgWithPrev().nextBytes(draws[s.prev()]);
        byte[] message = Arrays.copyOf(sid, sid.length + AesCtrPrg.SEED_BYTES);
        System.arraycopy(draws[me], 0, message, sid.length, AesCtrPrg.SEED_BYTES);
        ByteBuffer in = ByteBuffer.allocate(message.length);
        s.transport().exchange(TAG, s.prev(), ByteBuffer.wrap(message), s.next(), in);
        byte[] received = in.array();
        if (!MessageDigest.isEqual(sid, Arrays.copyOf(received, sid.length))) {
            throw new IllegalStateException("party " + me + ": the '" + TAG + "' message on the link from party "
                    + s.next() + " belongs to another session; rejected");
        }
        draws[s.next()] = Arrays.copyOfRange(received, sid.length, received.length);
        return new PublicRandomness(seed(draws, sid));
    }

    private static byte[] seed(byte[][] draws, byte[] sid) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            byte[] key = new byte[3 * AesCtrPrg.SEED_BYTES];
            for (int j = 0; j < 3; j++) {
                System.arraycopy(draws[j], 0, key, j * AesCtrPrg.SEED_BYTES, AesCtrPrg.SEED_BYTES);
            }
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(LABEL);
            byte[] out = mac.doFinal(sid);
            return Arrays.copyOf(out, AesCtrPrg.SEED_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** The next {@code n} words of the common stream. */
    public long[] nextLongs(int n) {
        return stream.nextLongs(n);
    }

    /**
     * {@code n} independent Bernoulli(p) coins as 0/1, exactly: coin j is 1 iff u_j &lt; t, where u_j is the top 53
     * bits of the next stream word (uniform on [0, 2^53)) and t = round(p * 2^53). So P(1) = t / 2^53, within 2^-54
     * of p, and p = 1 gives all ones. One stream word per coin.
     *
     * @throws IllegalArgumentException unless 0 &lt;= p &lt;= 1
     */
    public long[] bernoulli(double p, int n) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("Bernoulli probability must be in [0, 1], got " + p);
        }
        long threshold = threshold(p);
        long[] words = stream.nextLongs(n);
        for (int j = 0; j < n; j++) {
            words[j] = (words[j] >>> (Long.SIZE - UNIFORM_BITS)) < threshold ? 1L : 0L;
        }
        return words;
    }

    /** round(p * 2^53): the number of 53-bit integers u with coin 1. */
    static long threshold(double p) {
        return Math.round(p * (double) (1L << UNIFORM_BITS));
    }
}
