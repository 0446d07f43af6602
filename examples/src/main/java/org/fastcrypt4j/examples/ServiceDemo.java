package org.fastcrypt4j.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.fastcrypt4j.examples.data.Datasets;
import org.fastcrypt4j.nn.training.Checkpoint;
import org.fastcrypt4j.service.JobFailure;
import org.fastcrypt4j.service.client.DataOwnerClient;
import org.fastcrypt4j.service.client.ModelOwnerClient;
import org.fastcrypt4j.service.client.QuerierClient;
import org.fastcrypt4j.service.server.SecureServer;
import org.fastcrypt4j.service.server.ServerSettings;
import org.fastcrypt4j.transport.PartiesConfig;
import org.fastcrypt4j.transport.PartyKeys;
import org.fastcrypt4j.transport.aeron.AeronContext;
import org.fastcrypt4j.transport.aeron.LocalParties;
import org.fastcrypt4j.transport.client.ClientsConfig;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The main job with clients outside the servers: three servers on this host (one thread each, each with its own Aeron
 * UDP transport and client port on 127.0.0.1), a model-owner client that submits CryptGPU's LeNet (or the MLP) and
 * receives the trained model and its loss, two data-owner clients holding half of the training images each, and a
 * querier client that classifies the test images. No server holds an image, a label, a weight or a prediction in the
 * clear; the plaintext twin is trained on the same rows in the same order for the comparison.
 */
final class ServiceDemo {
    static final String OWNER = "model-owner";
    static final String QUERIER = "querier";
    static final String JOB = "demo";

    private final DemoCommand o;

    ServiceDemo(DemoCommand o) {
        this.o = o;
    }

