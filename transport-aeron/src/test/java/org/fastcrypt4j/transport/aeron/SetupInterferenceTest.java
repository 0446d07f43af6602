package org.fastcrypt4j.transport.aeron;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.ByteOrder;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.aeron.Aeron;
import io.aeron.Publication;
import org.agrona.concurrent.UnsafeBuffer;
import org.fastcrypt4j.transport.PartiesConfig;
import org.junit.jupiter.api.Test;

/**
 * Anyone on the network can send datagrams to a party's port, and a recording of an earlier session holds valid KK
 * first messages. Here an attacker, before party 0 starts, replays two recorded initiations of party 0 to party 1
 * (one of them twice), forges a confirmation for one of them, sends a forged reject notice and malformed set-up
 * frames on Aeron streams of its own, and raw garbage datagrams to the port; to party 0 it sends forged rejects, a
 * reply to another initiation and a forged reply to party 0's real initiation. The set-up completes anyway, every
 * stray frame is dropped and counted, and the session works. (Before the candidate handshake, party 1 adopted the
 * first replayed initiation and all three failed, party 0 blaming its parties file.)
 */
class SetupInterferenceTest {
    private static final AtomicInteger GROUPS = new AtomicInteger();
    private final long seed = 0x1D1EL;

    private static byte[] frame(byte type, int from, int to, byte[] body) {
        byte[] f = new byte[LinkHandshake.HEADER + body.length];
        UnsafeBuffer b = new UnsafeBuffer(f);
        b.putByte(0, type);
        b.putByte(1, (byte) from);
        b.putByte(2, (byte) to);
        b.putInt(4, body.length, ByteOrder.LITTLE_ENDIAN);
        System.arraycopy(body, 0, f, LinkHandshake.HEADER, body.length);
        return f;
    }

