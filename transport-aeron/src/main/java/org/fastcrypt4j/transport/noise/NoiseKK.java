package org.fastcrypt4j.transport.noise;

import java.security.KeyPair;
import java.security.PublicKey;
import java.util.Arrays;

/**
 * The {@code Noise_KK_25519_AESGCM_SHA256} handshake (Noise Protocol Framework, revision 34): a HandshakeState
 * (section 5.3) fixed to the KK pattern (section 7.5)
 *
 * <pre>
 * KK:
 *   -&gt; s
 *   &lt;- s
 *   ...
 *   -&gt; e, es, ss
 *   &lt;- e, ee, se
 * </pre>
 *
 * with X25519 (section 12.1, {@link X25519}), AES-256-GCM ({@link CipherState}, section 12.4) and SHA-256
 * ({@link SymmetricState}, section 12.5). Both parties know each other's static key in advance (pinned in the
 * parties file); the pre-messages hash the initiator's then the responder's static public key into h after the
 * prologue.
 *
 * <p>What it promises (payload security properties of section 7.7, for KK: message 1 = source 1 / destination 2,
 * message 2 = 2 / 4, transport messages = 2 / 5): mutual authentication by the pinned static keys, since only the
 * holder of the initiator's static key can produce a valid message 1 (es, ss) and only the holder of the responder's
 * static key a valid message 2 (ee, se with the initiator's ephemeral); the transport keys of {@link #split()} have
 * forward secrecy from the fresh ephemerals (ee, se): recording the traffic and later stealing both static keys does
 * not reveal them. Message 1's own payload is weaker (no forward secrecy against the responder's static key,
 * replayable, and open to key-compromise impersonation), so it should carry nothing secret. Identity hiding is
 * irrelevant here: the static keys are never sent, both are pinned in advance. Both sides must use the same prologue
 * (it binds context such as the session id and party indices) or message 1 fails to authenticate.
 *
 * <p>Message sizes with AESGCM: message 1 = 32 (e) + payload + 16 (tag); message 2 = 32 (e) + payload + 16 (tag).
 * A Noise message is at most 65535 bytes (section 3), so a payload is at most 65487 bytes.
 *
 * <p>Use: the initiator calls {@link #writeMessage}, the responder {@link #readMessage}, then the responder
 * {@link #writeMessage} and the initiator {@link #readMessage}; then both call {@link #split()} once. A rejected
 * message (a {@link NoiseException}) fails the handshake (section 5): its secrets are wiped and the object then
 * refuses everything with {@link IllegalStateException}. Not thread safe.
 *
 * <p>Secrets: the ephemeral private key is dropped as soon as its last DH is done (the JDK key object cannot be
 * zeroed, only made unreachable); DH outputs, HKDF intermediates and the chaining key are zeroed once used, and
 * {@link #split()} zeroes the chaining key and the handshake cipher key.
 */
public final class NoiseKK {
    public static final String PROTOCOL_NAME = "Noise_KK_25519_AESGCM_SHA256";
    /** Noise's bound on any message (section 3). */
    public static final int MAX_MESSAGE_LENGTH = 65535;
    /** Bytes a KK handshake message adds to its payload: 32 (e) + 16 (tag). */
    public static final int HANDSHAKE_OVERHEAD = X25519.KEY_LENGTH + CipherState.TAG_LENGTH;

    private enum Step { WRITE_1, READ_1, WRITE_2, READ_2, COMPLETE, SPLIT, FAILED }

    /**
     * The result of Noise Split() (section 5.2): {@code initiatorToResponder} is c1, {@code responderToInitiator}
     * is c2, both with n = 0; {@code handshakeHash} is h (a copy, usable for channel binding).
     */
    public record Split(CipherState initiatorToResponder, CipherState responderToInitiator, byte[] handshakeHash) {
        public Split {
            handshakeHash = handshakeHash.clone();
        }

        @Override
        public byte[] handshakeHash() {
            return handshakeHash.clone();
        }
    }

    private final boolean initiator;
    private final KeyPair s;
    private final PublicKey rs;
    private final SymmetricState ss;
    private KeyPair e;
    private PublicKey re;
    private Step step;