    int run(Datasets data) throws Exception {
        MultiLayerConfiguration plainConf = o.plainConfiguration();
        int n = o.trainImages() <= 0 ? 60_000 : Math.min(60_000, o.trainImages());
        int testN = o.test <= 0 ? 10_000 : Math.min(10_000, o.test);
        Path ckDir = o.checkpoint != null ? o.checkpoint : o.resume;
        PlainTwin twin = PlainTwin.train(o, data, plainConf);
        List<String> owners = List.of("data-owner-1", "data-owner-2");

        Path keyDir = ckDir == null ? null : Checkpoint.prepareDirectory(ckDir.resolve("keys"));
        // with several epochs (and no --stop-after), the job stops after each epoch for the querier to validate the
        // model so far on its test images, then resumes from the servers' checkpoints (in a temporary directory
        // unless --checkpoint names one)
        boolean perEpoch = o.validateEachEpoch && o.trainEpochs() > 1 && o.stopAfter <= 0;
        Path serverCheckpoints = ckDir != null ? ckDir.resolve("servers")
                : perEpoch ? Files.createTempDirectory("fastcrypt4j-demo-") : null;
        KeyPair[] serverKeys = new KeyPair[3];
        for (int i = 0; i < 3; i++) {
            serverKeys[i] = key(keyDir, "party-" + i);
        }
        int[] ports = LocalParties.freeUdpAndTcpPorts();
        PartiesConfig parties = new PartiesConfig(
                new PartiesConfig.Party(0, "127.0.0.1", ports[0], serverKeys[0].getPublic()),
                new PartiesConfig.Party(1, "127.0.0.1", ports[1], serverKeys[1].getPublic()),
                new PartiesConfig.Party(2, "127.0.0.1", ports[2], serverKeys[2].getPublic()));
        List<ClientsConfig.Client> cl = new ArrayList<>();
        KeyPair ownerKey = key(keyDir, OWNER);
        KeyPair querierKey = key(keyDir, QUERIER);
        cl.add(new ClientsConfig.Client(OWNER, EnumSet.of(ClientsConfig.Role.MODEL_OWNER), ownerKey.getPublic()));
        List<KeyPair> ownerKeys = new ArrayList<>();
        for (String d : owners) {
            KeyPair k = key(keyDir, d);
            ownerKeys.add(k);
            cl.add(new ClientsConfig.Client(d, EnumSet.of(ClientsConfig.Role.DATA_OWNER), k.getPublic()));
        }
        cl.add(new ClientsConfig.Client(QUERIER, EnumSet.of(ClientsConfig.Role.QUERIER), querierKey.getPublic()));
        ClientsConfig clients = new ClientsConfig(cl);

        System.out.printf(Locale.ROOT, "demo: three servers on 127.0.0.1 (Aeron UDP between them, Noise KK links to the"
                + " clients over TCP); clients: %s (model), %s (half of the %d training images each), %s (%d test"
                + " images)%n", OWNER, String.join(" and ", owners), n, QUERIER, testN);
        SecureServer[] servers = new SecureServer[3];
        ExecutorService pool = Executors.newCachedThreadPool();
        ServerLog serverLog = new ServerLog(ckDir != null ? ckDir.resolve("servers.log")
                : Files.createTempFile("fastcrypt4j-demo-servers-", ".log"));
        Duration timeout = Duration.ofSeconds(60);
        boolean failed = false;
        try {
            for (int i = 0; i < 3; i++) {
                ServerSettings s = ServerSettings.of(i, parties, clients, serverKeys[i], new AeronContext())
                        .withClientWait(Duration.ofMinutes(5));
                if (serverCheckpoints != null) {
                    s = s.withCheckpoints(serverCheckpoints, o.checkpointEvery);
                }
                servers[i] = new SecureServer(s, serverLog::line).start();
            }
            long stepsPerEpoch = (n + o.batch - 1) / o.batch;
            long expectedSteps = (long) o.trainEpochs() * stepsPerEpoch;
            ModelOwnerClient.Job job = new ModelOwnerClient.Job(JOB, o.net.name(), owners, o.trainEpochs(), o.batch,
                    o.showLoss, o.msb, o.resume != null, perEpoch ? stepsPerEpoch : o.stopAfter);
            double[] stepSeconds = new double[2];
            ModelOwnerClient.Result result;
            List<DataOwnerClient.Result> provided;
            DataSet test = data.rows(false, 0, testN);
            List<double[]> epochs = new ArrayList<>();
            double trainingSeconds = 0;
            try (ProgressBar bar = new ProgressBarBuilder().setTaskName("private training").setInitialMax(expectedSteps)
                    .setStyle(ProgressBarStyle.ASCII).setUnit(" batches", 1).setUpdateIntervalMillis(5000)
                    .setMaxRenderedLength(140).build()) {
                long firstStep = -1;
                while (true) {
                    provided = new ArrayList<>();
                    result = trainingPhase(job, plainConf, parties, ownerKey, ownerKeys, owners, n, data, timeout, pool,
                            bar, stepSeconds, provided);
                    trainingSeconds += result.seconds();
                    firstStep = firstStep < 0 ? result.firstStep() : firstStep;
                    // the parts of a job validated between epochs are reported as one
                    result = new ModelOwnerClient.Result(result.model(), result.losses(), firstStep, result.steps(),
                            result.rows(), trainingSeconds, result.bytesSent(), result.bytesReceived());
                    if (!perEpoch || !result.stopped()) {
                        break;
                    }
                    long done = result.steps();
                    Evaluation e = new Evaluation(10);
                    e.eval(test.getLabels().castTo(DataType.FLOAT), new QuerierClient(parties, QUERIER, querierKey,
                            timeout).predict(o.net.name(), test.getFeatures()).castTo(DataType.FLOAT));
                    int epoch = (int) (done / stepsPerEpoch);
                    epochs.add(new double[] {epoch, e.accuracy(), twin.epochAccuracy().get(epoch - 1), trainingSeconds});
                    bar.pause();
                    System.out.printf(Locale.ROOT, "%ndemo: epoch %d: private test accuracy %.2f%% (plaintext twin"
                            + " %.2f%%) after %.1f min of private training%n", epoch, 100 * e.accuracy(),
                            100 * twin.epochAccuracy().get(epoch - 1), trainingSeconds / 60);
                    bar.resume();
                    long next = done + stepsPerEpoch;
                    job = job.resuming().stoppingAfter(next >= expectedSteps ? 0 : next);
                }
                bar.stepTo(result.steps());
            }
            if (result.firstStep() > 0 && !perEpoch) {
                System.out.printf(Locale.ROOT, "demo: resumed from step %d (the servers' checkpoints in %s)%n",
                        result.firstStep(), ckDir.resolve("servers"));
            }
            if (result.stopped()) {
                System.out.printf(Locale.ROOT, "demo: stopped after step %d; %s%n", result.steps(), ckDir != null
                        ? "resume with --resume " + ckDir + " and the same options"
                        : "no --checkpoint directory, so nothing to resume from");
                return 0;
            }
            QuerierClient querier = new QuerierClient(parties, QUERIER, querierKey, timeout);
            long t1 = System.nanoTime();
            INDArray predicted = querier.predict(o.net.name(), test.getFeatures());
            double inferSeconds = (System.nanoTime() - t1) / 1e9;
            Evaluation last = new Evaluation(10);
            last.eval(test.getLabels().castTo(DataType.FLOAT), predicted.castTo(DataType.FLOAT));
            if (perEpoch) {
                epochs.add(new double[] {o.trainEpochs(), last.accuracy(), twin.eval().accuracy(), trainingSeconds});
                System.out.printf(Locale.ROOT, "demo: epoch %d: private test accuracy %.2f%% (plaintext twin %.2f%%)"
                        + " after %.1f min of private training%n", o.trainEpochs(), 100 * last.accuracy(),
                        100 * twin.eval().accuracy(), trainingSeconds / 60);
            }
            return report(twin, result, provided, querier, predicted, test, inferSeconds, servers, stepSeconds, n, data,
                    epochs);
        } catch (Exception e) {
            failed = true;
            throw e;
        } finally {
            for (SecureServer s : servers) {
                if (s != null) {
                    s.close();
                }
            }
            pool.shutdownNow();
            if (serverCheckpoints != null && ckDir == null) {
                deleteTree(serverCheckpoints);
            }
            serverLog.close();
            if (failed) {
                System.err.println("demo: the servers' log: " + serverLog.path());
            } else if (ckDir == null) {
                Files.deleteIfExists(serverLog.path());
            }
        }
    }

