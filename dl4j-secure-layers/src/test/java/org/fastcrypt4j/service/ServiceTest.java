package org.fastcrypt4j.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.fastcrypt4j.ring.FixedPoint;
import org.fastcrypt4j.service.client.DataOwnerClient;
import org.fastcrypt4j.service.client.ModelOwnerClient;
import org.fastcrypt4j.service.client.QuerierClient;
import org.fastcrypt4j.transport.client.ClientChannel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The outsourced service with three servers in this JVM: training with two data owners equals training with one
 * holding the same rows in the same order (within fixed-point tolerance) and follows plaintext DL4J; a querier's
 * prediction equals the plain model's; and nothing a server receives from the data owners contains an 8-byte word of
 * their encoded features.
 */
class ServiceTest {
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    static ServiceFixture fx;
    static ExecutorService pool;
    final long seed = 0x5E7L;

    @BeforeAll
    static void start() throws Exception {
        fx = new ServiceFixture(s -> s);
        pool = Executors.newCachedThreadPool();
    }

    @AfterAll
    static void stop() {
        pool.shutdownNow();
        fx.close();
    }

    static MultiLayerConfiguration mlp() {
        return new NeuralNetConfiguration.Builder().seed(4).updater(new Nesterovs(0.05, 0.9))
                .weightInit(WeightInit.XAVIER).list()
                .layer(new DenseLayer.Builder().nIn(12).nOut(16).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(16).nOut(4)
                        .activation(Activation.SOFTMAX).build())
                .build();
    }

