package org.fastcrypt4j.transport.aeron;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import org.agrona.DirectBuffer;
import org.fastcrypt4j.transport.noise.CipherState;
import org.fastcrypt4j.transport.noise.NoiseException;
import org.fastcrypt4j.transport.noise.NoiseKK;

/**
 * The per-connection handshake of one link, run on the link's data streams before any data frame: Noise
 * {@code KK} ({@value NoiseKK#PROTOCOL_NAME}, Noise Protocol Framework rev. 34, section 7.5), since both parties'
 * static X25519 keys are pinned in the parties file, followed by a key confirmation from the initiator. The party
 * with the lower id initiates.
 * <pre>
 *   -> e, es, ss          MESSAGE_1, initiator to responder: 32 + 16 bytes
 *   &lt;- echo(e_I), e, ee, se MESSAGE_2, responder to initiator: 32 + 32 + 16 bytes
 *   -> echo(e_I), tag     CONFIRM: an AES-GCM tag under the initiator's new traffic key (16 bytes)
 * </pre>
 * Message 1 authenticates the initiator's static key, message 2 the responder's; ee and se mix fresh ephemeral keys
 * from both sides into the traffic keys (forward secrecy, and no two connections share a traffic key). The prologue
 * binds the protocol version and both party ids.
 *
 * <p><b>Stray datagrams cannot stop a set-up.</b> Anyone on the network can send UDP datagrams to a party's port,
 * and a KK message 1 recorded from an earlier session still authenticates (KK's first message has no replay
 * protection: Noise section 7.7 lists its payload at security level 1). So nothing unauthenticated or stale is
 * allowed to displace the genuine handshake:
 * <ul>
 *   <li>The responder answers every distinct message 1 that authenticates, each with its own fresh ephemeral key
 *       (a <i>candidate</i>, at most {@value #MAX_CANDIDATES}; the oldest is dropped beyond that), and completes
 *       only with the candidate whose CONFIRM authenticates: only the live initiator holds the ephemeral key that
 *       the candidate's traffic keys depend on, so a replayed message 1 never completes (Noise section 7.7: the
 *       responder learns that the initiator is live only from a transport message; CONFIRM is that message).</li>
 *   <li>Message 2 echoes the initiator's ephemeral public key (routing only, unauthenticated): the initiator
 *       ignores replies to other initiations, and reads the one meant for it into a copy of its handshake state
 *       ({@link NoiseKK#copy()}), so a forged reply is dropped without aborting the handshake.</li>
 *   <li>A REJECT notice (the responder could not authenticate a message 1) is unauthenticated: it is counted and
 *       reported if the set-up times out, never acted on.</li>
 *   <li>Whatever fails these checks is dropped and counted ({@link #droppedStale()}, {@link #authFailures()},
 *       {@link #rejectsReceived()}); if the connect timeout passes, {@link #diagnosis()} says which happened, so a
 *       set-up that failed under interference says so instead of blaming the key files.</li>
 * </ul>
 * The price: a wrong key in a parties file is reported at the connect timeout, not at once, since a forged reject
 * is indistinguishable from a genuine one.
 *
 * <p>The frames on the wire are described in {@link HandshakeFrame}.
 * On a trusted network (no protection) the messages carry 32 random bytes (nonces) instead, the link hash is the
 * SHA-256 of the prologue and both nonces, and CONFIRM carries the echo only: the links still get a fresh session
 * id per connection, but nothing is authenticated.
 */
final class LinkHandshake {
    static final byte TYPE_MESSAGE_1 = HandshakeFrame.TYPE_MESSAGE_1;
    static final byte TYPE_MESSAGE_2 = HandshakeFrame.TYPE_MESSAGE_2;
    static final byte TYPE_REJECT = HandshakeFrame.TYPE_REJECT;
    static final byte TYPE_CONFIRM = HandshakeFrame.TYPE_CONFIRM;
    static final int HEADER = HandshakeFrame.HEADER;
    static final int ECHO = HandshakeFrame.ECHO;
    /** Responder candidates kept at once (answered initiations waiting for their CONFIRM). */
    static final int MAX_CANDIDATES = 16;
    /**
     * Noise nonce of the CONFIRM tag under the initiator-to-responder key: 2^64 - 2, outside the data frames' range
     * (below 2^63, {@link LinkCipher}) and the heartbeats' (2^63 + counter, {@link Heartbeats}); 2^64 - 1 is
     * reserved by Noise.
     */
    static final long CONFIRM_NONCE = 0xFFFF_FFFF_FFFF_FFFEL;
    private static final int NONCE_BYTES = 32;