    /**
     * The demo servers' messages (jobs started and done, refused clients, failures: never a secret), one timestamped
     * line each, in a file whose path the demo prints when it fails.
     */
    private static final class ServerLog implements AutoCloseable {
        private final Path path;
        private final java.io.PrintWriter out;

        ServerLog(Path path) throws IOException {
            this.path = path;
            this.out = new java.io.PrintWriter(Files.newBufferedWriter(path, java.nio.charset.StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND), true);
        }

        synchronized void line(String message) {
            out.println(java.time.LocalTime.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + " " + message);
        }

        Path path() {
            return path;
        }

        @Override
        public synchronized void close() {
            out.close();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** One training job (or one part of it, until it stops): the model owner and the data owners, concurrently. */
    private ModelOwnerClient.Result trainingPhase(ModelOwnerClient.Job job, MultiLayerConfiguration plainConf,
            PartiesConfig parties, KeyPair ownerKey, List<KeyPair> ownerKeys, List<String> owners, int n,
            Datasets data, Duration timeout, ExecutorService pool, ProgressBar bar, double[] stepSeconds,
            List<DataOwnerClient.Result> provided) throws Exception {
        Future<ModelOwnerClient.Result> owner = pool.submit(() -> new ModelOwnerClient(parties, OWNER, ownerKey,
                timeout).train(job, plainConf, null, p -> {
                    bar.stepTo(p.step());
                    stepSeconds[0] += p.stepSeconds();
                    stepSeconds[1]++;
                    bar.setExtraMessage(String.format(Locale.ROOT, "%.2f s/batch, server 0 sent %.0f MiB%s",
                            stepSeconds[0] / stepSeconds[1], p.serverBytesSent() / 1048576.0,
                            Double.isNaN(p.loss()) ? "" : String.format(Locale.ROOT, ", loss %.3f", p.loss())));
                }));
        List<Future<DataOwnerClient.Result>> dataOwners = new ArrayList<>();
        for (int k = 0; k < owners.size(); k++) {
            DataSet rows = data.rows(true, k * n / 2, (k + 1) * n / 2);
            String name = owners.get(k);
            KeyPair key = ownerKeys.get(k);
            dataOwners.add(pool.submit(() -> new DataOwnerClient(parties, name, key, timeout).provide(JOB,
                    rows.getFeatures(), rows.getLabels(), null)));
        }
        // whichever client fails first ends the phase with its reason (a data owner gone must not leave the others
        // waiting on the servers, which would wait for its rows)
        List<Future<?>> all = new ArrayList<>(dataOwners);
        all.add(0, owner);
        List<String> roles = new ArrayList<>(owners);
        roles.add(0, OWNER);
        awaitAll(all, roles);
        ModelOwnerClient.Result result = get(owner);
        for (Future<DataOwnerClient.Result> f : dataOwners) {
            provided.add(get(f));
        }
        return result;
    }

    /** Waits until every task is done, or the first one fails: the others are then cancelled and its failure thrown. */
    private static void awaitAll(List<Future<?>> tasks, List<String> roles) throws Exception {
        while (true) {
            boolean allDone = true;
            for (int i = 0; i < tasks.size(); i++) {
                Future<?> f = tasks.get(i);
                if (!f.isDone()) {
                    allDone = false;
                    continue;
                }
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    tasks.forEach(t -> t.cancel(true));
                    Throwable c = e.getCause();
                    throw new JobFailure(roles.get(i) + ": " + (c.getMessage() != null ? c.getMessage() : c.toString()));
                }
            }
            if (allDone) {
                return;
            }
            Thread.sleep(200);
        }
    }

