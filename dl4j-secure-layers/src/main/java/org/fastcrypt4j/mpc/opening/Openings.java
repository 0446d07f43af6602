package org.fastcrypt4j.mpc.opening;

import java.lang.invoke.MethodHandles;
import java.util.List;

import org.fastcrypt4j.mpc.binary.SharedBits;
import org.fastcrypt4j.mpc.falcon.ZpShares;
import org.fastcrypt4j.mpc.sharing.Session;
import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.mpc.sharing.Sharing;
import org.fastcrypt4j.ring.RingTensor;

/**
 * The one place where values are opened. Only the protocol packages can hold an instance: a class obtains
 * one with {@link #forProtocol(MethodHandles.Lookup)}, passing its own full-privilege lookup, and keeps it in
 * a private static field, so nothing outside the protocol packages can open a sharing except through the
 * user-facing reveals of {@link Sharing}, which use this capability too (see the package documentation for
 * why and what it does not cover). Every call is recorded in the session's {@link OpeningLog} under the tag's
 * prefix ("reveal" for the user-facing reveals), and tests check those counts against the documented number
 * of openings of every protocol, so an extra opening shows up as a failing count.
 *
 * <p>Contract of the {@code openMasked*} methods: the caller passes a sharing of a value that is masked by
 * fresh randomness unknown to the receivers (a uniform ring mask, a one-time XOR mask, a multiplicative mask),
 * so the opened value reveals nothing about the secret.
 *
 * <p>Opening to all (PROTOCOLS.md 1.3): P_i sends x_i to P_{i+1}; one round, 8 bytes per element per party.
 * Opening to one party P_j (1.4): P_{j-1} sends the component P_j lacks; one round, 8 bytes per element from
 * one party.
 */
public final class Openings {

    /** The log prefix of user-facing reveals. */
    static final String REVEAL = "reveal";

    /** The packages whose classes may hold the capability: the protocol families of {@code org.fastcrypt4j.mpc}. */
    private static final List<String> PROTOCOL_PACKAGES = List.of(
            "org.fastcrypt4j.mpc.sharing",
            "org.fastcrypt4j.mpc.arithmetic",
            "org.fastcrypt4j.mpc.binary",
            "org.fastcrypt4j.mpc.falcon",
            "org.fastcrypt4j.mpc.functions");

    /** The class the capability was issued to (for messages only). */
    private final Class<?> holder;

    private Openings(Class<?> holder) {
        this.holder = holder;
    }

    /**
     * The opening capability for the class that made {@code lookup}. Call it once per class, as
     * {@code private static final Openings OPEN = Openings.forProtocol(MethodHandles.lookup());}.
     *
     * @param lookup the caller's own {@link MethodHandles#lookup()}. It must have
     *               {@link MethodHandles.Lookup#PRIVATE} access, which a lookup derived with {@code in(...)} or
     *               {@code dropLookupMode(...)} has lost, and {@link MethodHandles.Lookup#ORIGINAL} access, which a
     *               lookup made for another class by {@link MethodHandles#privateLookupIn} lacks (on the class path
     *               that call would otherwise hand any class a full-privilege lookup of a protocol class); and its
     *               lookup class must belong to a protocol package
     * @throws IllegalCallerException if the lookup lacks private or original access or its class lies outside
     *                                the protocol packages; the message names the class
     */
    public static Openings forProtocol(MethodHandles.Lookup lookup) {
        if (lookup == null) {
            throw new IllegalCallerException("Openings.forProtocol needs the caller's MethodHandles.lookup(),"
                    + " got null");
        }
        Class<?> caller = lookup.lookupClass();
        int needed = MethodHandles.Lookup.PRIVATE | MethodHandles.Lookup.ORIGINAL;
        if ((lookup.lookupModes() & needed) != needed) {
            throw new IllegalCallerException("a lookup of " + caller.getName() + " without private and original"
                    + " access (" + lookup + ") does not obtain the opening capability: only a protocol class's own"
                    + " MethodHandles.lookup() does");
        }
        if (!PROTOCOL_PACKAGES.contains(caller.getPackageName())) {
            throw new IllegalCallerException(caller.getName() + " lies outside the protocol packages "
                    + PROTOCOL_PACKAGES + " and may not open sharings; results leave through Sharing.revealToAll"
                    + " or Sharing.revealTo");
        }
        return new Openings(caller);
    }

