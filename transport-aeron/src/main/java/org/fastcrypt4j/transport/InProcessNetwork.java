package org.fastcrypt4j.transport;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Three parties linked by in-memory queues, for unit tests of protocol code (no Aeron, no
 * authentication: everything stays inside one JVM). Same contract as every {@link Transport}:
 * tags checked, lengths checked, counters kept, receives time out with {@link PeerFailureException}.
 */
public final class InProcessNetwork implements AutoCloseable {

    private record Message(String tag, byte[] payload, long stamp) {
    }

    /** queues[from][to] */
    private final BlockingQueue<Message>[][] queues;
    private final Party[] parties = new Party[3];
    private final Duration timeout;
    private final byte[] sessionId = new byte[32];
    private boolean closed;

    @SuppressWarnings("unchecked")
    public InProcessNetwork(Duration timeout) {
        this.timeout = timeout;
        queues = new BlockingQueue[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                queues[i][j] = new LinkedBlockingQueue<>();
            }
        }
        for (int i = 0; i < 3; i++) {
            parties[i] = new Party(i);
        }
        new java.security.SecureRandom().nextBytes(sessionId);
    }

    public InProcessNetwork() {
        this(Duration.ofSeconds(10));
    }

    /** The transport of party {@code id}. */
    public Transport party(int id) {
        return parties[id];
    }

    @Override
    public void close() {
        closed = true;
        for (Party p : parties) {
            p.close();
        }
    }

    private final class Party implements Transport {
        private final int id;
        private final TrafficStats stats = new TrafficStats();
        private volatile boolean closed;

        Party(int id) {
            this.id = id;
        }

        @Override
        public int partyId() {
            return id;
        }

        private void checkPeer(int peer, String tag) {
            if (peer < 0 || peer > 2 || peer == id) {
                throw new IllegalArgumentException("party " + id + ": invalid peer " + peer + " for '" + tag + "'");
            }
            if (closed) {
                throw new TransportException("party " + id + ": network closed during '" + tag + "'");
            }
        }

        private void put(int peer, String tag, byte[] payload) {
            checkPeer(peer, tag);
            long stamp = stats.onSend(tag, payload.length);
            queues[id][peer].add(new Message(tag, payload, stamp));
        }

        private byte[] take(int peer, String tag, int expectedBytes) {
            checkPeer(peer, tag);
            Message m = null;
            long deadline = System.nanoTime() + timeout.toNanos();
            try {
                // in slices, so that a peer that closed (it failed) is reported at once, as a lost link would be
                while (m == null) {
                    m = queues[peer][id].poll(20, TimeUnit.MILLISECONDS);
                    if (m == null && parties[peer].closed) {
                        throw new PeerFailureException(id, peer, tag, "link lost (peer closed)");
                    }
                    if (m == null && System.nanoTime() - deadline > 0) {
                        throw new PeerFailureException(id, peer, tag, "no message within " + timeout.toMillis()
                                + " ms");
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PeerFailureException(id, peer, tag, "interrupted while waiting");
            }
            if (!m.tag.equals(tag)) {
                throw new TagMismatchException(id, peer, tag, m.tag);
            }
            if (m.payload.length != expectedBytes) {
                throw new TransportException("party " + id + ": message '" + tag + "' from party " + peer
                        + " has " + m.payload.length + " bytes, expected " + expectedBytes);
            }
            stats.onReceive(tag, m.payload.length, m.stamp);
            return m.payload;
        }

        @Override
        public void send(int peer, String tag, long[] src, int offset, int length) {
            ByteBuffer b = ByteBuffer.allocate(length * Long.BYTES);
            b.asLongBuffer().put(src, offset, length);
            put(peer, tag, b.array());
        }

        @Override
        public void receive(int peer, String tag, long[] dst, int offset, int length) {
            byte[] p = take(peer, tag, length * Long.BYTES);
            ByteBuffer.wrap(p).asLongBuffer().get(dst, offset, length);
        }

        @Override
        public void send(int peer, String tag, ByteBuffer src) {
            byte[] p = new byte[src.remaining()];
            src.get(p);
            put(peer, tag, p);
        }

        @Override
        public void receive(int peer, String tag, ByteBuffer dst) {
            byte[] p = take(peer, tag, dst.remaining());
            dst.put(p);
        }

        @Override
        public TrafficStats stats() {
            return stats;
        }

        /** A random id drawn when the network was made, common to its three parties. */
        @Override
        public byte[] sessionId() {
            return sessionId.clone();
        }

        /** In-memory links: nothing is encrypted or authenticated. */
        @Override
        public boolean linksProtected() {
            return false;
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
