package org.fastcrypt4j.transport.aeron;

import java.nio.ByteBuffer;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;

import io.aeron.Aeron;
import io.aeron.Publication;
import org.agrona.concurrent.status.CountersReader;
import org.agrona.concurrent.IdleStrategy;
import org.fastcrypt4j.transport.PartiesConfig;
import org.fastcrypt4j.transport.PeerFailureException;
import org.fastcrypt4j.transport.TagMismatchException;
import org.fastcrypt4j.transport.TrafficStats;
import org.fastcrypt4j.transport.Transport;
import org.fastcrypt4j.transport.TransportException;

/**
 * {@link Transport} over Aeron: UDP unicast between hosts, or IPC when the three parties live in one JVM. The
 * JVM's embedded media driver is started and stopped automatically ({@link SharedMediaDriver}), in a directory only
 * this user can enter.
 *
 * <p>The work is split by role, as Aeron splits its own conductor, sender and receiver:
 * <ul>
 *   <li>{@link LinkSetup}: connecting, the per-link Noise KK handshakes ({@link LinkHandshake}) with fresh
 *       ephemeral keys, authenticated by the static keys pinned in the parties file (forward secret, and robust
 *       against replayed or forged set-up datagrams), and the session id, the SHA-256 of the three links' handshake
 *       hashes ({@link #sessionId()}), which the protocol layer binds its key agreement to;</li>
 *   <li>{@link LinkSender}: framing ({@link FrameHeader}: tag, round stamp, message length, chunk index, per-link
 *       sequence number), chunking into frames of {@link AeronContext#chunkLength()} bytes, so that Aeron's limit of
 *       {@code min(termLength / 8, 16 MiB)} per message never constrains a message, and sealing
 *       ({@link LinkCipher}: AES-256-GCM under the direction's traffic key, the header and the link's handshake
 *       hash as additional data);</li>
 *   <li>{@link AeronLinks} and {@link LinkReceiver}: polling, dispatch, authentication before anything is trusted
 *       or allocated, reassembly into the link's {@link Inbox};</li>
 *   <li>{@link Liveness} and {@link Heartbeats}: liveness apart from progress, and abort notices.</li>
 * </ul>
 *
 * <p><b>What happens to a bad frame</b> (UDP: anyone can send a datagram): frames on a stream image other than the
 * one the handshake authenticated, frames that do not authenticate, replays, and stale set-up frames are dropped and
 * counted ({@link #framesDropped(int)}); nothing is lost and the session goes on. The one frame that fails the
 * session closed is an <i>authentic</i> one that shows genuine frames were displaced from the stream (only a
 * datagram injected into the authenticated image can do that): the data cannot be recovered, and the party closes
 * its links so its peers fail at once.
 *
 * <p><b>Liveness apart from progress.</b> A peer that computes for minutes keeps sending heartbeats and is never
 * reported failed, while a peer that is killed, hangs as a whole, or is cut off is reported within
 * {@link AeronContext#peerTimeout()} (default 8 s) by every call waiting on it, naming the peer and the step. While an
 * offer is back-pressured the party keeps polling both incoming links and buffers what arrives early, so a ring of
 * simultaneous large sends always progresses.
 *
 * <p>Not thread safe: one thread per party, as the {@link Transport} contract says.
 */
public final class AeronTransport implements Transport {

    private static final System.Logger LOG = System.getLogger(AeronTransport.class.getName());

    /**
     * How long a closing transport waits for the media driver to send what its publications still hold: a party that
     * exits right after its last message (the embedded driver closes with the process) would otherwise lose it.
     */
    private static final long DRAIN_LIMIT_NS = 2_000_000_000L;

    private final int self;
    private final AeronContext ctx;
    private final AeronLinks links;
    private final TrafficStats stats = new TrafficStats();
    private final IdleStrategy idle;
    private final LinkSender.Blocked whileBlocked = this::whileBlocked;
    private Liveness liveness;
    private CountersReader counters;
    private byte[] sessionId;
    /** False while the transport's own set-up messages travel: they are not the protocol's traffic. */
    private boolean counting = true;
    private boolean closed;
    private boolean linksClosed;
    private boolean driverAcquired;
    private TransportException broken;

    /**
     * Connects party {@code self} to the two others described by {@code cfg}, with the key pair {@code mine}
     * (whose public key must be the one pinned for {@code self}): waits up to the connect timeout for both
     * links, runs the handshakes and agrees the session id. The peers must connect at the same time.
     */
    public static AeronTransport connect(PartiesConfig cfg, int self, KeyPair mine, AeronContext ctx) {
        AeronTransport t = new AeronTransport(cfg, self, mine, ctx);
        try {
            t.awaitConnected();
        } catch (RuntimeException e) {
            t.close();
            throw e;
        }
        return t;
    }

