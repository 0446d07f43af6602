package org.fastcrypt4j.transport;

import java.nio.charset.StandardCharsets;

import org.agrona.DirectBuffer;

/**
 * The receive path of one link ({@code peer -> self}) after its handshake: authenticates each data frame, then
 * files its payload into the link's {@link Inbox}.
 *
 * <p>Nothing a frame says is trusted before it authenticates. The first chunk of a message is opened into a
 * chunk-sized scratch buffer; only then is the message length it announces used to allocate, bounded by the
 * largest message ({@code maxMessageLength}) and, while the party is waiting on this link and the message is
 * the next one, by exactly the length the protocol expects ({@link #expect}). A later chunk is bounded by the
 * frame's own size (never by its header) before it is opened into the message, and its header fields are
 * compared with the message's once they are authenticated. Any failure throws {@link FrameRejectedException}
 * (or a {@link TagMismatchException} / {@link TransportException} for an authenticated message the protocol
 * did not expect) and leaves no partial allocation behind for that frame.
 */
final class LinkReceiver {
    private final int self;
    private final int peer;
    private final LinkCipher rx;
    private final int chunkLength;
    private final int maxMessageLength;
    private final Inbox inbox = new Inbox();
    private final byte[] rxFrame;
    private final byte[] firstChunk;
    private final FrameHeader header = new FrameHeader();
    private String lastTag = "";
    private byte[] lastTagBytes = new byte[0];
    private String expectedTag;
    private long expectedBytes = -1;
    private long lastFrameNanos;
    /** The peer a peer reported failed ({@link AeronTransport#ABORT_TAG}), or -1. */
    private int reportedFailed = -1;

    LinkReceiver(int self, int peer, LinkCipher rx, int chunkLength, int maxMessageLength) {
        this.self = self;
        this.peer = peer;
        this.rx = rx;
        this.chunkLength = chunkLength;
        this.maxMessageLength = maxMessageLength;
        this.rxFrame = new byte[FrameHeader.LENGTH + chunkLength + LinkCipher.maxOverhead(chunkLength)];
        this.firstChunk = new byte[chunkLength];
        this.lastFrameNanos = System.nanoTime();
    }

    Inbox inbox() {
        return inbox;
    }

    /** When the last data frame was accepted ({@link System#nanoTime()}). */
    long lastFrameNanos() {
        return lastFrameNanos;
    }

    /** While waiting on this link: the message the protocol expects next ({@code tag == null}: none). */
    void expect(String tag, long bytes) {
        expectedTag = tag;
        expectedBytes = tag == null ? -1 : bytes;
    }

    /** Authenticates and files one frame of {@code length} bytes at {@code offset} of {@code buffer}. */
    void accept(DirectBuffer buffer, int offset, int length) {
        if (length > rxFrame.length) {
            throw new FrameRejectedException(peer, self, "oversized frame of " + length + " bytes");
        }
        int payload = rx.payloadLength(length);
        if (payload < 0 || payload > chunkLength) {
            throw new FrameRejectedException(peer, self, "truncated or oversized frame of " + length + " bytes");
        }
        byte[] frame = buffer.byteArray();
        int frameOffset;
        FrameHeader h = header;
        if (frame != null && buffer.wrapAdjustment() >= 0) {
            frameOffset = buffer.wrapAdjustment() + offset;
            h.wrap(frame, frameOffset, length);
        } else {
            buffer.getBytes(offset, rxFrame, 0, length);
            frame = rxFrame;
            frameOffset = 0;
            h.wrap(frame);
        }
        Inbox.Message m = inbox.partial();
        if (m == null) {
            rx.open(frame, frameOffset, length, h, firstChunk, 0);
            // authenticated from here on
            int tagLength = h.tagLength();
            int messageLength = h.messageLength();
            if (h.type() != FrameHeader.TYPE_DATA || tagLength < 0 || tagLength > FrameHeader.MAX_TAG_BYTES
                    || messageLength < 0 || h.chunkIndex() != 0 || payload > messageLength
                    || (payload < messageLength && payload != chunkLength)) {
                throw new FrameRejectedException(peer, self, "malformed header (sequence " + h.sequence() + ")");
            }
            if (messageLength > maxMessageLength) {
                throw new FrameRejectedException(peer, self, "message of " + messageLength
                        + " bytes exceeds maxMessageLength " + maxMessageLength);
            }
            String tag = lastTag;
            if (!h.tagEquals(lastTagBytes)) {
                tag = h.tagString();
                lastTag = tag;
                lastTagBytes = tag.getBytes(StandardCharsets.UTF_8);
            }
            boolean abort = tag.equals(AeronTransport.ABORT_TAG);
            if (abort && messageLength != Long.BYTES) {
                throw new FrameRejectedException(peer, self, "abort notice of " + messageLength + " bytes, expected 8");
            }
            if (expectedTag != null && inbox.head() == null && !abort) {
                // this is the message the party is waiting for: allocate only what the protocol expects (a peer's
                // abort notice may come in its place: it is 8 bytes, kept as the report of who failed, see below)
                if (!tag.equals(expectedTag)) {
                    throw new TagMismatchException(self, peer, expectedTag, tag);
                }
                if (messageLength != expectedBytes) {
                    throw new TransportException("party " + self + ": message '" + tag + "' from party " + peer
                            + " has " + messageLength + " bytes, expected " + expectedBytes);
                }
            }
            m = inbox.start(tag, h.stamp(), messageLength);
            System.arraycopy(firstChunk, 0, m.data, 0, payload);
        } else {
            if (payload > m.length - m.filled) {
                throw new FrameRejectedException(peer, self, "frame overruns message '" + m.tag + "'");
            }
            rx.open(frame, frameOffset, length, h, m.data, m.filled);
            if (h.type() != FrameHeader.TYPE_DATA || h.chunkIndex() != m.nextChunk || h.messageLength() != m.length
                    || h.stamp() != m.stamp) {
                throw new FrameRejectedException(peer, self, "chunk " + h.chunkIndex() + " of a " + h.messageLength()
                        + "-byte message, expected chunk " + m.nextChunk + " of '" + m.tag + "' (" + m.length
                        + " bytes): truncated message");
            }
        }
        m.filled += payload;
        m.nextChunk++;
        lastFrameNanos = System.nanoTime();
        if (m.filled == m.length) {
            inbox.finish();
            if (m.tag.equals(AeronTransport.ABORT_TAG) && m.length == Long.BYTES) {
                // not protocol data: the peer stops because a third party failed; keep the report, drop the message
                reportedFailed = (int) m.longs.get(0);
                inbox.consumed(m);
            }
        }
    }

    /** The party this link's peer reported failed before closing its links, or -1. */
    int reportedFailed() {
        return reportedFailed;
    }
}
