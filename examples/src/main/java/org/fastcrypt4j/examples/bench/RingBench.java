package org.fastcrypt4j.examples.bench;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.LongSupplier;

import org.fastcrypt4j.ring.AesCtrPrg;
import org.fastcrypt4j.ring.ConvGeometry;
import org.fastcrypt4j.ring.RingKernels;
import org.fastcrypt4j.ring.RingMatmulBlocked;
import org.fastcrypt4j.ring.RingMatmulLimbs;
import org.fastcrypt4j.ring.RingTensor;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./fastcrypt4j bench ring}: the ring kernels against ND4J float64 on the same shapes in the same run.
 * One JSON line per shape with {@code bench, shape, ring_ms, baseline_ms, ratio} (ring / baseline; medians of
 * {@code --reps} runs after {@code --warmup} runs; every result is consumed):
 * <ul>
 *   <li>{@code matmul}: square n = 256, 512, 1024 with {@link RingKernels#current()} (tensor in, tensor out)
 *       vs DOUBLE {@code mmul}; {@code matmul_blocked} / {@code matmul_limbs} time the two exact candidates on
 *       {@code long[]} (the limb one only where {@code k <= 2^11});</li>
 *   <li>{@code conv2d}: LeNet (batch 64: 1x28x28 -> 20 5x5; 20x12x12 -> 50 5x5) and the first two layers of the
 *       AlexNet for CIFAR-10 used by Falcon and CryptGPU (batch 32: 3x32x32 -> 96 11x11 stride 4 pad 9, giving
 *       96x10x10, then after the 3x3/2 max-pool 96x4x4 -> 256 5x5 pad 1), forward with bias, vs ND4J's DOUBLE
 *       {@code conv2d} op;</li>
 *   <li>{@code prg}: {@link AesCtrPrg} filling a {@code --prg-mib} MiB ring tensor vs {@link SecureRandom#nextBytes}
 *       of as many bytes, with {@code gb_per_s} (10^9 bytes per second, one thread).</li>
 * </ul>
 */
@Command(name = "ring", mixinStandardHelpOptions = true,
        description = "Ring matmul, convolutions and PRG against ND4J float64 / SecureRandom in the same run.")
public final class RingBench implements Callable<Integer> {

    @Option(names = "--reps", description = "Timed repetitions per shape (default ${DEFAULT-VALUE}).")
    int reps = 7;

    @Option(names = "--warmup", description = "Untimed warm-up runs per shape (default ${DEFAULT-VALUE}).")
    int warmup = 3;

    @Option(names = "--prg-mib", description = "MiB produced per PRG run (default ${DEFAULT-VALUE}).")
    int prgMib = 32;

    @Option(names = "--quick", description = "Smoke test: small shapes, one warm-up, two repetitions.")
    boolean quick;

    private long sink;

    @Override
    public Integer call() {
        if (quick) {
            reps = 2;
            warmup = 1;
            prgMib = 4;
        }
        RingKernels kernels = RingKernels.current();
        AesCtrPrg prg = new AesCtrPrg(new SecureRandom().generateSeed(AesCtrPrg.SEED_BYTES));
        int[] sizes = quick ? new int[] {64, 128} : new int[] {256, 512, 1024};
        for (int n : sizes) {
            matmul(kernels, prg, n);
        }
        int lenet = quick ? 4 : 64;
        int alex = quick ? 2 : 32;
        conv(kernels, prg, "lenet_conv1", new long[] {lenet, 1, 28, 28}, 20, ConvGeometry.kernel(5));
        conv(kernels, prg, "lenet_conv2", new long[] {lenet, 20, 12, 12}, 50, ConvGeometry.kernel(5));
        conv(kernels, prg, "alexnet_cifar_conv1", new long[] {alex, 3, 32, 32}, 96,
                ConvGeometry.kernel(11).stride(4).padding(9));
        conv(kernels, prg, "alexnet_cifar_conv2", new long[] {alex, 96, 4, 4}, 256,
                ConvGeometry.kernel(5).padding(1));
        prg(prg);
        if (sink == 42) {
            System.err.println("(checksum " + sink + ")");
        }
        return 0;
    }

    private void matmul(RingKernels kernels, AesCtrPrg prg, int n) {
        RingTensor a = prg.nextRing(n, n);
        RingTensor b = prg.nextRing(n, n);
        INDArray ad = Nd4j.rand(DataType.DOUBLE, n, n);
        INDArray bd = Nd4j.rand(DataType.DOUBLE, n, n);
        double base = median(() -> (long) ad.mmul(bd).getDouble(0));
        double ring = median(() -> kernels.matmul(a, b).getLong(0));
        String shape = n + "x" + n + "x" + n;
        line("matmul", shape, ring, base, ",\"kernels\":\"" + kernels.name() + "\"");
        long[] av = a.toLongArray();
        long[] bv = b.toLongArray();
        long[] c = new long[n * n];
        line("matmul_blocked", shape, median(() -> {
            RingMatmulBlocked.multiply(av, bv, c, n, n, n);
            return c[0];
        }), base, "");
        if (n <= RingMatmulLimbs.MAX_INNER) {
            line("matmul_limbs", shape, median(() -> {
                RingMatmulLimbs.multiply(av, bv, c, n, n, n);
                return c[0];
            }), base, "");
        }
    }

    private void conv(RingKernels kernels, AesCtrPrg prg, String name, long[] in, int oc, ConvGeometry g) {
        RingTensor x = prg.nextRing(in);
        RingTensor w = prg.nextRing(oc, in[1], g.kernelH(), g.kernelW());
        RingTensor bias = prg.nextRing(oc);
        INDArray xd = Nd4j.rand(DataType.DOUBLE, in);
        INDArray wd = Nd4j.rand(DataType.DOUBLE, oc, in[1], g.kernelH(), g.kernelW());
        INDArray bd = Nd4j.rand(DataType.DOUBLE, oc);
        Conv2DConfig cfg = Conv2DConfig.builder().kH(g.kernelH()).kW(g.kernelW()).sH(g.strideH()).sW(g.strideW())
                .pH(g.padH()).pW(g.padW()).dH(g.dilationH()).dW(g.dilationW())
                .paddingMode(g.mode() == ConvGeometry.Mode.SAME ? PaddingMode.SAME : PaddingMode.VALID)
                .dataFormat("NCHW").weightsFormat(WeightsFormat.OIYX).build();
        double base = median(() -> (long) Nd4j.cnn().conv2d(xd, wd, bd, cfg).getDouble(0));
        double ring = median(() -> kernels.conv2d(x, w, bias, g).getLong(0));
        long[] out = {in[0], oc, g.outputHeight((int) in[2]), g.outputWidth((int) in[3])};
        String shape = Arrays.toString(in).replace(" ", "") + "*[" + oc + "," + in[1] + "," + g.kernelH() + ","
                + g.kernelW() + "]/s" + g.strideH() + "p" + g.padH() + "->" + Arrays.toString(out).replace(" ", "");
        line("conv2d_" + name, shape, ring, base, "");
    }

    private void prg(AesCtrPrg prg) {
        int longs = prgMib * 1024 * 1024 / Long.BYTES;
        RingTensor t = RingTensor.zeros(longs);
        byte[] bytes = new byte[longs * Long.BYTES];
        SecureRandom sr = new SecureRandom();
        double base = median(() -> {
            sr.nextBytes(bytes);
            return bytes[0];
        });
        double ring = median(() -> prg.fill(t).getLong(0));
        double gbPerS = (double) longs * Long.BYTES / (ring * 1e6);
        line("prg", prgMib + "MiB", ring, base,
                String.format(Locale.ROOT, ",\"gb_per_s\":%.3f,\"baseline_gb_per_s\":%.3f,\"baseline\":\"%s\"",
                        gbPerS, (double) longs * Long.BYTES / (base * 1e6), sr.getAlgorithm()));
    }

    /** Median wall time in ms of {@code reps} runs after {@code warmup} runs; results go to {@link #sink}. */
    private double median(LongSupplier run) {
        for (int i = 0; i < warmup; i++) {
            sink += run.getAsLong();
        }
        double[] ms = new double[reps];
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            sink += run.getAsLong();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        return reps % 2 == 1 ? ms[reps / 2] : (ms[reps / 2 - 1] + ms[reps / 2]) / 2;
    }

    private static void line(String bench, String shape, double ringMs, double baseMs, String extra) {
        System.out.println(String.format(Locale.ROOT,
                "{\"bench\":\"%s\",\"shape\":\"%s\",\"ring_ms\":%.3f,\"baseline_ms\":%.3f,\"ratio\":%.3f%s}",
                bench, shape, ringMs, baseMs, ringMs / baseMs, extra));
    }
}
