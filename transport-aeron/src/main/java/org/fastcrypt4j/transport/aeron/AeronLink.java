package org.fastcrypt4j.transport.aeron;

import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;

/**
 * The state of one link, this party to one peer: the Aeron data streams both ways, the heartbeat streams, the
 * handshake while connecting, and once it completes the stream image it pinned, the send path
 * ({@link LinkSender}) and the receive path ({@link LinkReceiver}).
 */
final class AeronLink {
    final int self;
    final int peer;
    final Publication publication;
    final Subscription subscription;
    final Heartbeats.Peer heartbeat;
    final LinkHandshake handshake;
    FragmentAssembler assembler;
    /** Set when the handshake completes. */
    boolean established;
    /** Aeron session id of the stream image the handshake authenticated. */
    int pinnedImage;
    byte[] linkHash;
    LinkSender sender;
    LinkReceiver receiver;
    /** Frames from stream images the handshake did not authenticate (another publisher on the channel). */
    long foreignFrames;
    boolean foreignWarned;
    /** Handshake frames that arrived after the handshake completed (replays, late replies): dropped. */
    long lateHandshakeFrames;

    AeronLink(int self, int peer, Publication publication, Subscription subscription, Heartbeats.Peer heartbeat,
            LinkHandshake handshake) {
        this.self = self;
        this.peer = peer;
        this.publication = publication;
        this.subscription = subscription;
        this.heartbeat = heartbeat;
        this.handshake = handshake;
    }

    /** Every frame of this link dropped unread so far: foreign, forged, replayed, late handshake frames. */
    long framesDropped() {
        return foreignFrames + lateHandshakeFrames + (receiver == null ? 0 : receiver.dropped())
                + handshake.droppedStale() + handshake.authFailures() + handshake.malformed()
                + handshake.rejectsReceived();
    }

    void close() {
        publication.close();
        subscription.close();
        heartbeat.publication.close();
        heartbeat.subscription.close();
    }
}