    /** Opens a masked arithmetic sharing to all three parties. */
    public RingTensor openMasked(Session s, String tag, SharedTensor masked) {
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
    public long[] openMaskedBits(Session s, String tag, SharedBits masked) {
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
     * Opens a masked Z_p sharing to all three parties: P_i sends x_i to P_{i+1}. 1 round, 8 * ceil(n / 9) bytes
     * per party (9 elements of 7 bits per word).
     */
    public byte[] openMaskedZp(Session s, String tag, ZpShares masked) {
        s.openings().record(tag, masked.length());
        int n = masked.length();
        long[] in = new long[ZpShares.packedWords(n)];
        s.transport().exchange(tag, s.next(), ZpShares.pack(masked.first()), s.prev(), in);
        byte[] missing = ZpShares.unpack(in, n);
        byte[] out = new byte[n];
        byte[] a = masked.first();
        byte[] b = masked.second();
        for (int i = 0; i < n; i++) {
            out[i] = (byte) ((a[i] + b[i] + missing[i]) % ZpShares.P);
        }
        return out;
    }

    /** User-facing reveal to all three parties (1.3), recorded under {@value #REVEAL}. */
    public RingTensor revealToAll(Session s, SharedTensor x) {
        String tag = REVEAL + "/all";
        s.openings().record(tag, x.length());
        long[] mine = x.first().toLongArray();
        long[] missing = new long[mine.length];
        s.transport().exchange(tag, s.next(), mine, s.prev(), missing);
        long[] second = x.second().toLongArray();
        for (int i = 0; i < mine.length; i++) {
            mine[i] += second[i] + missing[i];
        }
        return RingTensor.of(mine, x.shape());
    }

    /**
     * User-facing reveal to party {@code receiver} only (1.4), recorded under {@value #REVEAL} at every party.
     * Returns the value at the receiver and {@code null} at the others, which learn nothing.
     */
    public RingTensor revealTo(Session s, int receiver, SharedTensor x) {
        if (receiver < 0 || receiver > 2) {
            throw new IllegalArgumentException("party " + s.party() + ": no party " + receiver + " to reveal to");
        }
        String tag = REVEAL + "/to" + receiver;
        s.openings().record(tag, x.length());
        int me = s.party();
        if (me == Session.prevOf(receiver)) {
            s.transport().send(receiver, tag, x.first().toLongArray());
            return null;
        } else if (me == receiver) {
            long[] missing = s.transport().receive(Session.prevOf(receiver), tag, x.intLength());
            long[] a = x.first().toLongArray();
            long[] b = x.second().toLongArray();
            for (int i = 0; i < a.length; i++) {
                a[i] += b[i] + missing[i];
            }
            return RingTensor.of(a, x.shape());
        }
        return null;
    }

    /**
     * Records an opening done by a protocol with its own message pattern (to two parties only, say), so that it
     * is counted like the others. The caller must still obey the masking contract.
     */
    public void record(Session s, String tag, long elements) {
        s.openings().record(tag, elements);
    }

    /** Names the holder, never a value. */
    @Override
    public String toString() {
        return "Openings[" + holder.getName() + "]";
    }

    /**
     * User-facing reveal to a client outside the computation ({@code ClientSharing}): this server's component of a
     * freshly re-randomised 3-out-of-3 sharing, {@code z_i = x_i + alpha_i} with alpha a zero sharing from the pairwise
     * keys (no message between the servers). The caller sends it to the client, which adds the three. Any two
     * components are uniform, so the client learns x only; a server learns nothing. Recorded under
     * {@value #REVEAL} at every server.
     */
    public RingTensor revealToClient(Session s, SharedTensor x) {
        s.openings().record(REVEAL + "/client", x.length());
        long[] z = x.first().toLongArray();
        s.randomness().addZeroShare(z);
        return RingTensor.of(z, x.shape());
    }
}
