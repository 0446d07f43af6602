package org.fastcrypt4j.transport;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.SplittableRandom;

import io.aeron.Aeron;
import io.aeron.Publication;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** An attacker publishing on a party's incoming stream (as anyone on the host could) is rejected. */
class InjectedFrameTest {

    @Test
    void forgedFrameOnTheWireIsRejectedNamingTheLink() {
        long seed = 0xBADL;
        AeronTransport.Context ctx = new AeronTransport.Context().peerTimeout(Duration.ofSeconds(5));
        try (LocalParties net = LocalParties.ipc(ctx)) {
            Aeron aeron = SharedMediaDriver.acquire(ctx);
            try (Publication rogue = aeron.addExclusivePublication("aeron:ipc?term-length=" + ctx.termLength()
                    + "|mtu=" + ctx.mtuLength(), ctx.streamIdBase() + 3 * 1 + 0)) {
                byte[] payload = new byte[64];
                new SplittableRandom(seed).nextBytes(payload);
                byte[] f = new byte[FrameHeader.LENGTH + payload.length + FrameHeader.GCM_TAG_BYTES];
                FrameHeader h = new FrameHeader().wrap(f);
                h.tag("mul/open".getBytes(StandardCharsets.UTF_8));
                h.write(0, 1, payload.length, 0, payload.length);
                System.arraycopy(payload, 0, f, FrameHeader.LENGTH, payload.length);
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (rogue.offer(new UnsafeBuffer(f)) < 0) {
                    assertTrue(System.nanoTime() < deadline, "rogue publication never connected");
                    Thread.onSpinWait();
                }
                FrameRejectedException e = assertThrows(FrameRejectedException.class,
                        () -> net.party(0).receive(1, "mul/open", new long[8]));
                assertTrue(e.getMessage().contains("party 1 -> party 0"), e.getMessage() + " seed " + seed);
            } finally {
                SharedMediaDriver.release();
            }
        }
    }
}
