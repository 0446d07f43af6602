package org.fastcrypt4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.fastcrypt4j.transport.aeron.LocalParties;
import org.fastcrypt4j.transport.PartiesConfig;
import org.fastcrypt4j.transport.PartyKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One party per process: the launcher's local mode starts three {@code fastcrypt4j party} processes on loopback and
 * the job completes; a party killed with SIGKILL mid-run is reported by the two others, which exit (status 3)
 * within 10 s naming it, leaving no process behind.
 */
class ThreeProcessesTest {

    private static Path repoRoot() {
        return Path.of("").toAbsolutePath().getParent();
    }

    @Test
    void theLaunchersLocalModeRunsTheJobInThreeProcesses(@TempDir Path dir) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", repoRoot().resolve("examples/launch/launch.sh").toString(),
                "--local", "--port", Integer.toString(LocalParties.freeUdpPortBlock(3)),
                "--run-dir", dir.toString(), "--", "--net", "mlp", "--limit", "640", "--batch", "64", "--test", "256")
                .directory(repoRoot().toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("launch.log").toFile());
        // the processes run the classes under test (no build of their own), with the test's data directory
        pb.environment().put("FC4J_CLASSPATH", System.getProperty("java.class.path"));
        pb.environment().put("FC4J_DATA", System.getProperty("fc4j.data"));
        pb.environment().put("FC4J_JAVA_OPTS", "-Xmx2g -Dorg.bytedeco.javacpp.maxbytes=2g -Dorg.bytedeco.javacpp.maxphysicalbytes=4g");
        Process p = pb.start();
        assertTrue(p.waitFor(10, TimeUnit.MINUTES), "launcher did not finish");
        String log = Files.readString(dir.resolve("launch.log"));
        assertEquals(0, p.exitValue(), log);
        String p1 = Files.readString(dir.resolve("party-1.log"));
        assertTrue(p1.contains("{\"job\":\"train\",\"party\":1"), p1);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"secure_acc\":([0-9.]+)").matcher(p1);
        assertTrue(m.find() && Double.parseDouble(m.group(1)) > 0.5, p1);
        assertTrue(Files.readString(dir.resolve("party-0.log")).contains("steps in"), "P0 log");
    }

    @Test
    void aPartyKilledMidRunIsReportedByBothOthersWithin10Seconds(@TempDir Path dir) throws Exception {
        int[] ports = LocalParties.freeUdpPorts();
        List<PartiesConfig.Party> ps = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            KeyPair k = PartyKeys.generate();
            PartyKeys.write(dir, i, k);
            ps.add(new PartiesConfig.Party(i, "127.0.0.1", ports[i], k.getPublic()));
        }
        Path conf = dir.resolve("parties.conf");
        Files.writeString(conf, new PartiesConfig(ps.get(0), ps.get(1), ps.get(2)).format());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> procs = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                procs.add(new ProcessBuilder(java, "-Xmx2g", "-Dorg.bytedeco.javacpp.maxbytes=2g", "-Dorg.bytedeco.javacpp.maxphysicalbytes=4g", "--add-modules", "jdk.incubator.vector", "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
                        "--add-opens", "java.base/java.nio=ALL-UNNAMED", "--add-opens",
                        "java.base/sun.nio.ch=ALL-UNNAMED", "-Dfc4j.data=" + System.getProperty("fc4j.data"), "-cp",
                        System.getProperty("java.class.path"), FastCrypt4j.class.getName(), "party", "--id",
                        Integer.toString(i), "--config", conf.toString(), "--net", "lenet", "--limit", "2560",
                        "--test", "64", "--checkpoint", dir.resolve("ck").toString(), "--checkpoint-every", "1")
                        .redirectErrorStream(true).redirectOutput(dir.resolve("party-" + i + ".log").toFile()).start());
            }
            Path ck = dir.resolve("ck").resolve("party-2.ckpt");
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
            while (!Files.exists(ck) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(Files.exists(ck), "training never reached a checkpoint:\n" + Files.readString(dir.resolve("party-1.log")));
            long killedAt = System.nanoTime();
            procs.get(2).destroyForcibly();
            for (int i = 0; i < 2; i++) {
                assertTrue(procs.get(i).waitFor(30, TimeUnit.SECONDS), "party " + i + " hangs after party 2 died");
                double s = (System.nanoTime() - killedAt) / 1e9;
                String log = Files.readString(dir.resolve("party-" + i + ".log"));
                assertEquals(3, procs.get(i).exitValue(), log);
                assertTrue(log.contains("peer 2"), log);
                assertTrue(s <= 10.5, "party " + i + " exited " + s + " s after the kill");
                System.out.printf("party %d reported party 2 and exited %.1f s after SIGKILL%n", i, s);
            }
        } finally {
            procs.forEach(Process::destroyForcibly);
        }
    }
}