    private NoiseKK(boolean initiator, KeyPair localStatic, PublicKey remoteStatic, byte[] prologue, KeyPair ephemeral) {
        if (localStatic == null || localStatic.getPrivate() == null || remoteStatic == null) {
            throw new IllegalArgumentException("KK needs the local static key pair and the remote static public key");
        }
        byte[] localPub = X25519.rawPublic(localStatic.getPublic()); // also checks both are X25519
        byte[] remotePub = X25519.rawPublic(remoteStatic);
        if (ephemeral != null) {
            X25519.rawPublic(ephemeral.getPublic());
        }
        this.initiator = initiator;
        this.s = localStatic;
        this.rs = remoteStatic;
        this.e = ephemeral;
        this.ss = new SymmetricState(PROTOCOL_NAME);
        ss.mixHash(prologue == null ? new byte[0] : prologue);
        // pre-messages "-> s" then "<- s": the initiator's static key, then the responder's
        ss.mixHash(initiator ? localPub : remotePub);
        ss.mixHash(initiator ? remotePub : localPub);
        this.step = initiator ? Step.WRITE_1 : Step.READ_1;
    }

    /** The initiator (sends message 1), with a fresh ephemeral key. {@code prologue} may be null (empty). */
    public static NoiseKK initiator(KeyPair localStatic, PublicKey remoteStatic, byte[] prologue) {
        return new NoiseKK(true, localStatic, remoteStatic, prologue, null);
    }

    /** The responder (reads message 1), with a fresh ephemeral key. {@code prologue} may be null (empty). */
    public static NoiseKK responder(KeyPair localStatic, PublicKey remoteStatic, byte[] prologue) {
        return new NoiseKK(false, localStatic, remoteStatic, prologue, null);
    }

    /** The initiator with a fixed ephemeral key: for test vectors only. */
    static NoiseKK initiator(KeyPair localStatic, PublicKey remoteStatic, byte[] prologue, KeyPair ephemeral) {
        return new NoiseKK(true, localStatic, remoteStatic, prologue, requireEphemeral(ephemeral));
    }

    /** The responder with a fixed ephemeral key: for test vectors only. */
    static NoiseKK responder(KeyPair localStatic, PublicKey remoteStatic, byte[] prologue, KeyPair ephemeral) {
        return new NoiseKK(false, localStatic, remoteStatic, prologue, requireEphemeral(ephemeral));
    }

    private static KeyPair requireEphemeral(KeyPair ephemeral) {
        if (ephemeral == null || ephemeral.getPrivate() == null) {
            throw new IllegalArgumentException("fixed ephemeral key pair missing");
        }
        return ephemeral;
    }

    /**
     * Writes this side's handshake message with {@code payload} (may be null: empty) encrypted in it: message 1
     * {@code e, es, ss} for the initiator, message 2 {@code e, ee, se} for the responder. Returns
     * {@code 32 + payload.length + 16} bytes.
     *
     * @throws IllegalStateException if it is not this side's turn to write, or the handshake is complete or failed
     * @throws IllegalArgumentException if the message would exceed 65535 bytes
     */
    public byte[] writeMessage(byte[] payload) {
        Step expected = initiator ? Step.WRITE_1 : Step.WRITE_2;
        if (step != expected) {
            throw new IllegalStateException("not this side's turn to write a handshake message (" + step + ")");
        }
        byte[] p = payload == null ? new byte[0] : payload;
        if (p.length > MAX_MESSAGE_LENGTH - HANDSHAKE_OVERHEAD) {
            throw new IllegalArgumentException("handshake payload too long: " + p.length);
        }
        try {
            if (e == null) {
                e = X25519.generate();
            }
            byte[] ePub = X25519.rawPublic(e.getPublic());
            ss.mixHash(ePub); // token e (no PSK, so no MixKey(e.pub))
            if (initiator) {
                mixDh(e, rs); // es: DH(e, rs)
                mixDh(s, rs); // ss: DH(s, rs)
            } else {
                mixDh(e, re); // ee: DH(e, re)
                mixDh(e, rs); // se: responder DH(e, rs)
                e = null;     // the responder's ephemeral has done its last DH
            }
            byte[] ct = ss.encryptAndHash(p);
            byte[] msg = new byte[ePub.length + ct.length];
            System.arraycopy(ePub, 0, msg, 0, ePub.length);
            System.arraycopy(ct, 0, msg, ePub.length, ct.length);
            step = initiator ? Step.READ_2 : Step.COMPLETE;
            return msg;
        } catch (RuntimeException ex) {
            fail();
            throw ex;
        }
    }

