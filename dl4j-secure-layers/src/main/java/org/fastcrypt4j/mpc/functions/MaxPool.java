package org.fastcrypt4j.mpc.functions;

import java.util.Arrays;

import org.fastcrypt4j.mpc.binary.MsbProtocol;
import org.fastcrypt4j.mpc.sharing.Session;
import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.ring.ConvGeometry;
import org.fastcrypt4j.ring.PoolWindows;
import org.fastcrypt4j.ring.RingTensor;

/**
 * 2D max pooling over [N, C, H, W] sharings with a secret one-hot argmax (PROTOCOLS.md 7), with DL4J's
 * kernel/stride/padding/dilation/ConvolutionMode semantics ({@link ConvGeometry}).
 *
 * <p>Forward: the k = kh * kw window entries are gathered locally into k sharings of the output's
 * size (padding positions hold the public constant {@link #PADDING_VALUE}, below every valid input, so
 * they never win), then {@link Max#overEntries} builds the max and the one-hot: ceil(log2 k) levels of
 * (DReLU + one multiplication round), 11 rounds for the first level and 10 for each further one with the
 * ABY3-style MSB ({@link Max#expectedRounds}); no opening.
 * Inputs must lie in (-2^62, 2^62).
 *
 * <p>Backward: dX[j] = sum over windows w containing j of E_w[j] * dY_w. The local product shares of all
 * (window, entry) pairs are summed into the dX layout first and resharing happens once per input
 * element: 1 round, 8 bytes per input element per party (for non-overlapping windows as 2x2 stride 2
 * this equals the notes' 8 bytes per (window, entry); for overlapping windows it is fewer).
 */
public final class MaxPool {

    /** The public value padding positions hold: -2^62. */
    public static final long PADDING_VALUE = -(1L << 62);

    /** Forward result: the pooled sharing [N, C, OH, OW] and the one-hot per window entry (kept for backward). */
    public record Forward(SharedTensor output, SharedTensor[] oneHot, long[] inputShape, ConvGeometry geometry) {
    }

    private MaxPool() {
    }

    /** Forward rounds with the ABY3-style MSB. */
    public static int expectedForwardRounds(ConvGeometry g) {
        return Max.expectedRounds(g.kernelH() * g.kernelW());
    }

    /** Forward bytes sent by {@code party} per output element with the ABY3-style MSB. */
    public static double expectedForwardBytesPerOutput(ConvGeometry g, int party) {
        return Max.expectedBytesPerWindow(g.kernelH() * g.kernelW(), party, true);
    }

    /** Backward rounds. */
    public static final int BACKWARD_ROUNDS = 1;

    /** Backward bytes per input element per party. */
    public static final double BACKWARD_BYTES_PER_INPUT = 8.0;

    /** Forward pass with the session's MSB protocol. */
    public static Forward forward(Session s, SharedTensor x, ConvGeometry g) {
        return forward(s, x, g, MsbProtocols.of(s.settings().msb()));
    }

    /** Forward pass with the given MSB protocol. */
    public static Forward forward(Session s, SharedTensor x, ConvGeometry g, MsbProtocol msb) {
        long[] shape = x.shape();
        if (shape.length != 4) {
            throw new IllegalArgumentException("party " + s.party() + ": max-pool needs [N, C, H, W], got "
                    + Arrays.toString(shape));
        }
        checkWindows(shape, g);
        int me = s.party();
        // padding positions hold the public constant PADDING_VALUE, i.e. component x_0 (P0's first, P2's second)
        long[] a = PoolWindows.extract(x.first(), g, me == 0 ? PADDING_VALUE : 0).toLongArray();
        long[] b = PoolWindows.extract(x.second(), g, me == 2 ? PADDING_VALUE : 0).toLongArray();
        long[] outShape = PoolWindows.outputShape(shape, g);
        int k = g.kernelH() * g.kernelW();
        int outN = a.length / k;
        SharedTensor[] entries = new SharedTensor[k];
        for (int e = 0; e < k; e++) {
            entries[e] = new SharedTensor(me, RingTensor.copyOf(a, e * outN, outShape),
                    RingTensor.copyOf(b, e * outN, outShape));
        }
        Max.Result r = Max.overEntries(s, entries, true, msb);
        return new Forward(r.max(), r.oneHot(), shape.clone(), g);
    }

    /** dX from dY [N, C, OH, OW]: 1 round, 8 bytes per input element per party, no truncation. */
    public static SharedTensor backward(Session s, Forward f, SharedTensor dY) {
        long[] outShape = PoolWindows.outputShape(f.inputShape(), f.geometry());
        if (!Arrays.equals(dY.shape(), outShape)) {
            throw new IllegalArgumentException("party " + s.party() + ": max-pool backward got dY of shape "
                    + Arrays.toString(dY.shape()) + ", forward output " + Arrays.toString(outShape));
        }
        int k = f.oneHot().length;
        long[] y0 = dY.first().toLongArray();
        long[] y1 = dY.second().toLongArray();
        int outN = y0.length;
        // local product shares E_w[j] * dY_w per (window entry, output), in the windows layout, then summed
        // into the input positions they came from (padding entries dropped)
        long[] products = new long[k * outN];
        for (int e = 0; e < k; e++) {
            long[] h0 = f.oneHot()[e].first().toLongArray();
            long[] h1 = f.oneHot()[e].second().toLongArray();
            for (int o = 0; o < outN; o++) {
                products[e * outN + o] = h0[o] * (y0[o] + y1[o]) + h1[o] * y0[o];
            }
        }
        long[] windowsShape = {k, outShape[0], outShape[1], outShape[2], outShape[3]};
        long[] z = PoolWindows.scatterAdd(RingTensor.of(products, windowsShape), f.inputShape(), f.geometry())
                .toLongArray();
        int inN = z.length;
        long[] alpha = s.randomness().zeroShare(inN);
        for (int j = 0; j < inN; j++) {
            z[j] += alpha[j];
        }
        long[] in = new long[inN];
        s.transport().exchange("maxpool/backward", s.prev(), z, s.next(), in);
        return new SharedTensor(s.party(), RingTensor.of(z, f.inputShape()), RingTensor.of(in, f.inputShape()));
    }

    /** Fails unless every window holds at least one input entry (else its max would be the padding constant). */
    static void checkWindows(long[] shape, ConvGeometry g) {
        int ow = g.outputWidth((int) shape[3]);
        int[] valid = PoolWindows.validCounts(shape, g);
        for (int p = 0; p < valid.length; p++) {
            if (valid[p] == 0) {
                throw new IllegalArgumentException("max-pool " + g + " on input " + Arrays.toString(shape)
                        + ": output (" + p / ow + ", " + p % ow + ") covers only padding");
            }
        }
    }
}
