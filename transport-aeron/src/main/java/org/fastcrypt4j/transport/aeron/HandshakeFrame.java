package org.fastcrypt4j.transport.aeron;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The wire format of the set-up frames of a link ({@link LinkHandshake}); little-endian, told apart from data
 * frames ({@link FrameHeader}, type 1) and heartbeats ({@link Heartbeats}, type 5) by the first byte.
 *
 * <pre>
 *  0  TYPE     byte  {@link #TYPE_MESSAGE_1}, {@link #TYPE_MESSAGE_2}, {@link #TYPE_REJECT} or {@link #TYPE_CONFIRM}
 *  1  FROM     byte  sender's party id
 *  2  TO       byte  receiver's party id
 *  3  reserved byte  0
 *  4  LENGTH   int   bytes that follow, at most {@link #MAX_MESSAGE}
 *  8  body     MESSAGE_1: the Noise message; MESSAGE_2: echo (32) + Noise message; CONFIRM: echo (32) + GCM tag
 *              (16) over the empty plaintext with nonce {@link LinkHandshake#CONFIRM_NONCE} and the link hash and bytes 0..40 of
 *              the frame as additional data; REJECT: empty
 * </pre>
 */
final class HandshakeFrame {
    static final byte TYPE_MESSAGE_1 = 2;
    static final byte TYPE_MESSAGE_2 = 3;
    static final byte TYPE_REJECT = 4;
    static final byte TYPE_CONFIRM = 6;
    static final int TYPE_OFFSET = 0;
    static final int FROM_OFFSET = 1;
    static final int TO_OFFSET = 2;
    static final int LENGTH_OFFSET = 4;
    static final int HEADER = 8;
    /** Bytes of the echo: the initiator's ephemeral public key (or trusted nonce). */
    static final int ECHO = 32;
    static final int MAX_MESSAGE = 256;

    private HandshakeFrame() {
    }

    /** A frame of {@code type} from {@code from} to {@code to} whose body is the concatenation of {@code parts}. */
    static byte[] build(byte type, int from, int to, byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] f = new byte[HEADER + n];
        UnsafeBuffer b = new UnsafeBuffer(f);
        b.putByte(TYPE_OFFSET, type);
        b.putByte(FROM_OFFSET, (byte) from);
        b.putByte(TO_OFFSET, (byte) to);
        b.putInt(LENGTH_OFFSET, n, ByteOrder.LITTLE_ENDIAN);
        int at = HEADER;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, f, at, p.length);
            at += p.length;
        }
        return f;
    }

    /** True for a frame whose type byte marks it as a set-up frame. */
    static boolean isHandshakeFrame(DirectBuffer buffer, int offset, int length) {
        if (length < 1) {
            return false;
        }
        byte t = buffer.getByte(offset + TYPE_OFFSET);
        return t == TYPE_MESSAGE_1 || t == TYPE_MESSAGE_2 || t == TYPE_REJECT || t == TYPE_CONFIRM;
    }

    /**
     * The body length of a well-formed frame from {@code from} to {@code to} of {@code length} bytes, or -1 if the
     * header is malformed, names other parties, or announces another length.
     */
    static int bodyLength(DirectBuffer buffer, int offset, int length, int from, int to) {
        if (length < HEADER) {
            return -1;
        }
        int n = buffer.getInt(offset + LENGTH_OFFSET, ByteOrder.LITTLE_ENDIAN);
        if (buffer.getByte(offset + FROM_OFFSET) != from || buffer.getByte(offset + TO_OFFSET) != to || n < 0
                || n > MAX_MESSAGE || n != length - HEADER) {
            return -1;
        }
        return n;
    }

    /** The additional data of a CONFIRM tag: the frame header and the echo. */
    static byte[] confirmAd(byte[] header, byte[] body) {
        byte[] ad = java.util.Arrays.copyOf(header, HEADER + ECHO);
        System.arraycopy(body, 0, ad, HEADER, ECHO);
        return ad;
    }

    static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder(b.length * 2);
        for (byte x : b) {
            sb.append(Character.forDigit((x >> 4) & 15, 16)).append(Character.forDigit(x & 15, 16));
        }
        return sb.toString();
    }
}
