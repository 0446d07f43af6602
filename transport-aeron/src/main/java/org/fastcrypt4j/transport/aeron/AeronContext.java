package org.fastcrypt4j.transport.aeron;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/**
 * Settings of an {@link AeronTransport} with defaults as named constants; {@link #conclude()} validates them. Aeron
 * style: fluent setters and getters, one instance per group of parties (it is not shared state).
 */
public final class AeronContext {
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

    public AeronContext channel(Channel c) {
        channel = c;
        return this;
    }

    public Channel channel() {
        return channel;
    }

    public AeronContext termLength(int v) {
        termLength = v;
        return this;
    }

    public int termLength() {
        return termLength;
    }

    public AeronContext mtuLength(int v) {
        mtuLength = v;
        return this;
    }

    public int mtuLength() {
        return mtuLength;
    }

    public AeronContext chunkLength(int v) {
        chunkLength = v;
        return this;
    }

    public int chunkLength() {
        return chunkLength;
    }

    public AeronContext maxMessageLength(int v) {
        maxMessageLength = v;
        return this;
    }

    public int maxMessageLength() {
        return maxMessageLength;
    }

    public AeronContext socketBufferLength(int v) {
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
    public AeronContext peerTimeout(Duration v) {
        peerTimeout = v;
        return this;
    }

    public Duration peerTimeout() {
        return peerTimeout;
    }

    public AeronContext heartbeatInterval(Duration v) {
        heartbeatInterval = v;
        return this;
    }

    public Duration heartbeatInterval() {
        return heartbeatInterval;
    }

    /** Longest wait for a message from a peer that is alive (sends heartbeats) but sends nothing else. */
    public AeronContext progressTimeout(Duration v) {
        progressTimeout = v;
        return this;
    }

    public Duration progressTimeout() {
        return progressTimeout;
    }

    public AeronContext connectTimeout(Duration v) {
        connectTimeout = v;
        return this;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public AeronContext streamIdBase(int v) {
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
    public AeronContext trustedNetwork(boolean v) {
        trustedNetwork = v;
        return this;
    }

    public boolean trustedNetwork() {
        return trustedNetwork;
    }

    /** Threading of the embedded media driver (taken from the context that starts it). */
    public AeronContext driverThreadingMode(io.aeron.driver.ThreadingMode v) {
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
    public AeronContext idleStrategy(Supplier<IdleStrategy> v) {
        idleStrategy = v;
        return this;
    }

    public Supplier<IdleStrategy> idleStrategy() {
        return idleStrategy;
    }

    /** Checks the settings; returns this. */
    public AeronContext conclude() {
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
