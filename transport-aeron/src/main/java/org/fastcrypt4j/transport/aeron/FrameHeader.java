package org.fastcrypt4j.transport.aeron;

import java.nio.ByteOrder;

import org.agrona.concurrent.UnsafeBuffer;
import org.fastcrypt4j.transport.TrafficStats;

/**
 * Layout of the header that starts every Aeron message of an {@link AeronTransport} link (a flyweight over
 * the frame buffer; all integers little-endian). One protocol message is split into chunks of at most
 * {@link AeronContext#chunkLength()} bytes; every chunk travels as one frame:
 *
 * <pre>
 *  0  TYPE            byte   {@link #TYPE_DATA}
 *  1  (reserved)      byte   0
 *  2  TAG_LENGTH      short  bytes of the UTF-8 tag, at most {@link #MAX_TAG_BYTES}
 *  4  SEQUENCE        long   per-link frame number, 0, 1, 2, ... (also the GCM nonce)
 * 12  STAMP           long   the sender's round stamp ({@link TrafficStats#onSend})
 * 20  MESSAGE_LENGTH  int    payload bytes of the whole message
 * 24  CHUNK_INDEX     int    0, 1, 2, ... within the message
 * 28  CHUNK_LENGTH    int    payload bytes in this frame
 * 32  TAG             bytes  padded with zeros to MAX_TAG_BYTES
 * 160 payload         CHUNK_LENGTH bytes (AES-GCM ciphertext when protected), then the 16-byte GCM tag
 * </pre>
 *
 * When the link is protected the whole header is the GCM additional authenticated data, so no field can be
 * changed without the frame being rejected.
 */
final class FrameHeader {
    static final byte TYPE_DATA = 1;

    static final int TYPE_OFFSET = 0;
    static final int TAG_LENGTH_OFFSET = 2;
    static final int SEQUENCE_OFFSET = 4;
    static final int STAMP_OFFSET = 12;
    static final int MESSAGE_LENGTH_OFFSET = 20;
    static final int CHUNK_INDEX_OFFSET = 24;
    static final int CHUNK_LENGTH_OFFSET = 28;
    static final int TAG_OFFSET = 32;
    static final int MAX_TAG_BYTES = 128;
    /** Header bytes before the payload. */
    static final int LENGTH = TAG_OFFSET + MAX_TAG_BYTES;
    /** Bytes of the AES-GCM authentication tag after a protected payload. */
    static final int GCM_TAG_BYTES = 16;

    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    private final UnsafeBuffer buffer = new UnsafeBuffer(0, 0);

    FrameHeader wrap(byte[] frame) {
        buffer.wrap(frame);
        return this;
    }

    FrameHeader wrap(byte[] frame, int offset, int length) {
        buffer.wrap(frame, offset, length);
        return this;
    }

    byte type() {
        return buffer.getByte(TYPE_OFFSET);
    }

    int tagLength() {
        return buffer.getShort(TAG_LENGTH_OFFSET, ORDER);
    }

    long sequence() {
        return buffer.getLong(SEQUENCE_OFFSET, ORDER);
    }

    long stamp() {
        return buffer.getLong(STAMP_OFFSET, ORDER);
    }

    int messageLength() {
        return buffer.getInt(MESSAGE_LENGTH_OFFSET, ORDER);
    }

    int chunkIndex() {
        return buffer.getInt(CHUNK_INDEX_OFFSET, ORDER);
    }

    int chunkLength() {
        return buffer.getInt(CHUNK_LENGTH_OFFSET, ORDER);
    }

    /** Writes the fixed fields; the tag bytes are written once per message with {@link #tag(byte[])}. */
    void write(long sequence, long stamp, int messageLength, int chunkIndex, int chunkLength) {
        buffer.putByte(TYPE_OFFSET, TYPE_DATA);
        buffer.putByte(TYPE_OFFSET + 1, (byte) 0);
        buffer.putLong(SEQUENCE_OFFSET, sequence, ORDER);
        buffer.putLong(STAMP_OFFSET, stamp, ORDER);
        buffer.putInt(MESSAGE_LENGTH_OFFSET, messageLength, ORDER);
        buffer.putInt(CHUNK_INDEX_OFFSET, chunkIndex, ORDER);
        buffer.putInt(CHUNK_LENGTH_OFFSET, chunkLength, ORDER);
    }

    void tag(byte[] utf8) {
        buffer.putShort(TAG_LENGTH_OFFSET, (short) utf8.length, ORDER);
        buffer.putBytes(TAG_OFFSET, utf8);
        buffer.setMemory(TAG_OFFSET + utf8.length, MAX_TAG_BYTES - utf8.length, (byte) 0);
    }

    /** True when the tag bytes of the frame equal {@code utf8}. */
    boolean tagEquals(byte[] utf8) {
        if (tagLength() != utf8.length) {
            return false;
        }
        for (int i = 0; i < utf8.length; i++) {
            if (buffer.getByte(TAG_OFFSET + i) != utf8[i]) {
                return false;
            }
        }
        return true;
    }

    String tagString() {
        return buffer.getStringWithoutLengthUtf8(TAG_OFFSET, tagLength());
    }
}
