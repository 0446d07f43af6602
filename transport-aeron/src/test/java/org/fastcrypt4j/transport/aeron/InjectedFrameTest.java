package org.fastcrypt4j.transport.aeron;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;

import io.aeron.Aeron;
import io.aeron.Publication;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * An attacker publishing on a party's incoming stream (as anyone on the host could) gets a stream image of its
 * own, which the handshake never authenticated: its frames (a forged frame announcing a 2 GiB message, a
 * forged heartbeat) are dropped and counted, nothing is allocated for them, and the genuine traffic arrives
 * intact.
 */
class InjectedFrameTest {

    @Test
    void framesFromAnUnauthenticatedPublisherAreDroppedAndCounted() {
        long seed = 0xBADL;
        AeronContext ctx = new AeronContext();
        try (LocalParties net = LocalParties.ipc(ctx)) {
            Aeron aeron = SharedMediaDriver.acquire(ctx);
            String channel = "aeron:ipc?term-length=" + ctx.termLength() + "|mtu=" + ctx.mtuLength();
            try (Publication rogue = aeron.addExclusivePublication(channel, ctx.streamIdBase() + 3 * 1 + 0);
                 Publication rogueBeat = aeron.addExclusivePublication(channel, ctx.streamIdBase() + 9 + 3 * 1 + 0)) {
                byte[] payload = new byte[64];
                new SplittableRandom(seed).nextBytes(payload);
                byte[] f = new byte[FrameHeader.LENGTH + payload.length + FrameHeader.GCM_TAG_BYTES];
                FrameHeader h = new FrameHeader().wrap(f);
                h.tag("mul/open".getBytes(StandardCharsets.UTF_8));
                h.write(0, 1, Integer.MAX_VALUE - 8, 0, payload.length);
                System.arraycopy(payload, 0, f, FrameHeader.LENGTH, payload.length);
                offer(rogue, f);
                byte[] beat = new byte[Heartbeats.FRAME_LENGTH];
                beat[0] = Heartbeats.TYPE_HEARTBEAT;
                beat[1] = 1;
                beat[4] = 100;
                offer(rogueBeat, beat);
                long[] sent = AeronTransportTest.data(seed, 8);
                List<long[]> got = net.run(t -> {
                    if (t.partyId() == 1) {
                        Thread.sleep(300);
                        t.send(0, "mul/open", sent);
                    }
                    return t.partyId() == 0 ? t.receive(1, "mul/open", 8) : null;
                });
                assertArrayEquals(sent, got.get(0), "seed " + seed);
                long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                while (net.aeron(0).heartbeatsRejected(1) == 0 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertTrue(net.aeron(0).foreignFramesDropped(1) >= 1, "forged data frame counted");
                assertTrue(net.aeron(0).heartbeatsRejected(1) >= 1, "forged heartbeat counted");
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            } finally {
                SharedMediaDriver.release();
            }
        }
    }

    private static void offer(Publication p, byte[] f) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (p.offer(new UnsafeBuffer(f)) < 0) {
            assertTrue(System.nanoTime() < deadline, "rogue publication never connected");
            Thread.onSpinWait();
        }
    }
}
