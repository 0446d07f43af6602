package org.fastcrypt4j.transport.aeron;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.nio.charset.StandardCharsets;

import io.aeron.Publication;
import org.agrona.concurrent.UnsafeBuffer;
import org.fastcrypt4j.transport.PeerFailureException;

/**
 * The send path of one link ({@code self -> peer}): cuts a message into chunks of at most {@code chunkLength}
 * bytes, writes each chunk's {@link FrameHeader}, seals it with the direction's {@link LinkCipher} and offers it to
 * the link's Aeron publication. One reusable frame buffer: nothing is allocated per message in steady state.
 *
 * <p>An offer that is back-pressured or not yet connected is retried after handing control to the
 * {@link Blocked} callback, which keeps the party's incoming links flowing (so a ring of simultaneous large sends
 * always progresses), checks the peers' liveness and idles; a closed publication fails at once naming the peer.
 */
final class LinkSender {

    /** What a sender does while its offer cannot go through. */
    @FunctionalInterface
    interface Blocked {
        /**
         * Called between failed offers; returns normally to retry, throws to give up.
         *
         * @param result the offer's result ({@link Publication#BACK_PRESSURED}, {@link Publication#NOT_CONNECTED},
         *               ...)
         * @param since  when the first attempt of this offer was made ({@link System#nanoTime()})
         */
        void onBlocked(AeronLink link, String tag, long result, long since);
    }

    private final AeronLink link;
    private final LinkCipher tx;
    private final int chunkLength;
    private final byte[] frame;
    private final UnsafeBuffer frameBuffer;
    private final LongBuffer frameLongs;
    private final FrameHeader header = new FrameHeader();
    private String lastTag;
    private byte[] lastTagBytes;

    LinkSender(AeronLink link, LinkCipher tx, int chunkLength) {
        this.link = link;
        this.tx = tx;
        this.chunkLength = chunkLength;
        frame = new byte[FrameHeader.LENGTH + chunkLength + LinkCipher.maxOverhead(chunkLength)];
        frameBuffer = new UnsafeBuffer(frame);
        frameLongs = ByteBuffer.wrap(frame).position(FrameHeader.LENGTH).slice().order(ByteOrder.LITTLE_ENDIAN)
                .asLongBuffer();
        header.wrap(frame);
    }

    private int chunkCount(int bytes) {
        return Math.max(1, (int) ((bytes + (long) chunkLength - 1) / chunkLength));
    }

    /** Sends {@code length} longs of {@code src} from {@code offset} as one message of {@code bytes} bytes. */
    void send(String tag, long stamp, long[] src, int offset, int bytes, Blocked blocked) {
        header.tag(tagBytes(tag));
        int pos = 0;
        for (int c = 0, chunks = chunkCount(bytes); c < chunks; c++) {
            int n = Math.min(chunkLength, bytes - pos);
            frameLongs.clear();
            frameLongs.put(src, offset + pos / Long.BYTES, n / Long.BYTES);
            sendChunk(tag, stamp, bytes, c, n, blocked);
            pos += n;
        }
    }

    /** Sends the remaining bytes of {@code src} as one message. */
    void send(String tag, long stamp, ByteBuffer src, int bytes, Blocked blocked) {
        header.tag(tagBytes(tag));
        int pos = 0;
        for (int c = 0, chunks = chunkCount(bytes); c < chunks; c++) {
            int n = Math.min(chunkLength, bytes - pos);
            src.get(frame, FrameHeader.LENGTH, n);
            sendChunk(tag, stamp, bytes, c, n, blocked);
            pos += n;
        }
    }

    private void sendChunk(String tag, long stamp, int messageLength, int chunk, int n, Blocked blocked) {
        header.write(tx.nextSequence(), stamp, messageLength, chunk, n);
        int frameLength = tx.seal(frame, n);
        long since = System.nanoTime();
        while (true) {
            long r = link.publication.offer(frameBuffer, 0, frameLength);
            if (r > 0) {
                return;
            }
            if (r == Publication.CLOSED || r == Publication.MAX_POSITION_EXCEEDED) {
                throw new PeerFailureException(link.self, link.peer, tag, "link closed (offer returned " + r + ")");
            }
            blocked.onBlocked(link, tag, r, since);
        }
    }

    /**
     * Offers one 8-byte message without waiting (a few attempts, no polling): for the abort notice a failing party
     * sends its live peer. Returns whether it went out.
     */
    boolean trySendLong(String tag, long value) {
        header.tag(tagBytes(tag));
        frameLongs.clear();
        frameLongs.put(value);
        header.write(tx.nextSequence(), 0, Long.BYTES, 0, Long.BYTES);
        int len = tx.seal(frame, Long.BYTES);
        for (int attempt = 0; attempt < 100; attempt++) {
            if (link.publication.offer(frameBuffer, 0, len) > 0) {
                return true;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(100_000);
        }
        return false;
    }

    private byte[] tagBytes(String tag) {
        if (!tag.equals(lastTag)) {
            byte[] b = tag.getBytes(StandardCharsets.UTF_8);
            if (b.length > FrameHeader.MAX_TAG_BYTES) {
                throw new IllegalArgumentException("tag longer than " + FrameHeader.MAX_TAG_BYTES + " bytes: " + tag);
            }
            lastTag = tag;
            lastTagBytes = b;
        }
        return lastTagBytes;
    }
}
