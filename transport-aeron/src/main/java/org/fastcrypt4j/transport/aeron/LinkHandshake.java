package org.fastcrypt4j.transport;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.SecureRandom;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.fastcrypt4j.transport.noise.CipherState;
import org.fastcrypt4j.transport.noise.NoiseException;
import org.fastcrypt4j.transport.noise.NoiseKK;

/**
 * The per-connection handshake of one link, run on the link's data streams before any data frame: Noise
 * {@code KK} ({@value NoiseKK#PROTOCOL_NAME}, Noise Protocol Framework rev. 34, section 7.5), since both
 * parties' static X25519 keys are pinned in the parties file. The party with the lower id initiates.
 * <pre>
 *   -> e, es, ss      message 1, initiator to responder: 32 + 16 bytes (empty payload)
 *   &lt;- e, ee, se      message 2, responder to initiator: 32 + 16 bytes
 * </pre>
 * Message 1 authenticates the initiator (es and ss need both static keys), message 2 the responder; ee and se
 * mix fresh ephemeral keys from both sides into the traffic keys, so a static key stolen later does not
 * decrypt a recorded session (forward secrecy), and no two connections share a traffic key. Noise
 * {@code Split()} gives one key per direction ({@link LinkCipher}); the handshake hash identifies the link's
 * session and goes into every frame's additional data. The prologue binds the protocol version and both
 * party ids, so a handshake meant for another pair of parties fails.
 *
 * <p>A handshake message that does not authenticate (a wrong key pinned on either side, or a forgery) fails
 * the connection with an error naming the peer; the responder also sends the initiator an (unauthenticated)
 * reject notice so that both sides fail at once rather than at the connect timeout.
 *
 * <p>Frame layout on the wire (little-endian), distinguished from data frames ({@link FrameHeader}) by its
 * first byte:
 * <pre>
 *  0  TYPE     byte  {@link #TYPE_MESSAGE_1}, {@link #TYPE_MESSAGE_2} or {@link #TYPE_REJECT}
 *  1  FROM     byte  sender's party id
 *  2  TO       byte  receiver's party id
 *  3  reserved byte  0
 *  4  LENGTH   int   bytes of the handshake message that follows, at most {@link #MAX_MESSAGE}
 *  8  message
 * </pre>
 * On a trusted network (no protection) the same two messages carry 32 random bytes each instead, and the link
 * hash is the SHA-256 of both: the links then still get a fresh session id per connection, but nothing is
 * authenticated.
 */
final class LinkHandshake {
    static final byte TYPE_MESSAGE_1 = 2;
    static final byte TYPE_MESSAGE_2 = 3;
    static final byte TYPE_REJECT = 4;
    static final int HEADER = 8;
    static final int MAX_MESSAGE = 256;
    private static final int NONCE_BYTES = 32;

    private final int self;
    private final int peer;
    private final boolean initiator;
    private final NoiseKK noise;
    private byte[] trustedNonce;
    private byte[] outgoing;
    private boolean complete;
    private String failure;
    private byte[] linkHash;
    private CipherState sendCipher;
    private CipherState receiveCipher;

    /**
     * @param mine   this party's static key pair (ignored when {@code theirs} is null)
     * @param theirs the peer's pinned static key, or null on a trusted network
     */
    LinkHandshake(int self, int peer, KeyPair mine, PublicKey theirs) {
        this.self = self;
        this.peer = peer;
        this.initiator = self < peer;
        byte[] prologue = prologue(Math.min(self, peer), Math.max(self, peer));
        if (theirs == null) {
            noise = null;
            trustedNonce = new byte[NONCE_BYTES];
            new SecureRandom().nextBytes(trustedNonce);
        } else {
            noise = initiator ? NoiseKK.initiator(mine, theirs, prologue) : NoiseKK.responder(mine, theirs, prologue);
        }
        if (initiator) {
            outgoing = frame(TYPE_MESSAGE_1, noise == null ? trustedNonce : noise.writeMessage(new byte[0]));
        }
    }

    static byte[] prologue(int initiator, int responder) {
        return ("fastcrypt4j link v1 " + initiator + "<->" + responder).getBytes(StandardCharsets.US_ASCII);
    }

    private byte[] frame(byte type, byte[] message) {
        byte[] f = new byte[HEADER + message.length];
        UnsafeBuffer b = new UnsafeBuffer(f);
        b.putByte(0, type);
        b.putByte(1, (byte) self);
        b.putByte(2, (byte) peer);
        b.putInt(4, message.length, ByteOrder.LITTLE_ENDIAN);
        System.arraycopy(message, 0, f, HEADER, message.length);
        return f;
    }

