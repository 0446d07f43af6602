package org.fastcrypt4j.transport.aeron;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicBoolean;

import org.fastcrypt4j.transport.FrameRejectedException;
import org.fastcrypt4j.transport.TransportException;
import org.fastcrypt4j.transport.noise.CipherState;
import org.fastcrypt4j.transport.noise.NoiseException;

/**
 * Protection of the data frames of one direction of one link ({@code from -> to}) with the traffic key that
 * the link's Noise KK handshake gave this direction ({@link LinkHandshake}): AES-256-GCM through a Noise
 * {@link CipherState} with explicit nonces (Noise rev. 34, sections 5.1 {@code SetNonce} and 11.4), the
 * link's handshake hash and the frame header as additional data.
 *
 * <p>The payload of a frame is sealed in segments of {@link #SEGMENT} bytes, each its own AEAD message with
 * its own 16-byte tag ({@code [header][ct_0][tag_0][ct_1][tag_1]...}). Segment {@code i} of the frame with
 * sequence number {@code seq} is sealed under the 64-bit Noise nonce {@code n = seq * 2^16 + i}: distinct for
 * every (frame, segment) because a frame holds at most 2^16 segments ({@link AeronContext#conclude}
 * checks it) and {@code seq} stays below {@link #MAX_SEQUENCE} = 2^47, far from 2^63 where the heartbeat nonces
 * of {@link Heartbeats} start. A direction refuses to seal a frame past that limit (a link would need 2^47
 * frames, 128 PiB at 1 MiB per frame); nonces therefore never repeat under a key, and since every connection
 * gets fresh keys from its handshake, nonces never repeat across sessions either.
 *
 * <p>Why segments: on the development machines (JDK 17 and 25, AMD EPYC with AVX2) the JDK's AES-GCM ran at
 * about 40 MB/s on 1 MiB calls and about 50 MB/s when input and output overlap, but at 1.2-1.7 GB/s per
 * direction on 8 KiB segments from a separate buffer. The extra tags cost 0.2% of the bytes on the wire.
 *
 * <p>What the receiver does with a frame (UDP: anyone can send a datagram, so only what authenticates is acted on,
 * as in DTLS and QUIC):
 * <ul>
 *   <li>a frame that does not authenticate (forged, corrupted, truncated, or of another session, whose keys and
 *       handshake hash differ), or that repeats a sequence number already accepted (a replay), is
 *       {@link #DROPPED}: the caller drops and counts it, and the direction's state is unchanged;</li>
 *   <li>the frame with the next sequence number that authenticates is accepted;</li>
 *   <li>a frame that authenticates with a later sequence number proves that genuine frames were lost: Aeron's
 *       stream is reliable, so only a datagram injected into the authenticated stream image can have taken their
 *       place, and the data cannot be recovered. {@link FrameRejectedException} names the link, and the transport
 *       fails the session closed.</li>
 * </ul>
 * With {@link #trusted} (the trusted-network option) sequence numbers are still checked but nothing is encrypted or
 * authenticated.
 */
final class LinkCipher {
    /** Plaintext bytes per AEAD segment of a frame. */
    static final int SEGMENT = 8192;
    /** Most segments of one frame: the low 16 bits of the nonce. */
    static final int MAX_SEGMENTS = 1 << 16;
    /** Data-frame sequence numbers stay below 2^47 (nonce = seq * 2^16 + segment &lt; 2^63). */
    static final long MAX_SEQUENCE = 1L << 47;

    private final int from;
    private final int to;
    private final CipherState cipher;
    private final byte[] linkHash;
    private final byte[] segment = new byte[SEGMENT];
    private long sequence;

    private LinkCipher(int from, int to, CipherState cipher, byte[] linkHash) {
        this.from = from;
        this.to = to;
        this.cipher = cipher;
        this.linkHash = linkHash == null ? new byte[0] : linkHash.clone();
    }

