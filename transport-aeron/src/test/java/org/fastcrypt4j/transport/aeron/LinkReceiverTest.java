package org.fastcrypt4j.transport.aeron;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.fastcrypt4j.transport.PartyKeys;
import org.fastcrypt4j.transport.TransportException;
import org.fastcrypt4j.transport.FrameRejectedException;

/**
 * The receive path authenticates before it allocates: forged message lengths (in forged frames, and in
 * authenticated frames beyond the limit or beyond what the protocol expects) allocate nothing; forged,
 * replayed and truncated frames are dropped and counted, and leave the receiver's state as it was.
 */
class LinkReceiverTest {
    private static final int CHUNK = 64 * 1024;
    private final long seed = 0x5EEDL;
    private final LinkCipher[] dir = Handshakes.direction01(Handshakes.run(PartyKeys.generate(), PartyKeys.generate()));
    private final LinkReceiver receiver = new LinkReceiver(1, 0, dir[1], CHUNK, 1 << 20);

    /** A frame sealed by the genuine sender: chunk {@code chunk} of a message of {@code messageLength} bytes. */
    private byte[] sealed(String tag, int messageLength, int chunk, byte[] payload) {
        byte[] f = new byte[FrameHeader.LENGTH + payload.length + LinkCipher.maxOverhead(payload.length)];
        FrameHeader h = new FrameHeader().wrap(f);
        h.tag(tag.getBytes(StandardCharsets.UTF_8));
        h.write(dir[0].nextSequence(), 3, messageLength, chunk, payload.length);
        System.arraycopy(payload, 0, f, FrameHeader.LENGTH, payload.length);
        int len = dir[0].seal(f, payload.length);
        return java.util.Arrays.copyOf(f, len);
    }

    private void accept(byte[] frame) {
        receiver.accept(new UnsafeBuffer(frame), 0, frame.length);
    }

    private byte[] random(int n) {
        byte[] b = new byte[n];
        new SplittableRandom(seed + n).nextBytes(b);
        return b;
    }

    @Test
    void forgedLengthInAForgedFrameAllocatesNothing() {
        byte[] f = sealed("mul/reshare", 64, 0, random(64));
        FrameHeader h = new FrameHeader().wrap(f);
        h.write(h.sequence(), h.stamp(), Integer.MAX_VALUE - 8, 0, 64);
        accept(f);
        assertEquals(1, receiver.dropped(), "forged frame dropped and counted, seed " + seed);
        assertEquals(0, receiver.inbox().allocatedBytes(), "allocated before authenticating");
        assertNull(receiver.inbox().head());
    }

    @Test
    void authenticatedLengthBeyondTheLimitOrTheExpectedSizeAllocatesNothing() {
        byte[] huge = sealed("mul/reshare", (1 << 20) + 8, 0, random(CHUNK));
        FrameRejectedException e = assertThrows(FrameRejectedException.class, () -> accept(huge));
        assertTrue(e.getMessage().contains("exceeds maxMessageLength"), e.getMessage());
        assertEquals(0, receiver.inbox().allocatedBytes());

        LinkReceiver waiting = new LinkReceiver(1, 0, dir[1], CHUNK, 1 << 20);
        LinkCipher[] d = Handshakes.direction01(Handshakes.run(PartyKeys.generate(), PartyKeys.generate()));
        LinkReceiver r2 = new LinkReceiver(1, 0, d[1], CHUNK, 1 << 20);
        byte[] f = new byte[FrameHeader.LENGTH + CHUNK + LinkCipher.maxOverhead(CHUNK)];
        FrameHeader h = new FrameHeader().wrap(f);
        h.tag("mul/reshare".getBytes(StandardCharsets.UTF_8));
        h.write(0, 1, 1 << 20, 0, CHUNK);
        int len = d[0].seal(f, CHUNK);
        r2.expect("mul/reshare", 64);
        TransportException t = assertThrows(TransportException.class, () -> r2.accept(new UnsafeBuffer(f), 0, len));
        assertTrue(t.getMessage().contains("expected 64"), t.getMessage());
        assertEquals(0, r2.inbox().allocatedBytes(), "allocated more than the protocol expects");
        assertEquals(0, waiting.inbox().allocatedBytes());
    }

    @Test
    void anAbortNoticeInPlaceOfTheAwaitedMessageIsKeptAsTheReportNotATagMismatch() {
        // the peer stops because party 2 failed while this party waits for protocol data from it
        receiver.expect("data/shape", 72);
        byte[] failed = new byte[Long.BYTES];
        java.nio.ByteBuffer.wrap(failed).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(2);
        accept(sealed(Liveness.ABORT_TAG, Long.BYTES, 0, failed));
        assertEquals(2, receiver.abortNotice(), "seed " + seed);
        assertNull(receiver.inbox().head(), "the notice is not protocol data");
    }

    @Test
    void forgedReplayedAndTruncatedFramesAreDroppedAndNothingIsLost() {
        byte[] p0 = random(100);
        byte[] f0 = sealed("a/b", 100, 0, p0);
        byte[] forged = f0.clone();
        forged[FrameHeader.LENGTH + 5] ^= 0x40;
        accept(forged);
        accept(java.util.Arrays.copyOf(f0, f0.length - 3));
        accept(java.util.Arrays.copyOf(f0, 40));
        assertEquals(3, receiver.dropped(), "forged, truncated, cut into the header");
        assertNull(receiver.inbox().head());
        accept(f0);
        assertTrue(receiver.inbox().head().complete());
        assertArrayEquals(p0, java.util.Arrays.copyOf(receiver.inbox().head().data, 100));
        accept(f0);
        assertEquals(4, receiver.dropped(), "replayed");
        // a two-chunk message: a forged second chunk is rejected, the genuine one completes the message
        byte[] big = random(CHUNK + 10);
        byte[] c0 = sealed("x/big", CHUNK + 10, 0, java.util.Arrays.copyOf(big, CHUNK));
        byte[] c1 = sealed("x/big", CHUNK + 10, 1, java.util.Arrays.copyOfRange(big, CHUNK, CHUNK + 10));
        accept(c0);
        byte[] c1forged = c1.clone();
        c1forged[c1forged.length - 1] ^= 1;
        accept(c1forged);
        assertEquals(5, receiver.dropped(), "forged second chunk");
        accept(c1);
        receiver.inbox().consumed(receiver.inbox().head());
        Inbox.Message m = receiver.inbox().head();
        assertTrue(m.complete() && m.tag.equals("x/big"));
        assertArrayEquals(big, java.util.Arrays.copyOf(m.data, CHUNK + 10), "seed " + seed);
    }

    @Test
    void anAuthenticFrameAfterAGapFailsNamingTheLink() {
        byte[] lost = sealed("a/b", 8, 0, random(8));
        byte[] next = sealed("a/c", 8, 0, random(8));
        FrameRejectedException e = assertThrows(FrameRejectedException.class, () -> accept(next));
        assertTrue(e.getMessage().contains("party 0 -> party 1") && e.getMessage().contains("displaced"),
                e.getMessage() + " (frame of " + lost.length + " bytes never delivered)");
    }
}
