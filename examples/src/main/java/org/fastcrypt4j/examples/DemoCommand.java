package org.fastcrypt4j.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.fastcrypt4j.examples.data.Datasets;
import org.fastcrypt4j.examples.nets.Networks;
import org.fastcrypt4j.mpc.sharing.MpcSettings;
import org.fastcrypt4j.mpc.sharing.PartyThreads;
import org.fastcrypt4j.mpc.sharing.Session;
import org.fastcrypt4j.nn.SecureConversion;
import org.fastcrypt4j.nn.training.Checkpoint;
import org.fastcrypt4j.nn.training.CheckpointAgreement;
import org.fastcrypt4j.nn.training.CheckpointKey;
import org.fastcrypt4j.transport.aeron.AeronContext;
import org.fastcrypt4j.transport.aeron.LocalParties;
import org.fastcrypt4j.transport.PartyKeys;
import org.fastcrypt4j.transport.Transport;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.MapSchedule;
import org.nd4j.linalg.schedule.ScheduleType;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The one-host main job: three parties on this host, each with its own Aeron UDP transport on 127.0.0.1 (embedded
 * media driver, Noise KK authenticated links), run an ordinary DL4J network converted to a secure one.
 *
 * <p>{@code --job train} (the default): P0, the model owner, shares DL4J's initial weights of the configuration;
 * P1, the data owner, shares each training batch (features and labels); the parties train privately (SGD with
 * Nesterov momentum on shares), then classify the test images privately (predictions revealed to P1 only), and
 * P0 receives the trained model. The same network is trained in plaintext DL4J from the same initial weights on
 * the same batches in the same order; the demo prints both accuracies, how often they agree, seconds per batch,
 * bytes per party, and ends with one JSON line.
 *
 * <p>{@code --job infer}: a model trained in the clear by the model owner is shared and the test images are
 * classified privately; ends with a JSON line with the agreement and the largest logit difference.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Private training (or inference) of a DL4J LeNet/MLP on MNIST by three parties on this host.")
public class DemoCommand implements Callable<Integer> {

    enum Job { train, infer }

    enum Net { lenet, mlp }

    enum Pool { avg, max }

    @Option(names = "--job", description = "train (private training, then private inference) or infer (${DEFAULT-VALUE})")
    Job job = Job.train;

    @Option(names = "--net", description = "lenet or mlp (default ${DEFAULT-VALUE})")
    Net net = Net.lenet;

    @Option(names = "--pool", description = "avg or max pooling in LeNet (default ${DEFAULT-VALUE})")
    Pool pool = Pool.avg;

    @Option(names = "--dataset", description = "mnist or fashion (Debian's dataset-fashion-mnist) (default ${DEFAULT-VALUE})")
    Datasets.Kind dataset = Datasets.Kind.MNIST;

    @Option(names = "--limit", description = "training images, 0 for all 60,000 (default 10,000 for train, 20,000 for infer)")
    int limit = -1;

    @Option(names = "--epochs", description = "epochs (default 1 for train; 2 for a plaintext LeNet, 5 for an MLP, for infer)")
    int epochs = -1;

    @Option(names = "--batch", description = "training batch (default ${DEFAULT-VALUE})")
    int batch = 128;

    /** The training's updater. */
    enum Updater { nesterovs, adam }

    @Option(names = "--updater", description = "updater: nesterovs (SGD with Nesterov momentum) or adam (DL4J's Adam"
            + " with its default betas and epsilon) (default ${DEFAULT-VALUE})")
    Updater updater = Updater.nesterovs;

    @Option(names = "--lr", description = "learning rate (default 0.03 with nesterovs, 0.001 with adam)")
    Double lr;

    @Option(names = "--lr-by-epoch", description = "learning rates by epoch instead of --lr, as DL4J's MapSchedule:"
            + " epoch:rate pairs, e.g. 0:0.003,1:0.0005")
    String lrByEpoch;

    @Option(names = "--validate-each-epoch", description = "with several epochs, stop the job after each one for the"
            + " querier to classify its test images with the shared model so far, then resume")
    boolean validateEachEpoch;