    private static void offer(Publication p, byte[] f) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (p.offer(new UnsafeBuffer(f)) < 0) {
            assertTrue(System.nanoTime() < deadline, "rogue publication never connected");
            Thread.onSpinWait();
        }
    }

    @Test
    void replayedAndForgedSetUpDatagramsDoNotStopTheSetUp() throws Exception {
        SplittableRandom rnd = new SplittableRandom(seed);
        KeyPair[] keys = LocalParties.freshKeys();
        int[] ports = LocalParties.freeUdpPorts();
        PartiesConfig cfg = new PartiesConfig(new PartiesConfig.Party(0, "127.0.0.1", ports[0], keys[0].getPublic()),
                new PartiesConfig.Party(1, "127.0.0.1", ports[1], keys[1].getPublic()),
                new PartiesConfig.Party(2, "127.0.0.1", ports[2], keys[2].getPublic()));
        AeronContext ctx = new AeronContext().connectTimeout(Duration.ofSeconds(30))
                .streamIdBase(AeronContext.DEFAULT_STREAM_ID_BASE + 8192
                        + 2 * AeronContext.STREAM_IDS_PER_GROUP * GROUPS.incrementAndGet());
        // what a recording of two earlier sessions holds: party 0's KK message 1 to party 1 (valid, replayable)
        byte[] recorded1 = new LinkHandshake(0, 1, keys[0], keys[1].getPublic()).takeOutgoing();
        byte[] recorded2 = new LinkHandshake(0, 1, keys[0], keys[1].getPublic()).takeOutgoing();
        byte[] randomTag = new byte[16];
        rnd.nextBytes(randomTag);
        byte[] forgedConfirm = frame(LinkHandshake.TYPE_CONFIRM, 0, 1, concat(Arrays.copyOfRange(recorded1,
                LinkHandshake.HEADER, LinkHandshake.HEADER + LinkHandshake.ECHO), randomTag));

        AeronTransport[] ts = new AeronTransport[3];
        Throwable[] failures = new Throwable[3];
        ExecutorService pool = Executors.newFixedThreadPool(3);
        Aeron aeron = SharedMediaDriver.acquire(ctx);
        try {
            List<Future<?>> started = new ArrayList<>();
            for (int id : new int[] {1, 2}) {
                ts[id] = new AeronTransport(cfg, id, keys[id], ctx);
                started.add(pool.submit(() -> connect(ts, failures, id)));
            }
            String toP1 = "aeron:udp?endpoint=127.0.0.1:" + ports[1] + "|term-length=" + ctx.termLength() + "|mtu="
                    + ctx.mtuLength();
            try (Publication rogue = aeron.addExclusivePublication(toP1, ctx.streamIdBase() + 1);
                 DatagramSocket raw = new DatagramSocket()) {
                offer(rogue, recorded1);
                offer(rogue, recorded1);
                offer(rogue, recorded2);
                offer(rogue, forgedConfirm);
                offer(rogue, frame(LinkHandshake.TYPE_REJECT, 0, 1, new byte[0]));
                offer(rogue, frame(LinkHandshake.TYPE_MESSAGE_1, 0, 1, new byte[7]));
                for (int i = 0; i < 4; i++) {
                    byte[] junk = new byte[64 + rnd.nextInt(200)];
                    rnd.nextBytes(junk);
                    raw.send(new DatagramPacket(junk, junk.length, InetAddress.getLoopbackAddress(), ports[1]));
                }
                Thread.sleep(1500);   // party 1 handles all of it before party 0 exists

                ts[0] = new AeronTransport(cfg, 0, keys[0], ctx);
                byte[] echo0 = ts[0].links().get(1).handshake.echo();
                String toP0 = "aeron:udp?endpoint=127.0.0.1:" + ports[0] + "|term-length=" + ctx.termLength()
                        + "|mtu=" + ctx.mtuLength();
                try (Publication rogue0 = aeron.addExclusivePublication(toP0, ctx.streamIdBase() + 3)) {
                    byte[] junk = new byte[LinkHandshake.ECHO + 48];
                    rnd.nextBytes(junk);
                    offer(rogue0, frame(LinkHandshake.TYPE_REJECT, 1, 0, new byte[0]));
                    offer(rogue0, frame(LinkHandshake.TYPE_MESSAGE_2, 1, 0, junk));
                    System.arraycopy(echo0, 0, junk, 0, echo0.length);
                    offer(rogue0, frame(LinkHandshake.TYPE_MESSAGE_2, 1, 0, junk));
                    started.add(pool.submit(() -> connect(ts, failures, 0)));
                    for (Future<?> f : started) {
                        f.get(60, TimeUnit.SECONDS);
                    }
                }
            }
            for (int i = 0; i < 3; i++) {
                assertNull(failures[i], "party " + i + " failed to connect (seed " + seed + "): " + failures[i]);
            }
            assertArrayEquals(ts[0].sessionId(), ts[1].sessionId());
            assertArrayEquals(ts[0].sessionId(), ts[2].sessionId());
            LinkHandshake hs1 = ts[1].links().get(0).handshake;
            assertTrue(hs1.droppedStale() >= 1, "the repeated replay dropped: " + hs1.droppedStale());
            assertTrue(hs1.authFailures() >= 1, "the forged confirmation did not authenticate");
            assertTrue(ts[1].framesDropped(0) >= 4, "dropped at party 1: " + ts[1].framesDropped(0));
            LinkHandshake hs0 = ts[0].links().get(1).handshake;
            assertTrue(hs0.rejectsReceived() >= 1 && hs0.authFailures() >= 1 && hs0.droppedStale() >= 1,
                    "party 0: rejects " + hs0.rejectsReceived() + ", auth failures " + hs0.authFailures() + ", stale "
                            + hs0.droppedStale());
            // and the session works
            long[] payload = AeronTransportTest.data(seed, 5000);
            Future<?> send = pool.submit(() -> ts[0].send(1, "after/setup", payload));
            assertArrayEquals(payload, ts[1].receive(0, "after/setup", payload.length));
            send.get(10, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
            for (AeronTransport t : ts) {
                if (t != null) {
                    t.close();
                }
            }
            SharedMediaDriver.release();
        }
    }

    private static void connect(AeronTransport[] ts, Throwable[] failures, int id) {
        try {
            ts[id].awaitConnected();
        } catch (Throwable e) {
            failures[id] = e;
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /**
     * Party 0 pins a wrong key for party 1; party 2, whose links are fine and whose own connect timeout is far
     * longer, is told by the failing pair and stops at once, naming both.
     */
    @Test
    void theThirdPartyOfAFailedHandshakeIsToldAndNamesBoth() throws Exception {
        KeyPair[] keys = LocalParties.freshKeys();
        KeyPair[] wrong = keys.clone();
        wrong[1] = org.fastcrypt4j.transport.PartyKeys.generate();
        PartiesConfig good = LinkSecurityTest.config(keys);
        PartiesConfig bad = LinkSecurityTest.config(wrong);
        AeronContext shortCtx = LinkSecurityTest.ipcContext().connectTimeout(Duration.ofSeconds(4));
        AeronContext longCtx = new AeronContext().channel(AeronContext.Channel.IPC)
                .streamIdBase(shortCtx.streamIdBase()).connectTimeout(Duration.ofSeconds(120));
        AeronTransport[] ts = {new AeronTransport(bad, 0, keys[0], shortCtx),
                new AeronTransport(good, 1, keys[1], shortCtx), new AeronTransport(good, 2, keys[2], longCtx)};
        Throwable[] failures = new Throwable[3];
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            long t0 = System.nanoTime();
            List<Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                int id = i;
                fs.add(pool.submit(() -> connect(ts, failures, id)));
            }
            for (Future<?> f : fs) {
                f.get(60, TimeUnit.SECONDS);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertNotNull(failures[2], "party 2 completed a session whose other link failed");
            String m2 = failures[2].getMessage();
            assertTrue(m2.contains("could not set up its link with party") && m2.contains("party 0")
                    && m2.contains("party 1"), m2);
            assertTrue(seconds < 30, "party 2 waited " + seconds + " s (its own timeout is 120 s)");
            assertTrue(failures[0].getMessage().contains("party 1") && failures[0].getMessage().contains("reject"),
                    failures[0].getMessage());
        } finally {
            pool.shutdownNow();
            for (AeronTransport t : ts) {
                t.close();
            }
        }
    }
}
