package org.fastcrypt4j.mpc.functions;

import java.util.Arrays;

import org.fastcrypt4j.mpc.arithmetic.Truncation;
import org.fastcrypt4j.mpc.sharing.Session;
import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.ring.ConvGeometry;
import org.fastcrypt4j.ring.PoolWindows;
import org.fastcrypt4j.ring.RingTensor;

/**
 * 2D average pooling over [N, C, H, W] sharings, with DL4J's kernel/stride/padding/ConvolutionMode semantics
 * ({@link ConvGeometry}). Average pooling is linear, so the only interaction is one truncation
 * (CryptGPU section 3; PROTOCOLS.md 0, local linear operations).
 *
 * <p>Forward: the window sums are local ({@link PoolWindows#sumWindows} on each component), then each output
 * is multiplied by the public fixed-point reciprocal enc(1/count) and truncated by f: the rounds and bytes of
 * one standalone truncation ({@code TruncationWrapFree}: 2 rounds) on the output. {@code count} is either the
 * window size {@code KH*KW} (padding counted in the divisor) or the number of window entries inside the input
 * ({@link PoolWindows#validCounts}).
 *
 * <p>Backward: dX = sum over windows w containing j of dY_w / count_w: the scaling and truncation run on the
 * output-sized gradient (one truncation), then the scaled gradient is scattered to the window entries locally
 * ({@link PoolWindows#scatterAdd}).
 */
public final class AvgPool {

    /** The forward result: the output sharing and what the backward pass needs. */
    public record Forward(SharedTensor output, long[] inputShape, ConvGeometry geometry, boolean padInDivisor) {
    }

    private AvgPool() {
    }

    /**
     * Forward pass.
     *
     * @param padInDivisor divide by {@code KH*KW} (true) or by the number of entries inside the input (false)
     */
    public static Forward forward(Session s, SharedTensor x, ConvGeometry g, boolean padInDivisor) {
        long[] shape = x.shape();
        requireNchw(s, shape);
        RingTensor a = PoolWindows.sumWindows(x.first(), g);
        RingTensor b = PoolWindows.sumWindows(x.second(), g);
        RingTensor scale = reciprocals(shape, g, padInDivisor, s.fractionalBits());
        SharedTensor sums = new SharedTensor(s.party(), a, b);
        SharedTensor out = Truncation.truncate(s, sums.mulPublic(scale), s.fractionalBits());
        return new Forward(out, shape.clone(), g, padInDivisor);
    }

    /** Backward pass: the gradient with respect to the input, given the gradient {@code dY} of the output. */
    public static SharedTensor backward(Session s, Forward fwd, SharedTensor dY) {
        long[] outShape = PoolWindows.outputShape(fwd.inputShape(), fwd.geometry());
        if (!Arrays.equals(dY.shape(), outShape)) {
            throw new IllegalArgumentException("party " + s.party() + ": avg-pool backward needs a gradient of shape "
                    + Arrays.toString(outShape) + ", got " + Arrays.toString(dY.shape()));
        }
        RingTensor scale = reciprocals(fwd.inputShape(), fwd.geometry(), fwd.padInDivisor(), s.fractionalBits());
        SharedTensor scaled = Truncation.truncate(s, dY.mulPublic(scale), s.fractionalBits());
        int k = fwd.geometry().kernelH() * fwd.geometry().kernelW();
        return new SharedTensor(s.party(),
                PoolWindows.scatterAdd(tile(scaled.first(), k), fwd.inputShape(), fwd.geometry()),
                PoolWindows.scatterAdd(tile(scaled.second(), k), fwd.inputShape(), fwd.geometry()));
    }

    /** The public per-output multipliers enc(1/count), shaped as the output [N, C, OH, OW]. */
    static RingTensor reciprocals(long[] inputShape, ConvGeometry g, boolean padInDivisor, int f) {
        long[] out = PoolWindows.outputShape(inputShape, g);
        int plane = (int) (out[2] * out[3]);
        int[] counts = PoolWindows.validCounts(inputShape, g);
        long[] perPosition = new long[plane];
        for (int p = 0; p < plane; p++) {
            int count = padInDivisor ? g.kernelH() * g.kernelW() : counts[p];
            perPosition[p] = count == 0 ? 0L : Math.round((double) (1L << f) / count);
        }
        long[] all = new long[(int) (out[0] * out[1]) * plane];
        for (int off = 0; off < all.length; off += plane) {
            System.arraycopy(perPosition, 0, all, off, plane);
        }
        return RingTensor.of(all, out);
    }

    /** {@code k} copies of {@code t} stacked along a new leading axis: the windows layout of a per-output value. */
    private static RingTensor tile(RingTensor t, int k) {
        long[] v = t.toLongArray();
        long[] all = new long[v.length * k];
        for (int i = 0; i < k; i++) {
            System.arraycopy(v, 0, all, i * v.length, v.length);
        }
        long[] shape = new long[t.rank() + 1];
        shape[0] = k;
        System.arraycopy(t.shape(), 0, shape, 1, t.rank());
        return RingTensor.of(all, shape);
    }

    private static void requireNchw(Session s, long[] shape) {
        if (shape.length != 4) {
            throw new IllegalArgumentException("party " + s.party() + ": avg-pool needs [N, C, H, W], got "
                    + Arrays.toString(shape));
        }
    }
}
