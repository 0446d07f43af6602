package org.fastcrypt4j.examples.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.fastcrypt4j.mpc.arithmetic.FixedPointOps;
import org.fastcrypt4j.mpc.arithmetic.Multiplication;
import org.fastcrypt4j.mpc.arithmetic.Truncation;
import org.fastcrypt4j.mpc.binary.Aby3Msb;
import org.fastcrypt4j.mpc.falcon.FalconMsb;
import org.fastcrypt4j.mpc.functions.Max;
import org.fastcrypt4j.mpc.functions.MaxPool;
import org.fastcrypt4j.mpc.functions.Relu;
import org.fastcrypt4j.mpc.functions.Softmax;
import org.fastcrypt4j.mpc.sharing.MpcSettings;
import org.fastcrypt4j.mpc.sharing.PartyThreads;
import org.fastcrypt4j.mpc.sharing.Session;
import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.mpc.sharing.Sharing;
import org.fastcrypt4j.ring.ConvGeometry;
import org.fastcrypt4j.ring.RingKernels;
import org.fastcrypt4j.ring.RingTensor;
import org.fastcrypt4j.transport.aeron.AeronContext;
import org.fastcrypt4j.transport.aeron.AeronTransport;
import org.fastcrypt4j.transport.Transport;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./fastcrypt4j bench protocols}: the three parties in this JVM over Aeron UDP on 127.0.0.1, one JSON
 * line per protocol with the measured time, payload bytes sent per party (max over parties), rounds (causal
 * message depth, {@code TrafficStats.depth()}) and the counts PROTOCOLS.md / the protocol classes give for the
 * construction built. Before each protocol the parties exchange a two-round one-word barrier, so every protocol
 * starts from the same depth and its traffic is counted alone. Each line also gives the time of a plaintext
 * counterpart measured in the same run ({@code plain_ms}) and the ratio. Ends with Trunc1's measured failure
 * rate.
 */
@Command(name = "protocols", mixinStandardHelpOptions = true, description = "Benchmark of the protocols layer.")
public final class ProtocolBench implements Callable<Integer> {

    @Option(names = "--ipc", description = "Use Aeron IPC instead of UDP loopback.")
    boolean ipc;

    @Option(names = "--reps", description = "Timed runs per case after one untimed run; ms is their median "
            + "(default ${DEFAULT-VALUE}).")
    int reps = 3;

    @Option(names = "--cases", split = ",", description = "Run only the cases whose name starts with one of "
            + "these prefixes (for example msb_falcon,relu); all by default.")
    List<String> only;

    @Option(names = "--no-trunc1", description = "Skip the Trunc1 failure-rate run at the end.")
    boolean noTrunc1;

    /** One protocol run by one party. */
    @FunctionalInterface
    private interface Step {
        void run(Session s) throws Exception;
    }

    private record Case(String name, long n, Step step, double[] expectedBytes, int expectedRounds,
            Plain plain) {
    }

    /** The plaintext counterpart (baseline) of a case; returns a value so the work is consumed. */
    @FunctionalInterface
    private interface Plain {
        long run();
    }

    private record Measured(long ms, long bytes, long depthAfter, long depthBefore, String error) {
    }