    /** Adds the publications and subscriptions without waiting; {@link #awaitConnected()} completes. */
    AeronTransport(PartiesConfig cfg, int self, KeyPair mine, AeronContext ctx) {
        if (self < 0 || self > 2) {
            throw new IllegalArgumentException("party id must be 0, 1 or 2: " + self);
        }
        this.self = self;
        this.ctx = ctx.conclude();
        this.idle = ctx.idleStrategy().get();
        this.links = new AeronLinks(self, ctx);
        if (ctx.trustedNetwork()) {
            LOG.log(System.Logger.Level.WARNING, "party " + self + ": trusted-network mode, frames are NOT"
                    + " encrypted or authenticated and peers are not authenticated; use only on a network every"
                    + " party trusts");
        } else {
            if (!mine.getPublic().equals(cfg.party(self).publicKey())) {
                throw new IllegalArgumentException("party " + self + ": the key pair does not match the public key"
                        + " pinned for party " + self + " in the parties file");
            }
            LinkCipher.warmUpOnce();
        }
        Aeron aeron = SharedMediaDriver.acquire(ctx);
        driverAcquired = true;
        counters = aeron.countersReader();
        try {
            List<Heartbeats.Peer> beats = new ArrayList<>();
            for (int peer = 0; peer < 3; peer++) {
                if (peer == self) {
                    continue;
                }
                Publication pub = aeron.addExclusivePublication(channelTo(cfg, peer), streamId(self, peer));
                Heartbeats.Peer hb = new Heartbeats.Peer(peer,
                        aeron.addExclusivePublication(channelTo(cfg, peer), heartbeatStreamId(self, peer)),
                        aeron.addSubscription(channelTo(cfg, self), heartbeatStreamId(peer, self)));
                beats.add(hb);
                LinkHandshake hs = new LinkHandshake(self, peer, mine,
                        ctx.trustedNetwork() ? null : cfg.party(peer).publicKey());
                links.add(new AeronLink(self, peer, pub, aeron.addSubscription(channelTo(cfg, self),
                        streamId(peer, self)), hb, hs));
            }
            liveness = new Liveness(self, links, new Heartbeats(self, ctx.heartbeatInterval(), beats),
                    ctx.peerTimeout(), ctx.progressTimeout());
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private String channelTo(PartiesConfig cfg, int party) {
        if (ctx.channel() == AeronContext.Channel.IPC) {
            return "aeron:ipc?term-length=" + ctx.termLength() + "|mtu=" + ctx.mtuLength();
        }
        PartiesConfig.Party p = cfg.party(party);
        return "aeron:udp?endpoint=" + p.host() + ":" + p.port() + "|term-length=" + ctx.termLength()
                + "|mtu=" + ctx.mtuLength() + "|rcv-wnd=" + ctx.socketBufferLength();
    }

    private int streamId(int from, int to) {
        return ctx.streamIdBase() + from * 3 + to;
    }

    private int heartbeatStreamId(int from, int to) {
        return ctx.streamIdBase() + 9 + from * 3 + to;
    }

    /** Connects both links, runs the handshakes, starts the heartbeats and agrees the session id (connect timeout). */
    void awaitConnected() {
        try {
            new LinkSetup(self, links, liveness, idle, ctx).connectLinks();
        } catch (TransportException e) {
            throw fail(e);
        }
        counting = false;
        try {
            sessionId = LinkSetup.agreeSessionId(this, links.get(next()), links.get(prev()));
        } finally {
            counting = true;
        }
    }

    @Override
    public int partyId() {
        return self;
    }

    @Override
    public TrafficStats stats() {
        return stats;
    }

    @Override
    public byte[] sessionId() {
        if (sessionId == null) {
            throw new IllegalStateException("party " + self + ": not connected yet");
        }
        return sessionId.clone();
    }

    @Override
    public boolean linksProtected() {
        return !ctx.trustedNetwork();
    }

    /** Data frames from {@code peer} dropped because they came on a stream image the handshake did not authenticate. */
    public long foreignFramesDropped(int peer) {
        return links.get(peer).foreignFrames;
    }

    /**
     * Every frame on the link from {@code peer} dropped unread: from a stream image the handshake did not
     * authenticate, failing authentication, replayed, or a stale, forged or late set-up frame.
     */
    public long framesDropped(int peer) {
        return links.get(peer).framesDropped();
    }

    /** Heartbeats from {@code peer} dropped as forged, replayed, malformed or foreign. */
    public long heartbeatsRejected(int peer) {
        return liveness.heartbeatsRejected(peer);
    }

    /** The links (package use: tests inject frames through {@link AeronLinks#deliver}). */
    AeronLinks links() {
        return links;
    }

    private AeronLink link(int peer, String tag) {
        if (peer < 0 || peer > 2 || peer == self) {
            throw new IllegalArgumentException("party " + self + ": invalid peer " + peer + " for '" + tag + "'");
        }
        if (closed) {
            throw new TransportException("party " + self + ": transport closed, cannot run '" + tag + "'");
        }
        if (broken != null) {
            throw new TransportException("party " + self + ": transport unusable after an earlier failure: "
                    + broken.getMessage(), broken);
        }
        return links.get(peer);
    }

    /** Records the failure and closes the links, so the peers fail at once instead of waiting for us. */
    private TransportException fail(TransportException e) {
        if (broken == null) {
            if (e instanceof PeerFailureException pf && !pf.peersInformed() && liveness != null) {
                liveness.notifyOthers(pf.peer(), Liveness.REASON_FAILED);
            }
            broken = e;
            closeLinks();
        }
        return e;
    }

    private int checkedBytes(String tag, long bytes) {
        if (bytes > ctx.maxMessageLength()) {
            throw new IllegalArgumentException("party " + self + ": message '" + tag + "' of " + bytes
                    + " bytes exceeds maxMessageLength " + ctx.maxMessageLength());
        }
        return (int) bytes;
    }

    @Override
    public void send(int peer, String tag, long[] src, int offset, int length) {
        AeronLink l = link(peer, tag);
        int bytes = checkedBytes(tag, (long) length * Long.BYTES);
        long stamp = counting ? stats.onSend(tag, bytes) : 0;
        try {
            l.sender.send(tag, stamp, src, offset, bytes, whileBlocked);
        } catch (TransportException e) {
            throw fail(e);
        }
    }

    @Override
    public void send(int peer, String tag, ByteBuffer src) {
        AeronLink l = link(peer, tag);
        int bytes = checkedBytes(tag, src.remaining());
        long stamp = counting ? stats.onSend(tag, bytes) : 0;
        try {
            l.sender.send(tag, stamp, src, bytes, whileBlocked);
        } catch (TransportException e) {
            throw fail(e);
        }
    }

    /** Between offers a peer is not ready for: keep the incoming links flowing, check liveness, idle. */
    private void whileBlocked(AeronLink l, String tag, long result, long since) {
        if (links.pollAll() > 0) {
            idle.reset();
            return;
        }
        long now = System.nanoTime();
        if (result == Publication.NOT_CONNECTED && now - since > ctx.peerTimeout().toNanos()) {
            throw new PeerFailureException(self, l.peer, tag, "not connected for " + ctx.peerTimeout().toMillis()
                    + " ms");
        }
        // back-pressure from a peer that is busy computing is normal: wait while it is alive
        liveness.check(l, tag, since, now);
        idle.idle();
    }

    /** Waits for the next complete message from {@code l.peer}, checks tag and length, counts it. */
    private Inbox.Message await(AeronLink l, String tag, long expectedBytes) {
        long start = System.nanoTime();
        idle.reset();
        l.receiver.expect(tag, expectedBytes);
        try {
            while (true) {
                Inbox.Message h = l.receiver.inbox().head();
                if (h != null) {
                    if (!h.tag.equals(tag)) {
                        throw new TagMismatchException(self, l.peer, tag, h.tag);
                    }
                    if (h.length != expectedBytes) {
                        throw new TransportException("party " + self + ": message '" + tag + "' from party "
                                + l.peer + " has " + h.length + " bytes, expected " + expectedBytes);
                    }
                    if (h.complete()) {
                        if (counting) {
                            stats.onReceive(tag, h.length, h.stamp);
                        }
                        return h;
                    }
                }
                if (links.pollAll() > 0) {
                    idle.reset();
                    continue;
                }
                liveness.check(l, tag, start, System.nanoTime());
                idle.idle();
            }
        } catch (TransportException e) {
            throw fail(e);
        } finally {
            l.receiver.expect(null, -1);
        }
    }

    @Override
    public void receive(int peer, String tag, long[] dst, int offset, int length) {
        AeronLink l = link(peer, tag);
        Inbox.Message m = await(l, tag, (long) length * Long.BYTES);
        m.longs.clear();
        m.longs.get(dst, offset, length);
        l.receiver.inbox().consumed(m);
    }

    @Override
    public void receive(int peer, String tag, ByteBuffer dst) {
        AeronLink l = link(peer, tag);
        Inbox.Message m = await(l, tag, dst.remaining());
        dst.put(m.data, 0, m.length);
        l.receiver.inbox().consumed(m);
    }

    private void closeLinks() {
        if (linksClosed) {
            return;
        }
        linksClosed = true;
        if (liveness != null) {
            liveness.close();
        }
        if (broken == null && counters != null) {
            links.awaitSent(counters, DRAIN_LIMIT_NS);
        }
        links.closeAll();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeLinks();
        if (driverAcquired) {
            driverAcquired = false;
            SharedMediaDriver.release();
        }
    }
}
