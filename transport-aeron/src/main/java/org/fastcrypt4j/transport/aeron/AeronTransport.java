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
 * <p><b>Connecting.</b> Each pair of parties runs a Noise KK handshake with fresh ephemeral keys on its data
 * streams ({@link LinkHandshake}), authenticated by the static keys pinned in the parties file, so every
 * connection has its own traffic keys (forward secret: a static key stolen later does not open a recorded
 * session). The parties then agree the session id, the SHA-256 of the three links' handshake hashes
 * ({@link #sessionId()}), which the protocol layer binds its key agreement to.
 *
 * <p><b>Frames.</b> A message is cut into chunks of {@link Context#chunkLength()} bytes; each chunk is one
 * Aeron message with the header described in {@link FrameHeader} (tag, round stamp, message length, chunk
 * index, per-link sequence number), sealed by {@link LinkCipher} (AES-256-GCM under the direction's traffic
 * key, the header and the link's handshake hash as additional data). Aeron's own limit of
 * {@code min(termLength / 8, 16 MiB)} bytes per message therefore never constrains a message, which may be up
 * to {@link Context#maxMessageLength()}.
 *
 * <p><b>Receiving.</b> A frame is authenticated before any of its fields is trusted: the first chunk of a
 * message is opened into a chunk-sized scratch buffer, and only then is its message length used to allocate
 * (at most {@link Context#maxMessageLength()}, and exactly what the protocol expects when this party is
 * already waiting for that message); later chunks are bounded by the frame's own size before they are
 * opened. What happens to a bad frame (a documented choice):
 * <ul>
 *   <li>frames on a stream image other than the one the handshake authenticated (another publisher on the
 *       same channel and stream, as anyone on the host or network may create) are dropped and counted
 *       ({@link #foreignFramesDropped(int)}); the genuine stream is untouched, so nothing is lost;</li>
 *   <li>a frame on the authenticated image that is forged, replayed, reordered or truncated fails the session
 *       closed with {@link FrameRejectedException} naming the link: such a datagram has taken the place of
 *       genuine data in Aeron's reliable stream, so the stream cannot continue without losing data. The
 *       party closes its links, so its peers fail at once ("link lost") instead of waiting.</li>
 * </ul>
 *
 * <p><b>Liveness apart from progress.</b> {@link Heartbeats} sends authenticated heartbeats on streams of
 * their own from a thread of its own, so a peer that computes for minutes is never reported failed, while a
 * peer that is killed, hangs as a whole, or is cut off is reported within {@link Context#peerTimeout()}
 * (default 8 s) by every call waiting on it, naming the peer and the step. A peer that stays alive but sends
 * nothing this party waits for within {@link Context#progressTimeout()} (default 1 h) is reported too, so no
 * party hangs forever. While an offer is back-pressured the party keeps polling both incoming links and
 * buffers what arrives early, so a ring of simultaneous large sends always progresses.
 *
 * <p>Not thread safe: one thread per party, as the {@link Transport} contract says.
 */
public final class AeronTransport implements Transport {

    private static final System.Logger LOG = System.getLogger(AeronTransport.class.getName());
    private static final int FRAGMENT_LIMIT = 64;
    /** Tag of the notice a failing party sends its other peer: which party failed (8 bytes). */
    static final String ABORT_TAG = "transport/abort";

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
        /**
         * Largest message: 1 GiB, above every message of the networks benchmarked (the largest, a VGG16
         * activation reshare, is tens of MiB) and small enough that a peer's message cannot exhaust memory.
         */
        public static final int DEFAULT_MAX_MESSAGE_LENGTH = 1 << 30;
        /** Socket buffers and initial receiver window of UDP links. */
        public static final int DEFAULT_SOCKET_BUFFER_LENGTH = 2 * 1024 * 1024;
        /** No heartbeat (or frame) from a peer for this long: it is reported failed. */
        public static final Duration DEFAULT_PEER_TIMEOUT = Duration.ofSeconds(8);
        /** How often each party sends every peer a heartbeat. */
        public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofMillis(500);
        /** A live peer that sends nothing this party waits for within this long is reported failed. */
        public static final Duration DEFAULT_PROGRESS_TIMEOUT = Duration.ofHours(1);
        public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);
        public static final int DEFAULT_STREAM_ID_BASE = 0x4643_0000;

        /**
         * Aeron stream ids of a group of parties, from the base: data {@code base + 3 * from + to}, heartbeats
         * {@code base + 9 + 3 * from + to}. Two groups sharing a driver over IPC, or the same UDP endpoints, must
         * use bases at least this far apart.
         */
        public static final int STREAM_IDS_PER_GROUP = 18;

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
        private Duration heartbeatInterval = DEFAULT_HEARTBEAT_INTERVAL;
        private Duration progressTimeout = DEFAULT_PROGRESS_TIMEOUT;
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

        /**
         * Longest time without a heartbeat or frame from a peer before it is declared failed (liveness, not
         * progress: a peer that is computing keeps sending heartbeats).
         */
        public Context peerTimeout(Duration v) {
            peerTimeout = v;
            return this;
        }

        public Duration peerTimeout() {
            return peerTimeout;
        }

        public Context heartbeatInterval(Duration v) {
            heartbeatInterval = v;
            return this;
        }

        public Duration heartbeatInterval() {
            return heartbeatInterval;
        }

        /** Longest wait for a message from a peer that is alive (sends heartbeats) but sends nothing else. */
        public Context progressTimeout(Duration v) {
            progressTimeout = v;
            return this;
        }

        public Duration progressTimeout() {
            return progressTimeout;
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
         * {@code true}: frames travel without encryption or authentication and no handshake authenticates the
         * peers (a warning is logged at start). Only for a network every party trusts, and as the benchmark's
         * baseline; {@code Session.start} refuses such links unless told explicitly that they are acceptable.
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
                    || LinkCipher.segments(chunkLength) > LinkCipher.MAX_SEGMENTS) {
                throw new IllegalArgumentException("chunkLength must be a positive multiple of 8 with chunk + header + "
                        + "GCM tags (" + frameMax + " bytes) <= min(termLength/8, 16 MiB) = " + aeronMax + ": "
                        + chunkLength);
            }
            if (maxMessageLength < 0) {
                throw new IllegalArgumentException("maxMessageLength < 0");
            }
            for (Duration d : new Duration[] {peerTimeout, connectTimeout, heartbeatInterval, progressTimeout}) {
                if (d.isNegative() || d.isZero()) {
                    throw new IllegalArgumentException("timeouts and the heartbeat interval must be positive");
                }
            }
            if (heartbeatInterval.multipliedBy(4).compareTo(peerTimeout) > 0) {
                throw new IllegalArgumentException("heartbeatInterval " + heartbeatInterval.toMillis() + " ms must be"
                        + " at most a quarter of peerTimeout " + peerTimeout.toMillis() + " ms");
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
        final Heartbeats.Peer heartbeat;
        final LinkHandshake handshake;
        LinkCipher tx;
        LinkCipher rx;
        byte[] linkHash;
        int pinnedSession;
        boolean established;
        long foreignFrames;
        boolean foreignWarned;
        /** Set when the handshake completes. */
        LinkReceiver receiver;
        final byte[] frame;
        final UnsafeBuffer frameBuffer;
        final LongBuffer frameLongs;
        final FrameHeader txHeader = new FrameHeader();
        FragmentAssembler assembler;
        String lastTxTag;
        byte[] lastTxTagBytes;

        Link(int peer, Publication pub, Subscription sub, Heartbeats.Peer heartbeat, LinkHandshake handshake,
                int chunkLength) {
            this.peer = peer;
            this.publication = pub;
            this.subscription = sub;
            this.heartbeat = heartbeat;
            this.handshake = handshake;
            int frameMax = FrameHeader.LENGTH + chunkLength + LinkCipher.maxOverhead(chunkLength);
            frame = new byte[frameMax];
            frameBuffer = new UnsafeBuffer(frame);
            frameLongs = ByteBuffer.wrap(frame).position(FrameHeader.LENGTH).slice()
                    .order(ByteOrder.LITTLE_ENDIAN).asLongBuffer();
            txHeader.wrap(frame);
        }
    }

    private final int self;
    private final Context ctx;
    private final Link[] links = new Link[3];
    private final TrafficStats stats = new TrafficStats();
    private final IdleStrategy idle;
    private final long peerTimeoutNs;
    private final long progressTimeoutNs;
    private Heartbeats heartbeats;
    private byte[] sessionId;
    /** False while the transport's own set-up messages travel: they are not the protocol's traffic. */
    private boolean counting = true;
    private boolean closed;
    private boolean linksClosed;
    private boolean driverAcquired;
    private TransportException broken;
    /** A frame rejected inside a poll (Aeron does not let handler exceptions through); thrown after the poll. */
    private TransportException rejected;

    /**
     * Connects party {@code self} to the two others described by {@code cfg}, with the key pair {@code mine}
     * (whose public key must be the one pinned for {@code self}): waits up to the connect timeout for both
     * links, runs the handshakes and agrees the session id. The peers must connect at the same time.
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
        this.progressTimeoutNs = ctx.progressTimeout().toNanos();
        this.idle = ctx.idleStrategy().get();
        if (ctx.trustedNetwork()) {
            LOG.log(System.Logger.Level.WARNING, "party " + self + ": trusted-network mode, frames are NOT"
                    + " encrypted or authenticated and peers are not authenticated; use only on a network every"
                    + " party trusts");
        } else if (!mine.getPublic().equals(cfg.party(self).publicKey())) {
            throw new IllegalArgumentException("party " + self + ": the key pair does not match the public key"
                    + " pinned for party " + self + " in the parties file");
        }
        if (!ctx.trustedNetwork()) {
            LinkCipher.warmUpOnce();
        }
        Aeron aeron = SharedMediaDriver.acquire(ctx);
        driverAcquired = true;
        try {
            java.util.List<Heartbeats.Peer> beats = new java.util.ArrayList<>();
            for (int peer = 0; peer < 3; peer++) {
                if (peer == self) {
                    continue;
                }
                Publication pub = aeron.addExclusivePublication(channelTo(cfg, peer), streamId(self, peer));
                Subscription sub = aeron.addSubscription(channelTo(cfg, self), streamId(peer, self));
                Heartbeats.Peer hb = new Heartbeats.Peer(peer,
                        aeron.addExclusivePublication(channelTo(cfg, peer), heartbeatStreamId(self, peer)),
                        aeron.addSubscription(channelTo(cfg, self), heartbeatStreamId(peer, self)));
                beats.add(hb);
                LinkHandshake hs = new LinkHandshake(self, peer, mine,
                        ctx.trustedNetwork() ? null : cfg.party(peer).publicKey());
                Link link = new Link(peer, pub, sub, hb, hs, ctx.chunkLength());
                link.assembler = new FragmentAssembler((buffer, offset, length, header) ->
                        onFrame(link, buffer, offset, length, header.sessionId()), link.frame.length);
                links[peer] = link;
            }
            heartbeats = new Heartbeats(self, ctx.heartbeatInterval(), beats);
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

    private int heartbeatStreamId(int from, int to) {
        return ctx.streamIdBase() + 9 + from * 3 + to;
    }

    /**
     * Waits until both links are connected in both directions, runs both handshakes, starts the heartbeats and
     * agrees the session id; all within the connect timeout.
     */
    void awaitConnected() {
        long deadline = System.nanoTime() + ctx.connectTimeout().toNanos();
        for (Link l : links) {
            if (l == null) {
                continue;
            }
            idle.reset();
            while (!(l.publication.isConnected() && l.subscription.isConnected()
                    && l.heartbeat.publication.isConnected() && l.heartbeat.subscription.isConnected())) {
                checkConnectDeadline(deadline, l, "not connected");
                pollAll();
                idle.idle();
            }
        }
        runHandshakes(deadline);
        for (Link l : links) {
            if (l != null) {
                l.heartbeat.sendCipher = l.handshake.sendCipher() == null ? null : l.handshake.sendCipher().copy();
                l.heartbeat.receiveCipher = l.handshake.receiveCipher() == null ? null
                        : l.handshake.receiveCipher().copy();
                l.heartbeat.linkHash = l.linkHash.clone();
            }
        }
        heartbeats.start();
        counting = false;
        try {
            agreeSessionId();
        } finally {
            counting = true;
        }
    }

    private void checkConnectDeadline(long deadline, Link l, String what) {
        if (System.nanoTime() - deadline > 0) {
            throw new PeerFailureException(self, l.peer, "connect", what + " within " + ctx.connectTimeout().toMillis()
                    + " ms (is party " + l.peer + " running, with the same parties file?)");
        }
    }

    private void runHandshakes(long deadline) {
        idle.reset();
        while (true) {
            boolean all = true;
            for (Link l : links) {
                if (l == null) {
                    continue;
                }
                byte[] out = l.handshake.takeOutgoing();
                if (out != null) {
                    offerHandshake(l, out, deadline);
                }
                if (l.handshake.failure() != null) {
                    throw new TransportException(l.handshake.failure());
                }
                all &= l.established;
            }
            if (all) {
                return;
            }
            for (Link l : links) {
                if (l != null && !l.established) {
                    checkConnectDeadline(deadline, l, "no completed handshake");
                }
            }
            if (pollAll() == 0) {
                idle.idle();
            } else {
                idle.reset();
            }
        }
    }

    private void offerHandshake(Link l, byte[] frame, long deadline) {
        UnsafeBuffer b = new UnsafeBuffer(frame);
        while (true) {
            long r = l.publication.offer(b, 0, frame.length);
            if (r > 0) {
                return;
            }
            if (r == Publication.CLOSED || r == Publication.MAX_POSITION_EXCEEDED) {
                throw new PeerFailureException(self, l.peer, "connect", "link closed during the handshake");
            }
            checkConnectDeadline(deadline, l, "handshake not sent");
            idle.idle();
        }
    }

    /**
     * Session id = SHA-256("fastcrypt4j session v1" || h01 || h02 || h12) over the three links' handshake hashes.
     * Each party knows the hashes of its two links and learns the third from both its peers (who must agree):
     * one round, 32 bytes to each peer.
     */
    private void agreeSessionId() {
        byte[][] h = new byte[3][];
        int p = Transport.next(self);
        int q = Transport.prev(self);
        h[third(self, p)] = links[p].linkHash;
        h[third(self, q)] = links[q].linkHash;
        send(p, "transport/session-id", ByteBuffer.wrap(links[q].linkHash));
        send(q, "transport/session-id", ByteBuffer.wrap(links[p].linkHash));
        ByteBuffer fromP = ByteBuffer.allocate(32);
        ByteBuffer fromQ = ByteBuffer.allocate(32);
        receive(p, "transport/session-id", fromP);
        receive(q, "transport/session-id", fromQ);
        if (!java.security.MessageDigest.isEqual(fromP.array(), fromQ.array())) {
            throw new TransportException("party " + self + ": parties " + p + " and " + q + " report different"
                    + " handshake hashes for their link");
        }
        h[self] = fromP.array();
        try {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            sha.update("fastcrypt4j session v1".getBytes(StandardCharsets.US_ASCII));
            // h[k] is the hash of the link that does not involve party k: order h01, h02, h12 = h[2], h[1], h[0]
            sha.update(h[2]);
            sha.update(h[1]);
            sha.update(h[0]);
            sessionId = sha.digest();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The party that is neither a nor b. */
    private static int third(int a, int b) {
        return 3 - a - b;
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
        return links[peer].foreignFrames;
    }

    /** Heartbeats from {@code peer} dropped as forged, replayed, malformed or foreign. */
    public long heartbeatsRejected(int peer) {
        return heartbeats.rejected(peer);
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

    /** Records the failure and closes the links, so the peers fail at once instead of waiting for us. */
    private TransportException fail(TransportException e) {
        if (broken == null) {
            if (e instanceof PeerFailureException pf) {
                notifyOthers(pf.peer());
            }
            broken = e;
            closeLinks();
        }
        return e;
    }

    /**
     * Tells the live peers, before closing the links, which party failed, so that a party waiting on this one
     * reports the party that really failed rather than this one. Best effort and bounded: one authenticated frame
     * per peer, a few offer attempts, no waiting.
     */
    private void notifyOthers(int failed) {
        for (Link l : links) {
            if (l == null || l.peer == failed || !l.established) {
                continue;
            }
            try {
                l.txHeader.tag(tagBytes(l, ABORT_TAG));
                l.frameLongs.clear();
                l.frameLongs.put(failed);
                l.txHeader.write(l.tx.nextSequence(), 0, Long.BYTES, 0, Long.BYTES);
                int len = l.tx.seal(l.frame, Long.BYTES);
                for (int attempt = 0; attempt < 100 && l.publication.offer(l.frameBuffer, 0, len) < 0; attempt++) {
                    java.util.concurrent.locks.LockSupport.parkNanos(100_000);
                }
            } catch (RuntimeException ignored) {
                // the notice is a courtesy; the peer detects the failure by itself within peerTimeout
            }
        }
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
        long stamp = counting ? stats.onSend(tag, bytes) : 0;
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
        long stamp = counting ? stats.onSend(tag, bytes) : 0;
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
                idle.reset();
                continue;
            }
            long now = System.nanoTime();
            if (r == Publication.NOT_CONNECTED && now - since > peerTimeoutNs) {
                throw new PeerFailureException(self, l.peer, tag, "not connected for " + ctx.peerTimeout().toMillis()
                        + " ms");
            }
            // back-pressure from a peer that is busy computing is normal: wait while it is alive
            checkAlive(l, tag, since, now);
            idle.idle();
        }
    }

    /** Fails when the peer is gone (link lost, no heartbeat within peerTimeout) or silent beyond progressTimeout. */
    private void checkAlive(Link l, String tag, long waitingSince, long now) {
        for (Link o : links) {
            if (o == null) {
                continue;
            }
            int reported = o.receiver.reportedFailed();
            if (reported >= 0 && reported != self) {
                throw new PeerFailureException(self, reported, tag, "reported failed by party " + o.peer
                        + ", which stopped");
            }
            if (o != l) {
                // a third party that died is reported by name even while this party waits on the other one
                long heardOther = Math.max(o.receiver.lastFrameNanos(), heartbeats.lastHeard(o.peer));
                if (now - heardOther > peerTimeoutNs) {
                    throw new PeerFailureException(self, o.peer, tag, "no heartbeat for " + (now - heardOther) / 1_000_000
                            + " ms (limit " + ctx.peerTimeout().toMillis() + " ms): party " + o.peer
                            + " is down, hung or unreachable");
                }
            }
        }
        if (!l.subscription.isConnected()) {
            throw new PeerFailureException(self, l.peer, tag, "link lost (peer closed or crashed)");
        }
        long lastFrame = l.receiver.lastFrameNanos();
        long heard = Math.max(lastFrame, heartbeats.lastHeard(l.peer));
        if (now - heard > peerTimeoutNs) {
            throw new PeerFailureException(self, l.peer, tag, "no heartbeat for " + (now - heard) / 1_000_000
                    + " ms (limit " + ctx.peerTimeout().toMillis() + " ms): party " + l.peer
                    + " is down, hung or unreachable");
        }
        if (now - Math.max(waitingSince, lastFrame) > progressTimeoutNs) {
            throw new PeerFailureException(self, l.peer, tag, "alive but no progress for "
                    + ctx.progressTimeout().toSeconds() + " s (progress timeout)");
        }
    }

    private int pollAll() {
        int work = 0;
        for (Link l : links) {
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

    private void onFrame(Link l, DirectBuffer buffer, int offset, int length, int imageSession) {
        if (rejected != null) {
            return;
        }
        try {
            if (!l.established) {
                onConnectFrame(l, buffer, offset, length, imageSession);
            } else if (imageSession != l.pinnedSession) {
                dropForeign(l, imageSession);
            } else if (LinkHandshake.isHandshakeFrame(buffer, offset, length)) {
                throw new FrameRejectedException(l.peer, self, "handshake frame after the handshake");
            } else {
                l.receiver.accept(buffer, offset, length);
            }
        } catch (TransportException e) {
            rejected = e;
        }
    }

    private void onConnectFrame(Link l, DirectBuffer buffer, int offset, int length, int imageSession) {
        if (!LinkHandshake.isHandshakeFrame(buffer, offset, length)) {
            dropForeign(l, imageSession);
            return;
        }
        if (l.handshake.onFrame(buffer, offset, length)) {
            l.pinnedSession = imageSession;
            l.linkHash = l.handshake.linkHash();
            l.tx = ctx.trustedNetwork() ? LinkCipher.trusted(self, l.peer)
                    : LinkCipher.keyed(self, l.peer, l.handshake.sendCipher(), l.linkHash);
            l.rx = ctx.trustedNetwork() ? LinkCipher.trusted(l.peer, self)
                    : LinkCipher.keyed(l.peer, self, l.handshake.receiveCipher(), l.linkHash);
            l.receiver = new LinkReceiver(self, l.peer, l.rx, ctx.chunkLength(), ctx.maxMessageLength());
            l.established = true;
        }
    }

    private void dropForeign(Link l, int imageSession) {
        l.foreignFrames++;
        if (!l.foreignWarned) {
            l.foreignWarned = true;
            LOG.log(System.Logger.Level.WARNING, "link party " + l.peer + " -> party " + self + ": dropping frames"
                    + " from a stream image (Aeron session " + imageSession + ") the handshake did not authenticate"
                    + " (another publisher on this party's channel)");
        }
    }

    /** Waits for the next complete message from {@code l.peer}, checks tag and length, counts it. */
    private Inbox.Message await(Link l, String tag, long expectedBytes) {
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
                if (pollAll() > 0) {
                    idle.reset();
                    continue;
                }
                checkAlive(l, tag, start, System.nanoTime());
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
        Link l = link(peer, tag);
        Inbox.Message m = await(l, tag, (long) length * Long.BYTES);
        m.longs.clear();
        m.longs.get(dst, offset, length);
        l.receiver.inbox().consumed(m);
    }

    @Override
    public void receive(int peer, String tag, ByteBuffer dst) {
        Link l = link(peer, tag);
        Inbox.Message m = await(l, tag, dst.remaining());
        dst.put(m.data, 0, m.length);
        l.receiver.inbox().consumed(m);
    }

    private void closeLinks() {
        if (linksClosed) {
            return;
        }
        linksClosed = true;
        if (heartbeats != null) {
            heartbeats.close();
        }
        for (Link l : links) {
            if (l != null) {
                l.publication.close();
                l.subscription.close();
                l.heartbeat.publication.close();
                l.heartbeat.subscription.close();
            }
        }
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