    @Override
    public Integer call() {
        AeronContext ctx = new AeronContext();
        try (org.fastcrypt4j.transport.aeron.LocalParties net = ipc
                ? org.fastcrypt4j.transport.aeron.LocalParties.ipc(ctx)
                : org.fastcrypt4j.transport.aeron.LocalParties.udpLoopback(ctx)) {
            Transport[] ts = {net.party(0), net.party(1), net.party(2)};
            List<Case> cases = cases();
            if (only != null) {
                cases.removeIf(c -> only.stream().noneMatch(c.name()::startsWith));
                if (cases.isEmpty()) {
                    throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                            "--cases " + String.join(",", only) + " matches no case");
                }
            }
            double[] plainMs = new double[cases.size()];
            long sink = 0;
            for (int k = 0; k < cases.size(); k++) {
                // a few untimed runs first (the JIT compiles the kernels), then the best of three
                for (int w = 0; w < 5; w++) {
                    sink += cases.get(k).plain().run();
                }
                plainMs[k] = Double.MAX_VALUE;
                for (int r = 0; r < 3; r++) {
                    long t0 = System.nanoTime();
                    sink += cases.get(k).plain().run();
                    plainMs[k] = Math.min(plainMs[k], (System.nanoTime() - t0) / 1e6);
                }
            }
            List<List<Measured>> all = PartyThreads.run(MpcSettings.defaults(), ts, s -> {
                List<Measured> out = new ArrayList<>();
                for (Case c : cases) {
                    out.add(measure(s, c, reps));
                }
                return out;
            });
            for (int k = 0; k < cases.size(); k++) {
                print(cases.get(k), plainMs[k], all.get(0).get(k), all.get(1).get(k), all.get(2).get(k));
            }
            if (sink == 42) {
                System.out.println("{\"bench\":\"sink\"}");
            }
            if (!noTrunc1) {
                trunc1FailureRate(ts);
            }
        }
        return 0;
    }

    private static List<Case> cases() {
        int f = MpcSettings.DEFAULT_FRACTIONAL_BITS;
        int m20 = 1 << 20;
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("mul", m20, s -> Multiplication.mul(s, rand(s, m20), rand(s, m20)), each(8.0 * m20), 1,
                () -> plainLoop(m20, (a, b) -> a * b)));
        cases.add(new Case("matmul_256x256x256", 256 * 256, s -> Multiplication.bilinear(s, "matmul/reshare",
                rand(s, 256, 256), rand(s, 256, 256), FixedPointOps.MATMUL), each(8.0 * 256 * 256), 1,
                () -> RingKernels.current().matmul(RingTensor.filled(3, 256, 256), RingTensor.filled(5, 256, 256))
                        .getLong(0)));
        cases.add(new Case("fixed_mul_truncd", m20, s -> FixedPointOps.mul(s, small(s, m20), small(s, m20)),
                each((8 + f / 8.0) * m20), 3,
                () -> plainLoop(m20, (a, b) -> (a * b) >> f)));
        cases.add(new Case("truncation_truncd", m20, s -> Truncation.truncate(s, rand(s, m20)),
                new double[] {(8 + f / 8.0) * m20, f / 8.0 * m20, f / 8.0 * m20}, 2,
                () -> plainLoop(m20, (a, b) -> a >> f)));
        for (int n : new int[] {1 << 16, m20}) {
            cases.add(new Case("msb_aby3", n, s -> new Aby3Msb().msb(s, rand(s, n)),
                    perParty(p -> Aby3Msb.expectedBytesPerElement(p) * n), Aby3Msb.ROUNDS,
                    () -> plainLoop(n, (a, b) -> a >>> 63)));
            cases.add(new Case("msb_falcon", n, s -> new FalconMsb().msb(s, rand(s, n)),
                    perParty(p -> (double) FalconMsb.expectedBytesSent(p, n)), FalconMsb.expectedRounds(),
                    () -> plainLoop(n, (a, b) -> a >>> 63)));
            cases.add(new Case("relu_aby3", n, s -> Relu.forward(s, rand(s, n), new Aby3Msb()),
                    perParty(p -> Relu.expectedForwardBytesPerElement(p) * n), Relu.FORWARD_ROUNDS_ABY3,
                    () -> plainLoop(n, (a, b) -> Math.max(a, 0))));
        }
        ConvGeometry g = ConvGeometry.kernel(2).stride(2);
        long outputs = 64L * 16 * 12 * 12;
        cases.add(new Case("maxpool_2x2s2_64x16x24x24", 64L * 16 * 24 * 24,
                s -> MaxPool.forward(s, small(s, 64, 16, 24, 24), g, new Aby3Msb()),
                perParty(p -> MaxPool.expectedForwardBytesPerOutput(g, p) * outputs), MaxPool.expectedForwardRounds(g),
                () -> plainLoop((int) outputs, (a, b) -> Math.max(Math.max(a, b), Math.max(a ^ b, a - b)))));
        cases.add(new Case("max_64x10", 640, s -> Max.alongAxis(s, logits(s), 1, false),
                perParty(p -> 64 * Max.expectedBytesPerWindow(10, p, false)), Max.expectedRounds(10),
                () -> plainLoop(640, Math::max)));
        cases.add(new Case("softmax_64x10", 640, s -> Softmax.softmax(s, logits(s)),
                perParty(p -> 64 * Max.expectedBytesPerWindow(10, p, false) + Softmax.expectedBytesAfterMax(p, f, 64, 10)),
                Softmax.expectedRounds(MpcSettings.defaults(), 10),
                ProtocolBench::plainSoftmax));
        return cases;
    }

    /** {@code op} over n pseudo-random pairs of longs (the plaintext baseline of an elementwise protocol). */
    private static long plainLoop(int n, java.util.function.LongBinaryOperator op) {
        long acc = 0;
        long a = 0x9E3779B97F4A7C15L;
        for (int i = 0; i < n; i++) {
            a = a * 6364136223846793005L + 1442695040888963407L;
            acc += op.applyAsLong(a >> 20, a >> 23);
        }
        return acc;
    }

    /** Double-precision softmax over 64 x 10. */
    private static long plainSoftmax() {
        double acc = 0;
        for (int b = 0; b < 64; b++) {
            double[] row = new double[10];
            double mx = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < 10; c++) {
                row[c] = ((b * 10 + c) * 0.37) % 12 - 6;
                mx = Math.max(mx, row[c]);
            }
            double sum = 0;
            for (int c = 0; c < 10; c++) {
                row[c] = Math.exp(row[c] - mx);
                sum += row[c];
            }
            acc += row[0] / sum;
        }
        return Double.doubleToLongBits(acc);
    }

    private interface PerParty {
        double of(int party);
    }

    private static double[] perParty(PerParty f) {
        return new double[] {f.of(0), f.of(1), f.of(2)};
    }

    private static double[] each(double v) {
        return new double[] {v, v, v};
    }

    /** A uniform sharing (no traffic). */
    private static SharedTensor rand(Session s, long... shape) {
        return s.randomness().random(shape);
    }

    /** A sharing of small fixed-point values (|v| &lt; 4), made locally from a uniform sharing of zero offsets. */
    private static SharedTensor small(Session s, long... shape) {
        SharedTensor r = s.randomness().random(shape);
        SharedTensor zero = r.sub(r);
        long n = zero.length();
        long[] v = new long[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = ((i * 2654435761L) % (8L << 20)) - (4L << 20);
        }
        return zero.addPublic(RingTensor.of(v, shape)).add(r).sub(r);
    }

    private static SharedTensor logits(Session s) {
        long[] v = new long[640];
        for (int i = 0; i < v.length; i++) {
            v[i] = ((i * 2654435761L) % (12L << 20)) - (6L << 20);
        }
        SharedTensor r = s.randomness().random(64, 10);
        return r.sub(r).addPublic(RingTensor.of(v, 64, 10));
    }

    private static Measured measure(Session s, Case c, int reps) {
        // one untimed run first: JIT compilation and first-touch allocation are not the protocol's cost
        barrier(s);
        try {
            c.step().run(s);
        } catch (Throwable e) {
            return new Measured(0, 0, 0, 0, e.toString());
        }
        long[] ms = new long[Math.max(1, reps)];
        long bytes = 0;
        long depthBefore = 0;
        long depthAfter = 0;
        for (int r = 0; r < ms.length; r++) {
            barrier(s);
            long depth = s.stats().depth();
            long sent = s.stats().totalBytesSent();
            long t0 = System.nanoTime();
            try {
                c.step().run(s);
            } catch (Throwable e) {
                return new Measured(0, 0, 0, 0, e.toString());
            }
            ms[r] = (System.nanoTime() - t0) / 1_000_000;
            if (r == 0) {
                bytes = s.stats().totalBytesSent() - sent;
                depthBefore = depth;
                depthAfter = s.stats().depth();
            }
        }
        java.util.Arrays.sort(ms);
        return new Measured(ms[ms.length / 2], bytes, depthAfter, depthBefore, null);
    }

    /** Two all-to-all rounds: afterwards every party has the same causal depth. */
    private static void barrier(Session s) {
        long[] one = {0};
        for (int i = 0; i < 2; i++) {
            s.transport().send(s.next(), "bench/barrier", one);
            s.transport().send(s.prev(), "bench/barrier", one);
            s.transport().receive(s.next(), "bench/barrier", new long[1]);
            s.transport().receive(s.prev(), "bench/barrier", new long[1]);
        }
    }

    private static void print(Case c, double plainMs, Measured... m) {
        for (Measured x : m) {
            if (x.error() != null) {
                System.out.printf(Locale.ROOT, "{\"bench\":\"%s\",\"n\":%d,\"error\":\"%s\"}%n", c.name(), c.n(),
                        x.error().replace('"', '\''));
                return;
            }
        }
        long ms = 0;
        long bytes = 0;
        long after = 0;
        long before = Long.MAX_VALUE;
        for (Measured x : m) {
            ms = Math.max(ms, x.ms());
            bytes = Math.max(bytes, x.bytes());
            after = Math.max(after, x.depthAfter());
            before = Math.min(before, x.depthBefore());
        }
        double expected = Math.max(c.expectedBytes()[0], Math.max(c.expectedBytes()[1], c.expectedBytes()[2]));
        System.out.printf(Locale.ROOT, "{\"bench\":\"%s\",\"n\":%d,\"ms\":%d,\"bytes_per_party\":%d,\"rounds\":%d,"
                + "\"expected_bytes_per_party\":%.0f,\"expected_rounds\":%d,\"bytes_ratio\":%.3f,"
                + "\"plain_ms\":%.3f,\"slowdown_vs_plain\":%.0f}%n",
                c.name(), c.n(), ms, bytes, after - before, expected, c.expectedRounds(), bytes / expected,
                plainMs, ms / Math.max(plainMs, 1e-3));
    }

    /** Trunc1 on 2^20 values of size up to 2^45 (scale 2f): counts results off by more than 1 unit. */
    private static void trunc1FailureRate(Transport[] ts) {
        int n = 1 << 20;
        long[] v = new long[n];
        java.util.SplittableRandom r = new java.util.SplittableRandom(20260101L);
        for (int i = 0; i < n; i++) {
            v[i] = r.nextLong(-(1L << 45), 1L << 45);
        }
        int f = MpcSettings.DEFAULT_FRACTIONAL_BITS;
        MpcSettings settings = MpcSettings.defaults().withTruncation(MpcSettings.TruncationKind.PROBABILISTIC);
        List<long[]> out = PartyThreads.run(settings, ts, s -> {
            SharedTensor x = Sharing.input(s, 0, s.party() == 0 ? RingTensor.of(v, n) : null, n);
            long[] y = Sharing.revealToAll(s, Truncation.truncate(s, x, f)).toLongArray();
            long bad = 0;
            for (int i = 0; i < n; i++) {
                long d = y[i] - (v[i] >> f);
                if (d != 0 && d != 1) {
                    bad++;
                }
            }
            return new long[] {bad};
        });
        double mean = 0;
        for (long x : v) {
            mean += Math.abs((double) x);
        }
        mean /= n;
        System.out.printf(Locale.ROOT, "{\"bench\":\"trunc1_failure_rate\",\"n\":%d,\"magnitude_bits\":45,"
                + "\"failures\":%d,\"rate\":%.3e,\"expected_rate\":%.3e}%n",
                n, out.get(0)[0], out.get(0)[0] / (double) n, mean / Math.pow(2, 64));
    }
}
