package org.fastcrypt4j.examples.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.fastcrypt4j.examples.nets.Networks;
import org.fastcrypt4j.mpc.sharing.MpcSettings;
import org.fastcrypt4j.mpc.sharing.PartyThreads;
import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.nn.SecureComputationGraph;
import org.fastcrypt4j.nn.SecureConversion;
import org.fastcrypt4j.nn.SecureModel;
import org.fastcrypt4j.nn.SecureMultiLayerNetwork;
import org.fastcrypt4j.transport.aeron.AeronContext;
import org.fastcrypt4j.transport.aeron.AeronTransport;
import org.fastcrypt4j.transport.aeron.LocalParties;
import org.fastcrypt4j.transport.Transport;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Nesterovs;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./fastcrypt4j benchmark --exp inference_all | train_all | inference_plaintext | train_plaintext |
 * batch_inference}: the reference system's benchmark (FastCryptGPU's scripts/benchmark.py, CryptGPU's networks).
 * For every network (LeNet on MNIST shapes; AlexNet and VGG16 on CIFAR-10 and Tiny ImageNet shapes), pooling
 * variant (average, and max as FastCryptGPU) and experiment: seconds per inference or training iteration (median
 * of {@code --runs} after a warm-up ({@code --warmup}: 10 iterations at batch 8 or less, 1 otherwise), with min
 * and max), bytes and rounds per party, the process's peak resident memory, and the plaintext DL4J time of the same network in the same run with the ratio. Three parties in this
 * JVM over Aeron UDP on 127.0.0.1 with authenticated links; random inputs of the datasets' shapes, as the
 * reference does. A table on screen and one JSON line per case. {@code --profile}: time, bytes and rounds per
 * layer, forward and backward, and bytes and rounds per protocol step inside each (one JSON line per layer pass).
 */
@Command(name = "benchmark", mixinStandardHelpOptions = true,
        description = "The reference benchmark: secure and plaintext inference and training of LeNet, AlexNet, VGG16.")
public final class BenchmarkCommand implements Callable<Integer> {

    @Option(names = "--exp", required = true, description = "inference_all, train_all, inference_plaintext,"
            + " train_plaintext, batch_inference (or train_all_plaintext, inference_all_plaintext)")
    String exp;

    @Option(names = "--nets", split = ",", description = "lenet, alexnet, vgg16, and for inference the model zoo's"
            + " computation graphs resnet50 and zoo-vgg16 at 224x224x3 (default all)")
    List<String> nets = List.of("lenet", "alexnet", "vgg16", "resnet50", "zoo-vgg16");

    /** The model zoo's graphs the benchmark runs at ImageNet's shape, for inference. */
    private static final List<String> ZOO = List.of("resnet50", "zoo-vgg16");

    @Option(names = "--datasets", split = ",", description = "mnist, cifar10, tiny (default: mnist for LeNet,"
            + " cifar10 and tiny for the others)")
    List<String> datasets = List.of("mnist", "cifar10", "tiny");

    @Option(names = "--pools", split = ",", description = "avg, max (default both)")
    List<String> pools = List.of("avg", "max");

    @Option(names = "--runs", description = "timed iterations after the warm-up (default ${DEFAULT-VALUE})")
    int runs = 5;

    @Option(names = "--warmup", description = "untimed iterations first (default: 10 at batch 8 or less, whose "
            + "iterations take milliseconds and whose first ones run before the JIT has compiled the small-message "
            + "paths; 1 otherwise)")
    Integer warmupOverride;

    /** Untimed iterations before the timed ones, for a batch of {@code batch}. */
    private int warmups(long batch, boolean heavy) {
        return warmupOverride != null ? Math.max(0, warmupOverride) : batch <= 8 && !heavy ? 10 : 1;
    }

    @Option(names = "--batch", description = "override the reference batch size")
    int batchOverride;

