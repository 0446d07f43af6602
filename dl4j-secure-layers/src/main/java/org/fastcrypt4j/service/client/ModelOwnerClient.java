package org.fastcrypt4j.service.client;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.fastcrypt4j.mpc.sharing.MpcSettings;
import org.fastcrypt4j.service.ModelConfig;
import org.fastcrypt4j.service.Request;
import org.fastcrypt4j.service.Uploads;
import org.fastcrypt4j.transport.PartiesConfig;
import org.fastcrypt4j.transport.client.ClientChannel;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The model owner: submits a training job (a DL4J configuration, its initial weights as shares, the data owners
 * taking part, the options) and alone receives the trained model, reconstructed here from the servers' components,
 * and the loss of every step when it asks. The servers never see the weights.
 */
public final class ModelOwnerClient extends ServiceClient {

    /** A training job: its name, the name the trained model is kept under, the data owners in order, options. */
    public record Job(String job, String model, List<String> dataOwners, int epochs, int batch, boolean revealLoss,
            MpcSettings.MsbKind msb, boolean resume, long stopAfter) {
        public Job {
            if (dataOwners.isEmpty()) {
                throw new IllegalArgumentException("a job needs at least one data owner");
            }
        }

        /** A job with the ABY3-style MSB, the loss revealed to the owner, starting from fresh weights. */
        public static Job of(String job, String model, List<String> dataOwners, int epochs, int batch) {
            return new Job(job, model, dataOwners, epochs, batch, true, MpcSettings.MsbKind.ABY3, false, 0);
        }

        /** The same job, continued from the servers' checkpoints. */
        public Job resuming() {
            return new Job(job, model, dataOwners, epochs, batch, revealLoss, msb, true, stopAfter);
        }

        /** The same job, stopped (with a checkpoint at the servers that keep them) once {@code step} is done. */
        public Job stoppingAfter(long step) {
            return new Job(job, model, dataOwners, epochs, batch, revealLoss, msb, resume, step);
        }
    }

    /**
     * What the owner received: the trained model (null when the job stopped early), the loss of every step (when
     * asked), the step the job started from (0, or a resumed job's checkpoint), steps done in all, rows, traffic.
     */
    public record Result(MultiLayerNetwork model, List<Double> losses, long firstStep, long steps, long rows,
            double seconds, long bytesSent, long bytesReceived, ComputationGraph graph) {
        public Result(MultiLayerNetwork model, List<Double> losses, long firstStep, long steps, long rows,
                double seconds, long bytesSent, long bytesReceived) {
            this(model, losses, firstStep, steps, rows, seconds, bytesSent, bytesReceived, null);
        }

        public boolean stopped() {
            return model == null && graph == null;
        }
    }

    public ModelOwnerClient(PartiesConfig servers, String name, KeyPair key, Duration timeout) {
        super(servers, name, key, timeout);
    }

    /**
     * Runs {@code job} on the servers: the configuration {@code plainConf} (ordinary DL4J layers; the servers convert
     * it and refuse what they cannot run), from the weights of {@code initial} (null: DL4J's initialisation of the
     * configuration, made here), and returns the trained model.
     *
     * @throws org.fastcrypt4j.service.JobFailure with the servers' reason when the job fails
     */
    public Result train(Job job, MultiLayerConfiguration plainConf, MultiLayerNetwork initial,
            JobProgress.Listener listener) {
        return train(job, ModelConfig.of(plainConf), initial, listener);
    }

    /**
     * As {@link #train(Job, MultiLayerConfiguration, MultiLayerNetwork, JobProgress.Listener)} for a computation graph
     * (one input, one output layer): the trained graph is the result's {@link Result#graph()}.
     */
    public Result train(Job job, ComputationGraphConfiguration plainConf, ComputationGraph initial,
            JobProgress.Listener listener) {
        return train(job, ModelConfig.of(plainConf), initial, listener);
    }

