package org.fastcrypt4j.examples.service;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.fastcrypt4j.service.ModelConfig;
import org.fastcrypt4j.examples.CliErrors;
import org.fastcrypt4j.examples.data.ClientData;
import org.fastcrypt4j.examples.nets.Networks;
import org.fastcrypt4j.mpc.sharing.MpcSettings;
import org.fastcrypt4j.service.client.DataOwnerClient;
import org.fastcrypt4j.service.client.JobProgress;
import org.fastcrypt4j.service.client.ModelOwnerClient;
import org.fastcrypt4j.service.client.QuerierClient;
import org.fastcrypt4j.transport.PartiesConfig;
import org.fastcrypt4j.transport.PartyKeys;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Nesterovs;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./fastcrypt4j client train|provide|predict|download}: a client of the three servers, outside them. Every
 * client names itself ({@code --name}, its key in {@code --keys DIR/NAME.key}) and reaches the servers of the parties
 * file ({@code --servers}); the servers' clients file must list it with the role the command needs.
 */
@Command(name = "client", mixinStandardHelpOptions = true,
        description = "A client of the three servers: a model owner (train, download), a data owner (provide) or a"
                + " querier (predict).",
        subcommands = {ClientCommand.Train.class, ClientCommand.Provide.class, ClientCommand.Predict.class,
                ClientCommand.Download.class})
public final class ClientCommand implements Runnable {

    @Override
    public void run() {
        throw new CliErrors.OptionException("name what to do: client train, provide, predict or download");
    }

    /** What every client command takes. */
    static final class Who {
        @Option(names = "--servers", required = true, description = "the parties file of the three servers")
        Path servers;

        @Option(names = "--name", required = true, description = "this client's name in the servers' clients file")
        String name;

        @Option(names = "--keys", description = "directory holding NAME.key and NAME.pub (default: the servers"
                + " file's)")
        Path keys;

        @Option(names = "--timeout", description = "seconds to wait for the servers to answer (default"
                + " ${DEFAULT-VALUE})")
        int timeout = 30;

        PartiesConfig parties() throws java.io.IOException {
            return PartiesConfig.read(servers);
        }

        KeyPair key() throws java.io.IOException {
            return PartyKeys.read(keys != null ? keys : servers.toAbsolutePath().getParent(), name);
        }

        Duration timeout() {
            if (timeout < 1) {
                throw new CliErrors.OptionException("--timeout must be positive");
            }
            return Duration.ofSeconds(timeout);
        }
    }

    /** Where a client's rows come from. */
    static final class Data {
        @Option(names = "--data", required = true, description = "mnist-train:FROM:TO, mnist-test:FROM:TO,"
                + " fashion-...:FROM:TO, or csv:FILE")
        String spec;

        @Option(names = "--label-column", description = "CSV: the label's column, 0-based")
        int labelColumn = -1;

        @Option(names = "--classes", description = "CSV: the number of classes")
        int classes = -1;

        @Option(names = "--skip-lines", description = "CSV: header lines to skip (default ${DEFAULT-VALUE})")
        int skipLines;

        DataSet load() throws Exception {
            return ClientData.load(spec, new ClientData.Csv(labelColumn, classes, skipLines));
        }
    }

    static void progress(String who, JobProgress p) {
        System.out.printf(Locale.ROOT, "%s: step %d (epoch %d), %.2f s per batch, server 0 sent %.1f MiB%s%n", who,
                p.step(), p.epoch() + 1, p.stepSeconds(), p.serverBytesSent() / 1048576.0,
                Double.isNaN(p.loss()) ? "" : String.format(Locale.ROOT, ", loss %.4f", p.loss()));
    }

    @Command(name = "train", mixinStandardHelpOptions = true,
            description = "Model owner: submits a training job and receives the trained model.")
    static final class Train implements Callable<Integer> {
        @Mixin
        Who who;

        @Option(names = "--conf", description = "the network: a DL4J MultiLayerConfiguration or"
                + " ComputationGraphConfiguration JSON file")
        Path conf;