    /** True for a frame whose type byte marks it as a handshake frame. */
    static boolean isHandshakeFrame(DirectBuffer buffer, int offset, int length) {
        if (length < 1) {
            return false;
        }
        byte t = buffer.getByte(offset);
        return t == TYPE_MESSAGE_1 || t == TYPE_MESSAGE_2 || t == TYPE_REJECT;
    }

    /** A frame this side must offer now (message 1, message 2 or a reject notice), or null; each is taken once. */
    byte[] takeOutgoing() {
        byte[] o = outgoing;
        outgoing = null;
        return o;
    }

    boolean isComplete() {
        return complete;
    }

    /** Why the handshake failed (names the peer), or null. */
    String failure() {
        return failure;
    }

    /**
     * Handles one handshake frame from the peer's stream. Returns true when it completed this side's handshake
     * (the caller then pins the image it came on).
     */
    boolean onFrame(DirectBuffer buffer, int offset, int length) {
        if (complete || failure != null) {
            failure = failure != null ? failure : "party " + self + ": unexpected handshake frame from party " + peer
                    + " after the handshake completed";
            return false;
        }
        if (length < HEADER) {
            failure = "party " + self + ": truncated handshake frame of " + length + " bytes from party " + peer;
            return false;
        }
        byte type = buffer.getByte(offset);
        int from = buffer.getByte(offset + 1);
        int to = buffer.getByte(offset + 2);
        int n = buffer.getInt(offset + 4, ByteOrder.LITTLE_ENDIAN);
        if (from != peer || to != self || n < 0 || n > MAX_MESSAGE || n != length - HEADER) {
            failure = "party " + self + ": malformed handshake frame on the link from party " + peer;
            return false;
        }
        if (type == TYPE_REJECT) {
            failure = "party " + self + ": party " + peer + " rejected the handshake (the key pinned for party " + self
                    + " in party " + peer + "'s parties file, or the one pinned here for party " + peer
                    + ", is not that party's key)";
            return false;
        }
        byte expected = initiator ? TYPE_MESSAGE_2 : TYPE_MESSAGE_1;
        if (type != expected) {
            failure = "party " + self + ": handshake message of type " + type + " from party " + peer + ", expected "
                    + expected;
            return false;
        }
        byte[] message = new byte[n];
        buffer.getBytes(offset + HEADER, message);
        if (noise == null) {
            return completeTrusted(message);
        }
        try {
            noise.readMessage(message);
        } catch (NoiseException e) {
            failure = "party " + self + ": handshake message " + (initiator ? 2 : 1) + " from party " + peer
                    + " did not authenticate: party " + peer + " does not hold the key pinned for it here, or it pins"
                    + " another key for party " + self + " (check both parties files), or the message was forged";
            if (!initiator) {
                outgoing = frame(TYPE_REJECT, new byte[0]);
            }
            return false;
        }
        if (!initiator) {
            outgoing = frame(TYPE_MESSAGE_2, noise.writeMessage(new byte[0]));
        }
        NoiseKK.Split split = noise.split();
        linkHash = split.handshakeHash();
        sendCipher = initiator ? split.initiatorToResponder() : split.responderToInitiator();
        receiveCipher = initiator ? split.responderToInitiator() : split.initiatorToResponder();
        complete = true;
        return true;
    }

    private boolean completeTrusted(byte[] theirNonce) {
        if (theirNonce.length != NONCE_BYTES) {
            failure = "party " + self + ": handshake nonce of " + theirNonce.length + " bytes from party " + peer;
            return false;
        }
        if (!initiator) {
            outgoing = frame(TYPE_MESSAGE_2, trustedNonce);
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(prologue(Math.min(self, peer), Math.max(self, peer)));
            sha.update(initiator ? trustedNonce : theirNonce);
            sha.update(initiator ? theirNonce : trustedNonce);
            linkHash = sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        complete = true;
        return true;
    }

    /** The handshake hash (Noise {@code h}) of this link's connection: 32 bytes, the same at both ends. */
    byte[] linkHash() {
        return linkHash.clone();
    }

    /** This side's sending key (null on a trusted network). */
    CipherState sendCipher() {
        return sendCipher;
    }

    /** This side's receiving key (null on a trusted network). */
    CipherState receiveCipher() {
        return receiveCipher;
    }
}