    @Option(names = "--profile", description = "per-layer and per-protocol-step time, bytes and rounds")
    boolean profile;

    @Option(names = "--msb", description = "ABY3 or FALCON (default ${DEFAULT-VALUE})")
    MpcSettings.MsbKind msb = MpcSettings.MsbKind.ABY3;

    private record Case(String net, Networks.Shape shape, String dataset, PoolingType pool) {
    }

    /** One party's measurements of a case. */
    private record Measured(double[] seconds, long bytesPerIteration, long roundsPerIteration,
            List<String> profileLines) {
    }

    @Override
    public Integer call() throws Exception {
        String e = switch (exp) {
            case "train_all_plaintext" -> "train_plaintext";
            case "inference_all_plaintext" -> "inference_plaintext";
            default -> exp;
        };
        if (!List.of("inference_all", "train_all", "inference_plaintext", "train_plaintext", "batch_inference")
                .contains(e)) {
            System.err.println("benchmark: unknown --exp " + exp);
            return 2;
        }
        boolean train = e.startsWith("train");
        boolean secure = !e.endsWith("plaintext");
        List<Case> cases = cases(train);
        List<String> table = new ArrayList<>();
        table.add(String.format(Locale.ROOT, "%-9s %-8s %-4s %5s %10s %10s %8s %12s %8s %8s", "net", "dataset", "pool",
                "batch", "secure_s", "plain_s", "ratio", "MiB/party", "rounds", "rss_MiB"));
        int k = 0;
        for (Case c : cases) {
            k++;
            int batch = batchOverride > 0 ? batchOverride : batch(c, e);
            System.out.printf(Locale.ROOT, "benchmark [%d/%d]: %s %s %s pooling, %s, batch %d ...%n", k, cases.size(),
                    c.net(), c.dataset(), poolName(c), e, batch);
            boolean zoo = ZOO.contains(c.net());
            INDArray x = random(new SplittableRandom(7), batch, c.shape());
            if (zoo) {
                x = x.reshape(batch, c.shape().channels, c.shape().height, c.shape().width);
            }
            INDArray y = oneHot(new SplittableRandom(8), batch, c.shape().classes);
            double[] plain;
            Measured[] m;
            if (zoo) {
                ComputationGraphConfiguration conf = ZooNets.configuration(c.net(), c.shape());
                plain = plainGraph(conf, x, y, train);
                ComputationGraphConfiguration secureConf = SecureConversion.toSecure(conf);
                m = secure ? secure(x, y, train, true, s -> new SecureComputationGraph(secureConf, s)) : null;
            } else {
                MultiLayerConfiguration conf = configuration(c);
                plain = plain(conf, x, y, train);
                MultiLayerConfiguration secureConf = SecureConversion.toSecure(conf);
                m = secure ? secure(x, y, train, false, s -> new SecureMultiLayerNetwork(secureConf, s)) : null;
            }
            double plainMedian = median(plain);
            long rss = peakRssMiB();
            double secureMedian = m == null ? Double.NaN : median(m[1].seconds());
            String line = String.format(Locale.ROOT, "{\"exp\":\"%s\",\"net\":\"%s\",\"dataset\":\"%s\",\"pool\":\"%s\","
                    + "\"batch\":%d,\"secure_s\":%s,\"secure_min_s\":%s,\"secure_max_s\":%s,\"plain_s\":%.5f,"
                    + "\"ratio\":%s,\"bytes_per_party\":%s,\"rounds\":%s,\"peak_rss_mb\":%d,\"runs\":%d}", exp, c.net(),
                    c.dataset(), poolName(c), batch, num(secureMedian),
                    num(m == null ? Double.NaN : min(m[1].seconds())), num(m == null ? Double.NaN : max(m[1].seconds())),
                    plainMedian, num(secureMedian / plainMedian), m == null ? "null"
                            : "[" + m[0].bytesPerIteration() + "," + m[1].bytesPerIteration() + ","
                                    + m[2].bytesPerIteration() + "]", m == null ? "null" : "" + m[1].roundsPerIteration(),
                    rss, runs);
            System.out.println(line);
            if (m != null && profile) {
                m[1].profileLines().forEach(System.out::println);
            }
            table.add(String.format(Locale.ROOT, "%-9s %-8s %-4s %5d %10s %10.4f %8s %12s %8s %8d", c.net(), c.dataset(),
                    poolName(c), batch, num(secureMedian), plainMedian,
                    num(secureMedian / plainMedian), m == null ? "-" : String.format(Locale.ROOT, "%.1f",
                            m[1].bytesPerIteration() / 1048576.0), m == null ? "-" : "" + m[1].roundsPerIteration(),
                    rss));
        }
        System.out.println();
        table.forEach(System.out::println);
        return 0;
    }

