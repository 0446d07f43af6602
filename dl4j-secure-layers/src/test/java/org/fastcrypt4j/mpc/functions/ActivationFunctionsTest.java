package org.fastcrypt4j.mpc.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;

import org.fastcrypt4j.mpc.sharing.MpcSettings;
import org.fastcrypt4j.mpc.sharing.Parties;
import org.fastcrypt4j.mpc.sharing.Session;
import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.mpc.sharing.Sharing;
import org.fastcrypt4j.ring.RingTensor;
import org.junit.jupiter.api.Test;

/**
 * Sigmoid, tanh, leaky ReLU and softmax (as an activation), forward and backward on shares, against the plaintext
 * functions in double precision, on inputs that include 0, values within a few ulps of 0, negative values, both sides
 * of the sigmoid's clamp at |x| = 64 and the ends of the networks' range, +-2047. The oracle is evaluated at the
 * fixed-point value of each input (the encoding error is not the protocol's). Also the documented traffic and rounds.
 * Results are revealed in the test only; failures print the seed.
 *
 * <p>Tolerances (absolute, f = 20), from the protocols' documented error bounds with a margin:
 * <ul>
 *   <li>sigmoid 2e-3 (bound about 1.3e-3: exp's absolute error 1.1e-3 plus the reciprocal's 2e-4); its backward
 *       2e-3 (1 + |dy|) (s (1 - s) has slope at most 1 in s);</li>
 *   <li>tanh 4e-3 (twice the sigmoid's); its backward 6e-3 (1 + |dy|) (1 - t^2 has slope 2|t| &lt;= 2 in t);</li>
 *   <li>leaky ReLU 2^-20 |x| + 2^-18 (the slope's encoding error and one truncation); backward the same in dy;</li>
 *   <li>softmax 1e-2 per probability (PROTOCOLS.md 8.3: about 3.4e-3); its backward 2e-2 (1 + max |dy|).</li>
 * </ul>
 */
class ActivationFunctionsTest {

    private static final MpcSettings SETTINGS = MpcSettings.defaults();
    private static final int F = SETTINGS.fractionalBits();
    private static final double ULP = Math.scalb(1.0, -F);

    /** The edge values every elementwise test includes. */
    private static final double[] SPECIAL = {0, ULP, -ULP, 1e-3, -1e-3, 0.5, -0.5, 1, -1, 2, -2, 5, -5, 16, -16, 63.9,
        -63.9, 64, -64, 64.1, -64.1, 100, -100, 2047, -2047};

    private static long[] inputs(SplittableRandom r, int n) {
        long[] x = new long[n];
        for (int i = 0; i < n; i++) {
            double v = i < SPECIAL.length ? SPECIAL[i] : switch (i % 3) {
                case 0 -> r.nextDouble(-4, 4);
                case 1 -> r.nextDouble(-20, 20);
                default -> r.nextDouble(-2047, 2047);
            };
            x[i] = Math.round(Math.scalb(v, F));
        }
        return x;
    }

