package org.fastcrypt4j.transport.aeron;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import io.aeron.Publication;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.fastcrypt4j.transport.PeerFailureException;
import org.fastcrypt4j.transport.Transport;
import org.fastcrypt4j.transport.TransportException;

/**
 * Connection set-up of one party, all within the connect timeout: wait until both links are connected both ways,
 * run both links' handshakes ({@link LinkHandshake}) to completion, start the heartbeats, and agree the session id.
 *
 * <p>Failures say which link and why: a link that never connects ("is party N running, with the same parties
 * file?"), or a handshake that did not complete, with the handshake's own {@link LinkHandshake#diagnosis()} (what
 * arrived, what did not authenticate, what stray datagrams were dropped). Before failing, the party tells its other
 * peer, if that link is up, that its link with the named party could not be set up ({@link Liveness#REASON_SETUP}),
 * so the third party stops at once naming both, instead of waiting for its own timeout and blaming the wrong peer.
 */
final class LinkSetup {
    private static final String SESSION_ID_TAG = "transport/session-id";

    private final int self;
    private final AeronLinks links;
    private final Liveness liveness;
    private final IdleStrategy idle;
    private final AeronContext ctx;
    private final long deadline;

    LinkSetup(int self, AeronLinks links, Liveness liveness, IdleStrategy idle, AeronContext ctx) {
        this.self = self;
        this.links = links;
        this.liveness = liveness;
        this.idle = idle;
        this.ctx = ctx;
        this.deadline = System.nanoTime() + ctx.connectTimeout().toNanos();
    }

    /** Connects both links, starts the heartbeats; the session id follows with {@link #agreeSessionId}. */
    void connectLinks() {
        for (AeronLink l : links.all()) {
            if (l == null) {
                continue;
            }
            idle.reset();
            while (!(l.publication.isConnected() && l.subscription.isConnected()
                    && l.heartbeat.publication.isConnected() && l.heartbeat.subscription.isConnected())) {
                checkDeadline(l, "not connected within " + ctx.connectTimeout().toMillis() + " ms: is party " + l.peer
                        + " running, with the same parties file (host, port), and reachable?");
                links.pollAll();
                idle.idle();
            }
        }
        runHandshakes();
        liveness.start();
    }

    private void runHandshakes() {
        idle.reset();
        while (true) {
            boolean all = true;
            for (AeronLink l : links.all()) {
                if (l == null) {
                    continue;
                }
                for (byte[] out = l.handshake.takeOutgoing(); out != null; out = l.handshake.takeOutgoing()) {
                    offer(l, out);
                }
                all &= l.established;
            }
            if (all) {
                return;
            }
            checkNotices();
            for (AeronLink l : links.all()) {
                if (l != null && !l.established) {
                    checkDeadline(l, "no handshake completed within " + ctx.connectTimeout().toMillis() + " ms: "
                            + l.handshake.diagnosis());
                }
            }
            if (links.pollAll() == 0) {
                idle.idle();
            } else {
                idle.reset();
            }
        }
    }

    /**
     * A peer whose link is up stopped and said why: fail, but name the link that is still being set up and what its
     * handshake saw, since that is usually the cause (the notice is about the same failure seen from elsewhere).
     */
    private void checkNotices() {
        try {
            liveness.checkNotices("connect");
        } catch (PeerFailureException notice) {
            for (AeronLink l : links.all()) {
                if (l != null && !l.established) {
                    throw new PeerFailureException(self, l.peer, "connect", "no handshake completed ("
                            + l.handshake.diagnosis() + "), and meanwhile: " + notice.getMessage(), true);
                }
            }
            throw notice;
        }
    }

    private void offer(AeronLink l, byte[] frame) {
        UnsafeBuffer b = new UnsafeBuffer(frame);
        while (true) {
            long r = l.publication.offer(b, 0, frame.length);
            if (r > 0) {
                return;
            }
            if (r == Publication.CLOSED || r == Publication.MAX_POSITION_EXCEEDED) {
                throw new PeerFailureException(self, l.peer, "connect", "link closed during the handshake");
            }
            checkDeadline(l, "handshake frame not sent within " + ctx.connectTimeout().toMillis() + " ms");
            links.pollAll();
            idle.idle();
        }
    }

    private void checkDeadline(AeronLink l, String why) {
        if (System.nanoTime() - deadline > 0) {
            liveness.notifyOthers(l.peer, Liveness.REASON_SETUP);
            throw new PeerFailureException(self, l.peer, "connect", why, true);
        }
    }

    /**
     * Session id = SHA-256("fastcrypt4j session v1" || h01 || h02 || h12) over the three links' handshake hashes.
     * Each party knows the hashes of its two links and learns the third from both its peers (who must agree): one
     * round, 32 bytes to each peer.
     */
    static byte[] agreeSessionId(Transport t, AeronLink toNext, AeronLink toPrev) {
        int me = t.partyId();
        int p = toNext.peer;
        int q = toPrev.peer;
        byte[][] h = new byte[3][];
        // h[k] is the hash of the link that does not involve party k
        h[3 - me - p] = toNext.linkHash;
        h[3 - me - q] = toPrev.linkHash;
        t.send(p, SESSION_ID_TAG, ByteBuffer.wrap(toPrev.linkHash));
        t.send(q, SESSION_ID_TAG, ByteBuffer.wrap(toNext.linkHash));
        ByteBuffer fromP = ByteBuffer.allocate(32);
        ByteBuffer fromQ = ByteBuffer.allocate(32);
        t.receive(p, SESSION_ID_TAG, fromP);
        t.receive(q, SESSION_ID_TAG, fromQ);
        if (!MessageDigest.isEqual(fromP.array(), fromQ.array())) {
            throw new TransportException("party " + me + ": parties " + p + " and " + q + " report different"
                    + " handshake hashes for their link");
        }
        h[me] = fromP.array();
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update("fastcrypt4j session v1".getBytes(StandardCharsets.US_ASCII));
            // order h01, h02, h12 = h[2], h[1], h[0]
            sha.update(h[2]);
            sha.update(h[1]);
            sha.update(h[0]);
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