    /** An unprotected direction (trusted network): sequence numbers only. */
    static LinkCipher trusted(int from, int to) {
        return new LinkCipher(from, to, null, null);
    }

    /** The protected direction {@code from -> to} with its handshake traffic key and the link's handshake hash. */
    static LinkCipher keyed(int from, int to, CipherState cipher, byte[] linkHash) {
        warmUpOnce();
        return new LinkCipher(from, to, cipher, linkHash);
    }

    /** Set once the JIT warm-up of AES-GCM has been started in this JVM. */
    private static final AtomicBoolean WARMED = new AtomicBoolean();
    /** Small seal/open pairs run by the warm-up: enough calls for C2 to compile GHASH's intrinsic. */
    static final int WARM_UP_CALLS = 20_000;

    /**
     * Starts, once per JVM, a background thread that seals and opens {@link #WARM_UP_CALLS} 64-byte payloads
     * under a throw-away random key. HotSpot uses its GHASH and AES-CTR intrinsics only in C2-compiled methods,
     * which takes thousands of calls; until then an 8 KiB segment goes through Java loops at a fraction of the
     * speed. Measured (JDK 17, 2 cores): sealing and opening the first 64 MiB in 1 MiB frames took 1025 ms on a
     * cold JVM and 113-117 ms once the warm-up had run for 500 ms. No link key or payload is involved.
     */
    static void warmUpOnce() {
        if (!WARMED.compareAndSet(false, true)) {
            return;
        }
        Thread t = new Thread(() -> {
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            LinkCipher tx = new LinkCipher(0, 1, new CipherState(key), null);
            LinkCipher rx = new LinkCipher(0, 1, new CipherState(key), null);
            java.util.Arrays.fill(key, (byte) 0);
            byte[] frame = new byte[FrameHeader.LENGTH + 64 + FrameHeader.GCM_TAG_BYTES];
            byte[] dst = new byte[64];
            FrameHeader h = new FrameHeader().wrap(frame);
            for (int i = 0; i < WARM_UP_CALLS; i++) {
                h.write(tx.nextSequence(), 0, 64, 0, 64);
                int len = tx.seal(frame, 64);
                rx.open(frame, len, h, dst, 0);
            }
        }, "fastcrypt4j-gcm-warmup");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    boolean isProtected() {
        return cipher != null;
    }

    /** Bytes a payload of {@code payloadLength} bytes grows by when sealed: one tag per segment (at least one). */
    int overhead(int payloadLength) {
        return cipher != null ? segments(payloadLength) * FrameHeader.GCM_TAG_BYTES : 0;
    }

    /** The largest {@link #overhead(int)} of a payload of at most {@code maxPayload} bytes, for either mode. */
    static int maxOverhead(int maxPayload) {
        return segments(maxPayload) * FrameHeader.GCM_TAG_BYTES;
    }

    static int segments(int payloadLength) {
        return Math.max(1, (payloadLength + SEGMENT - 1) / SEGMENT);
    }

    /** The payload length of a sealed frame of {@code frameLength} bytes, or -1 if no payload seals to it. */
    int payloadLength(int frameLength) {
        int body = frameLength - FrameHeader.LENGTH;
        if (body < 0) {
            return -1;
        }
        if (cipher == null) {
            return body;
        }
        int block = SEGMENT + FrameHeader.GCM_TAG_BYTES;
        int full = body / block;
        int rest = body % block;
        if (body < FrameHeader.GCM_TAG_BYTES || (rest > 0 && rest < FrameHeader.GCM_TAG_BYTES)) {
            return -1;
        }
        return full * SEGMENT + (rest == 0 ? 0 : rest - FrameHeader.GCM_TAG_BYTES);
    }

    /** The sequence number the next sealed frame carries (sender side). */
    long nextSequence() {
        return sequence;
    }

    /**
     * Seals in place the frame whose header (carrying {@link #nextSequence()}) is at 0 and whose plaintext
     * payload of {@code payloadLength} bytes follows; returns the frame length.
     */
    int seal(byte[] frame, int payloadLength) {
        if (sequence >= MAX_SEQUENCE) {
            throw new TransportException("link party " + from + " -> party " + to + ": " + MAX_SEQUENCE
                    + " frames sent under one traffic key; refusing to reuse nonces (reconnect for fresh keys)");
        }
        long seq = sequence++;
        if (cipher == null) {
            return FrameHeader.LENGTH + payloadLength;
        }
        // Back to front: segment i moves from HEADER + i*S to HEADER + i*(S + tag), never over a segment that is
        // still to be sealed.
        int n = segments(payloadLength);
        for (int i = n - 1; i >= 0; i--) {
            int src = FrameHeader.LENGTH + i * SEGMENT;
            int len = Math.min(SEGMENT, payloadLength - i * SEGMENT);
            int dst = FrameHeader.LENGTH + i * (SEGMENT + FrameHeader.GCM_TAG_BYTES);
            // the JDK's GCM takes a slow path (about 50 MB/s) when input and output overlap: copy first
            System.arraycopy(frame, src, segment, 0, len);
            cipher.encrypt(nonce(seq, i), linkHash, 0, linkHash.length, frame, 0, FrameHeader.LENGTH,
                    segment, 0, len, frame, dst);
        }
        return FrameHeader.LENGTH + payloadLength + n * FrameHeader.GCM_TAG_BYTES;
    }

    /** {@link #open} result: the frame did not authenticate or was a replay; drop it and count it. */
    static final int DROPPED = -1;

    /**
     * Checks and opens a received frame of {@code frameLength} bytes; writes the plaintext payload to {@code dst} at
     * {@code dstOffset} and returns its length, or {@link #DROPPED}.
     *
     * @throws FrameRejectedException if the frame authenticates but genuine frames before it were lost
     */
    int open(byte[] frame, int frameLength, FrameHeader header, byte[] dst, int dstOffset) {
        return open(frame, 0, frameLength, header, dst, dstOffset);
    }

    /** As {@link #open(byte[], int, FrameHeader, byte[], int)} for a frame starting at {@code frameOffset}. */
    int open(byte[] frame, int frameOffset, int frameLength, FrameHeader header, byte[] dst, int dstOffset) {
        int payload = payloadLength(frameLength);
        long seq = header.sequence();
        if (payload < 0 || header.chunkLength() != payload || seq < sequence || seq >= MAX_SEQUENCE) {
            return DROPPED;   // cut, padded, replayed or impossible: a genuine frame never looks like this
        }
        if (cipher != null) {
            try {
                int n = segments(payload);
                for (int i = 0; i < n; i++) {
                    int len = Math.min(SEGMENT, payload - i * SEGMENT);
                    int src = frameOffset + FrameHeader.LENGTH + i * (SEGMENT + FrameHeader.GCM_TAG_BYTES);
                    cipher.decrypt(nonce(seq, i), linkHash, 0, linkHash.length, frame, frameOffset,
                            FrameHeader.LENGTH, frame, src, len + FrameHeader.GCM_TAG_BYTES, dst, dstOffset + i * SEGMENT);
                }
            } catch (NoiseException e) {
                return DROPPED;
            }
        } else if (seq == sequence) {
            System.arraycopy(frame, frameOffset + FrameHeader.LENGTH, dst, dstOffset, payload);
        }
        // authentic from here on (or unprotected)
        if (seq != sequence) {
            throw new FrameRejectedException(from, to, "frame " + seq + " authenticated where frame " + sequence
                    + " was expected: genuine frames were displaced by datagrams injected into the stream");
        }
        sequence++;
        return payload;
    }

    /** Noise nonce of segment {@code segment} of data frame {@code seq}. */
    static long nonce(long seq, int segment) {
        return (seq << 16) | segment;
    }
}
