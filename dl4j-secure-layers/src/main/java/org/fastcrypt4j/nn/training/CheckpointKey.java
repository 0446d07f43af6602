package org.fastcrypt4j.nn.training;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.List;
import java.util.Arrays;

import org.fastcrypt4j.transport.PartiesConfig;
import org.fastcrypt4j.transport.noise.Hkdf;
import org.fastcrypt4j.transport.noise.X25519;

/**
 * The key that authenticates one party's checkpoints, and what identifies the parties they belong to.
 *
 * <p>Derived by each party alone from its own static X25519 private key (the one its parties-file entry pins), with
 * HKDF-SHA256 (RFC 5869): {@code K = HKDF(salt = "fastcrypt4j checkpoint v1", IKM = private scalar,
 * info = "party " + id, 32 bytes)}. Why this key and not one the three agree at session start: a checkpoint must be
 * checked by the same party in a later session, before any link is up (so that a corrupt file is refused before
 * connecting), and a resumed session draws fresh keys of its own; only the party's static key lives across
 * sessions. Whoever cannot read the party's key file cannot forge or alter its checkpoints undetected; whoever can
 * read it is the party. The key never leaves the process.
 */
public final class CheckpointKey {
    private static final byte[] SALT = "fastcrypt4j checkpoint v1".getBytes(StandardCharsets.US_ASCII);

    private final int party;
    private final byte[] macKey;
    private final byte[] partiesFingerprint;

    private CheckpointKey(int party, byte[] macKey, byte[] partiesFingerprint) {
        this.party = party;
        this.macKey = macKey;
        this.partiesFingerprint = partiesFingerprint;
    }

    /**
     * Party {@code party}'s checkpoint key from its static key pair, for a session of {@code parties}.
     *
     * @throws IllegalArgumentException if {@code staticKey} is not the key pinned for {@code party} in {@code parties}
     */
    public static CheckpointKey derive(int party, KeyPair staticKey, PartiesConfig parties) {
        return derive(party, staticKey, List.of(parties.party(0).publicKey(), parties.party(1).publicKey(),
                parties.party(2).publicKey()));
    }

    /** As {@link #derive(int, KeyPair, PartiesConfig)} with the three parties' public keys in party order. */
    public static CheckpointKey derive(int party, KeyPair staticKey, List<PublicKey> partyKeys) {
        if (partyKeys.size() != 3 || !staticKey.getPublic().equals(partyKeys.get(party))) {
            throw new IllegalArgumentException("party " + party + ": the key pair is not the one pinned for party "
                    + party);
        }
        byte[] scalar = X25519.rawPrivate(staticKey.getPrivate());
        try {
            byte[] k = Hkdf.derive(SALT, scalar, ("party " + party).getBytes(StandardCharsets.US_ASCII), 32);
            return new CheckpointKey(party, k, Checkpoint.partiesFingerprint(partyKeys));
        } finally {
            Arrays.fill(scalar, (byte) 0);
        }
    }

    /** The party whose checkpoints this key authenticates. */
    public int party() {
        return party;
    }

    /** SHA-256 of the three parties' pinned public keys: a checkpoint of other parties is refused. */
    public byte[] partiesFingerprint() {
        return partiesFingerprint.clone();
    }

    /** The HMAC-SHA256 key (package use: {@link CheckpointFile} only). */
    byte[] macKey() {
        return macKey;
    }
}
