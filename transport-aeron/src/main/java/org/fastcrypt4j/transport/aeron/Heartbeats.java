package org.fastcrypt4j.transport.aeron;

import java.nio.ByteOrder;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.logbuffer.Header;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.fastcrypt4j.transport.noise.CipherState;
import org.fastcrypt4j.transport.noise.NoiseException;

/**
 * Liveness apart from progress. One daemon thread per transport sends every peer a small authenticated
 * heartbeat every {@link AeronContext#heartbeatInterval()} on a stream of its own and records when
 * each peer's last valid heartbeat arrived. A party that computes for minutes (a large convolution) keeps
 * sending heartbeats, because this thread does not wait for the party's own thread; a party that died, hangs
 * in its JVM as a whole, or is cut off by the network stops, and its peers fail within
 * {@link AeronContext#peerTimeout()} naming it.
 *
 * <p>Frame (28 bytes, little-endian): {@code TYPE (5), FROM, TO, 0, COUNTER (u64), TAG (16 bytes)}. The tag is
 * AES-GCM over an empty plaintext with the link's handshake hash and the first 12 bytes as additional data,
 * under the direction's traffic key and Noise nonce {@code 2^63 + COUNTER} (data frames use nonces below
 * 2^63, see {@link LinkCipher}), so heartbeats cannot be forged, and a replayed one (a counter not above the
 * last accepted) is ignored. A heartbeat that fails these checks carries no data, so it is dropped and counted
 * ({@link #rejected(int)}); nothing is lost. The thread uses its own cipher objects with the same keys: the
 * nonce ranges keep the two uses apart.
 */
final class Heartbeats implements AutoCloseable {
    static final byte TYPE_HEARTBEAT = 5;
    static final int FRAME_LENGTH = 4 + 8 + 16;
    static final long NONCE_BASE = 1L << 63;
    private static final int AD_LENGTH = 12;

    /** One peer's heartbeat streams and state. */
    static final class Peer {
        final int peer;
        final Publication publication;
        final Subscription subscription;
        CipherState sendCipher;
        CipherState receiveCipher;
        byte[] linkHash = new byte[0];
        long sent;
        long lastAccepted;
        long lastSentNanos;
        volatile long lastHeardNanos;
        final AtomicLong rejected = new AtomicLong();
        int pinnedSession;
        boolean pinned;

        Peer(int peer, Publication publication, Subscription subscription) {
            this.peer = peer;
            this.publication = publication;
            this.subscription = subscription;
        }
    }

    private final int self;
    private final long intervalNs;
    private final List<Peer> peers;
    private final byte[] frame = new byte[FRAME_LENGTH];
    private final UnsafeBuffer frameBuffer = new UnsafeBuffer(frame);
    private final byte[] scratch = new byte[FRAME_LENGTH];
    private final byte[] none = new byte[0];
    private volatile boolean running;
    private Thread thread;

    Heartbeats(int self, Duration interval, List<Peer> peers) {
        this.self = self;
        this.intervalNs = interval.toNanos();
        this.peers = peers;
    }

    /**
     * Sets the keys (null ciphers on a trusted network), marks every peer as heard now, and starts the thread.
     */
    void start() {
        long now = System.nanoTime();
        for (Peer p : peers) {
            p.lastHeardNanos = now;
        }
        running = true;
        thread = new Thread(this::run, "fastcrypt4j-heartbeat-" + self);
        thread.setDaemon(true);
        thread.start();
    }

    /** When the last valid heartbeat of {@code peer} arrived ({@link System#nanoTime()}), or 0 if not started. */
    long lastHeard(int peer) {
        for (Peer p : peers) {
            if (p.peer == peer) {
                return p.lastHeardNanos;
            }
        }
        return 0;
    }

    /** Heartbeat frames of {@code peer} dropped as forged, replayed, malformed or from a foreign stream image. */
    long rejected(int peer) {
        for (Peer p : peers) {
            if (p.peer == peer) {
                return p.rejected.get();
            }
        }
        return 0;
    }

    private void run() {
        long pollNs = Math.max(TimeUnit.MILLISECONDS.toNanos(5), Math.min(intervalNs / 5, TimeUnit.MILLISECONDS.toNanos(50)));
        while (running) {
            long now = System.nanoTime();
            for (Peer p : peers) {
                p.subscription.poll((buffer, offset, length, header) -> onHeartbeat(p, buffer, offset, length, header), 16);
                if (now - p.lastSentNanos >= intervalNs) {
                    send(p);
                    p.lastSentNanos = now;
                }
            }
            LockSupport.parkNanos(pollNs);
        }
    }

    private void send(Peer p) {
        long counter = ++p.sent;
        frameBuffer.putByte(0, TYPE_HEARTBEAT);
        frameBuffer.putByte(1, (byte) self);
        frameBuffer.putByte(2, (byte) p.peer);
        frameBuffer.putByte(3, (byte) 0);
        frameBuffer.putLong(4, counter, ByteOrder.LITTLE_ENDIAN);
        if (p.sendCipher != null) {
            p.sendCipher.encrypt(NONCE_BASE | counter, p.linkHash, 0, p.linkHash.length, frame, 0, AD_LENGTH,
                    none, 0, 0, frame, AD_LENGTH);
        }
        // a heartbeat that cannot be offered now (back-pressure, reconnecting) is simply skipped
        p.publication.offer(frameBuffer, 0, FRAME_LENGTH);
    }

    private void onHeartbeat(Peer p, DirectBuffer buffer, int offset, int length, Header header) {
        if (length != FRAME_LENGTH || (p.pinned && header.sessionId() != p.pinnedSession)) {
            p.rejected.incrementAndGet();
            return;
        }
        buffer.getBytes(offset, scratch, 0, FRAME_LENGTH);
        long counter = buffer.getLong(offset + 4, ByteOrder.LITTLE_ENDIAN);
        if (scratch[0] != TYPE_HEARTBEAT || scratch[1] != p.peer || scratch[2] != self || counter <= p.lastAccepted
                || counter < 0) {
            p.rejected.incrementAndGet();
            return;
        }
        if (p.receiveCipher != null) {
            try {
                p.receiveCipher.decrypt(NONCE_BASE | counter, p.linkHash, 0, p.linkHash.length, scratch, 0, AD_LENGTH,
                        scratch, AD_LENGTH, FRAME_LENGTH - AD_LENGTH, none, 0);
            } catch (NoiseException e) {
                p.rejected.incrementAndGet();
                return;
            }
        }
        p.lastAccepted = counter;
        p.lastHeardNanos = System.nanoTime();
        if (!p.pinned) {
            p.pinned = true;
            p.pinnedSession = header.sessionId();
        }
    }

    @Override
    public void close() {
        running = false;
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
            try {
                t.join(TimeUnit.SECONDS.toMillis(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (Peer p : peers) {
            if (p.sendCipher != null) {
                p.sendCipher.destroy();
            }
            if (p.receiveCipher != null) {
                p.receiveCipher.destroy();
            }
        }
    }
}