    /**
     * Reads the other side's handshake message and returns its decrypted payload: message 1 for the responder,
     * message 2 for the initiator.
     *
     * @throws NoiseException if the message is shorter than 48 bytes or longer than 65535, its ephemeral key is of low
     *         order, or its payload fails to authenticate (which it does when the sender's static key is not the pinned
     *         one, the prologues differ, or anything was altered); the handshake is then aborted
     * @throws IllegalStateException if it is not this side's turn to read, or the handshake is complete or failed
     */
    public byte[] readMessage(byte[] message) {
        Step expected = initiator ? Step.READ_2 : Step.READ_1;
        if (step != expected) {
            throw new IllegalStateException("not this side's turn to read a handshake message (" + step + ")");
        }
        try {
            if (message == null || message.length < HANDSHAKE_OVERHEAD) {
                throw new NoiseException("handshake message too short");
            }
            if (message.length > MAX_MESSAGE_LENGTH) {
                throw new NoiseException("handshake message too long");
            }
            byte[] rePub = Arrays.copyOfRange(message, 0, X25519.KEY_LENGTH);
            re = X25519.publicFromRaw(rePub);
            ss.mixHash(rePub); // token e: the bytes as received
            if (initiator) {
                mixDh(e, re); // ee: DH(e, re)
                mixDh(s, re); // se: initiator DH(s, re)
                e = null;     // the initiator's ephemeral has done its last DH
            } else {
                mixDh(s, re); // es: responder DH(s, re)
                mixDh(s, rs); // ss: DH(s, rs)
            }
            byte[] payload = ss.decryptAndHash(message, X25519.KEY_LENGTH, message.length - X25519.KEY_LENGTH);
            step = initiator ? Step.COMPLETE : Step.WRITE_2;
            return payload;
        } catch (RuntimeException ex) {
            fail();
            throw ex;
        }
    }

    /**
     * An independent copy of this handshake state, for reading a message that may be forged or stale: Noise aborts a
     * handshake whose message fails to authenticate (section 5.3), so a side that may receive several candidate
     * messages (an initiator offered replies to replayed initiations, say) reads each into a copy and keeps the copy
     * that authenticated. The copy shares the (immutable) key pairs; the symmetric state is duplicated.
     *
     * @throws IllegalStateException once the handshake failed or was split
     */
    public NoiseKK copy() {
        if (step == Step.FAILED || step == Step.SPLIT) {
            throw new IllegalStateException("cannot copy a handshake that is " + step);
        }
        return new NoiseKK(this);
    }

    private NoiseKK(NoiseKK o) {
        this.initiator = o.initiator;
        this.s = o.s;
        this.rs = o.rs;
        this.ss = o.ss.copy();
        this.e = o.e;
        this.re = o.re;
        this.step = o.step;
    }

    /** Whether both handshake messages have been processed (also after {@link #split()}). */
    public boolean isComplete() {
        return step == Step.COMPLETE || step == Step.SPLIT;
    }

    /** A copy of the handshake hash h (section 5.2 GetHandshakeHash), only once complete. */
    public byte[] handshakeHash() {
        if (!isComplete()) {
            throw new IllegalStateException("handshake not complete");
        }
        return ss.handshakeHash();
    }

    /**
     * Noise Split(): the two transport CipherStates. May be called once, only when complete; afterwards the chaining
     * key and handshake cipher key are zeroed and the ephemeral keys dropped. The initiator sends with
     * {@link Split#initiatorToResponder()} and receives with {@link Split#responderToInitiator()}; the responder the
     * other way round.
     */
    public Split split() {
        if (step != Step.COMPLETE) {
            throw new IllegalStateException(step == Step.SPLIT ? "split() already called" : "handshake not complete");
        }
        byte[] h = ss.handshakeHash();
        CipherState[] c = ss.split();
        e = null;
        re = null;
        step = Step.SPLIT;
        return new Split(c[0], c[1], h);
    }

    private void mixDh(KeyPair mine, PublicKey theirs) {
        byte[] shared = X25519.dh(mine.getPrivate(), theirs);
        try {
            ss.mixKey(shared);
        } finally {
            Arrays.fill(shared, (byte) 0);
        }
    }

    private void fail() {
        step = Step.FAILED;
        e = null;
        re = null;
        ss.destroy();
    }
}