    @Option(names = "--momentum", description = "Nesterov momentum (default ${DEFAULT-VALUE})")
    double momentum = 0.9;

    @Option(names = "--hidden", description = "hidden units of the MLP (default ${DEFAULT-VALUE})")
    int hidden = 128;

    @Option(names = "--test", description = "test images classified privately, 0 for all 10,000 (default ${DEFAULT-VALUE})")
    int test = 10_000;

    @Option(names = "--test-batch", description = "images per private inference batch (default ${DEFAULT-VALUE})")
    int testBatch = 64;

    @Option(names = "--msb", description = "MSB protocol for ReLU and max: ABY3 or FALCON (default ${DEFAULT-VALUE})")
    MpcSettings.MsbKind msb = MpcSettings.MsbKind.ABY3;

    @Option(names = "--show-loss", description = "reveal each batch's loss to the data owner (P1) for the progress bar")
    boolean showLoss;

    @Option(names = "--checkpoint", description = "directory for the parties' checkpoints (and their key files)")
    Path checkpoint;

    @Option(names = "--checkpoint-every", description = "steps between checkpoints (default ${DEFAULT-VALUE})")
    int checkpointEvery = 20;

    @Option(names = "--resume", description = "resume from the checkpoints in this directory")
    Path resume;

    @Option(names = "--stop-after", description = "stop the private training after this many steps (to resume later)")
    long stopAfter;

    @Option(names = "--seed", description = "seed of DL4J's weight initialisation (default ${DEFAULT-VALUE})")
    long seed = 42;

    @Option(names = "--in-server-data", description = "the earlier arrangement, for comparison: server P0 owns the"
            + " model and P1 the data (servers that see them) instead of clients outside the servers")
    boolean inServerData;

    @Option(names = "--channel", description = "Aeron channel: UDP or IPC (default ${DEFAULT-VALUE})")
    AeronContext.Channel channel = AeronContext.Channel.UDP;

    MultiLayerConfiguration plainConfiguration() {
        PoolingType p = pool == Pool.max ? PoolingType.MAX : PoolingType.AVG;
        ISchedule schedule = learningRateSchedule();
        IUpdater u = updater == Updater.adam ? (schedule != null ? new Adam(schedule) : new Adam(learningRate()))
                : schedule != null ? new Nesterovs(schedule, momentum) : new Nesterovs(learningRate(), momentum);
        return net == Net.lenet ? Networks.lenet(p, u, seed) : Networks.mlp(hidden, u, seed);
    }

    @Override
    public Integer call() throws Exception {
        validateOptions();
        Datasets data = Datasets.open(dataset);
        return job == Job.train ? train(data) : infer(data);
    }

    /**
     * Checks every option before anything is built, read or connected, so a bad value is one line naming the option,
     * not a failure deep inside training (or, for a party, a peer blamed for it).
     */
    void validateOptions() {
        positive("--batch", batch);
        positive("--test-batch", testBatch);
        positive("--hidden", hidden);
        positive("--checkpoint-every", checkpointEvery);
        if (lrByEpoch != null && lr != null) {
            throw new CliErrors.OptionException("give --lr or --lr-by-epoch, not both");
        }
        learningRateSchedule();
        if (limit < -1) {
            throw new CliErrors.OptionException("--limit must be 0 (all 60,000 images) or positive, got " + limit);
        }
        if (epochs < -1 || epochs == 0) {
            throw new CliErrors.OptionException("--epochs must be positive, got " + epochs);
        }
        if (test < 0) {
            throw new CliErrors.OptionException("--test must be 0 (all 10,000 images) or positive, got " + test);
        }
        if (lr != null && (!(lr > 0) || Double.isInfinite(lr))) {
            throw new CliErrors.OptionException("--lr must be positive, got " + lr);
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new CliErrors.OptionException("--momentum must be in [0, 1), got " + momentum);
        }
        if (stopAfter < 0) {
            throw new CliErrors.OptionException("--stop-after must be 0 (none) or positive, got " + stopAfter);
        }
        if (resume != null && !java.nio.file.Files.isDirectory(resume)) {
            throw new CliErrors.OptionException("--resume " + resume + ": no such directory");
        }
        if (job == Job.infer && (resume != null || checkpoint != null || stopAfter > 0)) {
            throw new CliErrors.OptionException("--checkpoint, --resume and --stop-after belong to --job train");
        }
    }

