package org.fastcrypt4j.mpc.sharing;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.fastcrypt4j.mpc.opening.OpeningLog;
import org.fastcrypt4j.ring.AesCtrPrg;
import org.fastcrypt4j.transport.Transport;
import org.fastcrypt4j.transport.TrafficStats;

/**
 * One party's view of a three-party computation: its id, its links, the shared settings and the
 * pairwise pseudo-random generators.
 *
 * <p>Start-up ({@link #start}), two rounds, bound to the transport's session id {@code sid}
 * ({@link Transport#sessionId()}: for Aeron links the hash of this connection's three handshakes):
 * <ol>
 *   <li>Every party sends {@code sid || SHA-256(settings)} to both others and compares; a difference stops
 *       all parties with an error naming the peer and both settings hashes, or the link whose message
 *       belongs to another session.</li>
 *   <li>P_i samples a 128-bit key k_i with {@link SecureRandom} and sends {@code sid || k_i} to P_{i+1}
 *       over the (authenticated, encrypted) link; the receiver rejects a message of another session
 *       naming the link. Both holders seed their AES-CTR stream with
 *       {@code HMAC-SHA256(k_i, "fastcrypt4j prg v1" || sid)} truncated to 128 bits, so even a replayed old
 *       key would give a fresh stream. P_i then holds k_{i-1} (shared with P_{i-1}) and k_i (shared with
 *       P_{i+1}) and never learns k_{i+1} ({@link #prgWithPrev()}, {@link #prgWithNext()}).</li>
 * </ol>
 * Costs 2 x 64 + 48 bytes per party, 2 rounds, once per session.
 *
 * <p>The keys travel in the clear over unprotected links, so {@link #start(Transport, MpcSettings)} refuses
 * a transport whose links are not protected ({@link Transport#linksProtected()}); tests and benchmarks that
 * compare protected and unprotected links name {@link LinkPolicy#ALLOW_UNPROTECTED_INSECURE} explicitly.
 *
 * <p>Lock-step rule: the two holders of a key must draw the same amounts from its stream in the same
 * order. Protocol code keeps this by following a deterministic schedule that depends only on public
 * values (shapes, settings, the protocol's step order).
 *
 * <p>Not thread-safe: one session per party thread.
 */
public final class Session implements AutoCloseable {

    /** Whether a session may run over links that do not encrypt and authenticate. */
    public enum LinkPolicy {
        /** The default: links must be protected ({@link Transport#linksProtected()}). */
        REQUIRE_PROTECTED,
        /**
         * INSECURE: the PRG keys and every share travel in the clear; anyone on the network learns the secrets.
         * Only for in-process tests and for benchmarks that measure the cost of protection.
         */
        ALLOW_UNPROTECTED_INSECURE
    }

    private static final int SID_BYTES = 32;

    private final int party;
    private final Transport transport;
    private final MpcSettings settings;
    private final byte[] sessionId;
    private final AesCtrPrg prgWithPrev;
    private final AesCtrPrg prgWithNext;
    private final AesCtrPrg privatePrg;
    private final OpeningLog openings = new OpeningLog();
    private PublicRandomness publicRandomness;

    private Session(Transport transport, MpcSettings settings, byte[] sessionId, byte[] keyPrev, byte[] keyNext,
            byte[] ownSeed) {
        this.party = transport.partyId();
        this.transport = transport;
        this.settings = settings;
        this.sessionId = sessionId.clone();
        this.prgWithPrev = new AesCtrPrg(keyPrev);
        this.prgWithNext = new AesCtrPrg(keyNext);
        this.privatePrg = new AesCtrPrg(ownSeed);
    }

    /**
     * Checks that all parties run the same settings in the same session, then agrees the pairwise PRG keys.
     * Requires protected links.
     *
     * @throws IllegalStateException if a peer's settings differ, a message belongs to another session, or the
     *                               links are not protected
     */
    public static Session start(Transport transport, MpcSettings settings) {
        return start(transport, settings, LinkPolicy.REQUIRE_PROTECTED);
    }