        @Option(names = "--net", description = "or a built-in network: lenet or mlp")
        String net;

        @Option(names = "--weights", description = "initial weights: a DL4J model file (default: DL4J's"
                + " initialisation, made here)")
        Path weights;

        @Option(names = "--job", required = true, description = "the job's name (the data owners name it too)")
        String job;

        @Option(names = "--model-name", required = true, description = "the name the servers keep the model under")
        String model;

        @Option(names = "--data-owners", required = true, split = ",", description = "the data owners, in order")
        String[] dataOwners;

        @Option(names = "--epochs", description = "default ${DEFAULT-VALUE}")
        int epochs = 1;

        @Option(names = "--batch", description = "default ${DEFAULT-VALUE}")
        int batch = 128;

        @Option(names = "--lr", description = "built-in networks: SGD with Nesterov momentum 0.9 (default"
                + " ${DEFAULT-VALUE})")
        double lr = 0.03;

        @Option(names = "--no-loss", description = "do not receive the loss of every step")
        boolean noLoss;

        @Option(names = "--msb", description = "ABY3 or FALCON (default ${DEFAULT-VALUE})")
        MpcSettings.MsbKind msb = MpcSettings.MsbKind.ABY3;

        @Option(names = "--resume", description = "continue the job from the servers' checkpoints")
        boolean resume;

        @Option(names = "--out", required = true, description = "where to write the trained model (DL4J model file)")
        Path out;

        @Override
        public Integer call() throws Exception {
            if ((conf == null) == (net == null)) {
                throw new CliErrors.OptionException("give --conf FILE or --net lenet|mlp");
            }
            if (epochs < 1 || batch < 1) {
                throw new CliErrors.OptionException("--epochs and --batch must be positive");
            }
            MultiLayerConfiguration c;
            if (conf != null) {
                ModelConfig mc;
                try {
                    mc = ModelConfig.fromJson(Files.readString(conf));
                } catch (IllegalArgumentException e) {
                    throw new CliErrors.OptionException("--conf " + conf + ": " + e.getMessage());
                }
                if (mc.isGraph()) {
                    return trainGraph(mc.graph());
                }
                c = mc.multiLayer();
            } else if (net.equals("lenet")) {
                c = Networks.lenet(PoolingType.AVG, new Nesterovs(lr, 0.9), 42);
            } else if (net.equals("mlp")) {
                c = Networks.mlp(128, new Nesterovs(lr, 0.9), 42);
            } else {
                throw new CliErrors.OptionException("--net must be lenet or mlp, not " + net);
            }
            MultiLayerNetwork init = weights == null ? null : ModelSerializer.restoreMultiLayerNetwork(weights.toFile());
            ModelOwnerClient.Result r = client().train(jobSpec(), c, init, p -> progress(who.name, p));
            ModelSerializer.writeModel(r.model(), out.toFile(), false);
            return report(r);
        }

        /** A graph job: initial weights from a DL4J graph model file, the trained graph written the same way. */
        private int trainGraph(ComputationGraphConfiguration c) throws Exception {
            ComputationGraph init = weights == null ? null : ModelSerializer.restoreComputationGraph(weights.toFile());
            ModelOwnerClient.Result r = client().train(jobSpec(), c, init, p -> progress(who.name, p));
            ModelSerializer.writeModel(r.graph(), out.toFile(), false);
            return report(r);
        }

        private ModelOwnerClient client() throws java.io.IOException {
            return new ModelOwnerClient(who.parties(), who.name, who.key(), who.timeout());
        }

        /** The job these options describe. */
        private ModelOwnerClient.Job jobSpec() {
            return new ModelOwnerClient.Job(job, model, Arrays.asList(dataOwners), epochs, batch, !noLoss, msb, resume,
                    0);
        }

        private int report(ModelOwnerClient.Result r) {
            System.out.printf(Locale.ROOT, "%s: trained '%s' on %d rows in %d steps (%.1f s); sent %.1f MiB, received"
                    + " %.1f MiB; wrote %s%n", who.name, model, r.rows(), r.steps(), r.seconds(),
                    r.bytesSent() / 1048576.0, r.bytesReceived() / 1048576.0, out);
            return 0;
        }
    }

