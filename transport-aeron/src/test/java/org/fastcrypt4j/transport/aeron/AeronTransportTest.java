package org.fastcrypt4j.transport.aeron;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.fastcrypt4j.transport.PartiesConfig;
import org.fastcrypt4j.transport.PartyKeys;
import org.fastcrypt4j.transport.Transport;
import org.fastcrypt4j.transport.PeerFailureException;
import org.fastcrypt4j.transport.TagMismatchException;
import org.fastcrypt4j.transport.TrafficStats;
import org.fastcrypt4j.transport.InProcessNetwork;

class AeronTransportTest {

    private static LocalParties open(AeronContext.Channel channel, AeronContext ctx) {
        return channel == AeronContext.Channel.IPC ? LocalParties.ipc(ctx) : LocalParties.udpLoopback(ctx);
    }

    static long[] data(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        long[] a = new long[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextLong();
        }
        if (n > 0) {
            a[0] = Long.MIN_VALUE;
        }
        if (n > 1) {
            a[n - 1] = -1L;
        }
        return a;
    }

    /** Ring exchanges of several sizes (multi-chunk ones included), a reply round, and the counters. */
    @ParameterizedTest
    @EnumSource(AeronContext.Channel.class)
    void ringExchangeAndCounters(AeronContext.Channel channel) {
        long seed = 0x5eed0001L;
        int[] sizes = {0, 1, 1000, 3 * 1024 * 1024 / 8 + 5};   // the last one is 4 chunks of 1 MiB
        try (LocalParties net = open(channel, new AeronContext().chunkLength(1024 * 1024))) {
            List<Boolean> ok = net.run(t -> {
                int me = t.partyId();
                for (int s : sizes) {
                    long[] mine = data(seed + 31L * me + s, s);
                    long[] got = new long[s];
                    t.exchange("ring/" + s, t.next(), mine, t.prev(), got);
                    assertArrayEquals(data(seed + 31L * t.prev() + s, s), got, "seed " + seed + " size " + s);
                }
                ByteBuffer out = ByteBuffer.allocateDirect(777);
                for (int i = 0; i < 777; i++) {
                    out.put(i, (byte) (me * 7 + i));
                }
                t.send(t.prev(), "reply/back", out);
                ByteBuffer in = ByteBuffer.allocate(777);
                t.receive(t.next(), "reply/back", in);
                for (int i = 0; i < 777; i++) {
                    assertEquals((byte) (t.next() * 7 + i), in.get(i));
                }
                return true;
            });
            assertEquals(List.of(true, true, true), ok);
            for (int p = 0; p < 3; p++) {
                TrafficStats.Counter ring = net.party(p).stats().snapshot().get("ring");
                long bytes = 0;
                for (int s : sizes) {
                    bytes += 8L * s;
                }
                assertEquals(bytes, ring.bytesSent(), "party " + p);
                assertEquals(bytes, ring.bytesReceived(), "party " + p);
                assertEquals(sizes.length, ring.messagesSent());
                assertEquals(sizes.length, ring.messagesReceived());
                assertEquals(sizes.length, ring.rounds(), "a ring exchange per size is one round each");
                TrafficStats.Counter reply = net.party(p).stats().snapshot().get("reply");
                assertEquals(777, reply.bytesSent());
                assertEquals(1, reply.rounds());
                assertEquals(sizes.length + 1, net.party(p).stats().depth());
            }
        }
    }

