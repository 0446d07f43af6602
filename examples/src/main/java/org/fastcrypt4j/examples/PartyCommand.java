package org.fastcrypt4j.examples;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.fastcrypt4j.examples.data.Datasets;
import org.fastcrypt4j.mpc.sharing.MpcSettings;
import org.fastcrypt4j.mpc.sharing.Session;
import org.fastcrypt4j.nn.SecureConversion;
import org.fastcrypt4j.nn.training.Checkpoint;
import org.fastcrypt4j.nn.training.CheckpointAgreement;
import org.fastcrypt4j.nn.training.CheckpointKey;
import org.fastcrypt4j.transport.PartiesConfig;
import org.fastcrypt4j.transport.PartyKeys;
import org.fastcrypt4j.transport.Transport;
import org.fastcrypt4j.transport.aeron.AeronContext;
import org.fastcrypt4j.transport.aeron.AeronTransport;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./fastcrypt4j party --id N --config parties.conf [--job train|infer] [demo options]}: one party of the
 * main job in its own process, on its own host or not. The parties file gives each party's host, UDP port and
 * pinned public key ({@code keygen} writes them); the party's private key is read from {@code --keys}
 * (default: the parties file's directory). P0 is the model owner (it initialises the weights, or with
 * {@code --job infer} trains the plaintext model, and alone receives the result: {@code --model-out}), P1 the
 * data owner (it reads MNIST and alone receives the predictions and the test accuracy), P2 computes.
 *
 * <p>Everything that can be checked alone is checked before connecting: the options, the parties file, the key pair,
 * the data, and on {@code --resume} every checkpoint file (authenticated with the party's key). After connecting
 * the three compare their job options and stop, naming the option and the party, if they differ. A peer that dies
 * is reported within the peer timeout (8 s) naming it, and the process exits with status 3 (also when the peers
 * cannot be reached); a bad option, file or configuration exits with status 2.
 */
@Command(name = "party", mixinStandardHelpOptions = true,
        description = "Runs one party (0, 1 or 2) of the private training or inference job in this process.")
public final class PartyCommand extends DemoCommand {
    private static final String OPTIONS_TAG = "job/options";

    @Option(names = "--id", required = true, description = "this party's id: 0, 1 or 2")
    int id;

    @Option(names = "--config", required = true, description = "the parties file (id host port public-key per line)")
    Path config;

    @Option(names = "--keys", description = "directory holding party-N.key and party-N.pub (default: the parties file's)")
    Path keys;

    @Option(names = "--model-out", description = "P0: where to write the model it receives (DL4J ModelSerializer zip)")
    Path modelOut;

    @Option(names = "--connect-timeout", description = "seconds to wait for the other parties (default ${DEFAULT-VALUE})")
    int connectTimeout = 120;

    @Override
    public Integer call() throws Exception {
        if (id < 0 || id > 2) {
            throw new CliErrors.OptionException("--id must be 0, 1 or 2, not " + id);
        }
        if (connectTimeout < 1) {
            throw new CliErrors.OptionException("--connect-timeout must be positive, got " + connectTimeout);
        }
        validateOptions();
        PartiesConfig parties = PartiesConfig.read(config);
        Path keyDir = keys != null ? keys : config.toAbsolutePath().getParent();
        KeyPair mine = PartyKeys.read(keyDir, id);
        if (!mine.getPublic().equals(parties.party(id).publicKey())) {
            throw new CliErrors.OptionException("the key pair in " + keyDir + " is not the one " + config
                    + " pins for party " + id);
        }
        MpcSettings settings = MpcSettings.defaults().withMsb(msb);
        Datasets data = id == 1 || job == Job.infer ? Datasets.open(dataset) : null;
        MultiLayerConfiguration plainConf = plainConfiguration();
        MultiLayerConfiguration secureConf = SecureConversion.toSecure(plainConf);
        CheckpointKey ckKey = CheckpointKey.derive(id, mine, parties);
        List<Checkpoint> saved = resume == null ? null
                : Checkpoint.readAll(resume, ckKey, Checkpoint.configHash(secureConf.toJson()), trainingJob());
        if (modelOut != null && id == 0) {
            Path parent = modelOut.toAbsolutePath().getParent();
            if (parent != null && Files.isDirectory(parent) && !Files.isWritable(parent)) {
                throw new CliErrors.OptionException("--model-out " + modelOut + ": directory not writable");
            }
        }
        AeronContext ctx = new AeronContext().connectTimeout(Duration.ofSeconds(connectTimeout));
        System.out.printf(Locale.ROOT, "party %d: connecting to %s and %s%n", id, endpoint(parties, (id + 1) % 3),
                endpoint(parties, (id + 2) % 3));
        try (AeronTransport t = AeronTransport.connect(parties, id, mine, ctx)) {
            agreeOnOptions(t);
            return job == Job.infer ? infer(t, settings, data, secureConf)
                    : train(t, settings, data, secureConf, ckKey, saved);
        }
    }

    private static String endpoint(PartiesConfig p, int i) {
        return "party " + i + " at " + p.party(i).host() + ":" + p.party(i).port();
    }

    /**
     * The options every party must share, one per word: those of {@link #trainingJob()} and those that decide what the
     * job does after training.
     */
    private String partyOptions() {
        return String.format(Locale.ROOT, "job=%s %s test=%d test-batch=%d show-loss=%b stop-after=%d checkpoints=%b"
                + " checkpoint-every=%d resume=%b", job, trainingJob(), test, testBatch, showLoss, stopAfter,
                checkpoint != null || resume != null, checkpointEvery, resume != null);
    }

    /**
     * One round: each party sends its options to both others and compares; a difference stops every party with one
     * line naming the option and the party that differs.
     */
    private void agreeOnOptions(Transport t) {
        byte[] mine = partyOptions().getBytes(StandardCharsets.UTF_8);
        for (int peer : new int[] {t.next(), t.prev()}) {
            t.send(peer, OPTIONS_TAG, new long[] {mine.length});
            t.send(peer, OPTIONS_TAG, ByteBuffer.wrap(mine));
        }
        for (int peer : new int[] {t.prev(), t.next()}) {
            long n = t.receive(peer, OPTIONS_TAG, 1)[0];
            if (n < 0 || n > 4096) {
                throw new CliErrors.OptionException("party " + id + ": party " + peer + " sent job options of " + n
                        + " bytes");
            }
            ByteBuffer theirs = ByteBuffer.allocate((int) n);
            t.receive(peer, OPTIONS_TAG, theirs);
            String other = new String(theirs.array(), StandardCharsets.UTF_8);
            if (!other.equals(partyOptions())) {
                throw new CliErrors.OptionException("party " + id + ": party " + peer + " runs with "
                        + firstDifference(other, partyOptions()) + ": start the three parties with the same options");
            }
        }
    }

    private static String firstDifference(String theirs, String ours) {
        String[] a = theirs.split(" ");
        String[] b = ours.split(" ");
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            if (!a[i].equals(b[i])) {
                return a[i] + ", this party with " + b[i];
            }
        }
        return "'" + theirs + "', this party with '" + ours + "'";
    }

    private int infer(AeronTransport t, MpcSettings settings, Datasets data, MultiLayerConfiguration secureConf)
            throws Exception {
        MultiLayerNetwork model = id == 0 ? PartyJobs.plainInferenceModel(this, data) : null;
        Session s = Session.start(t, settings);
        PartyJobs.PartyResult r = PartyJobs.inferParty(s, secureConf, model,
                id == 1 ? data.test(test, testBatch) : null,
                id == 1 ? data.test(Math.min(20, test <= 0 ? 20 : test), 1) : null);
        if (id == 1) {
            System.out.printf(Locale.ROOT, "{\"job\":\"infer\",\"party\":1,\"test_images\":%d,\"secure_acc\":%.4f,"
                    + "\"s_per_image\":%.5f,\"s_per_image_batch1\":%.4f}%n", r.eval().getNumRowCounter(),
                    r.eval().accuracy(), r.inferSeconds() / r.eval().getNumRowCounter(), r.batchOneSeconds());
        }
        return 0;
    }

    private int train(AeronTransport t, MpcSettings settings, Datasets data, MultiLayerConfiguration secureConf,
            CheckpointKey ckKey, List<Checkpoint> saved) throws Exception {
        Checkpoint from = saved == null ? null : CheckpointAgreement.agree(t, saved);
        Session s = Session.start(t, settings);   // a resumed run too: fresh keys, no mask reused
        if (from != null) {
            System.out.printf(Locale.ROOT, "party %d: resuming from step %d%n", id, from.step());
        }
        Path ckDir = checkpoint != null ? checkpoint : resume;
        PartyJobs.PartyResult r = PartyJobs.trainParty(this, s, secureConf,
                id == 1 ? data.train(trainImages(), batch) : null, data, trainEpochs(), ckKey, ckDir, null, from);
        System.out.printf(Locale.ROOT, "party %d: %d steps in %.1f s (%.2f s per batch), sent %.1f MiB%n", id, r.steps(),
                r.trainSeconds(), r.trainSeconds() / Math.max(1, r.steps()), r.trainBytes() / 1048576.0);
        if (r.stopped()) {
            System.out.printf(Locale.ROOT, "party %d: stopped after step %d%s%n", id, r.steps(), ckDir == null ? ""
                    : "; resume with --resume " + ckDir + " and the same options");
            return 0;
        }
        if (id == 1) {
            System.out.printf(Locale.ROOT, "{\"job\":\"train\",\"party\":1,\"steps\":%d,\"secure_acc\":%.4f,"
                    + "\"s_per_batch\":%.3f,\"bytes_sent\":%d}%n", r.steps(), r.eval().accuracy(),
                    r.trainSeconds() / Math.max(1, r.steps()), r.trainBytes());
        }
        if (id == 0 && modelOut != null) {
            Path parent = modelOut.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            ModelSerializer.writeModel(r.exported(), modelOut.toFile(), false);
            System.out.println("party 0: wrote the trained model to " + modelOut);
        }
        return 0;
    }
}