    private int report(PlainTwin twin, ModelOwnerClient.Result r, List<DataOwnerClient.Result> provided,
            QuerierClient querier, INDArray predicted, DataSet test, double inferSeconds, SecureServer[] servers,
            double[] stepSeconds, int n, Datasets data, List<double[]> epochs) throws IOException {
        Evaluation secureEval = new Evaluation((int) predicted.shape()[1]);
        secureEval.eval(test.getLabels().castTo(DataType.FLOAT), predicted.castTo(DataType.FLOAT));
        int testN = (int) test.getFeatures().shape()[0];
        INDArray plainPred = twin.model().output(test.getFeatures().castTo(DataType.FLOAT));
        int agree = PlainTwin.agreement(List.of(plainPred), List.of(predicted));
        Evaluation exported = r.model().evaluate(data.test(testN, o.testBatch));
        double secondsPerBatch = stepSeconds[0] / Math.max(1, stepSeconds[1]);
        System.out.printf(Locale.ROOT, "demo: private training: %d steps in %.1f s, %.2f s per batch of %d at the"
                + " servers (plaintext %.3f s, ratio %.0f)%n", r.steps() - r.firstStep(), r.seconds(), secondsPerBatch, o.batch,
                twin.secondsPerBatch(), secondsPerBatch / twin.secondsPerBatch());
        System.out.println("demo: what each saw in the clear:");
        System.out.printf(Locale.ROOT, "demo:   %s: the trained model (%d parameters)%s%n", OWNER, r.model().numParams(),
                r.losses().isEmpty() ? "" : " and the loss of its " + r.losses().size() + " steps");
        for (int k = 0; k < provided.size(); k++) {
            DataOwnerClient.Result d = provided.get(k);
            System.out.printf(Locale.ROOT, "demo:   data-owner-%d: its own %d rows, and the job's progress (uploaded %.1f"
                    + " MiB: %.0f bytes per image)%n", k + 1, d.rows(), d.bytesSent() / 1048576.0,
                    d.bytesSent() / (double) d.rows());
        }
        System.out.printf(Locale.ROOT, "demo:   %s: its own %d images and their predictions (uploaded %.1f MiB, %.1f s)%n",
                QUERIER, testN, querier.lastBytesSent() / 1048576.0, inferSeconds);
        long[] serverBytes = new long[3];
        for (int i = 0; i < 3; i++) {
            long between = 0;
            long fromClients = 0;
            for (SecureServer.JobReport j : servers[i].reports()) {
                between += j.serverBytesSent();
                fromClients += j.clientBytesReceived();
            }
            serverBytes[i] = between;
            System.out.printf(Locale.ROOT, "demo:   server %d: shapes and counts only; in the training and query"
                    + " jobs it sent %.1f MiB to the other servers and received %s of shares and seeds from the"
                    + " clients%n", i, between / 1048576.0, size(fromClients));
        }
        System.out.printf(Locale.ROOT, "demo: private inference of %d test images: accuracy %.2f%% (plaintext twin"
                + " %.2f%%); predictions agree on %d of %d; the model the owner received scores %.2f%% in the clear%n",
                testN, 100 * secureEval.accuracy(), 100 * twin.eval().accuracy(), agree, testN,
                100 * exported.accuracy());
        double perImageUpload = provided.stream().mapToLong(DataOwnerClient.Result::bytesSent).sum() / (double) n;
        System.out.printf(Locale.ROOT, "{\"job\":\"train\",\"arrangement\":\"clients\",\"net\":\"%s\",\"pool\":\"%s\","
                + "\"dataset\":\"%s\",\"train_images\":%d,\"epochs\":%d,\"batch\":%d,\"secure_acc\":%.4f,"
                + "\"plain_acc\":%.4f,\"agreement\":%.4f,\"exported_acc\":%.4f,\"s_per_batch\":%.3f,"
                + "\"plain_s_per_batch\":%.4f,\"bytes_per_server\":[%d,%d,%d],\"upload_bytes_per_image\":%.0f,"
                + "\"steps\":%d,\"msb\":\"%s\",\"updater\":\"%s\",\"lr\":%s%s}%n", o.net, o.pool,
                o.dataset.name().toLowerCase(Locale.ROOT), n,
                o.trainEpochs(), o.batch, secureEval.accuracy(), twin.eval().accuracy(), agree / (double) testN,
                exported.accuracy(), secondsPerBatch, twin.secondsPerBatch(), serverBytes[0], serverBytes[1],
                serverBytes[2], perImageUpload, r.steps() - r.firstStep(), o.msb, o.updater,
                o.learningRateLabel(), epochFields(epochs));
        double gap = Math.abs(secureEval.accuracy() - twin.eval().accuracy());
        if (gap > 0.05) {
            System.out.printf(Locale.ROOT, "demo: FAILED: private accuracy is %.1f points from the plaintext twin's%n",
                    100 * gap);
            return 1;
        }
        return 0;
    }

