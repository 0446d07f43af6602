package org.fastcrypt4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.fastcrypt4j.nn.training.Checkpoint;
import org.fastcrypt4j.transport.PartiesConfig;
import org.fastcrypt4j.transport.PartyKeys;
import org.fastcrypt4j.transport.aeron.LocalParties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

/**
 * What a user meets when something is wrong: one line naming the option, file or party, no stack trace, and the
 * documented exit status (2: bad option, file or configuration; 3: a peer failed or could not be reached), found
 * before anything connects where it can be.
 */
class CommandLineErrorsTest {

    /** Exit status and standard error of one command run in this JVM. */
    private record Run(int code, String err) {
    }

    private static Run run(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cmd = FastCrypt4j.commandLine();
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(args);
        return new Run(code, err.toString());
    }

    private static void assertOneLine(Run r, int code, String... expected) {
        assertEquals(code, r.code(), r.err());
        String[] lines = r.err().strip().split("\n");
        assertEquals(1, lines.length, "one line, no stack trace:\n" + r.err());
        for (String e : expected) {
            assertTrue(lines[0].contains(e), "'" + e + "' missing from: " + lines[0]);
        }
        assertFalse(lines[0].matches(".*(party \\d: ){2}.*"), "repeated prefix: " + lines[0]);
    }

