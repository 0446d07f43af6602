package org.fastcrypt4j.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.fastcrypt4j.examples.data.Datasets;
import org.fastcrypt4j.mpc.sharing.MpcSettings;
import org.fastcrypt4j.mpc.sharing.PartyThreads;
import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.nn.SecureConversion;
import org.fastcrypt4j.nn.SecureMultiLayerNetwork;
import org.fastcrypt4j.nn.training.Checkpoint;
import org.fastcrypt4j.nn.training.CheckpointKey;
import org.fastcrypt4j.nn.training.TrainingOptions;
import org.fastcrypt4j.transport.aeron.AeronContext;
import org.fastcrypt4j.transport.aeron.LocalParties;
import org.fastcrypt4j.transport.Transport;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Debugging driver (not a test): repeats notebook 03's private training (LeNet avg, Nesterovs 0.01/0.9, batch 32,
 * 40 steps, evaluation every 8 steps) and, after every step, reconstructs the parameters from the three parties'
 * shares (all in this JVM) and compares them with the plaintext twin's, stopping at the first step that strays.
 */
public final class DivergenceHunt {

    static final int TRAIN = 1280, BATCH = 32, CHUNK = 8, TEST = 256;

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Datasets mnist = Datasets.open(Datasets.Kind.MNIST);
        MultiLayerConfiguration lenet = new NeuralNetConfiguration.Builder()
                .seed(7).updater(new Nesterovs(0.01, 0.9)).weightInit(WeightInit.XAVIER).list()
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(20).activation(Activation.RELU).name("conv1").build())
                .layer(new SubsamplingLayer.Builder(PoolingType.AVG).kernelSize(2, 2).stride(2, 2).name("pool1").build())
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(50).activation(Activation.RELU).name("conv2").build())
                .layer(new SubsamplingLayer.Builder(PoolingType.AVG).kernelSize(2, 2).stride(2, 2).name("pool2").build())
                .layer(new DenseLayer.Builder().nOut(500).activation(Activation.RELU).name("fc1").build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
                        .activation(Activation.SOFTMAX).name("fc2").build())
                .setInputType(InputType.convolutionalFlat(28, 28, 1))
                .build();
        MultiLayerConfiguration secureConf = SecureConversion.toSecure(lenet);
        MultiLayerNetwork initial = new MultiLayerNetwork(lenet);
        initial.init();
        MultiLayerNetwork twin = initial.clone();
        List<Map<String, double[]>> twinParams = new ArrayList<>();
        List<Double> twinLoss = new ArrayList<>();
        DataSetIterator same = mnist.train(TRAIN, BATCH);
        while (same.hasNext()) {
            org.nd4j.linalg.dataset.DataSet ds = same.next();
            twinLoss.add(twin.score(ds));
            twin.fit(ds);
            Map<String, double[]> m = new LinkedHashMap<>();
            twin.paramTable().forEach((k, v) -> m.put(k, v.dup('c').castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE)
                    .reshape(-1).toDoubleVector()));
            twinParams.add(m);
        }
        System.out.println("twin done: " + twinParams.size() + " steps, keys " + twinParams.get(0).keySet());
        for (int run = 0; run < runs; run++) {
            Path dir = Files.createTempDirectory("hunt");
            String verdict = oneRun(run, mnist, secureConf, initial, twinParams, twinLoss, dir);
            System.out.println("run " + run + ": " + verdict);
        }
        System.exit(0);
    }

    static String oneRun(int run, Datasets mnist, MultiLayerConfiguration secureConf, MultiLayerNetwork initial,
            List<Map<String, double[]>> twinParams, List<Double> twinLoss, Path dir) throws Exception {
        java.security.KeyPair[] keys = LocalParties.freshKeys();
        LocalParties net = LocalParties.ipc(new AeronContext(), keys);
        Transport[] links = {net.party(0), net.party(1), net.party(2)};
        DataSetIterator trainAtP1 = mnist.train(TRAIN, BATCH);
        Map<String, long[][]> deposit = new ConcurrentHashMap<>();
        CyclicBarrier barrier = new CyclicBarrier(3);
        String[] verdict = {"ok"};
        boolean[] stop = {false};
        double[] lossAt = new double[TRAIN / BATCH + 2];
        PartyThreads.run(MpcSettings.defaults(), links, s -> {
            int me = s.party();
            SecureMultiLayerNetwork secure = new SecureMultiLayerNetwork(secureConf, s);
            secure.importModel(0, me == 0 ? initial : null);
            for (int k = 1; k <= TRAIN / BATCH; k++) {
                TrainingOptions o = TrainingOptions.epochs(1).withRevealedLoss(true).stoppingAfter(k)
                        .withCheckpoints(dir, 1, CheckpointKey.derive(me, keys[me], net.config()))
                        .withListener(p -> { if (me == 1) lossAt[(int) p.step()] = p.revealedLoss(); });
                secure.fit(1, me == 1 ? trainAtP1 : null, o);
                for (int i = 0; i < secure.getnLayers(); i++) {
                    String name = secureConf.getConf(i).getLayer().getLayerName();
                    int plainIndex = -1;
                    for (int q = 0; q < initial.getnLayers(); q++) {
                        if (name.equals(initial.getLayerWiseConfigurations().getConf(q).getLayer().getLayerName())) {
                            plainIndex = q;
                        }
                    }
                    for (Map.Entry<String, SharedTensor> e : secure.getLayer(i).parameters().entrySet()) {
                        deposit.put(me + "/" + plainIndex + "_" + e.getKey(), new long[][] {e.getValue().first().toLongArray()});
                    }
                }
                barrier.await();
                if (me == 0) {
                  try {
                    double worst = 0;
                    String worstKey = "";
                    double maxAbs = 0;
                    for (Map.Entry<String, double[]> e : twinParams.get(k - 1).entrySet()) {
                        long[] a = deposit.get("0/" + e.getKey())[0];
                        long[] b = deposit.get("1/" + e.getKey())[0];
                        long[] c = deposit.get("2/" + e.getKey())[0];
                        double[] t = e.getValue();
                        for (int j = 0; j < t.length; j++) {
                            double v = (a[j] + b[j] + c[j]) / (double) (1L << 20);
                            maxAbs = Math.max(maxAbs, Math.abs(v));
                            double d = Math.abs(v - t[j]);
                            if (d > worst) {
                                worst = d;
                                worstKey = e.getKey() + "[" + j + "] secure " + v + " plain " + t[j];
                            }
                        }
                    }
                    System.out.printf(Locale.ROOT, "run %d step %2d loss %.4f (plain %.4f) worst param diff %.3g at %s,"
                            + " max |w| %.3g%n", run, k, lossAt[k], twinLoss.get(k - 1), worst, worstKey, maxAbs);
                    if (worst > 0.05) {
                        verdict[0] = "DIVERGED at step " + k + ": " + worstKey;
                        stop[0] = true;
                        for (int p = 0; p < 3; p++) {
                            Files.copy(Checkpoint.previousFile(dir, p), dir.resolve("before-" + p + ".ckpt"));
                        }
                    }
                  } catch (Throwable t) {
                    t.printStackTrace();
                    verdict[0] = "harness failed: " + t;
                    stop[0] = true;
                  }
                }
                barrier.await();
                if (stop[0]) {
                    break;
                }
                if (k % CHUNK == 0) {
                    secure.evaluate(1, me == 1 ? mnist.test(TEST, 128) : null, 1, 0);
                }
            }
            return null;
        });
        net.close();
        if (stop[0]) {
            System.out.println("checkpoint before the failing step kept in " + dir);
        } else {
            try (var files = Files.list(dir)) {
                files.forEach(f -> f.toFile().delete());
            }
            dir.toFile().delete();
        }
        return verdict[0];
    }
}
