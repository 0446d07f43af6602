package org.fastcrypt4j.mpc.functions;

import java.util.Arrays;

import org.fastcrypt4j.mpc.arithmetic.FixedPointOps;
import org.fastcrypt4j.mpc.arithmetic.Truncation;
import org.fastcrypt4j.mpc.sharing.MpcSettings;
import org.fastcrypt4j.mpc.sharing.Session;
import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.ring.RingTensor;

/**
 * Softmax over the last axis of a {@code [batch, classes]} sharing (PROTOCOLS.md 8.3), and the gradient
 * of softmax cross-entropy with respect to the logits (softmax - one-hot). Nothing is revealed.
 * <ol>
 *   <li>mx = row max ({@link Max#alongAxis}, pairwise tree, no one-hot); z = x - mx &lt;= 0 (local), clamped to
 *       [{@value #CLAMP}, 0] with one ReLU (so any spread of logits is valid for exp).</li>
 *   <li>e = {@link Exp#exp}(z); sum = row sum of e (local; sum in [1, classes]).</li>
 *   <li>out = e * {@link Reciprocal#reciprocal}(sum), one fixed-point product.</li>
 * </ol>
 * Accuracy (f = 20): absolute error about 3.4e-3 per output at most for logits of moderate size, dominated
 * by the exp error near z = -2; tests use 1e-2.
 *
 * <p>Cost with the wrap-free truncation: {@link #expectedRounds} rounds of causal depth in all (128 for 10
 * classes), {@link #expectedRoundsAfterMax} after the max (PROTOCOLS.md 8.3 counts 115 after the max without
 * the overlap of consecutive truncations).
 */
public final class Softmax {

    private Softmax() {
    }

    public static SharedTensor softmax(Session s, SharedTensor logits) {
        long[] shape = logits.shape();
        if (shape.length != 2) {
            throw new IllegalArgumentException("party " + s.party() + ": softmax needs [batch, classes], got "
                    + Arrays.toString(shape));
        }
        return parts(s, logits).probabilities();
    }

    /** The softmax with what it computed on the way: the row max and the row sums of exp(z - max). */
    public record Parts(SharedTensor probabilities, SharedTensor rowMax, SharedTensor rowSum) {
    }

    /** {@link #softmax} keeping the row max [batch] and the row sums [batch] (for the loss). */
    public static Parts parts(Session s, SharedTensor logits) {
        long[] shape = logits.shape();
        if (shape.length != 2) {
            throw new IllegalArgumentException("party " + s.party() + ": softmax needs [batch, classes], got "
                    + Arrays.toString(shape));
        }
        int batch = (int) shape[0];
        int classes = (int) shape[1];
        SharedTensor mx = Max.alongAxis(s, logits, 1, false).max();
        SharedTensor z = clamp(s, logits.addBroadcast(mx.neg().reshape(batch, 1)));
        SharedTensor e = Exp.exp(s, z);
        SharedTensor sum = e.sum(1);
        SharedTensor inv = Reciprocal.reciprocal(s, sum);
        return new Parts(FixedPointOps.mul(s, e, broadcastRows(inv, batch, classes)), mx, sum);
    }

    /**
     * The mean cross-entropy over the batch, shared: {@code mean_i (max_i + log(sum_i) - z_{i,y_i})}, with the row
     * max and sums of {@code parts} (the logsumexp form, so the only logarithm is of a value in [1, classes],
     * {@link Log}) and {@code z_{i,y_i} = sum_j z_ij y_ij} (one product). A scalar [1]; nothing opened.
     */
    public static SharedTensor crossEntropyLoss(Session s, SharedTensor logits, SharedTensor oneHot, Parts parts) {
        int batch = (int) logits.shape()[0];
        SharedTensor zy = FixedPointOps.mul(s, logits, oneHot).sum(1);
        SharedTensor perRow = parts.rowMax().reshape(batch).add(Log.log(s, parts.rowSum().reshape(batch))).sub(zy);
        return FixedPointOps.mulConstant(s, perRow.sum().reshape(1), 1.0 / batch);
    }

    /** Shifted logits below this are clamped to it before exp: e^-64 is 0 at every supported precision. */
    public static final double CLAMP = -64;