    private static void positive(String option, long v) {
        if (v < 1) {
            throw new CliErrors.OptionException(option + " must be positive, got " + v);
        }
    }

    /** Training images, with the default resolved. */
    int trainImages() {
        return limit < 0 ? (job == Job.train ? 10_000 : 20_000) : limit;
    }

    /** Epochs of the model owner's plaintext training for the inference job (2 for LeNet, 5 for the MLP). */
    int inferenceModelEpochs() {
        return epochs < 0 ? (net == Net.lenet ? 2 : 5) : epochs;
    }

    /** Epochs of private training, with the default resolved. */
    int trainEpochs() {
        return epochs < 0 ? 1 : epochs;
    }

    /**
     * The options a resumed run must repeat, as checkpoints record them: everything that decides the batches, the
     * model and the arithmetic.
     */
    String trainingJob() {
        return String.format(Locale.ROOT, "net=%s pool=%s dataset=%s limit=%d epochs=%d batch=%d updater=%s lr=%s"
                + " momentum=%s hidden=%d msb=%s seed=%d", net, pool, dataset.name().toLowerCase(Locale.ROOT),
                trainImages(), trainEpochs(), batch, updater, learningRateLabel(), momentum, hidden, msb, seed);
    }

    /** The learning rate given, or the updater's default (0.03 for Nesterovs as CryptGPU's LeNet, DL4J's 0.001 for Adam). */
    double learningRate() {
        return lr != null ? lr : updater == Updater.adam ? 0.001 : 0.03;
    }

    /** The learning rate as the JSON lines print it: a number, or the --lr-by-epoch pairs as a string. */
    String learningRateLabel() {
        return lrByEpoch != null ? "\"" + lrByEpoch + "\"" : String.valueOf(learningRate());
    }

    /**
     * The --lr-by-epoch schedule (null without one): DL4J's MapSchedule by epoch, which needs a rate for epoch 0.
     *
     * @throws CliErrors.OptionException naming the option when the pairs are malformed
     */
    ISchedule learningRateSchedule() {
        if (lrByEpoch == null) {
            return null;
        }
        MapSchedule.Builder b = new MapSchedule.Builder(ScheduleType.EPOCH);
        boolean first = false;
        for (String pair : lrByEpoch.split(",")) {
            String[] kv = pair.trim().split(":");
            try {
                int epoch = Integer.parseInt(kv[0].trim());
                double rate = Double.parseDouble(kv[1].trim());
                if (kv.length != 2 || epoch < 0 || !(rate > 0) || Double.isInfinite(rate)) {
                    throw new NumberFormatException();
                }
                first |= epoch == 0;
                b.add(epoch, rate);
            } catch (RuntimeException e) {
                throw new CliErrors.OptionException("--lr-by-epoch: '" + pair + "' is not epoch:rate (a whole epoch"
                        + " from 0 and a positive rate), e.g. 0:0.003,1:0.0005");
            }
        }
        if (!first) {
            throw new CliErrors.OptionException("--lr-by-epoch needs a rate for epoch 0, e.g. 0:0.003,1:0.0005");
        }
        return b.build();
    }

    // ---------------------------------------------------------------------------------------------- train