    private Result train(Job job, ModelConfig plainConf, Model initial, JobProgress.Listener listener) {
        ModelConfig secure = plainConf.toSecure();   // fails here as it would there
        Map<String, INDArray> values = null;
        if (!job.resume()) {
            values = ModelConfig.plainValues(secure, initial != null ? initial : plainConf.newPlainModel());
        }
        Request r = Request.of(Request.Kind.TRAIN).with("job", job.job()).with("model", job.model())
                .with("data-owners", String.join(",", job.dataOwners())).with("epochs", job.epochs())
                .with("batch", job.batch()).with("reveal-loss", job.revealLoss()).with("msb", job.msb())
                .with("resume", job.resume()).with("stop-after", job.stopAfter());
        long t0 = System.nanoTime();
        ServerLinks links = open(r);
        try {
            byte[] json = plainConf.toJson().getBytes(StandardCharsets.UTF_8);
            for (ClientChannel c : links.channels()) {
                c.send("config", json);
            }
            if (values != null) {
                for (Map.Entry<String, INDArray> e : values.entrySet()) {
                    Uploads.send(links.channels(), "weights/" + e.getKey(), fixedPoint.encode(e.getValue()), random);
                }
            }
            List<Double> losses = new ArrayList<>();
            double loss = Double.NaN;
            long[] done;
            long firstStep = 0;
            boolean stopped = false;
            while (true) {
                ClientChannel.Message[] m = links.receiveAll(MAX_MESSAGE);
                String tag = m[0].tag();
                if (tag.equals("loss")) {
                    long sum = m[0].longs()[0] + m[1].longs()[0] + m[2].longs()[0];
                    loss = fixedPoint.decode(sum);
                    losses.add(loss);
                } else if (tag.equals("progress")) {
                    if (listener != null) {
                        listener.onProgress(JobProgress.of(m[0].longs(), loss));
                    }
                } else if (tag.equals("started")) {
                    firstStep = m[0].longs()[0];
                } else if (tag.equals("trained") || tag.equals("stopped")) {
                    done = m[0].longs();
                    stopped = tag.equals("stopped");
                    break;
                } else {
                    throw links.failure(0, "unexpected '" + tag + "' from the servers");
                }
            }
            Model model = stopped ? null : receiveModel(links, plainConf, secure);
            return new Result(model instanceof MultiLayerNetwork n ? n : null, losses, firstStep, done[0], done[1],
                    (System.nanoTime() - t0) / 1e9, links.bytesSent(), links.bytesReceived(),
                    model instanceof ComputationGraph g ? g : null);
        } catch (org.fastcrypt4j.transport.client.ClientLinkException e) {
            throw links.failure(-1, e.getMessage());
        } finally {
            links.close();
        }
    }

    private Model receiveModel(ServerLinks links, ModelConfig plainConf, ModelConfig secure) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : secure.parameterShapes().entrySet()) {
            out.put(e.getKey(), fixedPoint.decode(download(links, "model/" + e.getKey(), e.getValue())));
        }
        Model model = plainConf.newPlainModel();
        ModelConfig.setPlainValues(secure, model, out);
        return model;
    }

    /** Downloads model {@code model}, which this client trained, into a network of {@code plainConf}. */
    public MultiLayerNetwork download(String model, MultiLayerConfiguration plainConf) {
        return (MultiLayerNetwork) download(model, ModelConfig.of(plainConf));
    }

    /** Downloads graph model {@code model}, which this client trained, into a graph of {@code plainConf}. */
    public ComputationGraph download(String model, ComputationGraphConfiguration plainConf) {
        return (ComputationGraph) download(model, ModelConfig.of(plainConf));
    }

    private Model download(String model, ModelConfig plainConf) {
        ModelConfig secure = plainConf.toSecure();
        ServerLinks links = open(Request.of(Request.Kind.DOWNLOAD).with("model", model));
        try {
            links.receiveAll(MAX_MESSAGE);   // the servers' configuration of the model
            return receiveModel(links, plainConf, secure);
        } catch (org.fastcrypt4j.transport.client.ClientLinkException e) {
            throw links.failure(-1, e.getMessage());
        } finally {
            links.close();
        }
    }
}
