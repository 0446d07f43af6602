package org.fastcrypt4j.service.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.fastcrypt4j.mpc.sharing.MpcSettings;
import org.fastcrypt4j.mpc.sharing.Session;
import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.mpc.sharing.Sharing;
import org.fastcrypt4j.nn.SecureModel;
import org.fastcrypt4j.service.ModelConfig;
import org.fastcrypt4j.nn.training.Checkpoint;
import org.fastcrypt4j.nn.training.CheckpointAgreement;
import org.fastcrypt4j.nn.training.CheckpointKey;
import org.fastcrypt4j.nn.training.SharedBatches;
import org.fastcrypt4j.nn.training.TrainingOptions;
import org.fastcrypt4j.ring.RingTensor;
import org.fastcrypt4j.service.JobFailure;
import org.fastcrypt4j.service.Request;
import org.fastcrypt4j.service.Uploads;
import org.fastcrypt4j.transport.client.ClientChannel;
import org.fastcrypt4j.transport.client.ClientsConfig;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A training job at one server, in lock-step with the two others. The model owner's request names the job, the model
 * to store, the data owners in order and the options; then:
 * <ol>
 *   <li>the model owner sends the DL4J configuration (JSON), converted here (an unsupported layer is the converter's
 *       one error, sent back); the servers agree on request and configuration;</li>
 *   <li>the model owner uploads the initial weights as shares (or, with {@code resume=true}, the servers continue
 *       from their checkpoints of the job, agreed between them);</li>
 *   <li>each data owner, in the order the job names them, offers its rows: declared counts and shapes are checked
 *       against the model and the limits before anything is received, then the rows arrive as shares, chunk by
 *       chunk, and must be exactly as many as declared; the servers check they got the same;</li>
 *   <li>training on the union of the rows in that order (batches of the job's size, across owners' boundaries), the
 *       loss of every step to the model owner when asked (each server's re-randomised component), progress (steps,
 *       seconds, bytes) to every client of the job;</li>
 *   <li>the model is stored here under its name (for queries) and its parameters are sent to the model owner, each
 *       server's component; the data owners are told the job is done. A job stopped on request ({@code stop-after})
 *       stores the model so far (shared) for queries, and sends nothing of it: a querier can validate it between
 *       epochs, and the job resumes from the servers' checkpoints.</li>
 * </ol>
 * The servers see shapes, counts, timing and who takes part; never a value.
 */
final class TrainJob {
    static final int MAX_CONFIG = 4 << 20;

    private final JobContext ctx;
    private final ClientRequests.Item item;

    TrainJob(JobContext ctx, ClientRequests.Item item) {
        this.ctx = ctx;
        this.item = item;
    }

