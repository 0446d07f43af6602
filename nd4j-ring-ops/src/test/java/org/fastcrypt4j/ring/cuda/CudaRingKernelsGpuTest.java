package org.fastcrypt4j.ring.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.LongBinaryOperator;
import java.util.function.LongUnaryOperator;
import org.fastcrypt4j.ring.ConvGeometry;
import org.fastcrypt4j.ring.RingTensor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Runs the CUDA ring kernels on the GPU and compares them bit-exactly (tolerance 0) with Java long
 * arithmetic on random full-range inputs, odd shapes and every transpose combination. Skipped, with
 * the reason, unless ND4J's CUDA backend is active (Maven profile {@code cuda} on a machine with a GPU).
 */
class CudaRingKernelsGpuTest {
    private long seed;
    private SplittableRandom random;

    @BeforeEach
    void requireGpu() {
        String backend = activeBackend();
        assumeTrue(DeviceArrays.CUDA_BACKEND.equals(backend), "ND4J backend is " + backend
                + ", not the CUDA backend (build with -Pcuda on a machine with an NVIDIA GPU): no GPU to test on");
        seed = System.nanoTime();
        random = new SplittableRandom(seed);
    }

    /** Class name of ND4J's backend, or why none loaded (e.g. the CUDA backend on a machine without a GPU). */
    private static String activeBackend() {
        try {
            return Nd4j.getBackend().getClass().getName();
        } catch (RuntimeException | LinkageError e) {
            return "unavailable (" + e + ")";
        }
    }

    private INDArray randomLongs(long... shape) {
        long length = Arrays.stream(shape).reduce(1, (x, y) -> x * y);
        long[] v = new long[(int) length];
        long[] edges = {0L, 1L, -1L, Long.MIN_VALUE, Long.MAX_VALUE};
        for (int i = 0; i < v.length; i++) {
            v[i] = i < edges.length ? edges[i] : random.nextLong();
        }
        return Nd4j.createFromArray(v).reshape('c', shape);
    }

    private static long[] flat(INDArray a) {
        return a.dup('c').reshape(a.length()).toLongVector();
    }

    /**
     * A mask written to host memory by the PRG must reach the device before the masked value is computed there:
     * otherwise the device would subtract a stale (zero) mask and the "masked" tensor sent to a peer would be
     * the secret itself.
     */
    @Test
    void hostWrittenMaskReachesTheDeviceBeforeMasking() {
        long[] value = flat(randomLongs(64, 33));
        RingTensor v = RingTensor.of(value, 64, 33);
        byte[] seedBytes = new byte[org.fastcrypt4j.ring.AesCtrPrg.SEED_BYTES];
        random.nextBytes(seedBytes);
        RingTensor mask = new org.fastcrypt4j.ring.AesCtrPrg(seedBytes).nextRing(64, 33);
        long[] maskHost = mask.toLongArray();
        long[] masked = v.sub(mask).toLongArray();
        int equal = 0;
        for (int i = 0; i < value.length; i++) {
            assertTrue(masked[i] == value[i] - maskHost[i], "masked value wrong at " + i + ", seed " + seed);
            equal += masked[i] == value[i] ? 1 : 0;
        }
        assertTrue(equal == 0, equal + " masked elements equal the value (stale device mask?), seed " + seed);
    }

    @Test
    void elementwiseKernelsMatchJava() {
        INDArray a = randomLongs(37, 29);
        INDArray b = randomLongs(37, 29);
        long[] av = flat(a);
        long[] bv = flat(b);
        CudaKernel[] ops = {CudaKernel.ADD, CudaKernel.SUB, CudaKernel.MUL, CudaKernel.XOR, CudaKernel.AND};
        LongBinaryOperator[] oracles = {(x, y) -> x + y, (x, y) -> x - y, (x, y) -> x * y, (x, y) -> x ^ y, (x, y) -> x & y};
        for (int o = 0; o < ops.length; o++) {
            long[] expected = new long[av.length];
            for (int i = 0; i < av.length; i++) {
                expected[i] = oracles[o].applyAsLong(av[i], bv[i]);
            }
            INDArray out = CudaRingOps.binary(ops[o], a, b, CudaRingOps.allocate(37, 29));
            assertArrayEquals(expected, flat(out), ops[o] + " seed " + seed);
        }
        long k = random.nextLong();
        CudaKernel[] unary = {CudaKernel.NEG, CudaKernel.NOT};
        LongUnaryOperator[] unaryOracles = {x -> -x, x -> ~x};
        for (int o = 0; o < unary.length; o++) {
            long[] expected = Arrays.stream(av).map(unaryOracles[o]).toArray();
            assertArrayEquals(expected, flat(CudaRingOps.unary(unary[o], a, CudaRingOps.allocate(37, 29))), unary[o] + " seed " + seed);
        }
        assertArrayEquals(Arrays.stream(av).map(x -> x * k).toArray(),
                flat(CudaRingOps.mulConstant(a, k, CudaRingOps.allocate(37, 29))), "mul by " + k + " seed " + seed);
        for (int s : new int[] {0, 1, 20, 63}) {
            assertArrayEquals(Arrays.stream(av).map(x -> x << s).toArray(),
                    flat(CudaRingOps.shift(CudaKernel.SHL, a, s, CudaRingOps.allocate(37, 29))), "shl " + s + " seed " + seed);
            assertArrayEquals(Arrays.stream(av).map(x -> x >>> s).toArray(),
                    flat(CudaRingOps.shift(CudaKernel.SHR, a, s, CudaRingOps.allocate(37, 29))), "shr " + s + " seed " + seed);
            assertArrayEquals(Arrays.stream(av).map(x -> x >> s).toArray(),
                    flat(CudaRingOps.shift(CudaKernel.SAR, a, s, CudaRingOps.allocate(37, 29))), "sar " + s + " seed " + seed);
        }
    }