    /** Same exchange pattern counted by the in-memory network: the counters must agree. */
    @Test
    void countersAgreeWithInProcessNetwork() {
        try (LocalParties net = LocalParties.ipc(new AeronContext());
             InProcessNetwork mem = new InProcessNetwork()) {
            net.run(t -> pattern(t));
            Thread[] th = new Thread[3];
            for (int i = 0; i < 3; i++) {
                Transport t = mem.party(i);
                th[i] = new Thread(() -> pattern(t));
                th[i].start();
            }
            for (Thread x : th) {
                x.join();
            }
            for (int p = 0; p < 3; p++) {
                assertEquals(mem.party(p).stats().table(), net.party(p).stats().table(), "party " + p);
                assertEquals(mem.party(p).stats().depth(), net.party(p).stats().depth());
            }
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static Object pattern(Transport t) {
        long[] x = {t.partyId(), -5, Long.MAX_VALUE};
        t.exchange("a/1", t.next(), x, t.prev(), new long[3]);
        t.exchange("a/2", t.prev(), x, t.next(), new long[3]);
        if (t.partyId() == 0) {
            t.send(1, "b/1", x);
            t.send(2, "b/1", x);
        } else {
            t.receive(0, "b/1", new long[3]);
        }
        return null;
    }

    @Test
    void tagMismatchNamesBothTagsAndPeer() {
        try (LocalParties net = LocalParties.ipc(new AeronContext().peerTimeout(Duration.ofSeconds(2)))) {
            Transport p0 = net.party(0);
            Transport p1 = net.party(1);
            Thread sender = new Thread(() -> p0.send(1, "mul/reshare", new long[] {1, 2}));
            sender.start();
            TagMismatchException e = assertThrows(TagMismatchException.class,
                    () -> p1.receive(0, "mul/open", new long[2]));
            assertEquals("mul/open", e.expected());
            assertEquals("mul/reshare", e.actual());
            assertEquals(0, e.peer());
            assertTrue(e.getMessage().contains("party 0"), e.getMessage());
        }
    }

    /** A 256 MiB message over IPC, chunked and reassembled, checked against its generator. */
    @Test
    void message256MiBOverIpc() {
        int n = 256 * 1024 * 1024 / 8;
        try (LocalParties net = LocalParties.ipc(new AeronContext())) {
            List<Boolean> ok = net.run(t -> {
                if (t.partyId() == 0) {
                    long[] a = new long[n];
                    for (int i = 0; i < n; i++) {
                        a[i] = i * 0x9E3779B97F4A7C15L;
                    }
                    t.send(1, "big/x", a);
                } else if (t.partyId() == 1) {
                    long[] b = t.receive(0, "big/x", n);
                    for (int i = 0; i < n; i++) {
                        if (b[i] != i * 0x9E3779B97F4A7C15L) {
                            return false;
                        }
                    }
                }
                return true;
            });
            assertEquals(List.of(true, true, true), ok);
            assertEquals(256L * 1024 * 1024, net.party(1).stats().totalBytesReceived());
        }
    }

    /**
     * A peer that is alive (heartbeats) but never sends what is awaited is reported after the progress timeout;
     * one that closes (crashes) at once. Both name the peer and the step.
     */
    @ParameterizedTest
    @EnumSource(AeronContext.Channel.class)
    void stalledAndLostPeersDetected(AeronContext.Channel channel) {
        Duration progress = Duration.ofSeconds(3);
        try (LocalParties net = open(channel, new AeronContext().progressTimeout(progress))) {
            long t0 = System.nanoTime();
            PeerFailureException stalled = assertTimeoutPreemptively(progress.plusSeconds(20), () ->
                    assertThrows(PeerFailureException.class, () -> net.party(0).receive(2, "step/silent", new long[4])));
            assertTrue(System.nanoTime() - t0 >= progress.toNanos(), "reported before the progress timeout");
            assertEquals(2, stalled.peer());
            assertTrue(stalled.getMessage().contains("step/silent") && stalled.getMessage().contains("progress"),
                    stalled.getMessage());
            net.party(1).close();
            PeerFailureException lost = assertTimeoutPreemptively(Duration.ofSeconds(20), () ->
                    assertThrows(PeerFailureException.class, () -> net.party(2).receive(1, "step/lost", new long[4])));
            assertEquals(1, lost.peer());
            assertTrue(lost.getMessage().contains("step/lost"), lost.getMessage());
        }
    }

    @Test
    void latePeerFailsConnect() {
        AeronContext ctx = new AeronContext().channel(AeronContext.Channel.UDP)
                .connectTimeout(Duration.ofSeconds(1));
        java.security.KeyPair k0 = PartyKeys.generate();
        int[] ports = LocalParties.freeUdpPorts();
        PartiesConfig cfg = new PartiesConfig(
                new PartiesConfig.Party(0, "127.0.0.1", ports[0], k0.getPublic()),
                new PartiesConfig.Party(1, "127.0.0.1", ports[1], PartyKeys.generate().getPublic()),
                new PartiesConfig.Party(2, "127.0.0.1", ports[2], PartyKeys.generate().getPublic()));
        PeerFailureException e = assertThrows(PeerFailureException.class, () -> AeronTransport.connect(cfg, 0, k0, ctx));
        assertTrue(e.getMessage().contains("connect"), e.getMessage());
    }
}