    void run() throws Exception {
        Request r = item.request();
        String ownerName = item.client();
        ClientChannel owner = ctx.take(item.channel());
        String job = r.get("job");
        String modelName = r.get("model");
        List<String> dataOwners = Arrays.stream(r.get("data-owners").split(",")).map(String::trim)
                .filter(s -> !s.isEmpty()).toList();
        if (dataOwners.isEmpty()) {
            throw new JobFailure("job '" + job + "' names no data owner");
        }
        for (String d : dataOwners) {
            try {
                ctx.settings.clients().requireRole(d, ClientsConfig.Role.DATA_OWNER);
            } catch (SecurityException e) {
                throw new JobFailure("job '" + job + "': " + e.getMessage());
            }
        }
        int epochs = (int) r.getLong("epochs", 1, 10_000);
        int batch = (int) r.getLong("batch", 1, 1 << 16);
        boolean revealLoss = Boolean.parseBoolean(r.get("reveal-loss", "false"));
        boolean resume = Boolean.parseBoolean(r.get("resume", "false"));
        long stopAfter = Long.parseLong(r.get("stop-after", "0"));
        MpcSettings.MsbKind msb = MpcSettings.MsbKind.valueOf(r.get("msb", "ABY3"));

        byte[] confJson = owner.receive("config", MAX_CONFIG).data();
        ModelConfig plain;
        try {
            plain = ModelConfig.fromJson(new String(confJson, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new JobFailure("job '" + job + "': the configuration is not DL4J MultiLayerConfiguration or"
                    + " ComputationGraphConfiguration JSON");
        }
        ModelConfig secure;
        try {
            secure = plain.toSecure();
        } catch (IllegalArgumentException e) {
            throw new JobFailure("job '" + job + "': " + e.getMessage());
        }
        ctx.agree("the servers received different requests or configurations for job '" + job + "' (a client sent"
                + " them different ones): refused", r.encode(), confJson);

        Session s = Session.start(ctx.servers, MpcSettings.defaults().withMsb(msb));
        SecureModel net = secure.newNetwork(s);
        TrainingOptions options = TrainingOptions.epochs(epochs).withRevealedLoss(revealLoss)
                .withJob(new String(r.with("id", "").with("resume", "").with("stop-after", "").encode(),
                        StandardCharsets.UTF_8)).stoppingAfter(Math.max(0, stopAfter));
        if (ctx.settings.checkpointDir() != null) {
            options = options.withCheckpoints(ctx.settings.checkpointDir().resolve(safe(job)),
                    ctx.settings.checkpointEvery(), CheckpointKey.derive(ctx.party(), ctx.settings.keyPair(),
                            ctx.settings.parties()));
        }
        if (resume) {
            resume(net, options, job);
        } else {
            Uploads.Check check = new Uploads.Check(ctx.party());
            Map<String, SharedTensor> weights = new LinkedHashMap<>();
            for (Map.Entry<String, long[]> e : secure.parameterShapes().entrySet()) {
                weights.put(e.getKey(), Uploads.receive(owner, ctx.party(), "weights/" + e.getKey(), e.getValue(),
                        check));
            }
            check.verify(ctx.servers, ownerName);
            net.parameters().set(weights);
        }

        List<ClientChannel> dataLinks = new ArrayList<>();
        SharedTensor[] rows = receiveRows(job, dataOwners, secure, dataLinks);
        List<ClientChannel> everyone = new ArrayList<>(dataLinks);
        everyone.add(owner);
        SharedBatches data = new SharedBatches(rows[0], rows[1], batch,
                loss -> owner.send("loss", Sharing.revealToClient(s, loss).toLongArray()));
        options = options.withListener(p -> {
            long[] progress = {p.step(), p.epoch(), p.batchInEpoch(), p.batchSize(), (long) (p.stepSeconds() * 1e9),
                    p.bytesSent(), data.rows()};
            for (ClientChannel c : everyone) {
                c.send("progress", progress);
            }
        });
        long firstStep = net.step();
        for (ClientChannel c : everyone) {
            c.send("started", new long[] {firstStep, data.rows()});
        }
        net.fit(data, options);
        if (stopAfter > 0 && !finished(net.step(), data.rows(), batch, epochs)) {
            // the model so far answers queries until the job resumes (a validation between epochs, say); it stays
            // shared, and the owner receives nothing until the job ends
            ctx.models.put(modelName, new ModelStore.Model(ownerName, secure, net.parameters().parameters()));
            for (ClientChannel c : everyone) {
                c.send("stopped", new long[] {net.step(), data.rows()});
            }
            return;
        }

        ctx.models.put(modelName, new ModelStore.Model(ownerName, secure, net.parameters().parameters()));
        for (ClientChannel c : dataLinks) {
            c.send("done", new long[] {net.step(), data.rows()});
        }
        owner.send("trained", new long[] {net.step(), data.rows()});
        for (Map.Entry<String, SharedTensor> e : net.parameters().parameters().entrySet()) {
            RingTensor z = Sharing.revealToClient(s, e.getValue());
            owner.send("model/" + e.getKey(), z.toLongArray());
        }
    }

    /** Whether {@code step} steps are the whole job (every epoch of every batch). */
    private static boolean finished(long step, long rows, int batch, int epochs) {
        return step >= (long) epochs * ((rows + batch - 1) / batch);
    }

    private void resume(SecureModel net, TrainingOptions options, String job) throws IOException {
        if (options.checkpointDir() == null) {
            throw new JobFailure("job '" + job + "': resume asked, but server " + ctx.party() + " keeps no checkpoints");
        }
        List<Checkpoint> mine = Checkpoint.readAll(options.checkpointDir(), options.checkpointKey(), net.configHash(),
                options.job());
        net.resumeFrom(CheckpointAgreement.agree(ctx.servers, mine));
    }

    private static String safe(String job) {
        return job.replaceAll("[^A-Za-z0-9_.-]", "_");
    }

    /**
     * Every data owner's rows, in the job's order, as one sharing of the features and one of the labels. Each owner's
     * declaration is checked before anything of its data is received.
     */
    private SharedTensor[] receiveRows(String job, List<String> owners, ModelConfig secure,
            List<ClientChannel> links) throws InterruptedException {
        // the four arrays of every chunk: features first and second component, labels first and second
        List<List<INDArray>> parts = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        long classes = secure.classes();
        for (String d : owners) {
            ClientRequests.Item p = ctx.requests.takeProvide(job, d, ctx.settings.clientWait().toMillis());
            if (p == null) {
                throw new JobFailure("data owner '" + d + "' offered no rows for job '" + job + "' within "
                        + ctx.settings.clientWait().toSeconds() + " s");
            }
            ClientChannel c = ctx.take(p.channel());
            links.add(c);
            Request pr = p.request();
            long n = pr.getLong("rows", 1, ctx.settings.maxRows());
            long[] shape = pr.getShape("features", 1 << 24);
            long labels = pr.getLong("labels", 1, 1 << 20);
            long chunk = pr.getLong("chunk", 1, ctx.settings.maxRows());
            long width = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
            if (labels != classes) {
                throw new JobFailure("data owner '" + d + "' has " + labels + " label columns; the model has " + classes
                        + " classes");
            }
            JobContext.checkRows(d, shape, secure);
            if (chunk * width > ctx.settings.maxValues() || n * width > 8 * ctx.settings.maxValues()) {
                throw new JobFailure("data owner '" + d + "' declares " + n + " rows of " + width + " values in chunks"
                        + " of " + chunk + ": more than server " + ctx.party() + " accepts");
            }
            Uploads.Check check = new Uploads.Check(ctx.party());
            check.declared(pr.encode());
            for (long at = 0; at < n; at += chunk) {
                long k = Math.min(chunk, n - at);
                long[] xShape = new long[shape.length + 1];
                xShape[0] = k;
                System.arraycopy(shape, 0, xShape, 1, shape.length);
                SharedTensor x = Uploads.receive(c, ctx.party(), "rows/features", xShape, check);
                SharedTensor y = Uploads.receive(c, ctx.party(), "rows/labels", new long[] {k, labels}, check);
                parts.get(0).add(x.first().array());
                parts.get(1).add(x.second().array());
                parts.get(2).add(y.first().array());
                parts.get(3).add(y.second().array());
            }
            ClientChannel.Message end = c.receive(64);
            if (!end.tag().equals("rows/end")) {
                throw new JobFailure("data owner '" + d + "' sent more than the " + n + " rows it declared");
            }
            check.verify(ctx.servers, d);
            c.send("accepted", new long[] {n});
        }
        int party = ctx.party();
        return new SharedTensor[] {
            new SharedTensor(party, RingTensor.wrap(concat(parts, 0)), RingTensor.wrap(concat(parts, 1))),
            new SharedTensor(party, RingTensor.wrap(concat(parts, 2)), RingTensor.wrap(concat(parts, 3)))};
    }

    private static INDArray concat(List<List<INDArray>> parts, int which) {
        INDArray[] a = parts.get(which).toArray(new INDArray[0]);
        return a.length == 1 ? a[0] : Nd4j.concat(0, a);
    }
}