    /** The scenario: a byte flipped in one party's checkpoint, then --resume: refused naming the file. */
    @Test
    void aTamperedCheckpointIsRefusedOnResumeNamingTheFile(@TempDir Path dir) throws Exception {
        String[] job = {"demo", "--net", "mlp", "--limit", "640", "--batch", "64", "--test", "100", "--checkpoint",
                dir.toString(), "--checkpoint-every", "3", "--stop-after", "6", "--in-server-data"};
        Run first = run(job);
        assertEquals(0, first.code(), first.err());
        Path f = Checkpoint.file(dir, 1);
        byte[] b = Files.readAllBytes(f);
        b[b.length / 2] ^= 0x01;
        Files.write(f, b);
        List<String> resumed = new ArrayList<>(List.of(job));
        resumed.add("--resume");
        resumed.add(dir.toString());
        assertOneLine(run(resumed.toArray(new String[0])), CliErrors.USAGE, f.toString(), "does not authenticate");
        // a resume with other options than the run's is refused too
        Files.copy(Checkpoint.previousFile(dir, 1), f, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        resumed.set(6, "32");
        assertOneLine(run(resumed.toArray(new String[0])), CliErrors.USAGE, "batch=64", "batch=32");
    }

    @Test
    void badOptionsFailBeforeConnectingInOneLine(@TempDir Path dir) {
        Path conf = dir.resolve("missing.conf");
        assertOneLine(run("party", "--id", "1", "--config", conf.toString(), "--batch", "0"), CliErrors.USAGE,
                "--batch must be positive, got 0");
        assertOneLine(run("party", "--id", "1", "--config", conf.toString(), "--limit", "-5"), CliErrors.USAGE,
                "--limit");
        assertOneLine(run("demo", "--lr", "-1"), CliErrors.USAGE, "--lr must be positive");
        assertOneLine(run("demo", "--lr-by-epoch", "1:0.01"), CliErrors.USAGE, "--lr-by-epoch needs a rate for epoch 0");
        assertOneLine(run("demo", "--lr-by-epoch", "0:0.01,x"), CliErrors.USAGE, "--lr-by-epoch: 'x' is not epoch:rate");
        assertOneLine(run("party", "--id", "1", "--config", conf.toString()), CliErrors.USAGE, "no such file",
                conf.toString());
        assertOneLine(run("demo", "--batch", "x"), CliErrors.USAGE, "--batch");
    }

    @Test
    void aTrainingConfigurationThatIsNotDl4jJsonIsRefusedNamingTheFile(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("net.json");
        Files.writeString(bad, "{\"layers\": 3}");
        assertOneLine(run("client", "train", "--servers", dir.resolve("parties.conf").toString(), "--name", "alice",
                "--conf", bad.toString(), "--job", "j", "--model-name", "m", "--data-owners", "d1", "--out",
                dir.resolve("out.zip").toString()), CliErrors.USAGE, bad.toString(),
                "MultiLayerConfiguration or ComputationGraphConfiguration");
    }

    @Test
    void aBadPartiesFileIsRefusedNamingTheLine(@TempDir Path dir) throws Exception {
        for (int i = 0; i < 3; i++) {
            PartyKeys.write(dir, i, PartyKeys.generate());
        }
        Path conf = dir.resolve("parties.conf");
        Files.writeString(conf, String.join("\n",
                "0 127.0.0.1 40100 " + Files.readString(PartyKeys.publicKeyFile(dir, 0)).trim(),
                "1 127.0.0.1 40101 " + Files.readString(PartyKeys.publicKeyFile(dir, 1)).trim(),
                "2 127.0.0.1 40100 " + Files.readString(PartyKeys.publicKeyFile(dir, 2)).trim()) + "\n");
        assertOneLine(run("party", "--id", "0", "--config", conf.toString()), CliErrors.USAGE, conf + ":3",
                "already given to party 0");
    }

    @Test
    void keygenKeepsAnExistingKeyUnlessForced(@TempDir Path dir) throws Exception {
        assertEquals(0, run("keygen", "--out", dir.toString(), "--party", "1").code());
        String pub = Files.readString(PartyKeys.publicKeyFile(dir, 1));
        assertOneLine(run("keygen", "--out", dir.toString(), "--party", "1"), CliErrors.USAGE, "--force");
        assertEquals(pub, Files.readString(PartyKeys.publicKeyFile(dir, 1)), "key replaced without --force");
        assertEquals(0, run("keygen", "--out", dir.toString(), "--party", "1", "--reuse").code());
        assertEquals(pub, Files.readString(PartyKeys.publicKeyFile(dir, 1)), "key replaced with --reuse");
        assertEquals(0, run("keygen", "--out", dir.toString(), "--party", "1", "--force").code());
        assertFalse(pub.equals(Files.readString(PartyKeys.publicKeyFile(dir, 1))));
    }

    /** Three parties in one JVM (threads), party 2 started with other options: the others name it and the option. */
    @Test
    void partiesWithDifferentOptionsStopNamingTheOptionAndUnreachablePeersExit3(@TempDir Path dir) throws Exception {
        int[] ports = LocalParties.freeUdpPorts();
        List<PartiesConfig.Party> ps = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            var k = PartyKeys.generate();
            PartyKeys.write(dir, i, k);
            ps.add(new PartiesConfig.Party(i, "127.0.0.1", ports[i], k.getPublic()));
        }
        Path conf = dir.resolve("parties.conf");
        Files.writeString(conf, new PartiesConfig(ps.get(0), ps.get(1), ps.get(2)).format());
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<Run>> runs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                String epochs = i == 2 ? "2" : "1";
                String id = Integer.toString(i);
                runs.add(pool.submit(() -> run("party", "--id", id, "--config", conf.toString(), "--net", "mlp",
                        "--limit", "640", "--epochs", epochs, "--connect-timeout", "60")));
            }
            Run r0 = runs.get(0).get(3, TimeUnit.MINUTES);
            assertOneLine(r0, CliErrors.USAGE, "party 0: party 2 runs with epochs=2, this party with epochs=1");
            runs.get(1).get(1, TimeUnit.MINUTES);
            runs.get(2).get(1, TimeUnit.MINUTES);
        } finally {
            pool.shutdownNow();
        }
        // party 0 alone: its peers never come
        assertOneLine(run("party", "--id", "0", "--config", conf.toString(), "--net", "mlp", "--connect-timeout", "2"),
                CliErrors.PEER, "party 0: peer", "not connected within 2000 ms", "is party");
    }
}
