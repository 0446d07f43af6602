package org.fastcrypt4j.transport.aeron;

import java.time.Duration;

import org.fastcrypt4j.transport.PeerFailureException;

/**
 * Liveness apart from progress, and the notices a failing party leaves its peers. {@link Heartbeats} sends and
 * checks authenticated heartbeats from a thread of its own, so a peer that computes for minutes is never reported
 * failed; {@link #check} turns what it and the links saw into one error naming the party at fault:
 * <ul>
 *   <li>a peer that closed its links, or whose heartbeats and frames stopped for the peer timeout (killed, hung as
 *       a whole, cut off), is reported by every call waiting on either link, even a call waiting on the other peer;
 *   <li>a peer that is alive but sends nothing this party waits for within the progress timeout is reported too,
 *       so no party hangs forever;</li>
 *   <li>a peer's abort notice (below) is reported as what it says, so the survivors name the party that really
 *       failed rather than the one that stopped because of it.</li>
 * </ul>
 *
 * <p><b>Abort notice.</b> Before closing its links, a failing party sends each live, established peer one
 * authenticated 8-byte message tagged {@value #ABORT_TAG}: {@code party | reason << 8}, where reason
 * {@link #REASON_FAILED} says that {@code party} failed (died, hung, unreachable) and {@link #REASON_SETUP} that the
 * sender could not set up its link with {@code party}, so the third party of a failed handshake stops at once with
 * the right names instead of waiting for its own connect timeout. Best effort and bounded: a few offer attempts,
 * no waiting; a peer that misses it still detects the failure by itself within the peer timeout.
 */
final class Liveness implements AutoCloseable {
    /** Tag of the abort notice (8 bytes). */
    static final String ABORT_TAG = "transport/abort";
    /** Abort reason: the named party failed. */
    static final long REASON_FAILED = 0;
    /** Abort reason: the sender could not set up its link with the named party. */
    static final long REASON_SETUP = 1;

    private final int self;
    private final AeronLinks aeronLinks;
    private final AeronLink[] links;
    private final Heartbeats heartbeats;
    private final Duration peerTimeout;
    private final Duration progressTimeout;
    private boolean closed;

    Liveness(int self, AeronLinks links, Heartbeats heartbeats, Duration peerTimeout, Duration progressTimeout) {
        this.self = self;
        this.aeronLinks = links;
        this.links = links.all();
        this.heartbeats = heartbeats;
        this.peerTimeout = peerTimeout;
        this.progressTimeout = progressTimeout;
    }

    /** Hands the heartbeat thread its own copies of the links' keys and starts it (after the handshakes). */
    void start() {
        for (AeronLink l : links) {
            if (l != null) {
                l.heartbeat.sendCipher = l.handshake.sendCipher() == null ? null : l.handshake.sendCipher().copy();
                l.heartbeat.receiveCipher = l.handshake.receiveCipher() == null ? null
                        : l.handshake.receiveCipher().copy();
                l.heartbeat.linkHash = l.linkHash.clone();
            }
        }
        heartbeats.start();
    }

    /** Heartbeats of {@code peer} dropped as forged, replayed, malformed or foreign. */
    long heartbeatsRejected(int peer) {
        return heartbeats.rejected(peer);
    }

    /**
     * Throws if a peer sent an abort notice, or if {@code waitingOn} (or the other peer) is gone or silent beyond the
     * timeouts; returns normally while both are alive.
     *
     * @param waitingSince when this party started waiting on {@code waitingOn} ({@link System#nanoTime()})
     */
    void check(AeronLink waitingOn, String tag, long waitingSince, long now) {
        checkNotices(tag);
        long limit = peerTimeout.toNanos();
        for (AeronLink o : links) {
            if (o != null && o != waitingOn && o.receiver != null) {
                // a third party that died is reported by name even while this party waits on the other one
                long heard = Math.max(o.receiver.lastFrameNanos(), heartbeats.lastHeard(o.peer));
                if (now - heard > limit) {
                    throw silent(o.peer, tag, now - heard);
                }
            }
        }
        if (!waitingOn.subscription.isConnected()) {
            // a peer that stops on purpose sends its abort notice before closing: read what is left first
            aeronLinks.pollAll();
            checkNotices(tag);
            throw new PeerFailureException(self, waitingOn.peer, tag, "link lost (peer closed or crashed)");
        }
        long lastFrame = waitingOn.receiver.lastFrameNanos();
        long heard = Math.max(lastFrame, heartbeats.lastHeard(waitingOn.peer));
        if (now - heard > limit) {
            throw silent(waitingOn.peer, tag, now - heard);
        }
        if (now - Math.max(waitingSince, lastFrame) > progressTimeout.toNanos()) {
            throw new PeerFailureException(self, waitingOn.peer, tag, "alive but no progress for "
                    + progressTimeout.toSeconds() + " s (progress timeout)");
        }
    }

    private PeerFailureException silent(int peer, String tag, long silentNanos) {
        return new PeerFailureException(self, peer, tag, "no heartbeat for " + silentNanos / 1_000_000 + " ms (limit "
                + peerTimeout.toMillis() + " ms): party " + peer + " is down, hung or unreachable");
    }

    /** Throws if an established peer left an abort notice. */
    void checkNotices(String tag) {
        for (AeronLink o : links) {
            if (o == null || o.receiver == null || o.receiver.abortNotice() < 0) {
                continue;
            }
            long notice = o.receiver.abortNotice();
            int party = (int) (notice & 0xff);
            if (notice >>> 8 == REASON_SETUP) {
                throw new PeerFailureException(self, o.peer, tag, "party " + o.peer + " could not set up its link with"
                        + " party " + party + " and stopped (its own error says why)", true);
            }
            if (party != self) {
                throw new PeerFailureException(self, party, tag, "reported failed by party " + o.peer
                        + ", which stopped", true);
            }
        }
    }

    /** Sends the abort notice {@code party | reason << 8} to every established peer other than {@code party}. */
    void notifyOthers(int party, long reason) {
        for (AeronLink l : links) {
            if (l == null || l.peer == party || !l.established) {
                continue;
            }
            try {
                l.sender.trySendLong(ABORT_TAG, party | reason << 8);
            } catch (RuntimeException ignored) {
                // the notice is a courtesy; the peer detects the failure by itself within the peer timeout
            }
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            heartbeats.close();
        }
    }
}
