package org.fastcrypt4j.transport.aeron;

import java.nio.charset.StandardCharsets;

import org.agrona.DirectBuffer;
import org.fastcrypt4j.transport.FrameRejectedException;
import org.fastcrypt4j.transport.TagMismatchException;
import org.fastcrypt4j.transport.TransportException;

/**
 * The receive path of one link ({@code peer -> self}) after its handshake: authenticates each data frame, then
 * files its payload into the link's {@link Inbox}.
 *
 * <p>Nothing a frame says is trusted before it authenticates. A frame that does not authenticate, replays an
 * accepted one, or cannot be a frame of this link by its size is dropped and counted ({@link #dropped()}), never
 * acted on, so a stray datagram cannot end a session (see {@link LinkCipher} for the one case that must fail:
 * an authentic frame showing that genuine frames were displaced). The first chunk of a message is opened into a
 * chunk-sized scratch buffer; only then is the message length it announces used to allocate, bounded by the
 * largest message ({@code maxMessageLength}) and, while the party is waiting on this link and the message is the
 * next one, by exactly the length the protocol expects ({@link #expect}). A later chunk is bounded by the frame's
 * own size (never by its header) before it is opened into the message, and its header fields are compared with the
 * message's once they are authenticated. An authenticated frame that breaks the framing rules, or a message the
 * protocol did not expect, throws ({@link FrameRejectedException}, {@link TagMismatchException},
 * {@link TransportException}): the authenticated peer itself is at fault.
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
    /** The abort notice the peer sent before closing its links ({@link Liveness}), or -1. */
    private long abortNotice = -1;
    private long dropped;

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

    /** Authenticates and files one frame of {@code length} bytes at {@code offset} of {@code buffer}, or drops it. */
    void accept(DirectBuffer buffer, int offset, int length) {
        int payload = length > rxFrame.length ? -1 : rx.payloadLength(length);
        if (payload < 0 || payload > chunkLength || length < FrameHeader.LENGTH) {
            dropped++;
            return;
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
            if (rx.open(frame, frameOffset, length, h, firstChunk, 0) == LinkCipher.DROPPED) {
                dropped++;
                return;
            }
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
            boolean abort = tag.equals(Liveness.ABORT_TAG);
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
                dropped++;   // cannot be the next chunk of this message (its size is not authenticated yet)
                return;
            }
            if (rx.open(frame, frameOffset, length, h, m.data, m.filled) == LinkCipher.DROPPED) {
                dropped++;
                return;
            }
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
            if (m.tag.equals(Liveness.ABORT_TAG) && m.length == Long.BYTES) {
                // not protocol data: the peer stops because a third party failed; keep the report, drop the message
                if (abortNotice < 0) {   // the first notice names the cause; later ones follow from it
                    abortNotice = m.longs.get(0);
                }
                inbox.consumed(m);
            }
        }
    }

    /** The abort notice this link's peer sent before closing its links (see {@link Liveness}), or -1. */
    long abortNotice() {
        return abortNotice;
    }

    /** The sequence number of the next frame this link accepts. */
    long expectedSequence() {
        return rx.nextSequence();
    }

    /** Frames dropped unread: they did not authenticate, replayed an accepted frame, or had an impossible size. */
    long dropped() {
        return dropped;
    }
}
