package org.fastcrypt4j.ring.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.LongBinaryOperator;
import org.fastcrypt4j.ring.ConvGeometry;
import org.fastcrypt4j.ring.Im2Col;
import org.fastcrypt4j.ring.RingTensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compiles the {@code __host__ __device__} arithmetic of ring_arith.cuh into a host program
 * (ring_arith_check.cu; with nvcc when installed, else with g++ and the CUDA qualifiers defined away)
 * and checks every result bit-exactly (tolerance 0) against Java's long arithmetic, RingTensor and Im2Col on
 * random full-range inputs plus the edge words 0, +-1, Long.MIN_VALUE and Long.MAX_VALUE. Skipped,
 * with a message, only where neither compiler exists.
 */
class RingArithHostTest {
    private static final long[] EDGES = {0L, 1L, -1L, Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE + 1, 2L, -2L};

    @TempDir
    static Path workDir;
    private static Path program;
    private static String compiler;

    @BeforeAll
    static void compileCheckProgram() throws IOException, InterruptedException {
        CudaToolchain.extract(workDir, "ring_arith.cuh", "ring_arith_check.cu");
        Optional<Path> nvcc = CudaToolchain.nvcc();
        Optional<Path> gxx = CudaToolchain.gxx();
        if (nvcc.isEmpty() && gxx.isEmpty()) {
            return;
        }
        program = workDir.resolve("ring_arith_check");
        List<String> command = nvcc.isPresent()
                ? List.of(nvcc.get().toString(), "-x", "cu", "-O2", "-I.", "-o", program.toString(), "ring_arith_check.cu")
                : List.of(gxx.get().toString(), "-x", "c++", "-O2", "-D__host__=", "-D__device__=",
                        "-D__forceinline__=inline", "-I.", "-o", program.toString(), "ring_arith_check.cu");
        compiler = command.get(0);
        CudaToolchain.run(workDir, null, command);
    }

    private static void assumeCompiler() {
        assumeTrue(program != null, "neither nvcc nor g++ is installed: ring_arith.cuh cannot be compiled on this machine");
    }