    /**
     * max(z, CLAMP) = ReLU(z - CLAMP) + CLAMP, so that exp's limit (1 + z/2^8)^(2^8) never sees z &lt;= -256, where
     * its base would turn negative: logits may then differ by any amount. One ReLU on [batch, classes].
     */
    private static SharedTensor clamp(Session s, SharedTensor z) {
        long c = FixedPointOps.encode(CLAMP, s.fractionalBits());
        return Relu.forward(s, z.addPublic(-c)).output().addPublic(c);
    }

    /**
     * The input gradient of softmax used as an activation: dX_i = s_i (dY_i - sum_j dY_j s_j) along the class axis,
     * for the forward output {@code probabilities} [batch, classes]. Two chained fixed-point products (the row sums
     * and the broadcast are local): {@link #BACKWARD_ROUNDS} rounds and 2 (8 + f/8) = 21 bytes per element per party
     * with the wrap-free truncation. Since each s_i &lt;= 1 and sum_j s_j = 1, the error is about twice the
     * forward's error times max |dY|.
     */
    public static SharedTensor backward(Session s, SharedTensor probabilities, SharedTensor dY) {
        long[] shape = probabilities.shape();
        if (shape.length != 2 || !Arrays.equals(shape, dY.shape())) {
            throw new IllegalArgumentException("party " + s.party() + ": softmax backward needs [batch, classes] twice,"
                    + " got " + Arrays.toString(shape) + " and " + Arrays.toString(dY.shape()));
        }
        SharedTensor dot = FixedPointOps.mul(s, dY, probabilities).sum(1).reshape(shape[0], 1);
        return FixedPointOps.mul(s, probabilities, dY.addBroadcast(dot.neg()));
    }

    /** Rounds of {@link #backward} with the wrap-free truncation (two chained fixed-point products). */
    public static final int BACKWARD_ROUNDS = 5;

    /** Gradient of mean-free softmax cross-entropy w.r.t. the logits: softmax(logits) - oneHot (both shared, scale f). */
    public static SharedTensor crossEntropyGradient(Session s, SharedTensor logits, SharedTensor oneHot) {
        return softmax(s, logits).sub(oneHot);
    }

    /**
     * Rounds (causal depth) of the whole softmax over {@code classes} entries with the ABY3-style MSB and the
     * session's truncation: the max ({@link Max#depthAfter}, which leaves P0 and P2 a round ahead of P1), then
     * exp, the reciprocal of the row sums and one product.
     */
    public static int expectedRounds(MpcSettings settings, int classes) {
        return (int) Truncation.maxDepth(depthAfterMax(settings, Max.depthAfter(classes, 0)));
    }

    /**
     * Rounds (causal depth) after the max with the session's truncation, assuming all parties hold the max at
     * the same depth: exp, reciprocal of the row sums, one product.
     */
    public static int expectedRoundsAfterMax(MpcSettings settings) {
        return (int) Truncation.maxDepth(depthAfterMax(settings, new long[3]));
    }

    private static long[] depthAfterMax(MpcSettings settings, long[] t) {
        long[] e = Exp.depthAfter(settings, Relu.depthAfter(t));
        long[] inv = Reciprocal.depthAfter(settings, e);
        return Truncation.depthAfter(settings.truncation(), true, Truncation.later(e, inv));
    }

    /** Bytes sent by {@code party} after the max (wrap-free truncation). */
    public static double expectedBytesAfterMax(int party, int f, int batch, int classes) {
        return (double) batch * classes * (Relu.expectedForwardBytesPerElement(party)
                + Exp.expectedBytesPerElement(party, f) + 8 + f / 8.0)
                + (double) batch * Reciprocal.expectedBytesPerElement(party, f);
    }

    private static SharedTensor broadcastRows(SharedTensor v, int batch, int classes) {
        long[] a = v.first().toLongArray();
        long[] b = v.second().toLongArray();
        long[] ra = new long[batch * classes];
        long[] rb = new long[batch * classes];
        for (int i = 0; i < batch; i++) {
            Arrays.fill(ra, i * classes, (i + 1) * classes, a[i]);
            Arrays.fill(rb, i * classes, (i + 1) * classes, b[i]);
        }
        return new SharedTensor(v.party(), RingTensor.of(ra, batch, classes), RingTensor.of(rb, batch, classes));
    }
}
