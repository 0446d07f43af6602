package org.fastcrypt4j.mpc.sharing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.fastcrypt4j.ring.RingTensor;
import org.fastcrypt4j.transport.InProcessNetwork;
import org.fastcrypt4j.transport.TrafficStats;
import org.fastcrypt4j.transport.Transport;
import org.junit.jupiter.api.Test;

/**
 * The session's key agreement: refused over unprotected links unless asked for explicitly, bound to the
 * transport's session id (a PRG-key message of another session is rejected naming the link), and the
 * user-facing reveals counted in the opening log.
 */
class SessionSecurityTest {

    @Test
    void refusesUnprotectedLinksUnlessToldExplicitly() {
        try (InProcessNetwork net = new InProcessNetwork(Duration.ofSeconds(2))) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> Session.start(net.party(0), MpcSettings.defaults()));
            assertTrue(e.getMessage().contains("unprotected") && e.getMessage().contains("ALLOW_UNPROTECTED_INSECURE"),
                    e.getMessage());
        }
    }

    /** Party 0's transport, but its PRG-key message carries another session's id (a replay from an old run). */
    private static final class ReplayingOldPrgKey implements Transport {
        private final Transport inner;

        ReplayingOldPrgKey(Transport inner) {
            this.inner = inner;
        }

        @Override
        public void send(int peer, String tag, ByteBuffer src) {
            if (tag.equals("session/prg-key")) {
                ByteBuffer copy = ByteBuffer.allocate(src.remaining()).put(src).flip();
                copy.put(0, (byte) (copy.get(0) ^ 0x55));
                inner.send(peer, tag, copy);
            } else {
                inner.send(peer, tag, src);
            }
        }

        @Override
        public int partyId() {
            return inner.partyId();
        }

        @Override
        public void send(int peer, String tag, long[] src, int offset, int length) {
            inner.send(peer, tag, src, offset, length);
        }

        @Override
        public void receive(int peer, String tag, long[] dst, int offset, int length) {
            inner.receive(peer, tag, dst, offset, length);
        }

        @Override
        public void receive(int peer, String tag, ByteBuffer dst) {
            inner.receive(peer, tag, dst);
        }

        @Override
        public byte[] sessionId() {
            return inner.sessionId();
        }

        @Override
        public boolean linksProtected() {
            return inner.linksProtected();
        }

        @Override
        public TrafficStats stats() {
            return inner.stats();
        }

        @Override
        public void close() {
            inner.close();
        }
    }

    @Test
    void aPrgKeyMessageOfAnotherSessionIsRejectedNamingTheLink() throws Exception {
        try (InProcessNetwork net = new InProcessNetwork(Duration.ofSeconds(3))) {
            Transport[] ts = {new ReplayingOldPrgKey(net.party(0)), net.party(1), net.party(2)};
            ExecutorService pool = Executors.newFixedThreadPool(3);
            try {
                List<Future<Session>> fs = new ArrayList<>();
                for (Transport t : ts) {
                    fs.add(pool.submit(() -> Session.start(t, MpcSettings.defaults(),
                            Session.LinkPolicy.ALLOW_UNPROTECTED_INSECURE)));
                }
                Throwable atP1 = null;
                for (int p = 0; p < 3; p++) {
                    try {
                        fs.get(p).get(30, TimeUnit.SECONDS);
                    } catch (java.util.concurrent.ExecutionException e) {
                        if (p == 1) {
                            atP1 = e.getCause();
                        }
                    }
                }
                assertNotNull(atP1, "party 1 accepted a PRG key of another session");
                String m = atP1.getMessage();
                assertTrue(m.contains("party 1") && m.contains("'session/prg-key'") && m.contains("from party 0")
                        && m.contains("another session"), m);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void revealsGoThroughTheAuditedPathAndAreCounted() {
        long seed = System.nanoTime();
        long[] v = {-5, 7, Long.MIN_VALUE};
        List<long[]> out = PartyThreads.runInProcess(MpcSettings.defaults(), s -> {
            SharedTensor x = Sharing.input(s, 2, s.party() == 2 ? RingTensor.of(v, 3) : null, 3);
            s.openings().reset();
            RingTensor toOne = Sharing.revealTo(s, 1, x);
            RingTensor toAll = Sharing.revealToAll(s, x);
            assertEquals(2, s.openings().openings("reveal"), "two reveals logged, seed " + seed);
            assertEquals(6, s.openings().snapshot().get("reveal").elements());
            return new long[][] {toOne == null ? null : toOne.toLongArray(), toAll.toLongArray()}[s.party() == 1 ? 0 : 1];
        });
        org.junit.jupiter.api.Assertions.assertArrayEquals(v, out.get(1));
        org.junit.jupiter.api.Assertions.assertArrayEquals(v, out.get(0));
    }
}