    private static String num(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "null" : String.format(Locale.ROOT, "%.4f", v);
    }

    private static String poolName(Case c) {
        return ZOO.contains(c.net()) ? "zoo" : c.pool() == PoolingType.MAX ? "max" : "avg";
    }

    private List<Case> cases(boolean train) {
        List<Case> out = new ArrayList<>();
        for (String net : nets) {
            if (ZOO.contains(net)) {
                if (!train) {
                    out.add(new Case(net, Networks.Shape.IMAGENET, "imagenet", PoolingType.MAX));
                }
                continue;
            }
            List<String> ds = net.equals("lenet") ? List.of("mnist") : List.of("cifar10", "tiny");
            for (String d : ds) {
                if (!datasets.contains(d)) {
                    continue;
                }
                Networks.Shape shape = switch (d) {
                    case "mnist" -> Networks.Shape.MNIST;
                    case "cifar10" -> Networks.Shape.CIFAR10;
                    default -> Networks.Shape.TINY_IMAGENET;
                };
                for (String p : pools) {
                    out.add(new Case(net, shape, d, p.equals("max") ? PoolingType.MAX : PoolingType.AVG));
                }
            }
        }
        return out;
    }

    /** The reference's batch sizes: training LeNet 128, AlexNet 128, VGG16 32 (Tiny ImageNet 8); inference 1 or 64. */
    private static int batch(Case c, String exp) {
        if (exp.equals("batch_inference")) {
            return 64;
        }
        if (!exp.startsWith("train")) {
            return 1;
        }
        if (c.net().equals("vgg16")) {
            return c.shape() == Networks.Shape.TINY_IMAGENET ? 8 : 32;
        }
        return 128;
    }

    private static MultiLayerConfiguration configuration(Case c) {
        Nesterovs u = new Nesterovs(0.01, 0.9);
        return switch (c.net()) {
            case "lenet" -> Networks.lenet(c.pool(), u, 1);
            case "alexnet" -> Networks.alexnet(c.shape(), c.pool(), u, 1);
            case "vgg16" -> Networks.vgg16(c.shape(), c.pool(), u, 1);
            default -> throw new IllegalArgumentException("unknown network " + c.net()
                    + " (lenet, alexnet, vgg16, resnet50, zoo-vgg16)");
        };
    }

    private static INDArray random(SplittableRandom r, int batch, Networks.Shape s) {
        int n = s.channels * s.height * s.width;
        float[] v = new float[batch * n];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return Nd4j.createFromArray(v).reshape(batch, n);
    }

    private static INDArray oneHot(SplittableRandom r, int batch, int classes) {
        INDArray y = Nd4j.zeros(DataType.FLOAT, batch, classes);
        for (int i = 0; i < batch; i++) {
            y.putScalar(i, r.nextInt(classes), 1);
        }
        return y;
    }