    @Command(name = "provide", mixinStandardHelpOptions = true,
            description = "Data owner: provides its rows to a training job as shares.")
    static final class Provide implements Callable<Integer> {
        @Mixin
        Who who;

        @Mixin
        Data data;

        @Option(names = "--job", required = true, description = "the job's name")
        String job;

        @Override
        public Integer call() throws Exception {
            DataSet d = data.load();
            DataOwnerClient client = new DataOwnerClient(who.parties(), who.name, who.key(), who.timeout());
            DataOwnerClient.Result r = client.provide(job, d.getFeatures(), d.getLabels(), p -> {
                if (p.step() % 10 == 0) {
                    progress(who.name, p);
                }
            });
            System.out.printf(Locale.ROOT, "%s: provided %d rows (%.1f MiB uploaded, %.0f bytes per value); the job"
                    + " ran %d steps in %.1f s%n", who.name, r.rows(), r.bytesSent() / 1048576.0,
                    r.bytesSent() / (double) d.getFeatures().length(), r.steps(), r.seconds());
            return 0;
        }
    }

    @Command(name = "predict", mixinStandardHelpOptions = true,
            description = "Querier: the model's predictions for its rows (and the accuracy, when they have labels).")
    static final class Predict implements Callable<Integer> {
        @Mixin
        Who who;

        @Mixin
        Data data;

        @Option(names = "--model-name", required = true, description = "the model the servers hold")
        String model;

        @Option(names = "--out", description = "a CSV file for the predictions (class, then the probabilities)")
        Path out;

        @Override
        public Integer call() throws Exception {
            DataSet d = data.load();
            QuerierClient client = new QuerierClient(who.parties(), who.name, who.key(), who.timeout());
            long t0 = System.nanoTime();
            INDArray p = client.predict(model, d.getFeatures());
            double s = (System.nanoTime() - t0) / 1e9;
            Evaluation e = new Evaluation((int) p.shape()[1]);
            e.eval(d.getLabels().castTo(DataType.FLOAT), p.castTo(DataType.FLOAT));
            System.out.printf(Locale.ROOT, "%s: %d predictions of '%s' in %.1f s: accuracy %.2f%%; sent %.1f MiB%n",
                    who.name, p.shape()[0], model, s, 100 * e.accuracy(), client.lastBytesSent() / 1048576.0);
            if (out != null) {
                try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out, StandardCharsets.UTF_8))) {
                    INDArray cls = p.argMax(1);
                    for (int i = 0; i < p.shape()[0]; i++) {
                        StringBuilder sb = new StringBuilder().append(cls.getLong(i));
                        for (int k = 0; k < p.shape()[1]; k++) {
                            sb.append(',').append(String.format(Locale.ROOT, "%.6f", p.getDouble(i, k)));
                        }
                        w.println(sb);
                    }
                }
            }
            return 0;
        }
    }

    @Command(name = "download", mixinStandardHelpOptions = true,
            description = "Model owner: downloads a model it trained from the servers' shares.")
    static final class Download implements Callable<Integer> {
        @Mixin
        Who who;

        @Option(names = "--conf", required = true, description = "the network's DL4J MultiLayerConfiguration JSON")
        Path conf;

        @Option(names = "--model-name", required = true, description = "the model the servers hold")
        String model;

        @Option(names = "--out", required = true, description = "where to write it (DL4J model file)")
        Path out;

        @Override
        public Integer call() throws Exception {
            ModelOwnerClient client = new ModelOwnerClient(who.parties(), who.name, who.key(), who.timeout());
            MultiLayerNetwork m = client.download(model, MultiLayerConfiguration.fromJson(Files.readString(conf)));
            ModelSerializer.writeModel(m, out.toFile(), false);
            System.out.println(who.name + ": wrote '" + model + "' to " + out);
            return 0;
        }
    }
}
