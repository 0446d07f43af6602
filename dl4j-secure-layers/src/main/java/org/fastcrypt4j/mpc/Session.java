package org.fastcrypt4j.mpc;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

import org.fastcrypt4j.ring.AesCtrPrg;
import org.fastcrypt4j.transport.Transport;
import org.fastcrypt4j.transport.TrafficStats;

/**
 * One party's view of a three-party computation: its id, its links, the shared settings and the
 * pairwise pseudo-random generators.
 *
 * <p>Start-up ({@link #start}), two rounds:
 * <ol>
 *   <li>Every party sends the SHA-256 of its {@link MpcSettings} to both others and compares; a
 *       difference stops all parties with an error naming the party and both settings hashes.</li>
 *   <li>P_i samples a 128-bit key k_i with {@link SecureRandom} and sends it to P_{i+1} over the
 *       (authenticated, encrypted) link. P_i then holds k_{i-1} (shared with P_{i-1}) and k_i (shared
 *       with P_{i+1}) and never learns k_{i+1}. Each key seeds an AES-CTR stream
 *       ({@link #prgWithPrev()}, {@link #prgWithNext()}).</li>
 * </ol>
 * Costs 16 + 32 bytes per party, 2 rounds, once per session.
 *
 * <p>Lock-step rule: the two holders of a key must draw the same amounts from its stream in the same
 * order. Protocol code keeps this by following a deterministic schedule that depends only on public
 * values (shapes, settings, the protocol's step order).
 *
 * <p>Not thread-safe: one session per party thread.
 */
public final class Session implements AutoCloseable {

    private final int party;
    private final Transport transport;
    private final MpcSettings settings;
    private final AesCtrPrg prgWithPrev;
    private final AesCtrPrg prgWithNext;
    private final AesCtrPrg privatePrg;
    private final OpeningLog openings = new OpeningLog();

    private Session(Transport transport, MpcSettings settings, byte[] keyPrev, byte[] keyNext, byte[] ownSeed) {
        this.party = transport.partyId();
        this.transport = transport;
        this.settings = settings;
        this.prgWithPrev = new AesCtrPrg(keyPrev);
        this.prgWithNext = new AesCtrPrg(keyNext);
        this.privatePrg = new AesCtrPrg(ownSeed);
    }

    /**
     * Checks that all parties run the same settings, then agrees the pairwise PRG keys.
     *
     * @throws IllegalStateException if a peer's settings differ
     */
    public static Session start(Transport transport, MpcSettings settings) {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(settings, "settings");
        int me = transport.partyId();
        byte[] mine = settings.digest();
        for (int peer : new int[] {Transport.next(me), Transport.prev(me)}) {
            transport.send(peer, "session/settings", ByteBuffer.wrap(mine));
        }
        for (int peer : new int[] {Transport.prev(me), Transport.next(me)}) {
            ByteBuffer theirs = ByteBuffer.allocate(mine.length);
            transport.receive(peer, "session/settings", theirs);
            if (!MessageDigest.isEqual(mine, theirs.array())) {
                throw new IllegalStateException("party " + me + ": party " + peer
                        + " runs different MPC settings (settings hash " + hex(theirs.array()) + ", ours "
                        + hex(mine) + " for " + settings.canonical() + "); start all parties with the same settings");
            }
        }
        SecureRandom random = new SecureRandom();
        byte[] keyNext = new byte[AesCtrPrg.SEED_BYTES];
        byte[] ownSeed = new byte[AesCtrPrg.SEED_BYTES];
        random.nextBytes(keyNext);
        random.nextBytes(ownSeed);
        transport.send(Transport.next(me), "session/prg-key", ByteBuffer.wrap(keyNext));
        ByteBuffer keyPrev = ByteBuffer.allocate(AesCtrPrg.SEED_BYTES);
        transport.receive(Transport.prev(me), "session/prg-key", keyPrev);
        Session s = new Session(transport, settings, keyPrev.array(), keyNext, ownSeed);
        Arrays.fill(keyNext, (byte) 0);
        Arrays.fill(ownSeed, (byte) 0);
        Arrays.fill(keyPrev.array(), (byte) 0);
        return s;
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

    /** Counts of values opened inside protocols, by protocol (tests check them). */
    public OpeningLog openings() {
        return openings;
    }

    @Override
    public void close() {
        transport.close();
    }
}
