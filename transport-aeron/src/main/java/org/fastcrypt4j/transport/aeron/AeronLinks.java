package org.fastcrypt4j.transport.aeron;

import java.util.concurrent.locks.LockSupport;

import io.aeron.AeronCounters;
import io.aeron.FragmentAssembler;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.status.CountersReader;
import org.fastcrypt4j.transport.TransportException;

/**
 * The two links of one party and the polling of both: every fragment that arrives is dispatched here, as Aeron's
 * own conductor dispatches commands. Before a link's handshake completes its frames go to the
 * {@link LinkHandshake}; once it completes, to the link's {@link LinkReceiver}, but only from the stream image the
 * handshake authenticated. What comes on any other image is another publisher's (anyone on the host or network can
 * publish on a party's channel): dropped and counted, never read. Handshake frames after the handshake (replays,
 * late replies to replayed initiations) are dropped and counted too.
 *
 * <p>Aeron does not let exceptions out of a fragment handler; a frame that must fail the session (an authentic
 * frame that breaks the protocol) is kept and thrown by {@link #pollAll()} after the poll.
 */
final class AeronLinks {
    private static final System.Logger LOG = System.getLogger(AeronLinks.class.getName());
    private static final int FRAGMENT_LIMIT = 64;

    private final int self;
    private final AeronContext ctx;
    private final AeronLink[] byPeer = new AeronLink[3];
    private TransportException rejected;

    AeronLinks(int self, AeronContext ctx) {
        this.self = self;
        this.ctx = ctx;
    }

    void add(AeronLink l) {
        int frameMax = FrameHeader.LENGTH + ctx.chunkLength() + LinkCipher.maxOverhead(ctx.chunkLength());
        l.assembler = new FragmentAssembler((buffer, offset, length, header) ->
                onFrame(l, buffer, offset, length, header.sessionId()), frameMax);
        byPeer[l.peer] = l;
    }

    /** The links indexed by peer id (null at this party's own index). */
    AeronLink[] all() {
        return byPeer;
    }

    AeronLink get(int peer) {
        return byPeer[peer];
    }

    /** Polls both links once; returns the fragments handled. Throws what a handled frame made fatal. */
    int pollAll() {
        int work = 0;
        for (AeronLink l : byPeer) {
            if (l != null) {
                work += l.subscription.poll(l.assembler, FRAGMENT_LIMIT);
                if (rejected != null) {
                    TransportException e = rejected;
                    rejected = null;
                    throw e;
                }
            }
        }
        return work;
    }

    /**
     * Handles {@code frame} as if it had arrived on stream image {@code image} of the link from {@code peer}, and
     * throws what it made fatal: for tests that inject forged frames where Aeron would deliver them.
     */
    void deliver(int peer, byte[] frame, int image) {
        onFrame(byPeer[peer], new org.agrona.concurrent.UnsafeBuffer(frame), 0, frame.length, image);
        if (rejected != null) {
            TransportException e = rejected;
            rejected = null;
            throw e;
        }
    }

    private void onFrame(AeronLink l, DirectBuffer buffer, int offset, int length, int image) {
        if (rejected != null) {
            return;
        }
        try {
            boolean handshakeFrame = LinkHandshake.isHandshakeFrame(buffer, offset, length);
            if (!l.established) {
                if (!handshakeFrame) {
                    dropForeign(l, image);
                } else if (l.handshake.onFrame(buffer, offset, length, image)) {
                    establish(l);
                }
            } else if (image != l.pinnedImage) {
                dropForeign(l, image);
            } else if (handshakeFrame) {
                l.lateHandshakeFrames++;
            } else {
                l.receiver.accept(buffer, offset, length);
            }
        } catch (TransportException e) {
            rejected = e;
        }
    }

    private void establish(AeronLink l) {
        LinkHandshake hs = l.handshake;
        l.pinnedImage = hs.pinnedImage();
        l.linkHash = hs.linkHash();
        LinkCipher tx = ctx.trustedNetwork() ? LinkCipher.trusted(self, l.peer)
                : LinkCipher.keyed(self, l.peer, hs.sendCipher(), l.linkHash);
        LinkCipher rx = ctx.trustedNetwork() ? LinkCipher.trusted(l.peer, self)
                : LinkCipher.keyed(l.peer, self, hs.receiveCipher(), l.linkHash);
        l.sender = new LinkSender(l, tx, ctx.chunkLength());
        l.receiver = new LinkReceiver(self, l.peer, rx, ctx.chunkLength(), ctx.maxMessageLength());
        l.established = true;
    }

    private void dropForeign(AeronLink l, int image) {
        l.foreignFrames++;
        if (!l.foreignWarned) {
            l.foreignWarned = true;
            LOG.log(System.Logger.Level.WARNING, "link party " + l.peer + " -> party " + self + ": dropping frames"
                    + " from a stream image (Aeron session " + image + ") the handshake did not authenticate"
                    + " (another publisher on this party's channel)");
        }
    }

    /**
     * Waits, at most {@code limitNs} in all, until the media driver has sent everything each link's data publication
     * holds (its sender position has reached the publication's position; IPC publications have no sender and are
     * skipped). A peer that is gone cannot hold this up beyond the limit.
     */
    void awaitSent(CountersReader counters, long limitNs) {
        long deadline = System.nanoTime() + limitNs;
        for (AeronLink l : byPeer) {
            if (l == null || l.publication.isClosed()) {
                continue;
            }
            int sender = counters.findByTypeIdAndRegistrationId(AeronCounters.DRIVER_SENDER_POSITION_TYPE_ID,
                    l.publication.registrationId());
            long target = l.publication.position();
            while (sender != CountersReader.NULL_COUNTER_ID && counters.getCounterValue(sender) < target
                    && System.nanoTime() < deadline) {
                LockSupport.parkNanos(100_000);
            }
        }
    }

    void closeAll() {
        for (AeronLink l : byPeer) {
            if (l != null) {
                l.close();
            }
        }
    }
}
