package org.fastcrypt4j.transport;

import java.nio.ByteBuffer;

/**
 * Links from one party (id 0, 1 or 2) to the two others.
 *
 * <p>Every message carries a tag naming the protocol step that sent it ({@code "mul/reshare"}); the
 * receiver names the tag it expects and fails at once with {@link TagMismatchException} when the peer
 * sent another, so parties running different code or settings stop with a clear error instead of
 * computing on garbage. Receives block until the message is complete; a peer that is gone or silent
 * for longer than the configured timeout makes every waiting call fail with {@link PeerFailureException}.
 *
 * <p>Sends never wait for the peer to call receive: a message sent to a peer that is itself sending is
 * buffered, so the usual "everybody sends, then everybody receives" step cannot deadlock.
 *
 * <p>Counters ({@link #stats()}) record bytes, messages and rounds per tag prefix (the part of the tag
 * before the first {@code '/'}). Payload bytes are counted; framing and authentication overhead is not.
 * Implementations are used by one thread per party.
 */
public interface Transport extends AutoCloseable {

    /** This party's id: 0, 1 or 2. */
    int partyId();

    /** The id of party {@code i + 1 mod 3}. */
    static int next(int party) {
        return (party + 1) % 3;
    }

    /** The id of party {@code i - 1 mod 3}. */
    static int prev(int party) {
        return (party + 2) % 3;
    }

    default int next() {
        return next(partyId());
    }

    default int prev() {
        return prev(partyId());
    }

    /** Sends {@code length} longs of {@code src} starting at {@code offset} to {@code peer}. */
    void send(int peer, String tag, long[] src, int offset, int length);

    /**
     * Receives exactly {@code length} longs from {@code peer} into {@code dst} at {@code offset}.
     *
     * @throws TagMismatchException if the peer's next message has another tag
     * @throws TransportException if the message has another length
     * @throws PeerFailureException if the peer is gone or silent beyond the timeout
     */
    void receive(int peer, String tag, long[] dst, int offset, int length);

    /** Sends the remaining bytes of {@code src} to {@code peer} (the buffer's position is advanced). */
    void send(int peer, String tag, ByteBuffer src);

    /** Receives exactly {@code dst.remaining()} bytes from {@code peer} into {@code dst}. */
    void receive(int peer, String tag, ByteBuffer dst);

    default void send(int peer, String tag, long[] src) {
        send(peer, tag, src, 0, src.length);
    }

    default void receive(int peer, String tag, long[] dst) {
        receive(peer, tag, dst, 0, dst.length);
    }

    default long[] receive(int peer, String tag, int length) {
        long[] dst = new long[length];
        receive(peer, tag, dst, 0, length);
        return dst;
    }

    /** Sends {@code src} to {@code toPeer} and receives {@code dst.length} longs from {@code fromPeer}: one step. */
    default void exchange(String tag, int toPeer, long[] src, int fromPeer, long[] dst) {
        send(toPeer, tag, src, 0, src.length);
        receive(fromPeer, tag, dst, 0, dst.length);
    }

    /** Byte-buffer form of {@link #exchange(String, int, long[], int, long[])}. */
    default void exchange(String tag, int toPeer, ByteBuffer src, int fromPeer, ByteBuffer dst) {
        send(toPeer, tag, src);
        receive(fromPeer, tag, dst);
    }

    /**
     * The 32-byte id of this connection of the three parties, the same at all three: for {@link org.fastcrypt4j.transport.aeron.AeronTransport}
     * the SHA-256 of the three links' handshake hashes, fresh for every connection. Protocol code binds its key
     * agreement to it, so that messages of another session are rejected.
     */
    byte[] sessionId();

    /**
     * True when every frame is encrypted and authenticated under keys that this connection's handshakes
     * agreed with the peers' pinned static keys. False for a trusted network or in-process links, over which
     * secrets (PRG keys, shares) would travel in the clear.
     */
    boolean linksProtected();

    /** Traffic counters of this party. */
    TrafficStats stats();

    /** Releases the links. Calls after close fail. */
    @Override
    void close();
}