    static INDArray[] data(long seed, int rows) {
        SplittableRandom r = new SplittableRandom(seed);
        INDArray x = Nd4j.create(DataType.DOUBLE, rows, 12);
        INDArray y = Nd4j.zeros(DataType.DOUBLE, rows, 4);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < 12; j++) {
                x.putScalar(i, j, r.nextDouble() * 4 - 2);
            }
            y.putScalar(i, r.nextInt(4), 1);
        }
        return new INDArray[] {x, y};
    }

    static INDArray rows(INDArray a, long from, long to) {
        return a.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).dup();
    }

    static ModelOwnerClient owner() {
        return new ModelOwnerClient(fx.parties, "alice", fx.key("alice"), TIMEOUT);
    }

    static DataOwnerClient dataOwner(String name) {
        return new DataOwnerClient(fx.parties, name, fx.key(name), TIMEOUT);
    }

    /** Trains job {@code job} with the given owners' row ranges [from, to); returns the model owner's result. */
    ModelOwnerClient.Result train(String job, INDArray[] d, String[] owners, long[][] ranges, MultiLayerNetwork init)
            throws Exception {
        Future<ModelOwnerClient.Result> m = pool.submit(() -> owner().train(ModelOwnerClient.Job.of(job, "model-" + job,
                List.of(owners), 2, 16), mlp(), init, null));
        for (int i = 0; i < owners.length; i++) {
            int k = i;
            pool.submit(() -> dataOwner(owners[k]).provide(job, rows(d[0], ranges[k][0], ranges[k][1]),
                    rows(d[1], ranges[k][0], ranges[k][1]), null));
        }
        return m.get(3, TimeUnit.MINUTES);
    }

    @Test
    void twoDataOwnersTrainLikeOneAndLikeDl4jAndTheQuerierGetsThePlainPrediction() throws Exception {
        INDArray[] d = data(seed, 64);
        MultiLayerNetwork init = new MultiLayerNetwork(mlp());
        init.init();
        Set<Long> encoded = new HashSet<>();
        FixedPoint fp = FixedPoint.withFractionalBits(20);
        for (long v : fp.encode(d[0]).toLongArray()) {
            encoded.add(v);
        }
        List<byte[]> fromDataOwners = new CopyOnWriteArrayList<>();
        for (var s : fx.servers) {
            s.auditClients((client, m) -> {
                if (client.startsWith("d")) {
                    fromDataOwners.add(m.data());
                }
            });
        }
        ModelOwnerClient.Result two = train("two", d, new String[] {"d1", "d2"}, new long[][] {{0, 40}, {40, 64}}, init);
        ModelOwnerClient.Result one = train("one", d, new String[] {"d1"}, new long[][] {{0, 64}}, init);
        for (var s : fx.servers) {
            s.auditClients(null);
        }
        assertEquals(8, two.steps());
        assertEquals(64, two.rows());
        double diff = two.model().params().sub(one.model().params()).amaxNumber().doubleValue();
        assertTrue(diff < 1e-3, "two owners vs one differ by " + diff + ", seed " + seed);

        // plaintext DL4J on the same batches from the same weights
        MultiLayerNetwork plain = new MultiLayerNetwork(mlp());
        plain.init(init.params().dup(), true);
        for (int e = 0; e < 2; e++) {
            for (int b = 0; b < 4; b++) {
                plain.fit(new DataSet(rows(d[0], 16L * b, 16L * b + 16).castTo(DataType.FLOAT),
                        rows(d[1], 16L * b, 16L * b + 16).castTo(DataType.FLOAT)));
            }
        }
        double vsPlain = two.model().params().sub(plain.params()).amaxNumber().doubleValue();
        assertTrue(vsPlain < 1e-2 * (1 + plain.params().amaxNumber().doubleValue()), "vs DL4J: " + vsPlain);
        assertEquals(8, two.losses().size(), "the loss of every step at the model owner");

        // nothing the servers received from the data owners holds an encoded feature value
        long hits = 0;
        long scanned = 0;
        for (byte[] m : fromDataOwners) {
            ByteBuffer b = ByteBuffer.wrap(m).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i + 8 <= m.length; i++) {
                scanned++;
                if (encoded.contains(b.getLong(i))) {
                    hits++;
                }
            }
        }
        assertTrue(scanned > 64 * 12, "scanned " + scanned);
        assertEquals(0, hits, "encoded features found in what the servers received");

        // the querier's prediction is the plain model's
        QuerierClient eve = new QuerierClient(fx.parties, "eve", fx.key("eve"), TIMEOUT);
        INDArray q = rows(d[0], 0, 20);
        INDArray got = eve.predict("model-two", q);
        INDArray want = two.model().output(q.castTo(DataType.FLOAT)).castTo(DataType.DOUBLE);
        assertTrue(got.sub(want).amaxNumber().doubleValue() < 1e-3, got + " vs " + want);
    }

    /** A residual graph of the MLP's shape: relu(d2(d1 x) + d1 x), softmax output. */
    static ComputationGraphConfiguration residual() {
        return new NeuralNetConfiguration.Builder().seed(4).updater(new Nesterovs(0.05, 0.9))
                .weightInit(WeightInit.XAVIER).graphBuilder().addInputs("in")
                .addLayer("d1", new DenseLayer.Builder().nIn(12).nOut(8).activation(Activation.TANH).build(), "in")
                .addLayer("d2", new DenseLayer.Builder().nIn(8).nOut(8).activation(Activation.IDENTITY).build(), "d1")
                .addVertex("res", new ElementWiseVertex(ElementWiseVertex.Op.Add), "d1", "d2")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(8).nOut(4)
                        .activation(Activation.SOFTMAX).build(), "res")
                .setOutputs("out").build();
    }

    @Test
    void aComputationGraphTrainsAtTheServersLikeDl4jAndAnswersQueries() throws Exception {
        INDArray[] d = data(seed + 1, 48);
        ComputationGraph init = new ComputationGraph(residual());
        init.init();
        Future<ModelOwnerClient.Result> m = pool.submit(() -> owner().train(ModelOwnerClient.Job.of("graph",
                "model-graph", List.of("d1"), 2, 16), residual(), init, null));
        pool.submit(() -> dataOwner("d1").provide("graph", d[0], d[1], null));
        ModelOwnerClient.Result r = m.get(3, TimeUnit.MINUTES);
        assertEquals(6, r.steps());
        assertEquals(null, r.model());
        ComputationGraph trained = r.graph();

        ComputationGraph plain = new ComputationGraph(residual());
        plain.init(init.params().dup(), true);
        for (int e = 0; e < 2; e++) {
            for (int b = 0; b < 3; b++) {
                plain.fit(new DataSet(rows(d[0], 16L * b, 16L * b + 16).castTo(DataType.FLOAT),
                        rows(d[1], 16L * b, 16L * b + 16).castTo(DataType.FLOAT)));
            }
        }
        double vsPlain = trained.params().sub(plain.params()).amaxNumber().doubleValue();
        assertTrue(vsPlain < 1e-3 * (1 + plain.params().amaxNumber().doubleValue()), "vs DL4J: " + vsPlain);
        double moved = plain.params().sub(init.params()).amaxNumber().doubleValue();
        assertTrue(moved > 1e-2, "DL4J moved the parameters by " + moved + " only");

        QuerierClient eve = new QuerierClient(fx.parties, "eve", fx.key("eve"), TIMEOUT);
        INDArray q = rows(d[0], 0, 10);
        INDArray got = eve.predict("model-graph", q);
        INDArray want = trained.outputSingle(q.castTo(DataType.FLOAT)).castTo(DataType.DOUBLE);
        assertTrue(got.sub(want).amaxNumber().doubleValue() < 1e-3, got + " vs " + want);

        ComputationGraph downloaded = owner().download("model-graph", residual());
        assertEquals(trained.params(), downloaded.params());
    }

    @Test
    void theServersRefuseWhatIsWrongAndServeTheNextJob() throws Exception {
        INDArray[] d = data(seed + 1, 32);
        // a querier cannot submit a training job
        JobFailure notOwner = expectFailure(() -> new ModelOwnerClient(fx.parties, "eve", fx.key("eve"), TIMEOUT)
                .train(ModelOwnerClient.Job.of("x", "m", List.of("d1"), 1, 8), mlp(), null, null));
        System.out.println("notOwner: " + notOwner.getMessage());
        assertTrue(notOwner.getMessage().contains("'eve' is not a model-owner"), notOwner.getMessage());
        // a query of a model nobody trained
        JobFailure noModel = expectFailure(() -> new QuerierClient(fx.parties, "eve", fx.key("eve"), TIMEOUT)
                .predict("nothing", rows(d[0], 0, 2)));
        System.out.println("noModel: " + noModel.getMessage());
        assertTrue(noModel.getMessage().contains("no model 'nothing'"), noModel.getMessage());
        // a data owner whose rows do not fit the model: every client of the job is told, naming it
        Future<ModelOwnerClient.Result> m = pool.submit(() -> owner().train(ModelOwnerClient.Job.of("bad", "m-bad",
                List.of("d1"), 1, 8), mlp(), null, null));
        Future<DataOwnerClient.Result> dBad = pool.submit(() -> dataOwner("d1").provide("bad",
                Nd4j.zeros(DataType.DOUBLE, 8, 10), rows(d[1], 0, 8), null));
        JobFailure shape = expectFailure(() -> get(m));
        System.out.println("shape: " + shape.getMessage());
        assertTrue(shape.getMessage().contains("client 'd1'") && shape.getMessage().contains("12 values"),
                shape.getMessage());
        expectFailure(() -> get(dBad));
        // a data owner that leaves mid-upload: the job fails naming it
        Future<ModelOwnerClient.Result> m2 = pool.submit(() -> owner().train(ModelOwnerClient.Job.of("gone", "m-gone",
                List.of("d2"), 1, 8), mlp(), null, null));
        try (var links = org.fastcrypt4j.service.client.ServerLinks.open(fx.parties, "d2", fx.key("d2"),
                Request.of(Request.Kind.PROVIDE).with("job", "gone").with("rows", 32).with("features", "12")
                        .with("labels", 4).with("chunk", 8), TIMEOUT)) {
            Uploads.send(links.channels(), "rows/features", FixedPoint.withFractionalBits(20)
                    .encode(rows(d[0], 0, 8)), new java.security.SecureRandom());
        }
        JobFailure gone = expectFailure(() -> get(m2));
        System.out.println("gone: " + gone.getMessage());
        assertTrue(gone.getMessage().contains("client 'd2'"), gone.getMessage());
        // and the servers serve the next job
        ModelOwnerClient.Result ok = train("after", d, new String[] {"d1"}, new long[][] {{0, 32}}, null);
        assertEquals(4, ok.steps());
    }

    @Test
    void anUnsupportedLayerAndASizeBeyondTheLimitAreRefused() throws Exception {
        MultiLayerConfiguration lstm = new NeuralNetConfiguration.Builder().list()
                .layer(new org.deeplearning4j.nn.conf.layers.LSTM.Builder().nIn(3).nOut(4).build())
                .layer(new org.deeplearning4j.nn.conf.layers.RnnOutputLayer.Builder().nIn(4).nOut(2).build()).build();
        try (var links = org.fastcrypt4j.service.client.ServerLinks.open(fx.parties, "alice", fx.key("alice"),
                Request.of(Request.Kind.TRAIN).with("job", "rnn").with("model", "rnn").with("data-owners", "d1")
                        .with("epochs", 1).with("batch", 4), TIMEOUT)) {
            for (ClientChannel c : links.channels()) {
                c.send("config", lstm.toJson().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            JobFailure e = expectFailure(() -> links.receiveAll(1 << 20));
            assertTrue(e.getMessage().contains("LSTM"), e.getMessage());
        }
        Future<ModelOwnerClient.Result> m = pool.submit(() -> owner().train(ModelOwnerClient.Job.of("huge", "m-huge",
                List.of("d1"), 1, 8), mlp(), null, null));
        try (var links = org.fastcrypt4j.service.client.ServerLinks.open(fx.parties, "d1", fx.key("d1"),
                Request.of(Request.Kind.PROVIDE).with("job", "huge").with("rows", 2_000_000_000L).with("features", "12")
                        .with("labels", 4).with("chunk", 1024), TIMEOUT)) {
            JobFailure e = expectFailure(() -> links.receiveAll(1 << 20));
            assertTrue(e.getMessage().contains("rows"), e.getMessage());
        }
        expectFailure(() -> get(m));
    }

    static <T> T get(Future<T> f) throws Exception {
        try {
            return f.get(2, TimeUnit.MINUTES);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof Exception x ? x : new RuntimeException(e.getCause());
        }
    }

    interface Action {
        Object run() throws Exception;
    }

    static JobFailure expectFailure(Action a) {
        try {
            a.run();
        } catch (JobFailure e) {
            return e;
        } catch (org.fastcrypt4j.transport.client.ClientLinkException e) {
            return new JobFailure(e.getMessage());
        } catch (Exception e) {
            throw new AssertionError("expected a job failure, got " + e, e);
        }
        throw new AssertionError("expected a job failure");
    }
}
