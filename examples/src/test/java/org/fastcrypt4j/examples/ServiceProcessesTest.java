package org.fastcrypt4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.fastcrypt4j.examples.data.Datasets;
import org.fastcrypt4j.examples.nets.Networks;
import org.fastcrypt4j.service.JobFailure;
import org.fastcrypt4j.service.client.DataOwnerClient;
import org.fastcrypt4j.service.client.ModelOwnerClient;
import org.fastcrypt4j.transport.PartiesConfig;
import org.fastcrypt4j.transport.PartyKeys;
import org.fastcrypt4j.transport.client.ClientsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Nesterovs;

/**
 * Three {@code fastcrypt4j server} processes with checkpoints and clients in this JVM: a server killed with SIGKILL in
 * the middle of a training job is named to the model owner and the data owner within 10 s; restarted, it rejoins, and
 * the job, resubmitted with {@code resume}, continues from the servers' checkpoints and completes.
 */
class ServiceProcessesTest {

    private static Process server(Path dir, int id) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-Xmx1g", "-Dorg.bytedeco.javacpp.maxbytes=2g",
                "-Dorg.bytedeco.javacpp.maxphysicalbytes=3g", "--add-modules", "jdk.incubator.vector", "--add-exports",
                "java.base/jdk.internal.misc=ALL-UNNAMED", "--add-opens", "java.base/java.nio=ALL-UNNAMED",
                "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                FastCrypt4j.class.getName(), "server", "--id", Integer.toString(id), "--config",
                dir.resolve("parties.conf").toString(), "--clients", dir.resolve("clients.conf").toString(),
                "--checkpoints", dir.resolve("ck").toString(), "--checkpoint-every", "2")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(
                        dir.resolve("server-" + id + ".log").toFile())).start();
    }

    @Test
    void aKilledServerIsNamedWithin10SecondsAndTheJobResumesAfterItsRestart(@TempDir Path dir) throws Exception {
        int[] ports = org.fastcrypt4j.transport.aeron.LocalParties.freeUdpAndTcpPorts();
        List<PartiesConfig.Party> ps = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            KeyPair k = PartyKeys.generate();
            PartyKeys.write(dir, i, k);
            ps.add(new PartiesConfig.Party(i, "127.0.0.1", ports[i], k.getPublic()));
        }
        PartiesConfig parties = new PartiesConfig(ps.get(0), ps.get(1), ps.get(2));
        Files.writeString(dir.resolve("parties.conf"), parties.format());
        KeyPair alice = PartyKeys.generate();
        KeyPair bob = PartyKeys.generate();
        Files.writeString(dir.resolve("clients.conf"), new ClientsConfig(List.of(
                new ClientsConfig.Client("alice", EnumSet.of(ClientsConfig.Role.MODEL_OWNER), alice.getPublic()),
                new ClientsConfig.Client("bob", EnumSet.of(ClientsConfig.Role.DATA_OWNER), bob.getPublic()))).format());
        Process[] servers = new Process[3];
        ExecutorService pool = Executors.newCachedThreadPool();
        try {
            for (int i = 0; i < 3; i++) {
                servers[i] = server(dir, i);
            }
            DataSet rows = Datasets.open(Datasets.Kind.MNIST).rows(true, 0, 2560);
            var conf = Networks.mlp(64, new Nesterovs(0.03, 0.9), 7);
            ModelOwnerClient.Job job = new ModelOwnerClient.Job("crash", "mlp", List.of("bob"), 1, 64, true,
                    org.fastcrypt4j.mpc.sharing.MpcSettings.MsbKind.ABY3, false, 0);
            Duration timeout = Duration.ofSeconds(60);
            int[] steps = {0};
            Future<ModelOwnerClient.Result> owner = pool.submit(() -> new ModelOwnerClient(parties, "alice", alice,
                    timeout).train(job, conf, null, p -> steps[0] = (int) p.step()));
            Future<DataOwnerClient.Result> data = pool.submit(() -> new DataOwnerClient(parties, "bob", bob, timeout)
                    .provide("crash", rows.getFeatures(), rows.getLabels(), null));
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
            while (steps[0] < 7 && System.nanoTime() < deadline && !owner.isDone()) {
                Thread.sleep(50);
            }
            assertTrue(steps[0] >= 7, "training did not reach step 7: " + Files.readString(dir.resolve("server-0.log")));
            servers[2].destroyForcibly();
            long killed = System.nanoTime();
            String[] errors = new String[2];
            int k = 0;
            for (Future<?> f : List.of(owner, data)) {
                try {
                    f.get(30, TimeUnit.SECONDS);
                    errors[k] = "no error";
                } catch (java.util.concurrent.ExecutionException e) {
                    errors[k] = e.getCause().getMessage();
                    assertTrue(e.getCause() instanceof JobFailure, String.valueOf(e.getCause()));
                }
                double s = (System.nanoTime() - killed) / 1e9;
                assertTrue(s < 10, "told after " + s + " s");
                assertTrue(errors[k].contains("2"), errors[k]);
                System.out.printf("client %d told %.1f s after the kill: %s%n", k, s, errors[k]);
                k++;
            }
            servers[2] = server(dir, 2);
            Future<ModelOwnerClient.Result> again = pool.submit(() -> new ModelOwnerClient(parties, "alice", alice,
                    timeout).train(job.resuming(), conf, null, null));
            pool.submit(() -> new DataOwnerClient(parties, "bob", bob, timeout).provide("crash", rows.getFeatures(),
                    rows.getLabels(), null));
            ModelOwnerClient.Result r = again.get(4, TimeUnit.MINUTES);
            assertTrue(r.firstStep() >= 2 && r.firstStep() % 2 == 0, "resumed from step " + r.firstStep());
            assertEquals(40, r.steps());
            assertTrue(r.model() != null);
        } finally {
            pool.shutdownNow();
            for (Process p : servers) {
                if (p != null) {
                    p.destroyForcibly();
                }
            }
        }
    }
}
