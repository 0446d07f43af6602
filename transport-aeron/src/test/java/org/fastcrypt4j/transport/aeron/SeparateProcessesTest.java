package org.fastcrypt4j.transport.aeron;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.fastcrypt4j.transport.PartiesConfig;
import org.fastcrypt4j.transport.PartyKeys;

/** Three parties in three JVMs (each with its own embedded media driver) over UDP loopback, keys from files. */
class SeparateProcessesTest {

    @Test
    void threeJvmsExchange(@TempDir Path dir) throws Exception {
        int[] ports = LocalParties.freeUdpPorts();
        List<PartiesConfig.Party> ps = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            java.security.KeyPair k = PartyKeys.generate();
            PartyKeys.write(dir, i, k);
            ps.add(new PartiesConfig.Party(i, "127.0.0.1", ports[i], k.getPublic()));
        }
        Path file = dir.resolve("parties.txt");
        Files.writeString(file, new PartiesConfig(ps.get(0), ps.get(1), ps.get(2)).format());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> procs = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                procs.add(new ProcessBuilder(java, "-Xmx512m", "--add-exports",
                        "java.base/jdk.internal.misc=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                        SeparateProcessParty.class.getName(), file.toString(), dir.toString(), Integer.toString(i))
                        .redirectErrorStream(true).redirectOutput(dir.resolve("party-" + i + ".log").toFile())
                        .start());
            }
            for (int i = 0; i < 3; i++) {
                boolean done = procs.get(i).waitFor(120, TimeUnit.SECONDS);
                String log = read(dir.resolve("party-" + i + ".log"));
                assertTrue(done, "party " + i + " did not finish:\n" + log);
                assertEquals(0, procs.get(i).exitValue(), "party " + i + " failed:\n" + log);
                assertTrue(log.contains("OK party " + i + " " + (300_000L * 8 + 16)), log);
            }
        } finally {
            procs.forEach(Process::destroyForcibly);
        }
    }

    private static String read(Path p) throws IOException {
        return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
    }
}