    /** One answered initiation (responder side). */
    private static final class Candidate {
        final byte[] echo;
        final int image;
        final byte[] linkHash;
        final CipherState send;
        final CipherState receive;

        Candidate(byte[] echo, int image, byte[] linkHash, CipherState send, CipherState receive) {
            this.echo = echo;
            this.image = image;
            this.linkHash = linkHash;
            this.send = send;
            this.receive = receive;
        }

        void destroy() {
            if (send != null) {
                send.destroy();
            }
            if (receive != null) {
                receive.destroy();
            }
        }
    }

    private final int self;
    private final int peer;
    private final boolean initiator;
    private final KeyPair mine;
    private final PublicKey theirs;
    private final byte[] prologue;
    private final SecureRandom random = new SecureRandom();
    private final ArrayDeque<byte[]> outgoing = new ArrayDeque<>();
    /** Initiator: the handshake state after message 1 (null on a trusted network). */
    private NoiseKK noise;
    /** Initiator: its ephemeral public key (or trusted nonce), which replies must echo. */
    private byte[] myEcho;
    /** Responder: initiations answered and waiting for their CONFIRM, by echo. */
    private final Map<String, Candidate> candidates = new LinkedHashMap<>();

    private boolean complete;
    private int pinnedImage;
    private byte[] linkHash;
    private CipherState sendCipher;
    private CipherState receiveCipher;

    private long droppedStale;
    private long authFailures;
    private long rejectsReceived;
    private long malformed;
    private long initiationsAnswered;

    /**
     * @param mine   this party's static key pair (ignored when {@code theirs} is null)
     * @param theirs the peer's pinned static key, or null on a trusted network
     */
    LinkHandshake(int self, int peer, KeyPair mine, PublicKey theirs) {
        this.self = self;
        this.peer = peer;
        this.initiator = self < peer;
        this.mine = mine;
        this.theirs = theirs;
        this.prologue = prologue(Math.min(self, peer), Math.max(self, peer));
        if (initiator) {
            byte[] m1;
            if (theirs == null) {
                m1 = nonce();
                myEcho = m1.clone();
            } else {
                noise = NoiseKK.initiator(mine, theirs, prologue);
                m1 = noise.writeMessage(new byte[0]);
                myEcho = Arrays.copyOf(m1, ECHO);
            }
            outgoing.add(frame(TYPE_MESSAGE_1, m1));
        }
    }

    static byte[] prologue(int initiator, int responder) {
        return ("fastcrypt4j link v2 " + initiator + "<->" + responder).getBytes(StandardCharsets.US_ASCII);
    }

    private byte[] nonce() {
        byte[] n = new byte[NONCE_BYTES];
        random.nextBytes(n);
        return n;
    }

    private byte[] frame(byte type, byte[]... parts) {
        return HandshakeFrame.build(type, self, peer, parts);
    }

    /** True for a frame whose type byte marks it as a handshake frame. */
    static boolean isHandshakeFrame(DirectBuffer buffer, int offset, int length) {
        return HandshakeFrame.isHandshakeFrame(buffer, offset, length);
    }

    /** The next frame this side must offer (message 1, replies, a confirmation or a reject notice), or null. */
    byte[] takeOutgoing() {
        return outgoing.pollFirst();
    }

    /** Initiator: the ephemeral key (or trusted nonce) replies must echo; null at the responder. */
    byte[] echo() {
        return myEcho == null ? null : myEcho.clone();
    }

    boolean isComplete() {
        return complete;
    }

    /** The Aeron session id of the stream image the completed handshake came on (the genuine peer's). */
    int pinnedImage() {
        return pinnedImage;
    }

