package org.fastcrypt4j.transport;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.aeron.Aeron;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * {@link Transport} over Aeron: UDP unicast between hosts, or IPC when the three parties live in one JVM.
 * The JVM's embedded media driver is started and stopped automatically ({@link SharedMediaDriver}).
 *
 * <p><b>Frames.</b> A message is cut into chunks of {@link Context#chunkLength()} bytes; each chunk is one
 * Aeron message with the header described in {@link FrameHeader} (tag, round stamp, message length, chunk
 * index, per-link sequence number). Aeron's own limit of {@code min(termLength / 8, 16 MiB)} bytes per
 * message therefore never constrains a message, which may be up to {@link Context#maxMessageLength()}.
 *
 * <p><b>Protection.</b> Unless the context says {@link Context#trustedNetwork(boolean) trustedNetwork}, every
 * frame is sealed by {@link LinkCipher}: AES-256-GCM, one key per direction derived from the X25519 agreement
 * between the parties' pinned keys; forged, replayed, reordered or truncated frames are rejected with
 * {@link FrameRejectedException} naming the link.
 *
 * <p><b>No deadlock, no hang.</b> The party's own thread does all the work: while an offer is back-pressured
 * it keeps polling both incoming links and buffers what arrives early (so a ring of simultaneous large sends
 * always progresses). A receive waits at most {@link Context#peerTimeout()} without a frame from the peer,
 * and fails at once when the peer's link goes away; an offer that makes no progress for that long fails too.
 * Either way {@link PeerFailureException} names the peer and the step. Connecting waits up to
 * {@link Context#connectTimeout()}.
 *
 * <p>Not thread safe: one thread per party, as the {@link Transport} contract says.
 */
public final class AeronTransport implements Transport {

    private static final System.Logger LOG = System.getLogger(AeronTransport.class.getName());
    private static final int FRAGMENT_LIMIT = 64;

    /** Settings with defaults; {@link #conclude()} validates them. Aeron style: fluent setters and getters. */
    public static final class Context {
        /**
         * Aeron term length of every link: 16 MiB allows 1 MiB chunks (Aeron's limit is termLength / 8) and keeps
         * a 64 MiB rotation flowing; the log buffers of one group take 6 x 3 x 16 MiB of /dev/shm per side.
         */
        public static final int DEFAULT_TERM_LENGTH = 16 * 1024 * 1024;
        /**
         * UDP MTU: Aeron's largest, 65504 bytes. In {@code bench transport} (64 MiB rotation, UDP loopback, 2 cores,
         * 2026-12-01) it gave 253 MB/s unprotected and 147 MB/s protected, against 128 and 100 MB/s at 8 KiB;
         * 32 KiB fell in between. (An earlier run saw 64 KiB datagrams stall with loss while AES-GCM was slow
         * enough to hold up the receivers; with segmented GCM, see {@link LinkCipher}, it no longer did.) Between
         * hosts whose network MTU is 1500 every datagram is IP-fragmented and one lost fragment costs the whole
         * datagram: on a lossy network set a smaller MTU.
         */
        public static final int DEFAULT_MTU_LENGTH = 65504;
        /** Payload bytes per frame (one AES-GCM operation and one Aeron message each). */
        public static final int DEFAULT_CHUNK_LENGTH = 1024 * 1024;
        /** Largest message. */
        public static final int DEFAULT_MAX_MESSAGE_LENGTH = Integer.MAX_VALUE - 1024;
        /** Socket buffers and initial receiver window of UDP links. */
        public static final int DEFAULT_SOCKET_BUFFER_LENGTH = 2 * 1024 * 1024;
        public static final Duration DEFAULT_PEER_TIMEOUT = Duration.ofSeconds(10);
        public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);
        public static final int DEFAULT_STREAM_ID_BASE = 0x4643_0000;

        /**
         * First of the nine Aeron stream ids of a group of parties ({@code base + 3 * from + to}). Two groups
         * sharing a driver over IPC, or the same UDP endpoints, must use different bases.
         */
        public static final int STREAM_IDS_PER_GROUP = 9;

        /** How the parties are linked. */
        public enum Channel { UDP, IPC }

        private Channel channel = Channel.UDP;
        private int termLength = DEFAULT_TERM_LENGTH;
        private int mtuLength = DEFAULT_MTU_LENGTH;
        private int chunkLength = DEFAULT_CHUNK_LENGTH;
        private int maxMessageLength = DEFAULT_MAX_MESSAGE_LENGTH;
        private int socketBufferLength = DEFAULT_SOCKET_BUFFER_LENGTH;
        private Duration peerTimeout = DEFAULT_PEER_TIMEOUT;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private int streamIdBase = DEFAULT_STREAM_ID_BASE;
        private boolean trustedNetwork;
        private io.aeron.driver.ThreadingMode driverThreadingMode = io.aeron.driver.ThreadingMode.SHARED;
        private Supplier<IdleStrategy> idleStrategy = () -> new BackoffIdleStrategy(20, 50,
                TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MICROSECONDS.toNanos(100));
        private boolean concluded;

        public Context channel(Channel c) {
            channel = c;
            return this;
        }

        public Channel channel() {
            return channel;
        }

        public Context termLength(int v) {
            termLength = v;
            return this;
        }

        public int termLength() {
            return termLength;
        }

        public Context mtuLength(int v) {
            mtuLength = v;
            return this;
        }

        public int mtuLength() {
            return mtuLength;
        }

        public Context chunkLength(int v) {
            chunkLength = v;
            return this;
        }

        public int chunkLength() {
            return chunkLength;
        }

        public Context maxMessageLength(int v) {
            maxMessageLength = v;
            return this;
        }

        public int maxMessageLength() {
            return maxMessageLength;
        }

        public Context socketBufferLength(int v) {
            socketBufferLength = v;
            return this;
        }

        public int socketBufferLength() {
            return socketBufferLength;
        }

        /** Longest silence of a peer the party is waiting for before it is declared failed. */
        public Context peerTimeout(Duration v) {
            peerTimeout = v;
            return this;
        }

        public Duration peerTimeout() {
            return peerTimeout;
        }

        public Context connectTimeout(Duration v) {
            connectTimeout = v;
            return this;
        }

        public Duration connectTimeout() {
            return connectTimeout;
        }

        public Context streamIdBase(int v) {
            streamIdBase = v;
            return this;
        }

        public int streamIdBase() {
            return streamIdBase;
        }

        /**
         * {@code true}: frames travel without encryption or authentication (a warning is logged at start).
         * Only for a network every party trusts, and as the benchmark's baseline.
         */
        public Context trustedNetwork(boolean v) {
            trustedNetwork = v;
            return this;
        }

        public boolean trustedNetwork() {
            return trustedNetwork;
        }

        /** Threading of the embedded media driver (taken from the context that starts it). */
        public Context driverThreadingMode(io.aeron.driver.ThreadingMode v) {
            driverThreadingMode = v;
            return this;
        }

        public io.aeron.driver.ThreadingMode driverThreadingMode() {
            return driverThreadingMode;
        }

        /**
         * Idle strategy of a waiting party (one instance per party). Default: {@link BackoffIdleStrategy} with 20
         * spins, 50 yields, then parking from 1 to 100 microseconds, so three parties and the driver share two
         * cores without starving each other while a busy exchange still reacts within microseconds.
         */
        public Context idleStrategy(Supplier<IdleStrategy> v) {
            idleStrategy = v;
            return this;
        }

        public Supplier<IdleStrategy> idleStrategy() {
            return idleStrategy;
        }

        /** Checks the settings; returns this. */
        public Context conclude() {
            if (concluded) {
                return this;
            }
            if (Integer.bitCount(termLength) != 1 || termLength < 64 * 1024 || termLength > 1 << 30) {
                throw new IllegalArgumentException("termLength must be a power of two in [64 KiB, 1 GiB]: " + termLength);
            }
            if (mtuLength < 1408 || mtuLength > 65504 || mtuLength % 32 != 0) {
                throw new IllegalArgumentException("mtuLength must be a multiple of 32 in [1408, 65504]: " + mtuLength);
            }
            int aeronMax = Math.min(termLength / 8, 16 * 1024 * 1024);
            long frameMax = chunkLength + (long) FrameHeader.LENGTH + LinkCipher.maxOverhead(Math.max(chunkLength, 0));
            if (chunkLength < 8 || chunkLength % 8 != 0 || frameMax > aeronMax
                    || chunkLength / LinkCipher.SEGMENT >= 1 << 16) {
                throw new IllegalArgumentException("chunkLength must be a positive multiple of 8 with chunk + header + "
                        + "GCM tags (" + frameMax + " bytes) <= min(termLength/8, 16 MiB) = " + aeronMax + ": "
                        + chunkLength);
            }
            if (maxMessageLength < 0) {
                throw new IllegalArgumentException("maxMessageLength < 0");
            }
            if (peerTimeout.isNegative() || peerTimeout.isZero() || connectTimeout.isNegative()
                    || connectTimeout.isZero()) {
                throw new IllegalArgumentException("timeouts must be positive");
            }
            concluded = true;
            return this;
        }
    }

    /** One direction pair to one peer. */
    private static final class Link {
        final int peer;
        final Publication publication;
        final Subscription subscription;
        final LinkCipher tx;
        final LinkCipher rx;
        final byte[] frame;
        final UnsafeBuffer frameBuffer;
        final ByteBuffer frameBytes;
        final LongBuffer frameLongs;
        final byte[] rxFrame;
        final FrameHeader txHeader = new FrameHeader();
        final FrameHeader rxHeader = new FrameHeader();
        final Inbox inbox = new Inbox();
        FragmentAssembler assembler;
        String lastTxTag;
        byte[] lastTxTagBytes;
        String lastRxTag = "";
        byte[] lastRxTagBytes = new byte[0];
        long lastFrameNanos;

        Link(int peer, Publication pub, Subscription sub, LinkCipher tx, LinkCipher rx, int chunkLength) {
            this.peer = peer;
            this.publication = pub;
            this.subscription = sub;
            this.tx = tx;
            this.rx = rx;
            int frameMax = FrameHeader.LENGTH + chunkLength + LinkCipher.maxOverhead(chunkLength);
            frame = new byte[frameMax];
            frameBuffer = new UnsafeBuffer(frame);
            frameBytes = ByteBuffer.wrap(frame);
            frameLongs = ByteBuffer.wrap(frame).position(FrameHeader.LENGTH).slice()
                    .order(ByteOrder.LITTLE_ENDIAN).asLongBuffer();
            rxFrame = new byte[frameMax];
            txHeader.wrap(frame);
            rxHeader.wrap(rxFrame);
        }
    }

    private final int self;
    private final Context ctx;
    private final Link[] links = new Link[3];
    private final TrafficStats stats = new TrafficStats();
    private final IdleStrategy idle;
    private final long peerTimeoutNs;
    private boolean closed;
    private boolean driverAcquired;
    private TransportException broken;
    /** A frame rejected inside a poll (Aeron does not let handler exceptions through); thrown after the poll. */
    private TransportException rejected;

    /**
     * Connects party {@code self} to the two others described by {@code cfg}, with the key pair {@code mine}
     * (whose public key must be the one pinned for {@code self}); waits up to the connect timeout for both.
     */
    public static AeronTransport connect(PartiesConfig cfg, int self, KeyPair mine, Context ctx) {
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
    AeronTransport(PartiesConfig cfg, int self, KeyPair mine, Context ctx) {
        if (self < 0 || self > 2) {
            throw new IllegalArgumentException("party id must be 0, 1 or 2: " + self);
        }
        this.self = self;
        this.ctx = ctx.conclude();
        this.peerTimeoutNs = ctx.peerTimeout().toNanos();
        this.idle = ctx.idleStrategy().get();
        if (ctx.trustedNetwork()) {
            LOG.log(System.Logger.Level.WARNING, "party " + self + ": trusted-network mode, frames are NOT"
                    + " encrypted or authenticated; use only on a network every party trusts");
        } else if (!mine.getPublic().equals(cfg.party(self).publicKey())) {
            throw new IllegalArgumentException("party " + self + ": the key pair does not match the public key"
                    + " pinned for party " + self + " in the parties file");
        }
        Aeron aeron = SharedMediaDriver.acquire(ctx);
        driverAcquired = true;
        try {
            for (int peer = 0; peer < 3; peer++) {
                if (peer == self) {
                    continue;
                }
                Publication pub = aeron.addExclusivePublication(channelTo(cfg, peer), streamId(self, peer));
                Subscription sub = aeron.addSubscription(channelTo(cfg, self), streamId(peer, self));
                LinkCipher tx = ctx.trustedNetwork() ? LinkCipher.trusted(self, peer)
                        : LinkCipher.protectedLink(self, peer, mine.getPrivate(), cfg.party(peer).publicKey());
                LinkCipher rx = ctx.trustedNetwork() ? LinkCipher.trusted(peer, self)
                        : LinkCipher.protectedLink(peer, self, mine.getPrivate(), cfg.party(peer).publicKey());
                Link link = new Link(peer, pub, sub, tx, rx, ctx.chunkLength());
                link.assembler = new FragmentAssembler((buffer, offset, length, header) ->
                        onFrame(link, buffer, offset, length), link.frame.length);
                links[peer] = link;
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private String channelTo(PartiesConfig cfg, int party) {
        if (ctx.channel() == Context.Channel.IPC) {
            return "aeron:ipc?term-length=" + ctx.termLength() + "|mtu=" + ctx.mtuLength();
        }
        PartiesConfig.Party p = cfg.party(party);
        return "aeron:udp?endpoint=" + p.host() + ":" + p.port() + "|term-length=" + ctx.termLength()
                + "|mtu=" + ctx.mtuLength() + "|rcv-wnd=" + ctx.socketBufferLength();
    }

    private int streamId(int from, int to) {
        return ctx.streamIdBase() + from * 3 + to;
    }

    /** Waits until both links are connected in both directions, up to the connect timeout. */
    void awaitConnected() {
        long deadline = System.nanoTime() + ctx.connectTimeout().toNanos();
        for (Link l : links) {
            if (l == null) {
                continue;
            }
            idle.reset();
            while (!(l.publication.isConnected() && l.subscription.isConnected())) {
                if (System.nanoTime() - deadline > 0) {
                    throw new PeerFailureException(self, l.peer, "connect", "not connected within "
                            + ctx.connectTimeout().toMillis() + " ms (is party " + l.peer + " running, with the"
                            + " same parties file?)");
                }
                pollAll();
                idle.idle();
            }
            l.lastFrameNanos = System.nanoTime();
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

    private Link link(int peer, String tag) {
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
        return links[peer];
    }

    private TransportException fail(TransportException e) {
        broken = e;
        return e;
    }

    private byte[] tagBytes(Link l, String tag) {
        if (!tag.equals(l.lastTxTag)) {
            byte[] b = tag.getBytes(StandardCharsets.UTF_8);
            if (b.length > FrameHeader.MAX_TAG_BYTES) {
                throw new IllegalArgumentException("tag longer than " + FrameHeader.MAX_TAG_BYTES + " bytes: " + tag);
            }
            l.lastTxTag = tag;
            l.lastTxTagBytes = b;
        }
        return l.lastTxTagBytes;
    }

    private int chunkCount(int length) {
        return Math.max(1, (int) ((length + (long) ctx.chunkLength() - 1) / ctx.chunkLength()));
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
        Link l = link(peer, tag);
        int bytes = checkedBytes(tag, (long) length * Long.BYTES);
        l.txHeader.tag(tagBytes(l, tag));
        long stamp = stats.onSend(tag, bytes);
        int chunks = chunkCount(bytes);
        int pos = 0;
        try {
            for (int c = 0; c < chunks; c++) {
                int n = Math.min(ctx.chunkLength(), bytes - pos);
                l.frameLongs.clear();
                l.frameLongs.put(src, offset + pos / Long.BYTES, n / Long.BYTES);
                sendChunk(l, tag, stamp, bytes, c, n);
                pos += n;
            }
        } catch (TransportException e) {
            throw fail(e);
        }
    }

    @Override
    public void send(int peer, String tag, ByteBuffer src) {
        Link l = link(peer, tag);
        int bytes = checkedBytes(tag, src.remaining());
        l.txHeader.tag(tagBytes(l, tag));
        long stamp = stats.onSend(tag, bytes);
        int chunks = chunkCount(bytes);
        int pos = 0;
        try {
            for (int c = 0; c < chunks; c++) {
                int n = Math.min(ctx.chunkLength(), bytes - pos);
                src.get(l.frame, FrameHeader.LENGTH, n);
                sendChunk(l, tag, stamp, bytes, c, n);
                pos += n;
            }
        } catch (TransportException e) {
            throw fail(e);
        }
    }

    private void sendChunk(Link l, String tag, long stamp, int messageLength, int chunk, int n) {
        l.txHeader.write(l.tx.nextSequence(), stamp, messageLength, chunk, n);
        int frameLength = l.tx.seal(l.frame, n);
        offer(l, frameLength, tag);
    }

    private void offer(Link l, int frameLength, String tag) {
        long since = System.nanoTime();
        idle.reset();
        while (true) {
            long r = l.publication.offer(l.frameBuffer, 0, frameLength);
            if (r > 0) {
                return;
            }
            if (r == Publication.CLOSED || r == Publication.MAX_POSITION_EXCEEDED) {
                throw new PeerFailureException(self, l.peer, tag, "link closed (offer returned " + r + ")");
            }
            int work = pollAll();
            if (work > 0) {
                since = System.nanoTime();
                idle.reset();
            } else {
                if (System.nanoTime() - since > peerTimeoutNs) {
                    throw new PeerFailureException(self, l.peer, tag, (r == Publication.NOT_CONNECTED
                            ? "not connected" : "not reading (back-pressure)") + " for "
                            + ctx.peerTimeout().toMillis() + " ms");
                }
                idle.idle();
            }
        }
    }

    private int pollAll() {
        int work = 0;
        for (Link l : links) {
            if (l != null) {
                work += l.subscription.poll(l.assembler, FRAGMENT_LIMIT);
                if (rejected != null) {
                    throw rejected;
                }
            }
        }
        return work;
    }

    private void onFrame(Link l, DirectBuffer buffer, int offset, int length) {
        if (rejected != null) {
            return;
        }
        try {
            acceptFrame(l, buffer, offset, length);
        } catch (TransportException e) {
            rejected = e;
        }
    }

    private void acceptFrame(Link l, DirectBuffer buffer, int offset, int length) {
        if (length > l.rxFrame.length) {
            throw new FrameRejectedException(l.peer, self, "oversized frame of " + length + " bytes");
        }
        int payload = l.rx.payloadLength(length);
        if (payload < 0) {
            throw new FrameRejectedException(l.peer, self, "truncated frame of " + length + " bytes");
        }
        byte[] frame = buffer.byteArray();
        int frameOffset;
        FrameHeader h = l.rxHeader;
        if (frame != null && buffer.wrapAdjustment() >= 0) {
            frameOffset = buffer.wrapAdjustment() + offset;
            h.wrap(frame, frameOffset, length);
        } else {
            buffer.getBytes(offset, l.rxFrame, 0, length);
            frame = l.rxFrame;
            frameOffset = 0;
            h.wrap(frame);
        }
        int tagLength = h.tagLength();
        int messageLength = h.messageLength();
        if (h.type() != FrameHeader.TYPE_DATA || tagLength < 0 || tagLength > FrameHeader.MAX_TAG_BYTES
                || messageLength < 0 || messageLength > ctx.maxMessageLength()) {
            throw new FrameRejectedException(l.peer, self, "malformed header (sequence " + h.sequence() + ")");
        }
        Inbox.Message m = l.inbox.partial();
        if (m == null) {
            if (h.chunkIndex() != 0) {
                throw new FrameRejectedException(l.peer, self, "chunk " + h.chunkIndex() + " starts a message");
            }
            String tag = l.lastRxTag;
            if (!h.tagEquals(l.lastRxTagBytes)) {
                tag = h.tagString();
                l.lastRxTag = tag;
                l.lastRxTagBytes = tag.getBytes(StandardCharsets.UTF_8);
            }
            m = l.inbox.start(tag, h.stamp(), messageLength);
        } else if (h.chunkIndex() != m.nextChunk || messageLength != m.length || h.stamp() != m.stamp) {
            throw new FrameRejectedException(l.peer, self, "chunk " + h.chunkIndex() + " of a " + messageLength
                    + "-byte message, expected chunk " + m.nextChunk + " of '" + m.tag + "' (" + m.length
                    + " bytes): truncated message");
        }
        if (payload > m.length - m.filled) {
            throw new FrameRejectedException(l.peer, self, "frame overruns message '" + m.tag + "'");
        }
        int n = l.rx.open(frame, frameOffset, length, h, m.data, m.filled);
        m.filled += n;
        m.nextChunk++;
        l.lastFrameNanos = System.nanoTime();
        if (m.filled == m.length) {
            l.inbox.finish();
        }
    }

    /** Waits for the next complete message from {@code l.peer}, checks tag and length, counts it. */
    private Inbox.Message await(Link l, String tag, long expectedBytes) {
        long start = System.nanoTime();
        idle.reset();
        try {
            while (true) {
                Inbox.Message h = l.inbox.head();
                if (h != null) {
                    if (!h.tag.equals(tag)) {
                        throw new TagMismatchException(self, l.peer, tag, h.tag);
                    }
                    if (h.complete()) {
                        if (h.length != expectedBytes) {
                            throw new TransportException("party " + self + ": message '" + tag + "' from party "
                                    + l.peer + " has " + h.length + " bytes, expected " + expectedBytes);
                        }
                        stats.onReceive(tag, h.length, h.stamp);
                        return h;
                    }
                }
                if (pollAll() > 0) {
                    idle.reset();
                    continue;
                }
                long now = System.nanoTime();
                if (!l.subscription.isConnected()) {
                    throw new PeerFailureException(self, l.peer, tag, "link lost (peer closed or crashed)");
                }
                if (now - Math.max(start, l.lastFrameNanos) > peerTimeoutNs) {
                    throw new PeerFailureException(self, l.peer, tag, "no frame within "
                            + ctx.peerTimeout().toMillis() + " ms");
                }
                idle.idle();
            }
        } catch (TransportException e) {
            throw fail(e);
        }
    }

    @Override
    public void receive(int peer, String tag, long[] dst, int offset, int length) {
        Link l = link(peer, tag);
        Inbox.Message m = await(l, tag, (long) length * Long.BYTES);
        m.longs.clear();
        m.longs.get(dst, offset, length);
        l.inbox.consumed(m);
    }

    @Override
    public void receive(int peer, String tag, ByteBuffer dst) {
        Link l = link(peer, tag);
        Inbox.Message m = await(l, tag, dst.remaining());
        dst.put(m.data, 0, m.length);
        l.inbox.consumed(m);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Link l : links) {
            if (l != null) {
                l.publication.close();
                l.subscription.close();
            }
        }
        if (driverAcquired) {
            driverAcquired = false;
            SharedMediaDriver.release();
        }
    }
}
