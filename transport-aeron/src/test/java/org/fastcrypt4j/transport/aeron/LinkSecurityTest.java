package org.fastcrypt4j.transport.aeron;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.aeron.Aeron;
import io.aeron.Subscription;
import org.junit.jupiter.api.Test;
import org.fastcrypt4j.transport.PartiesConfig;
import org.fastcrypt4j.transport.PartyKeys;

/**
 * Per-connection keys over real Aeron links: two sessions between the same key files get different session
 * ids and seal the same plaintext differently; a frame captured in one session and replayed into the next is
 * not accepted; a wrong key in a parties file fails the handshake at both ends of that link, naming the peer.
 */
class LinkSecurityTest {
    private static final AtomicInteger GROUPS = new AtomicInteger();

    /** The three parties' transports, or each party's failure. */
    record Group(AeronTransport[] transports, Throwable[] failures) implements AutoCloseable {
        @Override
        public void close() {
            for (AeronTransport t : transports) {
                if (t != null) {
                    t.close();
                }
            }
        }
    }

    static AeronContext ipcContext() {
        return new AeronContext().channel(AeronContext.Channel.IPC)
                .connectTimeout(Duration.ofSeconds(10))
                .streamIdBase(AeronContext.DEFAULT_STREAM_ID_BASE + 4096
                        + 2 * AeronContext.STREAM_IDS_PER_GROUP * GROUPS.incrementAndGet());
    }

    /** Connects party i with {@code configs[i]} and {@code keys[i]}, all three at once. */
    static Group connect(PartiesConfig[] configs, KeyPair[] keys, AeronContext ctx) {
        AeronTransport[] ts = new AeronTransport[3];
        Throwable[] failures = new Throwable[3];
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                int id = i;
                ts[i] = new AeronTransport(configs[i], i, keys[i], ctx);
                fs.add(pool.submit(() -> {
                    try {
                        ts[id].awaitConnected();
                    } catch (Throwable e) {
                        failures[id] = e;
                    }
                }));
            }
            for (Future<?> f : fs) {
                f.get(60, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            pool.shutdownNow();
        }
        return new Group(ts, failures);
    }

    static PartiesConfig config(KeyPair[] k) {
        return new PartiesConfig(new PartiesConfig.Party(0, "127.0.0.1", 1, k[0].getPublic()),
                new PartiesConfig.Party(1, "127.0.0.1", 2, k[1].getPublic()),
                new PartiesConfig.Party(2, "127.0.0.1", 3, k[2].getPublic()));
    }

    /** Sends the same plaintext 0 -> 1 and returns the sealed data frame a spy on the channel saw. */
    private static byte[] sessionSendingFixedPlaintext(KeyPair[] keys, long[] plaintext, byte[][] sessionIdOut) {
        AeronContext ctx = ipcContext();
        PartiesConfig cfg = config(keys);
        Aeron aeron = SharedMediaDriver.acquire(ctx);
        List<byte[]> seen = new ArrayList<>();
        try (Subscription spy = aeron.addSubscription("aeron:ipc?term-length=" + ctx.termLength() + "|mtu="
                + ctx.mtuLength(), ctx.streamIdBase() + 1);
             Group g = connect(new PartiesConfig[] {cfg, cfg, cfg}, keys, ctx)) {
            for (Throwable f : g.failures()) {
                assertTrue(f == null, String.valueOf(f));
            }
            byte[] sid = g.transports()[0].sessionId();
            assertArrayEquals(sid, g.transports()[1].sessionId());
            assertArrayEquals(sid, g.transports()[2].sessionId());
            sessionIdOut[0] = sid;
            g.transports()[0].send(1, "spy/x", plaintext);
            assertArrayEquals(plaintext, g.transports()[1].receive(0, "spy/x", plaintext.length));
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (System.nanoTime() < deadline && seen.stream().noneMatch(LinkSecurityTest::isSpyFrame)) {
                spy.poll((buf, off, len, hdr) -> {
                    byte[] b = new byte[len];
                    buf.getBytes(off, b);
                    seen.add(b);
                }, 100);
            }
        } finally {
            SharedMediaDriver.release();
        }
        return seen.stream().filter(LinkSecurityTest::isSpyFrame).findFirst().orElseThrow();
    }

    private static boolean isSpyFrame(byte[] f) {
        if (f.length < FrameHeader.LENGTH || f[0] != FrameHeader.TYPE_DATA) {
            return false;
        }
        return new FrameHeader().wrap(f).tagString().equals("spy/x");
    }

    @Test
    void twoSessionsBetweenTheSameKeyFilesShareNoKeys() {
        KeyPair[] keys = {PartyKeys.generate(), PartyKeys.generate(), PartyKeys.generate()};
        long[] plaintext = AeronTransportTest.data(7, 512);
        byte[][] sid1 = new byte[1][];
        byte[][] sid2 = new byte[1][];
        byte[] f1 = sessionSendingFixedPlaintext(keys, plaintext, sid1);
        byte[] f2 = sessionSendingFixedPlaintext(keys, plaintext, sid2);
        assertTrue(!Arrays.equals(sid1[0], sid2[0]), "session ids differ");
        assertEquals(f1.length, f2.length);
        assertEquals(new FrameHeader().wrap(f1).sequence(), new FrameHeader().wrap(f2).sequence(),
                "same sequence number in both sessions");
        assertTrue(!Arrays.equals(Arrays.copyOfRange(f1, FrameHeader.LENGTH, f1.length),
                Arrays.copyOfRange(f2, FrameHeader.LENGTH, f2.length)), "same plaintext sealed identically in two sessions");
        byte[] plainBytes = new byte[plaintext.length * 8];
        java.nio.ByteBuffer.wrap(plainBytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).asLongBuffer().put(plaintext);
        assertTrue(!Arrays.equals(Arrays.copyOfRange(f1, FrameHeader.LENGTH, FrameHeader.LENGTH + 64),
                Arrays.copyOf(plainBytes, 64)), "payload is encrypted");
    }

    @Test
    void wrongKeyInAPartiesFileFailsTheHandshakeNamingThePeer() {
        KeyPair[] keys = {PartyKeys.generate(), PartyKeys.generate(), PartyKeys.generate()};
        PartiesConfig good = config(keys);
        KeyPair[] wrong = keys.clone();
        wrong[1] = PartyKeys.generate();
        PartiesConfig bad = config(wrong);   // party 0's file pins a key party 1 does not hold
        AeronContext ctx = ipcContext();
        try (Group g = connect(new PartiesConfig[] {bad, good, good}, keys, ctx)) {
            Throwable f0 = g.failures()[0];
            Throwable f1 = g.failures()[1];
            assertNotNull(f0, "party 0 connected with a wrong key for party 1");
            assertNotNull(f1, "party 1 accepted party 0's handshake");
            assertTrue(f0.getMessage().contains("party 1"), f0.getMessage());
            assertTrue(f1.getMessage().contains("from party 0") && f1.getMessage().contains("did not authenticate"),
                    f1.getMessage());
            assertNotNull(g.failures()[2], "party 2 completed a session whose other link failed");
        }
    }
}
