package org.fastcrypt4j.transport.aeron;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * Forged frames on an established link, in the stream image the handshake authenticated (where only a datagram
 * spoofing the genuine publisher could put them): ones carrying the very sequence number the receiver expects next,
 * replays of an earlier number, truncated ones. Each is dropped and counted, and the job, a series of ring
 * exchanges over UDP, completes with the right data. (Before, the first such frame failed the session.)
 */
class ForgedFramesTest {

    @Test
    void forgedFramesInALiveSessionAreDroppedAndCountedAndTheJobCompletes() {
        long seed = 0xF0F0L;
        int rounds = 40;
        try (LocalParties net = LocalParties.udpLoopback(new AeronContext())) {
            List<Long> injected = net.run(t -> {
                AeronTransport me = (AeronTransport) t;
                SplittableRandom rnd = new SplittableRandom(seed + t.partyId());
                long count = 0;
                for (int r = 0; r < rounds; r++) {
                    if (t.partyId() == 0) {
                        AeronLink from1 = me.links().get(1);
                        long next = from1.receiver.expectedSequence();
                        for (long seq : new long[] {next, next + 3, Math.max(0, next - 1)}) {
                            me.links().deliver(1, forged(rnd, seq, r % 2 == 0), from1.pinnedImage);
                            count++;
                        }
                    }
                    long[] mine = AeronTransportTest.data(seed + 7L * t.partyId() + r, 1000 + r);
                    long[] got = new long[1000 + r];
                    t.exchange("ring/forged", t.next(), mine, t.prev(), got);
                    assertArrayEquals(AeronTransportTest.data(seed + 7L * t.prev() + r, 1000 + r), got,
                            "party " + t.partyId() + " round " + r + " seed " + seed);
                }
                return count;
            });
            assertEquals(injected.get(0).longValue(), net.aeron(0).framesDropped(1), "every forged frame counted");
            assertEquals(0, net.aeron(1).framesDropped(0) + net.aeron(2).framesDropped(1));
        }
    }

    /** A data frame with a plausible header, the given sequence number and a random (unauthenticated) body. */
    private static byte[] forged(SplittableRandom rnd, long seq, boolean truncated) {
        int payload = 8 * (1 + rnd.nextInt(100));
        byte[] f = new byte[FrameHeader.LENGTH + payload + FrameHeader.GCM_TAG_BYTES];
        FrameHeader h = new FrameHeader().wrap(f);
        h.tag("ring/forged".getBytes(StandardCharsets.UTF_8));
        h.write(seq, 1, payload, 0, payload);
        byte[] body = new byte[payload + FrameHeader.GCM_TAG_BYTES];
        rnd.nextBytes(body);
        System.arraycopy(body, 0, f, FrameHeader.LENGTH, body.length);
        return truncated ? java.util.Arrays.copyOf(f, f.length - 5) : f;
    }
}