    /**
     * Handles one handshake frame that arrived on stream image {@code image} of the link's subscription. Returns
     * true when it completed this side's handshake. Anything that does not authenticate, is stale or malformed is
     * dropped and counted; nothing a frame says is acted on before it authenticates.
     */
    boolean onFrame(DirectBuffer buffer, int offset, int length, int image) {
        if (complete) {
            droppedStale++;
            return false;
        }
        int n = HandshakeFrame.bodyLength(buffer, offset, length, peer, self);
        if (n < 0) {
            malformed++;
            return false;
        }
        byte type = buffer.getByte(offset);
        byte[] body = new byte[n];
        buffer.getBytes(offset + HEADER, body);
        if (type == TYPE_REJECT) {
            rejectsReceived++;
            return false;
        }
        if (initiator) {
            if (type != TYPE_MESSAGE_2) {
                malformed++;
                return false;
            }
            return onReply(body, image);
        }
        if (type == TYPE_MESSAGE_1) {
            onInitiation(body, image);
            return false;
        }
        if (type == TYPE_CONFIRM) {
            byte[] header = new byte[HEADER];
            buffer.getBytes(offset, header);
            return onConfirm(header, body, image);
        }
        malformed++;
        return false;
    }

    // ------------------------------------------------------------------------------------------- responder

    private void onInitiation(byte[] m1, int image) {
        int expected = theirs == null ? NONCE_BYTES : NoiseKK.HANDSHAKE_OVERHEAD;
        if (m1.length != expected) {
            malformed++;
            return;
        }
        byte[] echo = Arrays.copyOf(m1, ECHO);
        String key = HandshakeFrame.hex(echo);
        if (candidates.containsKey(key)) {
            droppedStale++;   // the same initiation again: a replay
            return;
        }
        Candidate c;
        byte[] m2;
        if (theirs == null) {
            byte[] mineNonce = nonce();
            c = new Candidate(echo, image, trustedHash(m1, mineNonce), null, null);
            m2 = mineNonce;
        } else {
            NoiseKK responder = NoiseKK.responder(mine, theirs, prologue);
            try {
                responder.readMessage(m1);
            } catch (NoiseException e) {
                authFailures++;
                outgoing.add(frame(TYPE_REJECT));
                return;
            }
            m2 = responder.writeMessage(new byte[0]);
            NoiseKK.Split split = responder.split();
            c = new Candidate(echo, image, split.handshakeHash(), split.responderToInitiator(),
                    split.initiatorToResponder());
        }
        if (candidates.size() >= MAX_CANDIDATES) {
            Iterator<Candidate> oldest = candidates.values().iterator();
            oldest.next().destroy();
            oldest.remove();
            droppedStale++;
        }
        candidates.put(key, c);
        initiationsAnswered++;
        outgoing.add(frame(TYPE_MESSAGE_2, echo, m2));
    }

    private boolean onConfirm(byte[] header, byte[] body, int image) {
        int expected = ECHO + (theirs == null ? 0 : CipherState.TAG_LENGTH);
        if (body.length != expected) {
            malformed++;
            return false;
        }
        Candidate c = candidates.get(HandshakeFrame.hex(Arrays.copyOf(body, ECHO)));
        if (c == null || c.image != image) {
            droppedStale++;
            return false;
        }
        if (theirs != null) {
            try {
                c.receive.decrypt(CONFIRM_NONCE, c.linkHash, 0, c.linkHash.length, HandshakeFrame.confirmAd(header, body), 0,
                        HEADER + ECHO, body, ECHO, CipherState.TAG_LENGTH, new byte[0], 0);
            } catch (NoiseException e) {
                authFailures++;
                return false;
            }
        }
        candidates.remove(HandshakeFrame.hex(c.echo));
        for (Candidate other : candidates.values()) {
            other.destroy();
        }
        candidates.clear();
        completeWith(c.linkHash, c.send, c.receive, image);
        return true;
    }

    // ------------------------------------------------------------------------------------------- initiator