    private static long[] randomWords(SplittableRandom random, int n) {
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            v[i] = i < EDGES.length ? EDGES[i] : random.nextLong();
        }
        return v;
    }

    /** Runs the check program on the given commands and returns the words it printed. */
    private static long[] check(String commands, int expectedWords) throws IOException, InterruptedException {
        Path input = Files.createTempFile(workDir, "in", ".txt");
        Files.writeString(input, commands, StandardCharsets.UTF_8);
        String[] lines = CudaToolchain.run(workDir, input, List.of(program.toString())).split("\n");
        long[] words = new long[expectedWords];
        int count = 0;
        for (String line : lines) {
            if (!line.isBlank()) {
                if (count == expectedWords) {
                    throw new AssertionError("check program (built by " + compiler + ") printed more than "
                            + expectedWords + " words");
                }
                words[count++] = Long.parseUnsignedLong(line.strip(), 16);
            }
        }
        assertEquals(expectedWords, count, "words printed by the check program built by " + compiler);
        return words;
    }

    private static void appendWords(StringBuilder sb, long[] words) {
        for (long w : words) {
            sb.append(Long.toHexString(w)).append('\n');
        }
    }

    @Test
    void binaryOpsMatchJavaLongArithmetic() throws Exception {
        assumeCompiler();
        long seed = System.nanoTime();
        SplittableRandom random = new SplittableRandom(seed);
        int n = 2000;
        long[] a = randomWords(random, n);
        long[] b = randomWords(random, n);
        for (int i = 0; i < EDGES.length; i++) {
            b[i] = EDGES[EDGES.length - 1 - i];
        }
        String[] ops = {"add", "sub", "mul", "xor", "and"};
        LongBinaryOperator[] oracles = {(x, y) -> x + y, (x, y) -> x - y, (x, y) -> x * y, (x, y) -> x ^ y, (x, y) -> x & y};
        StringBuilder sb = new StringBuilder();
        for (String op : ops) {
            sb.append(op).append(' ').append(n).append('\n');
            appendWords(sb, a);
            appendWords(sb, b);
        }
        long[] got = check(sb.toString(), ops.length * n);
        RingTensor ta = RingTensor.of(a, n);
        RingTensor tb = RingTensor.of(b, n);
        long[][] viaRingTensor = {ta.add(tb).toLongArray(), ta.sub(tb).toLongArray(), ta.mul(tb).toLongArray(), null, null};
        for (int o = 0; o < ops.length; o++) {
            for (int i = 0; i < n; i++) {
                long expected = oracles[o].applyAsLong(a[i], b[i]);
                String where = ops[o] + "(" + a[i] + ", " + b[i] + ") at " + i + ", seed " + seed + ", compiler " + compiler;
                assertEquals(expected, got[o * n + i], where);
                if (viaRingTensor[o] != null) {
                    assertEquals(viaRingTensor[o][i], got[o * n + i], "RingTensor " + where);
                }
            }
        }
    }

    @Test
    void unaryOpsAndPublicConstantMatchJava() throws Exception {
        assumeCompiler();
        long seed = System.nanoTime();
        SplittableRandom random = new SplittableRandom(seed);
        int n = 1000;
        long[] a = randomWords(random, n);
        long k = random.nextLong() | Long.MIN_VALUE;
        StringBuilder sb = new StringBuilder();
        sb.append("neg ").append(n).append('\n');
        appendWords(sb, a);
        sb.append("not ").append(n).append('\n');
        appendWords(sb, a);
        sb.append("mulc ").append(Long.toHexString(k)).append(' ').append(n).append('\n');
        appendWords(sb, a);
        long[] got = check(sb.toString(), 3 * n);
        RingTensor ta = RingTensor.of(a, n);
        long[] neg = ta.neg().toLongArray();
        long[] mulc = ta.mul(k).toLongArray();
        for (int i = 0; i < n; i++) {
            String where = " of " + a[i] + " at " + i + ", k " + k + ", seed " + seed + ", compiler " + compiler;
            assertEquals(-a[i], got[i], "neg" + where);
            assertEquals(neg[i], got[i], "RingTensor neg" + where);
            assertEquals(~a[i], got[n + i], "not" + where);
            assertEquals(a[i] * k, got[2 * n + i], "mulc" + where);
            assertEquals(mulc[i], got[2 * n + i], "RingTensor mul(long)" + where);
        }
    }

    @Test
    void shiftsMatchJavaShiftOperatorsForEveryAmount() throws Exception {
        assumeCompiler();
        long seed = System.nanoTime();
        SplittableRandom random = new SplittableRandom(seed);
        int n = 64;
        long[] a = randomWords(random, n);
        StringBuilder sb = new StringBuilder();
        String[] ops = {"shl", "shr", "sar"};
        for (String op : ops) {
            for (int s = 0; s < 64; s++) {
                sb.append(op).append(' ').append(s).append(' ').append(n).append('\n');
                appendWords(sb, a);
            }
        }
        long[] got = check(sb.toString(), ops.length * 64 * n);
        int at = 0;
        for (String op : ops) {
            for (int s = 0; s < 64; s++) {
                for (int i = 0; i < n; i++) {
                    long expected = switch (op) {
                        case "shl" -> a[i] << s;
                        case "shr" -> a[i] >>> s;
                        default -> a[i] >> s;
                    };
                    assertEquals(expected, got[at++], op + " " + s + " of " + a[i] + ", seed " + seed + ", compiler " + compiler);
                }
            }
        }
    }

    @Test
    void matmulIndexingWithTransposesMatchesJava() throws Exception {
        assumeCompiler();
        long seed = System.nanoTime();
        SplittableRandom random = new SplittableRandom(seed);
        int[][] shapes = {{1, 1, 1}, {7, 5, 3}, {17, 19, 33}, {16, 16, 16}, {2, 31, 1}};
        StringBuilder sb = new StringBuilder();
        List<long[]> expected = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        int total = 0;
        for (int[] s : shapes) {
            int m = s[0];
            int n = s[1];
            int k = s[2];
            for (int trans = 0; trans < 4; trans++) {
                boolean ta = (trans & 1) != 0;
                boolean tb = (trans & 2) != 0;
                long[] a = randomWords(random, m * k);
                long[] b = randomWords(random, k * n);
                sb.append("matmul ").append(m).append(' ').append(n).append(' ').append(k).append(' ')
                        .append(ta ? 1 : 0).append(' ').append(tb ? 1 : 0).append('\n');
                appendWords(sb, a);
                appendWords(sb, b);
                long[] c = new long[m * n];
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        long acc = 0;
                        for (int q = 0; q < k; q++) {
                            long x = ta ? a[q * m + i] : a[i * k + q];
                            long y = tb ? b[j * k + q] : b[q * n + j];
                            acc += x * y;
                        }
                        c[i * n + j] = acc;
                    }
                }
                expected.add(c);
                labels.add(m + "x" + k + " * " + k + "x" + n + " transA=" + ta + " transB=" + tb);
                total += m * n;
            }
        }
        long[] got = check(sb.toString(), total);
        int at = 0;
        for (int t = 0; t < expected.size(); t++) {
            long[] c = expected.get(t);
            long[] slice = Arrays.copyOfRange(got, at, at + c.length);
            assertArrayEquals(c, slice, "matmul " + labels.get(t) + ", seed " + seed + ", compiler " + compiler);
            at += c.length;
        }
    }

    @Test
    void im2colAndCol2imMatchJavaOracleWithPaddingStrideAndDilation() throws Exception {
        assumeCompiler();
        long seed = System.nanoTime();
        SplittableRandom random = new SplittableRandom(seed);
        // n, c, h, w, kH, kW, sH, sW, pH, pW, dH, dW, oH, oW (Truncate; or Same: oH = ceil(h / sH), smaller pad on top)
        int[][] geometries = {
            {2, 1, 8, 8, 5, 5, 1, 1, 0, 0, 1, 1, 4, 4},
            {1, 3, 7, 9, 3, 2, 2, 3, 1, 1, 1, 1, 4, 4},
            {2, 2, 6, 5, 3, 3, 1, 1, 2, 2, 2, 2, 6, 5},
            {1, 2, 5, 5, 2, 2, 2, 2, 0, 0, 1, 1, 3, 3},
            {1, 2, 6, 6, 3, 3, 2, 2, 0, 0, 1, 1, 3, 3},
            {3, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1},
        };
        StringBuilder sb = new StringBuilder();
        List<long[]> expected = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        int total = 0;
        for (int[] g : geometries) {
            Im2colOracle oracle = new Im2colOracle(g);
            long[] in = randomWords(random, oracle.imageLength());
            long[] columns = randomWords(random, oracle.columnsLength());
            String geometry = Arrays.stream(g).mapToObj(Integer::toString).reduce("", (x, y) -> x + " " + y);
            sb.append("im2col").append(geometry).append('\n');
            appendWords(sb, in);
            sb.append("col2im").append(geometry).append('\n');
            appendWords(sb, columns);
            expected.add(oracle.im2col(in));
            expected.add(oracle.col2im(columns));
            labels.add("im2col" + geometry);
            labels.add("col2im" + geometry);
            total += oracle.columnsLength() + oracle.imageLength();
        }
        long[] got = check(sb.toString(), total);
        int at = 0;
        for (int t = 0; t < expected.size(); t++) {
            long[] e = expected.get(t);
            assertArrayEquals(e, Arrays.copyOfRange(got, at, at + e.length),
                    labels.get(t) + ", seed " + seed + ", compiler " + compiler);
            at += e.length;
        }
    }

    @Test
    void im2colAndCol2imMatchTheProjectsJavaIm2ColForEveryConvolutionMode() throws Exception {
        assumeCompiler();
        long seed = System.nanoTime();
        SplittableRandom random = new SplittableRandom(seed);
        int n = 2, c = 3, h = 9, w = 8;
        ConvGeometry[] geometries = {
            ConvGeometry.kernel(5),
            ConvGeometry.kernel(3).stride(2).padding(1),
            ConvGeometry.of(3, 2, 2, 3, 0, 0, 2, 1, ConvGeometry.Mode.SAME),
            ConvGeometry.of(2, 2, 1, 2, 1, 0, 1, 1, ConvGeometry.Mode.STRICT),
        };
        for (ConvGeometry g : geometries) {
            Im2Col java = new Im2Col(n, c, h, w, g);
            int[] geometry = {n, c, h, w, g.kernelH(), g.kernelW(), g.strideH(), g.strideW(), g.padTop(h), g.padLeft(w),
                g.dilationH(), g.dilationW(), java.outH(), java.outW()};
            long[] in = randomWords(random, n * c * h * w);
            long[] columns = randomWords(random, java.colRows() * java.colCols());
            String header = Arrays.stream(geometry).mapToObj(Integer::toString).reduce("", (x, y) -> x + " " + y);
            StringBuilder sb = new StringBuilder("im2col").append(header).append('\n');
            appendWords(sb, in);
            sb.append("col2im").append(header).append('\n');
            appendWords(sb, columns);
            long[] got = check(sb.toString(), columns.length + in.length);
            long[] expectedColumns = new long[columns.length];
            java.im2col(in, expectedColumns);
            long[] expectedImage = new long[in.length];
            java.col2im(columns, expectedImage);
            String where = g + ", seed " + seed + ", compiler " + compiler;
            assertArrayEquals(expectedColumns, Arrays.copyOfRange(got, 0, columns.length), "im2col " + where);
            assertArrayEquals(expectedImage, Arrays.copyOfRange(got, columns.length, got.length), "col2im " + where);
        }
    }
}