    private double[] plain(MultiLayerConfiguration conf, INDArray x, INDArray y, boolean train) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        double[] t = new double[runs];
        for (int r = -warmups(x.size(0), false); r < runs; r++) {
            long t0 = System.nanoTime();
            if (train) {
                net.fit(x, y);
            } else {
                net.output(x);
            }
            if (r >= 0) {
                t[r] = (System.nanoTime() - t0) / 1e9;
            }
        }
        return t;
    }

    private double[] plainGraph(ComputationGraphConfiguration conf, INDArray x, INDArray y, boolean train) {
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        double[] t = new double[runs];
        for (int r = -warmups(x.size(0), true); r < runs; r++) {
            long t0 = System.nanoTime();
            if (train) {
                net.fit(new org.nd4j.linalg.dataset.DataSet(x, y));
            } else {
                net.outputSingle(x);
            }
            if (r >= 0) {
                t[r] = (System.nanoTime() - t0) / 1e9;
            }
        }
        return t;
    }

    private Measured[] secure(INDArray x, INDArray y, boolean train, boolean heavy,
            java.util.function.Function<org.fastcrypt4j.mpc.sharing.Session, SecureModel> make) {
        MpcSettings settings = MpcSettings.defaults().withMsb(msb);
        try (LocalParties parties = LocalParties.udpLoopback(new AeronContext())) {
            Transport[] ts = {parties.party(0), parties.party(1), parties.party(2)};
            List<Measured> out = PartyThreads.run(settings, ts, s -> {
                SecureModel net = make.apply(s);
                net.initParameters(0);
                double[] t = new double[runs];
                long bytes = 0;
                long rounds = 0;
                Map<String, double[]> prof = new LinkedHashMap<>();
                Map<String, Map<String, long[]>> steps = new LinkedHashMap<>();
                for (int r = -warmups(x.size(0), heavy); r < runs; r++) {
                    if (r == runs - 1 && profile && s.party() == 1) {
                        net.setProfiler((what, phase, nanos, b, rd, st) -> {
                            prof.put(what + "|" + phase, new double[] {nanos / 1e9, b, rd});
                            steps.put(what + "|" + phase, st);
                        });
                    }
                    long b0 = s.stats().totalBytesSent();
                    long d0 = s.stats().depth();
                    long t0 = System.nanoTime();
                    SharedTensor sx = net.shareInput(1, s.party() == 1 ? x : null);
                    if (train) {
                        SharedTensor sy = net.shareInput(1, s.party() == 1 ? y : null);
                        net.fitBatch(sx, sy, false);
                    } else {
                        net.output(sx, 1);
                    }
                    if (r >= 0) {
                        t[r] = (System.nanoTime() - t0) / 1e9;
                        bytes += s.stats().totalBytesSent() - b0;
                        rounds += s.stats().depth() - d0;
                    }
                    net.setProfiler(null);
                }
                List<String> lines = new ArrayList<>();
                prof.forEach((k, v) -> {
                    String[] wp = k.split("\\|");
                    StringBuilder sb = new StringBuilder();
                    steps.get(k).forEach((tag, c) -> sb.append(sb.length() == 0 ? "" : ",").append(String.format(
                            Locale.ROOT, "\"%s\":{\"bytes\":%d,\"messages\":%d,\"rounds\":%d}", tag, c[0], c[1], c[2])));
                    lines.add(String.format(Locale.ROOT, "{\"profile\":\"%s\",\"phase\":\"%s\",\"party\":1,\"s\":%.5f,"
                            + "\"bytes\":%d,\"rounds\":%d,\"steps\":{%s}}", wp[0].replace("\"", "'"), wp[1], v[0],
                            (long) v[1], (long) v[2], sb));
                });
                return new Measured(t, bytes / runs, rounds / runs, lines);
            });
            return out.toArray(new Measured[0]);
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElse(Double.NaN);
    }

    private static double max(double[] v) {
        return Arrays.stream(v).max().orElse(Double.NaN);
    }

    /** This process's peak resident memory (VmHWM), all three parties together. */
    static long peakRssMiB() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith("VmHWM:")) {
                    return Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (java.io.IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
