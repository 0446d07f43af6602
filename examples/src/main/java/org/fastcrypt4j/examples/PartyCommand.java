package org.fastcrypt4j.examples;

import java.nio.file.Files;
import java.nio.file.Path;
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
import org.fastcrypt4j.transport.aeron.AeronContext;
import org.fastcrypt4j.transport.aeron.AeronTransport;
import org.fastcrypt4j.transport.PartiesConfig;
import org.fastcrypt4j.transport.PartyKeys;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./fastcrypt4j party --id N --config parties.conf [--job train|infer] [demo options]}: one party of the
 * main job in its own process, on its own host or not. The parties file gives each party's host, UDP port and
 * pinned public key ({@code keygen} writes them); the party's private key is read from {@code --keys}
 * (default: the parties file's directory). P0 is the model owner (it initialises the weights, or with
 * {@code --job infer} trains the plaintext model, and alone receives the result: {@code --model-out}), P1 the
 * data owner (it reads MNIST and alone receives the predictions and the test accuracy), P2 computes. A peer that
 * dies is reported within the peer timeout (8 s) naming it, and the process exits with status 3.
 */
@Command(name = "party", mixinStandardHelpOptions = true,
        description = "Runs one party (0, 1 or 2) of the private training or inference job in this process.")
public final class PartyCommand extends DemoCommand {

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
            System.err.println("party: --id must be 0, 1 or 2, not " + id);
            return 2;
        }
        PartiesConfig parties = PartiesConfig.read(config);
        Path keyDir = keys != null ? keys : config.toAbsolutePath().getParent();
        MpcSettings settings = MpcSettings.defaults().withMsb(msb);
        AeronContext ctx = new AeronContext().connectTimeout(Duration.ofSeconds(connectTimeout));
        Datasets data = id == 1 || job == Job.infer ? Datasets.open(dataset) : null;
        MultiLayerConfiguration plainConf = plainConfiguration();
        MultiLayerConfiguration secureConf = SecureConversion.toSecure(plainConf);
        byte[] fingerprint = Checkpoint.partiesFingerprint(parties);
        System.out.printf(Locale.ROOT, "party %d: connecting to %s and %s%n", id, endpoint(parties, (id + 1) % 3),
                endpoint(parties, (id + 2) % 3));
        try (AeronTransport t = AeronTransport.connect(parties, id, PartyKeys.read(keyDir, id), ctx)) {
            try {
                return run(t, settings, data, plainConf, secureConf, fingerprint);
            } catch (RuntimeException e) {
                System.err.println("party " + id + ": " + e.getMessage());
                return e instanceof org.fastcrypt4j.transport.PeerFailureException ? 3 : 1;
            }
        }
    }

    private static String endpoint(PartiesConfig p, int i) {
        return "party " + i + " at " + p.party(i).host() + ":" + p.party(i).port();
    }

    private int run(AeronTransport t, MpcSettings settings, Datasets data, MultiLayerConfiguration plainConf,
            MultiLayerConfiguration secureConf, byte[] fingerprint) throws Exception {
        if (job == Job.infer) {
            MultiLayerNetwork model = null;
            if (id == 0) {
                model = new MultiLayerNetwork(plainConf);
                model.init();
                int trainImages = limit < 0 ? 20_000 : limit;
                var it = data.train(trainImages, batch);
                for (int e = 0; e < (epochs < 0 ? 2 : epochs); e++) {
                    it.reset();
                    while (it.hasNext()) {
                        model.fit(it.next());
                    }
                }
            }
            Session s = Session.start(t, settings);
            PartyResult r = inferParty(s, secureConf, model, id == 1 ? data.test(test, testBatch) : null,
                    id == 1 ? data.test(Math.min(20, test <= 0 ? 20 : test), 1) : null);
            if (id == 1) {
                System.out.printf(Locale.ROOT, "{\"job\":\"infer\",\"party\":1,\"test_images\":%d,\"secure_acc\":%.4f,"
                        + "\"s_per_image\":%.5f,\"s_per_image_batch1\":%.4f}%n", r.eval().getNumRowCounter(),
                        r.eval().accuracy(), r.inferSeconds() / r.eval().getNumRowCounter(), r.batchOneSeconds());
            }
            return 0;
        }
        Checkpoint from = null;
        Session s;
        if (resume != null) {
            List<Checkpoint> mine = Checkpoint.readAll(resume, id, Checkpoint.configHash(secureConf.toJson()), fingerprint);
            from = Checkpoint.agree(t, mine);
            s = Session.restore(t, settings, Session.LinkPolicy.REQUIRE_PROTECTED, from.prg());
            System.out.printf(Locale.ROOT, "party %d: resuming from step %d%n", id, from.step());
        } else {
            s = Session.start(t, settings);
        }
        Path ckDir = checkpoint != null ? checkpoint : resume;
        int trainImages = limit < 0 ? 10_000 : limit;
        PartyResult r = trainParty(s, secureConf, id == 1 ? data.train(trainImages, batch) : null, data,
                epochs < 0 ? 1 : epochs, fingerprint, ckDir, null, from);
        System.out.printf(Locale.ROOT, "party %d: %d steps in %.1f s (%.2f s per batch), sent %.1f MiB%n", id, r.steps(),
                r.trainSeconds(), r.trainSeconds() / Math.max(1, r.steps()), r.trainBytes() / 1048576.0);
        if (r.eval() == null) {
            System.out.printf(Locale.ROOT, "party %d: stopped after step %d%n", id, stopAfter);
            return 0;
        }
        if (id == 1) {
            System.out.printf(Locale.ROOT, "{\"job\":\"train\",\"party\":1,\"steps\":%d,\"secure_acc\":%.4f,"
                    + "\"s_per_batch\":%.3f,\"bytes_sent\":%d}%n", r.steps(), r.eval().accuracy(),
                    r.trainSeconds() / Math.max(1, r.steps()), r.trainBytes());
        }
        if (id == 0 && modelOut != null) {
            Files.createDirectories(modelOut.toAbsolutePath().getParent());
            ModelSerializer.writeModel(r.exported(), modelOut.toFile(), false);
            System.out.println("party 0: wrote the trained model to " + modelOut);
        }
        return 0;
    }
}