    @Test
    void broadcastMulOverRowsAndColumnsMatchesJava() {
        INDArray a = randomLongs(13, 7);
        INDArray row = randomLongs(1, 7);
        INDArray col = randomLongs(13, 1);
        long[] av = flat(a);
        long[] rv = flat(row);
        long[] cv = flat(col);
        long[] byRow = new long[av.length];
        long[] byCol = new long[av.length];
        for (int i = 0; i < 13; i++) {
            for (int j = 0; j < 7; j++) {
                byRow[i * 7 + j] = av[i * 7 + j] * rv[j];
                byCol[i * 7 + j] = av[i * 7 + j] * cv[i];
            }
        }
        assertArrayEquals(byRow, flat(CudaRingOps.binary(CudaKernel.MUL, a, row, CudaRingOps.allocate(13, 7))), "row broadcast seed " + seed);
        assertArrayEquals(byCol, flat(CudaRingOps.binary(CudaKernel.MUL, a, col, CudaRingOps.allocate(13, 7))), "column broadcast seed " + seed);
    }

    @Test
    void matmulMatchesJavaForEveryTransposeAndOddShapes() {
        int[][] shapes = {{1, 1, 1}, {33, 17, 45}, {64, 64, 64}, {5, 70, 3}};
        for (int[] shape : shapes) {
            int m = shape[0];
            int n = shape[1];
            int k = shape[2];
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0;
                boolean tb = (t & 2) != 0;
                INDArray a = ta ? randomLongs(k, m) : randomLongs(m, k);
                INDArray b = tb ? randomLongs(n, k) : randomLongs(k, n);
                long[] av = flat(a);
                long[] bv = flat(b);
                long[] expected = new long[m * n];
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        long acc = 0;
                        for (int q = 0; q < k; q++) {
                            acc += (ta ? av[q * m + i] : av[i * k + q]) * (tb ? bv[j * k + q] : bv[q * n + j]);
                        }
                        expected[i * n + j] = acc;
                    }
                }
                INDArray out = CudaRingOps.matmul(a, b, ta, tb, CudaRingOps.allocate(m, n));
                assertArrayEquals(expected, flat(out), "matmul " + Arrays.toString(shape) + " transA=" + ta
                        + " transB=" + tb + " seed " + seed);
            }
        }
    }

    @Test
    void ringKernelsInterfaceMatmulAndElementwiseMatchJava() {
        CudaRingKernels kernels = new CudaRingKernels();
        RingTensor a = RingTensor.wrap(randomLongs(19, 23));
        RingTensor b = RingTensor.wrap(randomLongs(23, 11));
        long[] av = a.toLongArray();
        long[] bv = b.toLongArray();
        long[] expected = new long[19 * 11];
        for (int i = 0; i < 19; i++) {
            for (int j = 0; j < 11; j++) {
                for (int q = 0; q < 23; q++) {
                    expected[i * 11 + j] += av[i * 23 + q] * bv[q * 11 + j];
                }
            }
        }
        assertArrayEquals(expected, kernels.matmul(a, b).toLongArray(), "matmul seed " + seed);
        RingTensor c = RingTensor.wrap(randomLongs(19, 23));
        long[] cv = c.toLongArray();
        long[] sum = new long[av.length];
        long[] difference = new long[av.length];
        long[] product = new long[av.length];
        for (int i = 0; i < av.length; i++) {
            sum[i] = av[i] + cv[i];
            difference[i] = av[i] - cv[i];
            product[i] = av[i] * cv[i];
        }
        assertArrayEquals(sum, kernels.add(a, c).toLongArray(), "add seed " + seed);
        assertArrayEquals(difference, kernels.sub(a, c).toLongArray(), "sub seed " + seed);
        assertArrayEquals(product, kernels.mul(a, c).toLongArray(), "mul seed " + seed);
    }

    @Test
    void im2colAndCol2imMatchJavaWithPaddingStrideAndDilation() {
        int[] g = {2, 3, 9, 7, 3, 2, 2, 1, 1, 1, 2, 1, 4, 8};
        Im2colOracle oracle = new Im2colOracle(g);
        INDArray input = randomLongs(g[0], g[1], g[2], g[3]);
        int[] geometry = {g[4], g[5], g[6], g[7], g[8], g[9], g[10], g[11]};
        long rows = (long) g[1] * g[4] * g[5];
        long cols = (long) g[0] * g[12] * g[13];
        INDArray columns = CudaRingOps.im2col(input, geometry, g[12], g[13], CudaRingOps.allocate(rows, cols));
        assertArrayEquals(oracle.im2col(flat(input)), flat(columns), "im2col " + Arrays.toString(g) + " seed " + seed);
        INDArray randomColumns = randomLongs(rows, cols);
        INDArray image = CudaRingOps.col2im(randomColumns, input.shape(), geometry, g[12], g[13],
                CudaRingOps.allocate(input.shape()));
        assertArrayEquals(oracle.col2im(flat(randomColumns)), flat(image), "col2im " + Arrays.toString(g) + " seed " + seed);
    }

    @Test
    void convolutionsThroughRingKernelsMatchDirectJavaLoops() {
        CudaRingKernels kernels = new CudaRingKernels();
        for (ConvGeometry g : new ConvGeometry[] {
            ConvGeometry.kernel(3).stride(2).padding(1),
            ConvGeometry.of(2, 3, 1, 2, 0, 0, 2, 1, ConvGeometry.Mode.SAME)}) {
            int n = 3, ic = 2, h = 8, w = 7, oc = 4;
            int oH = g.outputHeight(h);
            int oW = g.outputWidth(w);
            int pt = g.padTop(h);
            int pl = g.padLeft(w);
            RingTensor input = RingTensor.wrap(randomLongs(n, ic, h, w));
            RingTensor weights = RingTensor.wrap(randomLongs(oc, ic, g.kernelH(), g.kernelW()));
            RingTensor bias = RingTensor.wrap(randomLongs(oc));
            RingTensor dOut = RingTensor.wrap(randomLongs(n, oc, oH, oW));
            long[] in = input.toLongArray();
            long[] wt = weights.toLongArray();
            long[] bs = bias.toLongArray();
            long[] dy = dOut.toLongArray();
            long[] out = new long[n * oc * oH * oW];
            long[] dIn = new long[in.length];
            long[] dW = new long[wt.length];
            int kH = g.kernelH();
            int kW = g.kernelW();
            for (int b = 0; b < n; b++) {
                for (int o = 0; o < oc; o++) {
                    for (int oy = 0; oy < oH; oy++) {
                        for (int ox = 0; ox < oW; ox++) {
                            int at = ((b * oc + o) * oH + oy) * oW + ox;
                            long acc = bs[o];
                            for (int c = 0; c < ic; c++) {
                                for (int ky = 0; ky < kH; ky++) {
                                    for (int kx = 0; kx < kW; kx++) {
                                        int y = oy * g.strideH() - pt + ky * g.dilationH();
                                        int x = ox * g.strideW() - pl + kx * g.dilationW();
                                        if (y < 0 || y >= h || x < 0 || x >= w) {
                                            continue;
                                        }
                                        int i = ((b * ic + c) * h + y) * w + x;
                                        int k = ((o * ic + c) * kH + ky) * kW + kx;
                                        acc += in[i] * wt[k];
                                        dIn[i] += dy[at] * wt[k];
                                        dW[k] += dy[at] * in[i];
                                    }
                                }
                            }
                            out[at] = acc;
                        }
                    }
                }
            }
            String where = g + ", seed " + seed;
            assertArrayEquals(out, kernels.conv2d(input, weights, bias, g).toLongArray(), "conv2d " + where);
            assertArrayEquals(dIn, kernels.conv2dBackwardInput(dOut, weights, input.shape(), g).toLongArray(),
                    "conv2d input gradient " + where);
            assertArrayEquals(dW, kernels.conv2dBackwardWeights(input, dOut, g).toLongArray(), "conv2d weight gradient " + where);
        }
    }
}
