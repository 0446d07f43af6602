package org.fastcrypt4j.nn.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.fastcrypt4j.mpc.arithmetic.FixedPointOps;
import org.fastcrypt4j.mpc.arithmetic.Truncation;
import org.fastcrypt4j.mpc.functions.InverseSqrt;
import org.fastcrypt4j.mpc.sharing.Session;
import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.nn.conf.SecureLocalResponseNormalizationLayer;
import org.fastcrypt4j.ring.ChannelWindows;
import org.fastcrypt4j.ring.RingTensor;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Runtime of {@link SecureLocalResponseNormalizationLayer}: DL4J's local response normalization (its built-in CPU
 * implementation, {@code org.deeplearning4j.nn.layers.normalization.LocalResponseNormalization}; Krizhevsky et al.
 * 2012, section 3.3) on shares, NCHW, h = (int) n / 2 channels on each side.
 * <ol>
 *   <li>S = sum over the channel window of x^2: one fixed-point square (3 rounds), then {@link ChannelWindows} on each
 *       component (local).</li>
 *   <li>u = k + alpha S: alpha as a public constant at up to 30 fractional bits (so that DL4J's 1e-4 keeps its
 *       precision), one truncation (2 rounds).</li>
 *   <li>r = u^-1/2 by {@link InverseSqrt} over [4^lo, 4^(hi+1)) at f bits, lo from k and hi from the largest u the
 *       input bound allows (|x| &lt; 2048): {@link InverseSqrt#comparisons} compared values per element (2 for
 *       DL4J's defaults), then Newton's steps. For beta = 0.25 or 0.75 also q = u^-1/4 = (u r)^-1/2 (one product, a
 *       second inverse square root over the square roots' range).</li>
 *   <li>s = u^-beta: q, r, r q or r r (at most one product), then y = x s and, for the backward pass, x / u = x r^2
 *       (products in one round).</li>
 * </ol>
 * Backward, as DL4J computes it: dx = dy s - 2 alpha beta (x / u) W(y dy), W the channel-window sum (local); two
 * rounds of products and one truncation for the public factor 2 alpha beta (at up to 30 bits). Accuracy: the inverse
 * square roots' (4 units of 2^-f plus 1e-5 relative) and the products' roundings; measured against DL4J in
 * LocalResponseNormalizationTest. Nothing is opened.
 */
public class SecureLocalResponseNormalization extends AbstractSecureLayer<SecureLocalResponseNormalizationLayer> {
    private static final long serialVersionUID = 1L;

    /** The inputs' bound, |x| &lt; 2^11, from which the largest u follows. */
    static final int INPUT_BITS = 11;

    private transient SharedTensor lastOutput;
    private transient SharedTensor lastScale;
    private transient SharedTensor lastXOverU;

    public SecureLocalResponseNormalization(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType, "SecureLocalResponseNormalization");
    }

    @Override
    public SharedTensor forward(SharedTensor x, boolean training) {
        checkInput(x, -1, -1, -1, -1);
        SecureLocalResponseNormalizationLayer c = layerConf();
        Session s = session();
        int f = s.fractionalBits();
        int half = c.halfWidth();
        double windowMax = (2 * half + 1) * Math.pow(2, 2 * INPUT_BITS);
        SharedTensor sum = window(FixedPointOps.square(s, x), half);
        int ab = constantBits(c.getAlpha(), windowMax * Math.pow(2, f));
        SharedTensor u = Truncation.truncate(s, sum.mul(Math.round(c.getAlpha() * Math.pow(2, ab))), ab)
                .addPublic(FixedPointOps.encode(c.getK(), f));
        double uMax = c.getK() + c.getAlpha() * windowMax;
        SharedTensor r = InverseSqrt.inverseSqrt(s, u, f, low(c.getK(), f), high(uMax));
        SharedTensor scale;
        SharedTensor invU;
        double beta = c.getBeta();
        if (beta == 0.5 || beta == 1.0) {
            invU = FixedPointOps.mul(s, r, r);
            scale = beta == 0.5 ? r : invU;
        } else {
            SharedTensor[] p = FixedPointOps.mulAll(s, new SharedTensor[] {u, r}, new SharedTensor[] {r, r});
            SharedTensor q = InverseSqrt.inverseSqrt(s, p[0], f, low(Math.sqrt(c.getK()), f), high(Math.sqrt(uMax)));
            invU = p[1];
            scale = beta == 0.25 ? q : FixedPointOps.mul(s, r, q);
        }
        SharedTensor[] out = FixedPointOps.mulAll(s, new SharedTensor[] {x, x}, new SharedTensor[] {scale, invU});
        lastOutput = training ? out[0] : null;
        lastScale = training ? scale : null;
        lastXOverU = training ? out[1] : null;
        return out[0];
    }

    @Override
    public SharedTensor backward(SharedTensor epsilon, boolean needInputGradient) {
        checkInput(epsilon, -1, -1, -1, -1);
        if (lastOutput == null) {
            throw new IllegalStateException(describe() + ": backward without a training forward pass");
        }
        if (!needInputGradient) {
            return null;
        }
        SecureLocalResponseNormalizationLayer c = layerConf();
        Session s = session();
        SharedTensor[] p = FixedPointOps.mulAll(s, new SharedTensor[] {lastOutput, epsilon},
                new SharedTensor[] {epsilon, lastScale});
        SharedTensor t = FixedPointOps.mul(s, window(p[0], c.halfWidth()), lastXOverU);
        double factor = 2 * c.getAlpha() * c.getBeta();
        int cb = Math.min(30, (int) Math.floor(18 - Math.log(factor) / Math.log(2)));
        SharedTensor term = Truncation.truncate(s, t.mul(Math.round(factor * Math.pow(2, cb))), cb);
        return p[1].sub(term);
    }

    private static SharedTensor window(SharedTensor x, int half) {
        RingTensor a = ChannelWindows.sum(x.first(), half);
        RingTensor b = ChannelWindows.sum(x.second(), half);
        return new SharedTensor(x.party(), a, b);
    }

    /** Fractional bits (at most 30) of a constant c multiplying values below {@code max} (ring units) under 2^61. */
    static int constantBits(double c, double max) {
        int bits = (int) Math.floor(61 - Math.log(max) / Math.log(2) - Math.log(c) / Math.log(2));
        return Math.max(0, Math.min(30, bits));
    }

    /** The inverse square root's bottom exponent: 4^lo &lt;= v, no lower than 4^-(f/2). */
    static int low(double v, int f) {
        return Math.max((int) Math.floor(Math.log(v) / Math.log(4)), -(f / 2));
    }

    /** The inverse square root's top exponent: 4^(hi+1) &gt; v. */
    static int high(double v) {
        return (int) Math.floor(Math.log(v) / Math.log(4));
    }

    @Override
    public Type type() {
        return Type.NORMALIZATION;
    }
}