    /**
     * The per-epoch fields of the JSON line: test accuracy after each epoch, private and plaintext, the minutes of
     * private training by then, and the minutes until the private model first reached 99.0% (null if it did not).
     */
    private static String epochFields(List<double[]> epochs) {
        if (epochs.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder(",\"epoch_acc\":[");
        String reached = "null";
        for (int i = 0; i < epochs.size(); i++) {
            double[] e = epochs.get(i);
            b.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "[%d,%.4f,%.4f,%.1f]", (int) e[0], e[1], e[2],
                    e[3] / 60));
            if (reached.equals("null") && e[1] >= 0.99) {
                reached = String.format(Locale.ROOT, "%.1f", e[3] / 60);
            }
        }
        return b.append("],\"minutes_to_99\":").append(reached).toString();
    }

    private static String size(long bytes) {
        return bytes < 1 << 20 ? String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0)
                : String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }

    private static <T> T get(Future<T> f) throws Exception {
        try {
            return f.get(24, TimeUnit.HOURS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof Exception x ? x : new JobFailure(String.valueOf(e.getCause()));
        }
    }

    /** The key pair {@code stem} kept in {@code dir} (made on first use), or a fresh one without a directory. */
    private KeyPair key(Path dir, String stem) throws IOException {
        if (dir != null && Files.isRegularFile(PartyKeys.privateKeyFile(dir, stem))) {
            return PartyKeys.read(dir, stem);
        }
        if (o.resume != null) {
            throw new CliErrors.OptionException("--resume " + o.resume + ": no key file "
                    + PartyKeys.privateKeyFile(dir, stem) + " (the checkpoints are authenticated with the keys kept"
                    + " there)");
        }
        KeyPair k = PartyKeys.generate();
        if (dir != null) {
            PartyKeys.write(dir, stem, k, false);
        }
        return k;
    }
}
