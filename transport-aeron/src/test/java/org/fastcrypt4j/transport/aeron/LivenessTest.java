package org.fastcrypt4j.transport.aeron;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.fastcrypt4j.transport.PartiesConfig;
import org.fastcrypt4j.transport.PartyKeys;
import org.fastcrypt4j.transport.PeerFailureException;

/**
 * Liveness apart from progress, with the default timeouts (8 s without a heartbeat): a party that computes for
 * 30 s without sending is not reported failed; a party whose JVM is killed with SIGKILL is reported by both
 * others within 10 s, naming it.
 */
class LivenessTest {

    @Test
    void aPartyBusyFor30SecondsIsNotReportedFailed() {
        try (LocalParties net = LocalParties.udpLoopback(new AeronContext())) {
            long[] payload = AeronTransportTest.data(30, 1000);
            List<long[]> got = net.run(t -> {
                if (t.partyId() == 1) {
                    Thread.sleep(30_000);   // computing: neither sends nor polls its links
                    t.send(0, "busy/result", payload);
                    t.send(2, "busy/result", payload);
                    return null;
                }
                return t.receive(1, "busy/result", payload.length);
            });
            assertArrayEquals(payload, got.get(0));
            assertArrayEquals(payload, got.get(2));
        }
    }

    @Test
    void aKilledPartyIsReportedWithin10Seconds(@TempDir Path dir) throws Exception {
        int[] ports = LocalParties.freeUdpPorts();
        KeyPair[] keys = new KeyPair[3];
        List<PartiesConfig.Party> ps = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            keys[i] = PartyKeys.generate();
            PartyKeys.write(dir, i, keys[i]);
            ps.add(new PartiesConfig.Party(i, "127.0.0.1", ports[i], keys[i].getPublic()));
        }
        PartiesConfig cfg = new PartiesConfig(ps.get(0), ps.get(1), ps.get(2));
        Path file = dir.resolve("parties.txt");
        Files.writeString(file, cfg.format());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx256m", "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), IdleParty.class.getName(), file.toString(),
                dir.toString(), "2").redirectErrorStream(true).start();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        AeronContext ctx = new AeronContext().connectTimeout(Duration.ofSeconds(60));
        AeronTransport[] ts = {new AeronTransport(cfg, 0, keys[0], ctx), new AeronTransport(cfg, 1, keys[1], ctx)};
        try {
            List<Future<Object>> connected = new ArrayList<>();
            for (AeronTransport t : ts) {
                connected.add(pool.submit(() -> {
                    t.awaitConnected();
                    return null;
                }));
            }
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            Future<String> ready = pool.submit(() -> {
                String line;
                while ((line = out.readLine()) != null && !line.startsWith("CONNECTED")) {
                    System.out.println("party 2: " + line);
                }
                return line;
            });
            assertEquals("CONNECTED", ready.get(90, TimeUnit.SECONDS), "party 2 never connected");
            for (Future<Object> f : connected) {
                f.get(90, TimeUnit.SECONDS);
            }
            List<Future<Long>> failedAfter = new ArrayList<>();
            long[] killedAt = new long[1];
            for (AeronTransport t : ts) {
                failedAfter.add(pool.submit(() -> {
                    try {
                        t.receive(2, "kill/step", new long[4]);
                        return -1L;
                    } catch (PeerFailureException e) {
                        assertEquals(2, e.peer(), e.getMessage());
                        assertTrue(e.getMessage().contains("kill/step"), e.getMessage());
                        return System.nanoTime();
                    }
                }));
            }
            Thread.sleep(1000);
            killedAt[0] = System.nanoTime();
            child.destroyForcibly();   // SIGKILL
            for (int i = 0; i < 2; i++) {
                long at = failedAfter.get(i).get(30, TimeUnit.SECONDS);
                assertTrue(at > 0, "party " + i + " did not fail");
                double s = (at - killedAt[0]) / 1e9;
                System.out.printf("party %d reported party 2 failed %.2f s after SIGKILL%n", i, s);
                assertTrue(s <= 10.0, "party " + i + " took " + s + " s to report the killed party");
            }
        } finally {
            child.destroyForcibly();
            pool.shutdownNow();
            for (AeronTransport t : ts) {
                t.close();
            }
        }
    }

    /** Party {@code args[2]} in its own JVM: connects, prints CONNECTED, then idles until killed. */
    public static final class IdleParty {
        private IdleParty() {
        }

        public static void main(String[] args) throws Exception {
            PartiesConfig cfg = PartiesConfig.read(Path.of(args[0]));
            int self = Integer.parseInt(args[2]);
            AeronTransport t = AeronTransport.connect(cfg, self, PartyKeys.read(Path.of(args[1]), self),
                    new AeronContext().connectTimeout(Duration.ofSeconds(60)));
            System.out.println("CONNECTED");
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
            t.close();
        }
    }
}