    private static long[] uniform(SplittableRandom r, int n, double scale) {
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            v[i] = Math.round(Math.scalb(r.nextDouble(-scale, scale), F));
        }
        return v;
    }

    private static double dec(long v) {
        return Math.scalb((double) v, -F);
    }

    private static SharedTensor share(Session s, long[] v, long... shape) {
        return Sharing.input(s, 0, s.party() == 0 ? RingTensor.of(v, shape) : null, shape);
    }

    private interface Forward {
        SharedTensor apply(Session s, SharedTensor x);
    }

    private interface Backward {
        SharedTensor apply(Session s, SharedTensor x, SharedTensor y, SharedTensor dy);
    }

    /** Runs forward and backward on shares; returns {y, dx, openings} revealed (party 0's view). */
    private static long[][] run(long[] x, long[] dy, long[] shape, Forward fw, Backward bw) {
        List<long[][]> out = Parties.overIpc(SETTINGS, s -> {
            SharedTensor sx = share(s, x, shape);
            SharedTensor sdy = share(s, dy, shape);
            long opened = s.openings().total();
            SharedTensor y = fw.apply(s, sx);
            SharedTensor dx = bw.apply(s, sx, y, sdy);
            opened = s.openings().total() - opened;
            return new long[][] {Sharing.revealToAll(s, y).toLongArray(), Sharing.revealToAll(s, dx).toLongArray(),
                {opened}};
        });
        return out.get(0);
    }

    private static void checkElementwise(String name, long seed, Forward fw, Backward bw, DoubleUnaryOperator f,
            DoubleUnaryOperator slope, DoubleUnaryOperator forwardTol, double backwardTol) {
        SplittableRandom r = new SplittableRandom(seed);
        int n = 300;
        long[] x = inputs(r, n);
        long[] dy = uniform(r, n, 3);
        long[][] out = run(x, dy, new long[] {20, 15}, fw, bw);
        assertEquals(0, out[2][0], name + " opens nothing, seed " + seed);
        for (int i = 0; i < n; i++) {
            double v = dec(x[i]);
            double y = dec(out[0][i]);
            double expected = f.applyAsDouble(v);
            assertTrue(Math.abs(y - expected) <= forwardTol.applyAsDouble(v), name + "(" + v + ") = " + y
                    + ", expected " + expected + " (tolerance " + forwardTol.applyAsDouble(v) + "), seed " + seed);
            double g = dec(dy[i]);
            double dx = dec(out[1][i]);
            double expectedDx = g * slope.applyAsDouble(v);
            double tol = Double.isNaN(backwardTol) ? forwardTol.applyAsDouble(g) : backwardTol * (1 + Math.abs(g));
            assertTrue(Math.abs(dx - expectedDx) <= tol, name + " backward at x = " + v + ", dy = " + g + ": " + dx
                    + ", expected " + expectedDx + " (tolerance " + tol + "), seed " + seed);
        }
    }

    private static double sigmoid(double v) {
        return 1 / (1 + Math.exp(-v));
    }

    @Test
    void sigmoidMatchesThePlaintext() {
        checkElementwise("sigmoid", System.nanoTime(), Sigmoid::sigmoid, (s, x, y, dy) -> Sigmoid.backward(s, y, dy),
                ActivationFunctionsTest::sigmoid, v -> sigmoid(v) * (1 - sigmoid(v)), v -> 2e-3, 2e-3);
    }

    @Test
    void tanhMatchesThePlaintext() {
        checkElementwise("tanh", System.nanoTime(), Tanh::tanh, (s, x, y, dy) -> Tanh.backward(s, y, dy), Math::tanh,
                v -> 1 - Math.tanh(v) * Math.tanh(v), v -> 4e-3, 6e-3);
    }

    @Test
    void leakyReluMatchesThePlaintextForSeveralSlopes() {
        for (double alpha : new double[] {0.01, 0.2, 0.0, 0.999}) {
            double a = dec(Math.round(Math.scalb(alpha, F)));
            checkElementwise("leakyrelu(" + alpha + ")", System.nanoTime(), (s, x) -> LeakyRelu.forward(s, x, alpha).output(),
                    (s, x, y, dy) -> LeakyRelu.backward(s, LeakyRelu.forward(s, x, alpha), dy),
                    v -> v >= 0 ? v : alpha * v, v -> v >= 0 ? 1 : alpha,
                    v -> Math.scalb(Math.abs(v), -F - 1) + Math.scalb(1.0, -F + 2) + Math.abs(a - alpha) * Math.abs(v),
                    Double.NaN);
        }
    }

    /** Piecewise-linear functions with one and two breakpoints, continuous and not; inputs at the breakpoints too. */
    @Test
    void piecewiseLinearMatchesThePlaintext() {
        for (PiecewiseLinear.Pieces p : new PiecewiseLinear.Pieces[] {PiecewiseLinear.Pieces.relu(6.0, 0, 0),
            PiecewiseLinear.Pieces.clamp(0.2, 0.5, 0, 1), PiecewiseLinear.Pieces.relu(2.0, 0.5, 0.1),
            PiecewiseLinear.Pieces.relu(null, -16, 0.3), PiecewiseLinear.Pieces.two(1, -1.5, 3, 2, -100)}) {
            checkElementwise(p.toString(), System.nanoTime(), (s, x) -> PiecewiseLinear.forward(s, x, p).output(),
                    (s, x, y, dy) -> PiecewiseLinear.backward(s, PiecewiseLinear.forward(s, x, p), dy), p::apply,
                    p::slope, v -> Math.scalb(Math.abs(v), -F) + Math.scalb(1.0, -F + 2), Double.NaN);
        }
    }

    @Test
    void softmaxBackwardMatchesThePlaintext() {
        long seed = System.nanoTime();
        SplittableRandom r = new SplittableRandom(seed);
        int batch = 12;
        int classes = 7;
        long[] x = new long[batch * classes];
        for (int i = 0; i < x.length; i++) {
            double v = i < SPECIAL.length ? SPECIAL[i] : r.nextDouble(-6, 6);
            x[i] = Math.round(Math.scalb(v, F));
        }
        long[] dy = uniform(r, x.length, 3);
        long[][] out = run(x, dy, new long[] {batch, classes}, Softmax::softmax,
                (s, sx, y, sdy) -> Softmax.backward(s, y, sdy));
        assertEquals(0, out[2][0], "softmax opens nothing, seed " + seed);
        for (int b = 0; b < batch; b++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < classes; j++) {
                max = Math.max(max, dec(x[b * classes + j]));
            }
            double[] p = new double[classes];
            double sum = 0;
            for (int j = 0; j < classes; j++) {
                p[j] = Math.exp(dec(x[b * classes + j]) - max);
                sum += p[j];
            }
            double dot = 0;
            double maxDy = 0;
            for (int j = 0; j < classes; j++) {
                p[j] /= sum;
                dot += p[j] * dec(dy[b * classes + j]);
                maxDy = Math.max(maxDy, Math.abs(dec(dy[b * classes + j])));
            }
            for (int j = 0; j < classes; j++) {
                int i = b * classes + j;
                assertEquals(p[j], dec(out[0][i]), 1e-2, "softmax row " + b + " class " + j + ", seed " + seed);
                double expected = p[j] * (dec(dy[i]) - dot);
                assertEquals(expected, dec(out[1][i]), 2e-2 * (1 + maxDy),
                        "softmax backward row " + b + " class " + j + ", seed " + seed);
            }
        }
    }

    /** Bytes and rounds of one run in a fresh session, per party: {bytes sent, rounds (message depth)}. */
    private static long[][] cost(Forward step, int n) {
        List<long[]> out = Parties.overIpc(SETTINGS, s -> {
            SharedTensor x = s.randomness().random(n).mul(0);
            long bytes0 = s.stats().totalBytesSent();
            long depth0 = s.stats().depth();
            step.apply(s, x);
            return new long[] {s.stats().totalBytesSent() - bytes0, s.stats().depth() - depth0};
        });
        return out.toArray(new long[0][]);
    }

    private static void checkCost(String name, Forward step, int n, java.util.function.IntToDoubleFunction bytes,
            int rounds) {
        long[][] c = cost(step, n);
        long maxRounds = 0;
        for (int p = 0; p < 3; p++) {
            assertEquals(Math.round(bytes.applyAsDouble(p) * n), c[p][0], name + " bytes sent by party " + p);
            maxRounds = Math.max(maxRounds, c[p][1]);
        }
        assertEquals(rounds, maxRounds, name + " rounds");
    }

    @Test
    void trafficAndRoundsEqualTheDocumentedCounts() {
        int n = 1024;
        checkCost("sigmoid", Sigmoid::sigmoid, n, p -> Sigmoid.expectedForwardBytesPerElement(p, F),
                Sigmoid.expectedForwardRounds(SETTINGS));
        checkCost("sigmoid backward", (s, x) -> Sigmoid.backward(s, x, x), n, p -> Sigmoid.backwardBytesPerElement(F),
                Sigmoid.BACKWARD_ROUNDS);
        checkCost("tanh", Tanh::tanh, n, p -> Tanh.expectedForwardBytesPerElement(p, F),
                Tanh.expectedForwardRounds(SETTINGS));
        checkCost("leakyrelu", (s, x) -> LeakyRelu.forward(s, x, 0.01).output(), n,
                p -> LeakyRelu.expectedForwardBytesPerElement(p, F), LeakyRelu.FORWARD_ROUNDS_ABY3);
        checkCost("leakyrelu backward", (s, x) -> LeakyRelu.backward(s, new LeakyRelu.Forward(x, x), x), n,
                p -> LeakyRelu.backwardBytesPerElement(F), LeakyRelu.BACKWARD_ROUNDS);
        PiecewiseLinear.Pieces relu6 = PiecewiseLinear.Pieces.relu(6.0, 0, 0);
        checkCost("relu6", (s, x) -> PiecewiseLinear.forward(s, x, relu6).output(), n,
                p -> PiecewiseLinear.expectedForwardBytesPerElement(relu6, p, F), LeakyRelu.FORWARD_ROUNDS_ABY3);
        PiecewiseLinear.Pieces thresholded = PiecewiseLinear.Pieces.relu(null, 1, 0.1);
        checkCost("thresholded relu", (s, x) -> PiecewiseLinear.forward(s, x, thresholded).output(), n,
                p -> PiecewiseLinear.expectedForwardBytesPerElement(thresholded, p, F), LeakyRelu.FORWARD_ROUNDS_ABY3);
        checkCost("softmax backward", (s, x) -> Softmax.backward(s, x.reshape(n / 8, 8), x.reshape(n / 8, 8)), n,
                p -> Sigmoid.backwardBytesPerElement(F), Softmax.BACKWARD_ROUNDS);
    }
}