    private int train(Datasets data) throws Exception {
        if (!inServerData) {
            return new ServiceDemo(this).run(data);
        }
        int trainImages = trainImages();
        int ep = trainEpochs();
        MultiLayerConfiguration plainConf = plainConfiguration();
        MultiLayerConfiguration secureConf = SecureConversion.toSecure(plainConf);
        MpcSettings settings = MpcSettings.defaults().withMsb(msb);

        Path ckDir = checkpoint != null ? checkpoint : resume;
        KeyPair[] keys = partyKeys(ckDir);
        List<java.security.PublicKey> pinned = List.of(keys[0].getPublic(), keys[1].getPublic(), keys[2].getPublic());
        CheckpointKey[] ckKeys = new CheckpointKey[3];
        List<List<Checkpoint>> saved = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            ckKeys[p] = CheckpointKey.derive(p, keys[p], pinned);
            if (resume != null) {
                // every file is authenticated before anything else runs
                saved.add(Checkpoint.readAll(resume, ckKeys[p], Checkpoint.configHash(secureConf.toJson()),
                        trainingJob()));
            }
        }
        PlainTwin tw = PlainTwin.train(this, data, plainConf);
        MultiLayerNetwork twin = tw.model();
        double plainSecondsPerBatch = tw.secondsPerBatch();
        List<INDArray> plainPredictions = tw.predictions();
        Evaluation plainEval = tw.eval();
        System.out.printf(Locale.ROOT, "demo: private training by three parties over Aeron %s on 127.0.0.1 (embedded"
                + " media driver, Noise KK handshakes, AES-GCM frames); f = %d, truncation %s, MSB %s; P0 holds the"
                + " model, P1 the data%n", channel, settings.fractionalBits(), settings.truncation(), settings.msb());
        long expectedSteps = (long) ep * ((trainImages <= 0 ? 60_000 : trainImages) + batch - 1) / batch;
        List<PartyJobs.PartyResult> results;
        AeronContext ctx = new AeronContext();
        try (LocalParties parties = channel == AeronContext.Channel.IPC ? LocalParties.ipc(ctx, keys)
                : LocalParties.udpLoopback(ctx, keys);
             ProgressBar bar = new ProgressBarBuilder().setTaskName("private training").setInitialMax(expectedSteps)
                     .setStyle(ProgressBarStyle.ASCII).setUnit(" batches", 1).setUpdateIntervalMillis(5000)
                     .setMaxRenderedLength(140).build()) {
            Transport[] ts = {parties.party(0), parties.party(1), parties.party(2)};
            Checkpoint[] agreed = new Checkpoint[3];
            PartyThreads.SessionStarter starter = t -> {
                if (resume != null) {
                    agreed[t.partyId()] = CheckpointAgreement.agree(t, saved.get(t.partyId()));
                }
                return Session.start(t, settings);   // a resumed run too: fresh keys, no mask reused
            };
            DataSetIterator trainAtP1 = data.train(trainImages, batch);
            results = PartyThreads.run(ts, starter, s -> PartyJobs.trainParty(this, s, secureConf, trainAtP1, data, ep,
                    ckKeys[s.party()], ckDir, bar, agreed[s.party()]));
        }
        PartyJobs.PartyResult p1 = results.get(1);
        if (p1.stopped()) {
            System.out.printf(Locale.ROOT, "demo: stopped after step %d; %s%n", p1.steps(), ckDir != null
                    ? "resume with --resume " + ckDir + " and the same options"
                    : "no --checkpoint directory, so nothing to resume from");
            return 0;
        }
        double secondsPerBatch = p1.trainSeconds() / Math.max(1, p1.steps());
        int agree = PlainTwin.agreement(plainPredictions, p1.predictions());
        int n = plainEval.getNumRowCounter();
        Evaluation exportedEval = results.get(0).exported().evaluate(data.test(test, testBatch));
        System.out.printf(Locale.ROOT, "demo: private training: %d steps in %.1f s, %.2f s per batch of %d (plaintext"
                + " %.3f s, ratio %.0f)%n", p1.steps(), p1.trainSeconds(), secondsPerBatch, batch, plainSecondsPerBatch,
                secondsPerBatch / plainSecondsPerBatch);
        for (int p = 0; p < 3; p++) {
            PartyJobs.PartyResult r = results.get(p);
            System.out.printf(Locale.ROOT, "demo: party %d sent %.1f MiB in training (%.2f MiB per batch), %d rounds%n",
                    p, r.trainBytes() / 1048576.0, r.trainBytes() / 1048576.0 / Math.max(1, r.steps()), r.trainRounds());
        }
        System.out.printf(Locale.ROOT, "demo: private inference of %d test images: accuracy %.2f%% (plaintext twin"
                + " %.2f%%); predictions agree on %d of %d; the model revealed to P0 scores %.2f%% in the clear%n", n,
                100 * p1.eval().accuracy(), 100 * plainEval.accuracy(), agree, n, 100 * exportedEval.accuracy());
        System.out.printf(Locale.ROOT, "{\"job\":\"train\",\"net\":\"%s\",\"pool\":\"%s\",\"dataset\":\"%s\","
                + "\"train_images\":%d,\"epochs\":%d,\"batch\":%d,\"secure_acc\":%.4f,\"plain_acc\":%.4f,"
                + "\"agreement\":%.4f,\"exported_acc\":%.4f,\"s_per_batch\":%.3f,\"plain_s_per_batch\":%.4f,"
                + "\"bytes_per_party\":[%d,%d,%d],\"steps\":%d,\"msb\":\"%s\"}%n", net, pool,
                dataset.name().toLowerCase(Locale.ROOT), trainImages <= 0 ? 60_000 : trainImages, ep, batch,
                p1.eval().accuracy(), plainEval.accuracy(), agree / (double) n, exportedEval.accuracy(),
                secondsPerBatch, plainSecondsPerBatch, results.get(0).trainBytes(), results.get(1).trainBytes(),
                results.get(2).trainBytes(), p1.steps(), msb);
        double gap = Math.abs(p1.eval().accuracy() - plainEval.accuracy());
        if (gap > 0.05) {
            System.out.printf(Locale.ROOT, "demo: FAILED: private accuracy is %.1f points from the plaintext twin's%n",
                    100 * gap);
            return 1;
        }
        return 0;
    }

    /**
     * The parties' static key pairs: kept in {@code DIR/keys} beside the checkpoints (made there on the first run,
     * read on a resume, since the checkpoints are authenticated with keys derived from them), fresh ones without a
     * checkpoint directory.
     */
    private KeyPair[] partyKeys(Path ckDir) throws java.io.IOException {
        KeyPair[] keys = new KeyPair[3];
        Path dir = ckDir == null ? null : ckDir.resolve("keys");
        if (dir != null) {
            Checkpoint.prepareDirectory(dir);
        }
        for (int p = 0; p < 3; p++) {
            if (dir != null && Files.isRegularFile(PartyKeys.privateKeyFile(dir, p))) {
                keys[p] = PartyKeys.read(dir, p);
            } else if (resume != null) {
                throw new CliErrors.OptionException("--resume " + resume + ": no key file "
                        + PartyKeys.privateKeyFile(dir, p) + " (the checkpoints are authenticated with the parties'"
                        + " keys kept there)");
            } else {
                keys[p] = PartyKeys.generate();
                if (dir != null) {
                    PartyKeys.write(dir, p, keys[p]);
                }
            }
        }
        return keys;
    }

    // ---------------------------------------------------------------------------------------------- infer

    private int infer(Datasets data) throws Exception {
        int trainImages = trainImages();
        int ep = inferenceModelEpochs();
        long t0 = System.nanoTime();
        MultiLayerNetwork model = PartyJobs.plainInferenceModel(this, data);
        Evaluation plainEval = model.evaluate(data.test(test, testBatch));
        System.out.printf(Locale.ROOT, "demo: plaintext DL4J %s%s trained by the model owner on %d images for"
                + " %d epochs in %.1f s: test accuracy %.2f%%%n", net, net == Net.lenet ? " (" + pool + " pooling)" : "", trainImages <= 0 ? 60_000 : trainImages, ep,
                (System.nanoTime() - t0) / 1e9, 100 * plainEval.accuracy());
        List<INDArray> plainLogits = PlainTwin.logits(model, data.test(test, testBatch));
        // the updater plays no part in inference: the secure configuration of the same architecture with SGD
        MultiLayerConfiguration secureConf = SecureConversion.toSecure(plainConfiguration());
        MpcSettings settings = MpcSettings.defaults().withMsb(msb);
        System.out.printf(Locale.ROOT, "demo: private inference by three parties over Aeron %s on 127.0.0.1; P0 shares"
                + " the model, P1 its test images and alone receives the logits; f = %d, MSB %s%n", channel,
                settings.fractionalBits(), settings.msb());
        List<PartyJobs.PartyResult> results;
        AeronContext ctx = new AeronContext();
        try (LocalParties parties = channel == AeronContext.Channel.IPC ? LocalParties.ipc(ctx)
                : LocalParties.udpLoopback(ctx)) {
            Transport[] ts = {parties.party(0), parties.party(1), parties.party(2)};
            DataSetIterator testAtP1 = data.test(test, testBatch);
            DataSetIterator singleAtP1 = data.test(Math.min(20, test <= 0 ? 20 : test), 1);
            results = PartyThreads.run(settings, ts, s -> PartyJobs.inferParty(s, secureConf, model, testAtP1,
                    singleAtP1));
        }
        PartyJobs.PartyResult p1 = results.get(1);
        double maxDiff = 0;
        int agree = 0;
        int n = 0;
        for (int b = 0; b < plainLogits.size(); b++) {
            INDArray pl = plainLogits.get(b).castTo(DataType.DOUBLE);
            INDArray sl = p1.logits().get(b).castTo(DataType.DOUBLE);
            maxDiff = Math.max(maxDiff, pl.sub(sl).amaxNumber().doubleValue());
            INDArray a = pl.argMax(1);
            INDArray c = sl.argMax(1);
            for (int i = 0; i < a.length(); i++) {
                agree += a.getLong(i) == c.getLong(i) ? 1 : 0;
            }
            n += (int) a.length();
        }
        double perImage = p1.inferSeconds() / n;
        System.out.printf(Locale.ROOT, "demo: private inference of %d images in %.1f s (%.1f ms per image in batches of"
                + " %d, %.0f ms per image at batch 1)%n", n, p1.inferSeconds(), 1e3 * perImage, testBatch,
                1e3 * p1.batchOneSeconds());
        System.out.printf(Locale.ROOT, "demo: private accuracy %.2f%% (plaintext %.2f%%); predictions agree on %d of %d;"
                + " largest logit difference %.2e%n", 100 * p1.eval().accuracy(), 100 * plainEval.accuracy(), agree, n,
                maxDiff);
        for (int p = 0; p < 3; p++) {
            PartyJobs.PartyResult r = results.get(p);
            System.out.printf(Locale.ROOT, "demo: party %d sent %.1f MiB (%.1f KiB per image)%n", p,
                    r.inferBytes() / 1048576.0, r.inferBytes() / 1024.0 / n);
        }
        System.out.printf(Locale.ROOT, "{\"job\":\"infer\",\"net\":\"%s\",\"pool\":\"%s\",\"dataset\":\"%s\","
                + "\"test_images\":%d,\"agreement\":%.4f,\"max_logit_diff\":%.3e,\"secure_acc\":%.4f,\"plain_acc\":%.4f,"
                + "\"s_per_image\":%.5f,\"batch\":%d,\"s_per_image_batch1\":%.4f,\"bytes_per_party\":[%d,%d,%d]}%n",
                net, pool, dataset.name().toLowerCase(Locale.ROOT), n, agree / (double) n, maxDiff,
                p1.eval().accuracy(), plainEval.accuracy(), perImage, testBatch, p1.batchOneSeconds(),
                results.get(0).inferBytes(), results.get(1).inferBytes(), results.get(2).inferBytes());
        if (agree < 0.995 * n) {
            System.out.printf(Locale.ROOT, "demo: FAILED: private and plaintext predictions agree on fewer than 99.5%%%n");
            return 1;
        }
        return 0;
    }
}