    /** As {@link #start(Transport, MpcSettings)}, with an explicit policy for unprotected links. */
    public static Session start(Transport transport, MpcSettings settings, LinkPolicy policy) {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(policy, "policy");
        int me = transport.partyId();
        if (!transport.linksProtected() && policy != LinkPolicy.ALLOW_UNPROTECTED_INSECURE) {
            throw new IllegalStateException("party " + me + ": refusing to start a session over unprotected links"
                    + " (" + transport.getClass().getSimpleName() + "): the PRG keys and all shares would travel in"
                    + " the clear. Use authenticated links (AeronTransport without trustedNetwork), or pass"
                    + " Session.LinkPolicy.ALLOW_UNPROTECTED_INSECURE for an in-process test or a benchmark");
        }
        byte[] sid = transport.sessionId();
        if (sid == null || sid.length != SID_BYTES) {
            throw new IllegalStateException("party " + me + ": the transport has no 32-byte session id");
        }
        byte[] digest = settings.digest();
        byte[] mine = concat(sid, digest);
        for (int peer : new int[] {Transport.next(me), Transport.prev(me)}) {
            transport.send(peer, "session/settings", ByteBuffer.wrap(mine));
        }
        for (int peer : new int[] {Transport.prev(me), Transport.next(me)}) {
            ByteBuffer theirs = ByteBuffer.allocate(mine.length);
            transport.receive(peer, "session/settings", theirs);
            byte[] t = theirs.array();
            checkSession(me, peer, "session/settings", sid, t);
            byte[] theirDigest = Arrays.copyOfRange(t, SID_BYTES, t.length);
            if (!MessageDigest.isEqual(digest, theirDigest)) {
                throw new IllegalStateException("party " + me + ": party " + peer
                        + " runs different MPC settings (settings hash " + hex(theirDigest) + ", ours "
                        + hex(digest) + " for " + settings.canonical() + "); start all parties with the same settings");
            }
        }
        SecureRandom random = new SecureRandom();
        byte[] keyNext = new byte[AesCtrPrg.SEED_BYTES];
        byte[] ownSeed = new byte[AesCtrPrg.SEED_BYTES];
        random.nextBytes(keyNext);
        random.nextBytes(ownSeed);
        byte[] keyMessage = concat(sid, keyNext);
        transport.send(Transport.next(me), "session/prg-key", ByteBuffer.wrap(keyMessage));
        Arrays.fill(keyMessage, (byte) 0);
        ByteBuffer received = ByteBuffer.allocate(SID_BYTES + AesCtrPrg.SEED_BYTES);
        transport.receive(Transport.prev(me), "session/prg-key", received);
        byte[] r = received.array();
        checkSession(me, Transport.prev(me), "session/prg-key", sid, r);
        byte[] keyPrev = Arrays.copyOfRange(r, SID_BYTES, r.length);
        Arrays.fill(r, (byte) 0);
        byte[] seedPrev = bindToSession(keyPrev, sid);
        byte[] seedNext = bindToSession(keyNext, sid);
        Session s = new Session(transport, settings, sid, seedPrev, seedNext, ownSeed);
        for (byte[] secret : new byte[][] {keyNext, ownSeed, keyPrev, seedPrev, seedNext}) {
            Arrays.fill(secret, (byte) 0);
        }
        return s;
    }

    private static void checkSession(int me, int peer, String tag, byte[] sid, byte[] message) {
        if (!MessageDigest.isEqual(sid, Arrays.copyOf(message, SID_BYTES))) {
            throw new IllegalStateException("party " + me + ": the '" + tag + "' message on the link from party " + peer
                    + " belongs to another session (session id " + hex(message) + ", ours " + hex(sid)
                    + "); rejected");
        }
    }

    /** HMAC-SHA256(key, "fastcrypt4j prg v1" || sid), truncated to a PRG seed. */
    private static byte[] bindToSession(byte[] key, byte[] sid) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update("fastcrypt4j prg v1".getBytes(StandardCharsets.US_ASCII));
            byte[] out = mac.doFinal(sid);
            byte[] seed = Arrays.copyOf(out, AesCtrPrg.SEED_BYTES);
            Arrays.fill(out, (byte) 0);
            return seed;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** The transport's session id this session is bound to (public). */
    public byte[] sessionId() {
        return sessionId.clone();
    }

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            sb.append(String.format("%02x", b[i]));
        }
        return sb.append("..").toString();
    }

    public int party() {
        return party;
    }

    /** Id of party {@code p - 1 mod 3}. */
    public static int prevOf(int p) {
        return Transport.prev(p);
    }

    /** Id of party {@code p + 1 mod 3}. */
    public static int nextOf(int p) {
        return Transport.next(p);
    }

    /** Id of P_{i+1}. */
    public int next() {
        return Transport.next(party);
    }

    /** Id of P_{i-1}. */
    public int prev() {
        return Transport.prev(party);
    }

    public Transport transport() {
        return transport;
    }

    public TrafficStats stats() {
        return transport.stats();
    }

    public MpcSettings settings() {
        return settings;
    }

    public int fractionalBits() {
        return settings.fractionalBits();
    }

    /** The stream of key k_{i-1}, common with P_{i-1}. */
    public AesCtrPrg prgWithPrev() {
        return prgWithPrev;
    }

    /** The stream of key k_i, common with P_{i+1}. */
    public AesCtrPrg prgWithNext() {
        return prgWithNext;
    }

    /** The stream of the PRG common with {@code peer} (must be next or prev). */
    public AesCtrPrg prgWith(int peer) {
        if (peer == next()) {
            return prgWithNext;
        }
        if (peer == prev()) {
            return prgWithPrev;
        }
        throw new IllegalArgumentException("party " + party + " shares no PRG key with party " + peer);
    }

    /** This party's own randomness, known to nobody else. */
    public AesCtrPrg privatePrg() {
        return privatePrg;
    }

    /** Correlated randomness drawn from the pairwise keys (no messages). */
    public CorrelatedRandomness randomness() {
        return new CorrelatedRandomness(this);
    }

    /**
     * Randomness common to the three parties and independent of the data (dropout masks), agreed on first use: the
     * three parties must make their first call at the same point of the protocol schedule (1 round, 48 bytes sent
     * by each party, once per session; see {@link PublicRandomness}).
     */
    public PublicRandomness publicRandomness() {
        if (publicRandomness == null) {
            publicRandomness = PublicRandomness.agree(this);
        }
        return publicRandomness;
    }

    /** Counts of values opened inside protocols, by protocol (tests check them). */
    public OpeningLog openings() {
        return openings;
    }

    @Override
    public void close() {
        transport.close();
    }
}
