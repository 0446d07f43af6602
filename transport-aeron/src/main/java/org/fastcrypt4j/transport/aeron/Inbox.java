package org.fastcrypt4j.transport.aeron;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.util.ArrayDeque;

/**
 * Messages from one peer that arrived before this party asked for them, in order, plus the one being
 * reassembled from its chunks. Message buffers are recycled, so a steady exchange allocates nothing.
 */
final class Inbox {

    /** One message: its tag, stamp and payload (reassembled in {@link #data}). */
    static final class Message {
        String tag;
        long stamp;
        int length;
        int filled;
        int nextChunk;
        byte[] data = new byte[0];
        LongBuffer longs = LongBuffer.allocate(0);

        void reset(String tag, long stamp, int length) {
            this.tag = tag;
            this.stamp = stamp;
            this.length = length;
            this.filled = 0;
            this.nextChunk = 0;
            if (data.length < length) {
                data = new byte[length];
                longs = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer();
            }
        }

        boolean complete() {
            return filled == length && nextChunk > 0;
        }
    }

    /** Bytes of message buffers allocated so far (for tests of the receive path's allocation bound). */
    private long allocated;
    private final ArrayDeque<Message> queue = new ArrayDeque<>();
    private final ArrayDeque<Message> free = new ArrayDeque<>();
    private Message partial;

    /** The oldest message (possibly still incomplete), or null. */
    Message head() {
        Message m = queue.peekFirst();
        return m != null ? m : partial;
    }

    /** The message the next chunk belongs to, or null when the next chunk must start a new one. */
    Message partial() {
        return partial;
    }

    Message start(String tag, long stamp, int length) {
        Message m = free.pollFirst();
        if (m == null) {
            m = new Message();
        }
        int before = m.data.length;
        m.reset(tag, stamp, length);
        allocated += m.data.length - before;
        partial = m;
        return m;
    }

    long allocatedBytes() {
        return allocated;
    }

    /** Called when the partial message got its last chunk. */
    void finish() {
        queue.addLast(partial);
        partial = null;
    }

    /** Removes the head (which must be complete) and keeps its buffer for reuse. */
    void consumed(Message m) {
        queue.pollFirst();
        free.addLast(m);
    }
}