    private boolean onReply(byte[] body, int image) {
        int expected = ECHO + (theirs == null ? NONCE_BYTES : NoiseKK.HANDSHAKE_OVERHEAD);
        if (body.length != expected) {
            malformed++;
            return false;
        }
        if (!MessageDigest.isEqual(Arrays.copyOf(body, ECHO), myEcho)) {
            droppedStale++;   // a reply to another (replayed or earlier) initiation
            return false;
        }
        byte[] m2 = Arrays.copyOfRange(body, ECHO, body.length);
        byte[] confirm;
        if (theirs == null) {
            completeWith(trustedHash(myEcho, m2), null, null, image);
            confirm = frame(TYPE_CONFIRM, myEcho);
        } else {
            NoiseKK trial = noise.copy();
            try {
                trial.readMessage(m2);
            } catch (NoiseException e) {
                authFailures++;
                return false;
            }
            NoiseKK.Split split = trial.split();
            completeWith(split.handshakeHash(), split.initiatorToResponder(), split.responderToInitiator(), image);
            noise = null;
            confirm = frame(TYPE_CONFIRM, myEcho, new byte[CipherState.TAG_LENGTH]);
            byte[] header = Arrays.copyOf(confirm, HEADER);
            sendCipher.encrypt(CONFIRM_NONCE, linkHash, 0, linkHash.length, HandshakeFrame.confirmAd(header, myEcho), 0,
                    HEADER + ECHO, new byte[0], 0, 0, confirm, HEADER + ECHO);
        }
        outgoing.add(confirm);
        return true;
    }

    // ------------------------------------------------------------------------------------------- both

    private void completeWith(byte[] hash, CipherState send, CipherState receive, int image) {
        linkHash = hash;
        sendCipher = send;
        receiveCipher = receive;
        pinnedImage = image;
        complete = true;
    }

    private byte[] trustedHash(byte[] initiatorNonce, byte[] responderNonce) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(prologue);
            sha.update(initiatorNonce);
            sha.update(responderNonce);
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
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

    /** Set-up frames dropped as replays, replies to other initiations, late or evicted: not from this handshake. */
    long droppedStale() {
        return droppedStale;
    }

    /** Handshake messages (or confirmations) that did not authenticate: wrong pinned keys, or forgeries. */
    long authFailures() {
        return authFailures;
    }

    /** Unauthenticated reject notices from the peer (it could not authenticate this side's message 1). */
    long rejectsReceived() {
        return rejectsReceived;
    }

    /** Frames too malformed to be handshake frames of this link. */
    long malformed() {
        return malformed;
    }

    /**
     * Why this link's set-up has not completed, for the connect-timeout error: what arrived, what was dropped, and
     * the likely causes, without blaming the key files when the evidence points at stray datagrams.
     */
    String diagnosis() {
        StringBuilder sb = new StringBuilder();
        if (initiator) {
            sb.append(authFailures > 0 ? authFailures + " handshake repl" + (authFailures == 1 ? "y" : "ies")
                    + " from party " + peer + " did not authenticate; " : "");
            sb.append(rejectsReceived > 0 ? rejectsReceived + " unauthenticated reject notice"
                    + (rejectsReceived == 1 ? "" : "s") + " arrived (party " + peer
                    + " could not authenticate this party's message, or they were forged); " : "");
        } else {
            sb.append(authFailures > 0 ? authFailures + " set-up message" + (authFailures == 1 ? "" : "s")
                    + " claiming to be from party " + peer + " did not authenticate; " : "");
            sb.append(initiationsAnswered > 0 ? initiationsAnswered + " authenticated initiation"
                    + (initiationsAnswered == 1 ? "" : "s") + " answered but none confirmed (a replayed initiation"
                    + " cannot confirm); " : "");
        }
        sb.append(droppedStale + malformed > 0 ? (droppedStale + malformed) + " stale, replayed or malformed set-up"
                + " datagram" + (droppedStale + malformed == 1 ? "" : "s") + " dropped; " : "");
        if (authFailures > 0 || rejectsReceived > 0) {
            sb.append("either the key pinned for party ").append(peer).append(" in this party's parties file, or the"
                    + " one pinned for party ").append(self).append(" in party ").append(peer)
                    .append("'s, is not that party's key (check both files), or someone is injecting datagrams");
        } else if (droppedStale + malformed > 0 || initiationsAnswered > 0) {
            sb.append("no genuine handshake from party ").append(peer).append(" completed: the set-up failed under"
                    + " interference (stray or replayed datagrams), or party ").append(peer)
                    .append(" stopped before completing it");
        } else {
            sb.append("nothing arrived from party ").append(peer).append(": is it running, with the same parties"
                    + " file (host, port), and reachable?");
        }
        return sb.toString();
    }
}
