package org.fastcrypt4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.fastcrypt4j.nn.training.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;


/**
 * The main job on a small MNIST subset (an MLP, a few minutes at most): private training must learn (accuracy far
 * above chance and within a few points of the plaintext twin trained on the same batches from the same weights),
 * and a run killed with SIGKILL in its own JVM after a checkpoint is resumed from the parties' files and finishes.
 */
class PrivateTrainingIntegrationTest {

    private static String runDemo(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int code;
        try (PrintStream capture = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
            System.setOut(new PrintStream(new TeeStream(old, capture), true, StandardCharsets.UTF_8));
            code = FastCrypt4j.commandLine().execute(args);
        } finally {
            System.setOut(old);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, "demo " + String.join(" ", args) + " failed:\n" + out);
        return out;
    }

    private static double field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":([0-9.eE+-]+)").matcher(json);
        assertTrue(m.find(), "no " + name + " in " + json);
        return Double.parseDouble(m.group(1));
    }

    private static String jsonLine(String out) {
        List<String> lines = out.lines().filter(l -> l.startsWith("{\"job\"")).toList();
        assertEquals(1, lines.size(), out);
        return lines.get(0);
    }

    @Test
    void privateTrainingLearnsLikeItsPlaintextTwin() {
        String json = jsonLine(runDemo("demo", "--net", "mlp", "--limit", "2048", "--batch", "64", "--epochs", "2",
                "--validate-each-epoch",
                "--test", "1000"));
        double secure = field(json, "secure_acc");
        double plain = field(json, "plain_acc");
        assertTrue(secure > 0.75, "private training did not learn: " + json);
        assertTrue(Math.abs(secure - plain) < 0.03, "private and plaintext accuracy differ: " + json);
        assertTrue(field(json, "agreement") > 0.9, json);
        // two epochs: the querier validated the shared model after the first, then the job resumed
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"epoch_acc\":\\[\\[1,([0-9.]+),([0-9.]+),[0-9.]+\\],"
                + "\\[2,([0-9.]+),([0-9.]+),[0-9.]+\\]\\]").matcher(json);
        assertTrue(m.find(), "no accuracy per epoch: " + json);
        assertTrue(Math.abs(Double.parseDouble(m.group(1)) - Double.parseDouble(m.group(2))) < 0.03, json);
        assertEquals(secure, Double.parseDouble(m.group(3)), 1e-4, json);
        assertTrue(json.contains("\"steps\":64,"), "both parts of the job counted: " + json);
    }

    @Test
    void aKilledRunResumesFromItsCheckpoints(@TempDir Path dir) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx2g", "-Dorg.bytedeco.javacpp.maxbytes=2g", "-Dorg.bytedeco.javacpp.maxphysicalbytes=4g", "--add-modules", "jdk.incubator.vector", "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
                "--add-opens", "java.base/java.nio=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
                "-Dfc4j.data=" + System.getProperty("fc4j.data"), "-cp", System.getProperty("java.class.path"),
                FastCrypt4j.class.getName(), "demo", "--net", "mlp", "--limit", "1280", "--batch", "64", "--epochs", "1",
                "--test", "256", "--checkpoint", dir.toString(), "--checkpoint-every", "5")
                .redirectErrorStream(true).redirectOutput(dir.resolve("killed.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        boolean checkpointed = false;
        while (System.nanoTime() < deadline && p.isAlive() && !checkpointed) {
            checkpointed = true;
            for (int party = 0; party < 3; party++) {
                checkpointed &= Files.isRegularFile(Checkpoint.file(dir.resolve("servers").resolve("demo"), party));
            }
            Thread.sleep(100);
        }
        assertTrue(checkpointed, "no checkpoints before the kill:\n" + Files.readString(dir.resolve("killed.log")));
        assertTrue(p.isAlive(), "the run finished before it could be killed");
        p.destroyForcibly();   // SIGKILL: nothing is flushed, no shutdown hook runs
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        String out = runDemo("demo", "--net", "mlp", "--limit", "1280", "--batch", "64", "--epochs", "1", "--test", "256",
                "--resume", dir.toString(), "--checkpoint", dir.toString(), "--checkpoint-every", "5");
        String json = jsonLine(out);
        assertEquals(20, field(json, "steps") + stepsBefore(out), 0.5, json);
        assertTrue(field(json, "secure_acc") > 0.6, json);
    }

    /** Steps done before the resumed part (20 in all for 1280 images at batch 64). */
    private static double stepsBefore(String out) {
        Matcher m = Pattern.compile("resumed from step (\\d+)").matcher(out);
        assertTrue(m.find(), out);
        return Double.parseDouble(m.group(1));
    }

    /** Writes to two streams. */
    private static final class TeeStream extends java.io.OutputStream {
        private final java.io.OutputStream a;
        private final java.io.OutputStream b;

        TeeStream(java.io.OutputStream a, java.io.OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int x) throws java.io.IOException {
            a.write(x);
            b.write(x);
        }

        @Override
        public void write(byte[] buf, int off, int len) throws java.io.IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }
    }
}
