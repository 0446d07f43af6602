package org.fastcrypt4j.mpc;

import java.util.Arrays;

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
        return forward(s, x, g, MsbProtocol.of(s.settings().msb()));
    }

    /** Forward pass with the given MSB protocol. */
    public static Forward forward(Session s, SharedTensor x, ConvGeometry g, MsbProtocol msb) {
        long[] shape = x.shape();
        if (shape.length != 4) {
            throw new IllegalArgumentException("party " + s.party() + ": max-pool needs [N, C, H, W], got "
                    + Arrays.toString(shape));
        }
        int[][] index = windowIndex(shape, g);
        int me = s.party();
        long[] a = x.first().toLongArray();
        long[] b = x.second().toLongArray();
        long padFirst = me == 0 ? PADDING_VALUE : 0;
        long padSecond = me == 2 ? PADDING_VALUE : 0;
        int outN = index[0].length;
        long[] outShape = {shape[0], shape[1], g.outputHeight((int) shape[2]), g.outputWidth((int) shape[3])};
        SharedTensor[] entries = new SharedTensor[index.length];
        for (int e = 0; e < index.length; e++) {
            long[] e0 = new long[outN];
            long[] e1 = new long[outN];
            for (int o = 0; o < outN; o++) {
                int j = index[e][o];
                e0[o] = j < 0 ? padFirst : a[j];
                e1[o] = j < 0 ? padSecond : b[j];
            }
            entries[e] = new SharedTensor(me, RingTensor.of(e0, outShape), RingTensor.of(e1, outShape));
        }
        Max.Result r = Max.overEntries(s, entries, true, msb);
        return new Forward(r.max(), r.oneHot(), shape.clone(), g);
    }

    /** dX from dY [N, C, OH, OW]: 1 round, 8 bytes per input element per party, no truncation. */
    public static SharedTensor backward(Session s, Forward f, SharedTensor dY) {
        int[][] index = windowIndex(f.inputShape(), f.geometry());
        if (dY.intLength() != index[0].length) {
            throw new IllegalArgumentException("party " + s.party() + ": max-pool backward got dY of shape "
                    + Arrays.toString(dY.shape()) + ", forward output " + Arrays.toString(f.output().shape()));
        }
        int inN = 1;
        for (long d : f.inputShape()) {
            inN *= (int) d;
        }
        long[] y0 = dY.first().toLongArray();
        long[] y1 = dY.second().toLongArray();
        long[] z = s.randomness().zeroShare(inN);
        for (int e = 0; e < index.length; e++) {
            long[] h0 = f.oneHot()[e].first().toLongArray();
            long[] h1 = f.oneHot()[e].second().toLongArray();
            int[] idx = index[e];
            for (int o = 0; o < idx.length; o++) {
                int j = idx[o];
                if (j >= 0) {
                    z[j] += h0[o] * (y0[o] + y1[o]) + h1[o] * y0[o];
                }
            }
        }
        long[] in = new long[inN];
        s.transport().exchange("maxpool/backward", s.prev(), z, s.next(), in);
        return new SharedTensor(s.party(), RingTensor.of(z, f.inputShape()), RingTensor.of(in, f.inputShape()));
    }

    /**
     * For window entry e = (di, dj) and output position o (c-order over [N, C, OH, OW]), the flat input
     * index it reads, or -1 for a padding position.
     */
    static int[][] windowIndex(long[] shape, ConvGeometry g) {
        int n = (int) shape[0];
        int c = (int) shape[1];
        int h = (int) shape[2];
        int w = (int) shape[3];
        int oh = g.outputHeight(h);
        int ow = g.outputWidth(w);
        int top = g.padTop(h);
        int left = g.padLeft(w);
        // every window must hold at least one input entry, or its max would be the padding constant
        int[] valid = PoolWindows.validCounts(shape, g);
        for (int p = 0; p < valid.length; p++) {
            if (valid[p] == 0) {
                throw new IllegalArgumentException("max-pool " + g + " on input " + Arrays.toString(shape)
                        + ": output (" + p / ow + ", " + p % ow + ") covers only padding");
            }
        }
        int k = g.kernelH() * g.kernelW();
        int[][] index = new int[k][n * c * oh * ow];
        for (int di = 0; di < g.kernelH(); di++) {
            for (int dj = 0; dj < g.kernelW(); dj++) {
                int[] idx = index[di * g.kernelW() + dj];
                int o = 0;
                for (int nc = 0; nc < n * c; nc++) {
                    for (int r = 0; r < oh; r++) {
                        int ih = r * g.strideH() - top + di * g.dilationH();
                        for (int q = 0; q < ow; q++) {
                            int iw = q * g.strideW() - left + dj * g.dilationW();
                            idx[o++] = ih < 0 || ih >= h || iw < 0 || iw >= w ? -1 : (nc * h + ih) * w + iw;
                        }
                    }
                }
            }
        }
        return index;
    }
}
