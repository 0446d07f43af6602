package org.fastcrypt4j.nn.layers;

import java.util.List;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.fastcrypt4j.mpc.arithmetic.FixedPointOps;
import org.fastcrypt4j.mpc.arithmetic.Multiplication;
import org.fastcrypt4j.mpc.arithmetic.Truncation;
import org.fastcrypt4j.mpc.functions.InverseSqrt;
import org.fastcrypt4j.mpc.sharing.Session;
import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.nn.conf.SecureBatchNormalizationLayer;
import org.fastcrypt4j.nn.conf.SecureParamInitializer;
import org.fastcrypt4j.ring.RingOps;
import org.fastcrypt4j.ring.RingTensor;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Runtime of {@link SecureBatchNormalizationLayer}: DL4J's batch normalization on shares, per feature of
 * {@code [N, C]} and per channel (over N, H, W) of {@code [N, C, H, W]}; m = N or N H W values per channel.
 *
 * <p>Training forward ({@code y = gamma (x - mu) / sqrt(var + eps) + beta} with the batch's mean mu and biased
 * variance var, as DL4J):
 * <ol>
 *   <li>mu = (sum x) c_m / 2^T, c_m = round(2^T / m), T = 62 - f - {@value #MAGNITUDE_BITS}: one standalone
 *       truncation of C values (2 rounds); the rounding of c_m scales mu by at most 1 + m 2^-(T+1);</li>
 *   <li>the sum of squares S = sum (x - mu)^2 from the local products summed before their one truncation, by
 *       2f - fx + L (L = ceil(log2 m)), so S / 2^L is kept at fx = f + {@value #VAR_EXTRA_BITS} fractional bits
 *       (C values, 3 rounds);</li>
 *   <li>one truncation by T_v = 62 - fx - {@value #MAGNITUDE_BITS} of C + 2C values (2 rounds): var = (S / 2^L)
 *       round(2^(T_v + L) / m) at fx bits (the constant has T_v significant bits, whatever m) and DL4J's moving
 *       averages of the running statistics, {@code mean <- d mean + (1 - d) mu}, {@code var <- d var + (1 - d) var_B}
 *       (public constants at T_v bits, the results at f);</li>
 *   <li>s = 1/sqrt(var + eps) by {@link InverseSqrt} over [4^lo, 4^{@value #HI}+1) at fx bits, lo = max(floor(log4
 *       eps), -fx/2) (-9 for DL4J's eps of 1e-5 at f = 20): {@link InverseSqrt#comparisons} compared values per
 *       channel, then Newton (C values only);</li>
 *   <li>x^ = (x - mu) s and g = gamma s in one pass of products (3 rounds);</li>
 *   <li>y = (x - mu) g + beta: one product pass (3 rounds). With locked gamma and beta, y = x^.</li>
 * </ol>
 * Inference uses the running statistics instead of the batch's (steps 4 to 6, as DL4J: sqrt(var + eps)).
 *
 * <p>Backward, for dy: dbeta = sum dy (local); dgamma = sum dy x^ from the local products summed before one
 * truncation (C values); dbeta / m and dgamma / m by one standalone truncation (2C values); a = g dbeta / m and
 * b = g dgamma / m in one product pass (2C values); dx = g dy - b x^ - a with the two products summed locally before
 * one truncation: 4 passes, the last three of which but one are over 2C values only.
 *
 * <p>Range and precision: activations, their batch means and running means below 2^{@value #MAGNITUDE_BITS} in
 * magnitude; the batch and running variances below 4^(hi + 1) = 4096 (std 64), where the inverse square root stops
 * being valid; the variance at fx bits (2^-26 at f = 20) so that var + eps near eps keeps about 10 significant
 * bits; the running variance is stored at f bits like every parameter. Below 4^lo (possible only with an eps
 * below 4^lo) the inverse square root saturates at a few times 2^-lo (see {@link InverseSqrt}). Nothing is opened.
 */
public class SecureBatchNormalization extends AbstractSecureLayer<SecureBatchNormalizationLayer> {
    private static final long serialVersionUID = 1L;

    /** Extra fractional bits of the variance (fx = f + this). */
    public static final int VAR_EXTRA_BITS = 6;
    /** Bits (sign included) allowed for the magnitudes of means and variances: |value| &lt; 2^(this - 1). */
    public static final int MAGNITUDE_BITS = 13;
    /** The inverse square root's top range exponent: var + eps &lt; 4^(HI + 1) = 4096. */
    public static final int HI = 5;

    private transient SharedTensor lastXhat;
    private transient SharedTensor lastScale;
    private transient int[] lastAxes;

    public SecureBatchNormalization(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType, "SecureBatchNormalization");
    }

    /** The inverse square root's bottom range exponent for {@code eps} at {@code fx} fractional bits. */
    static int low(double eps, int fx) {
        int lo = (int) Math.floor(Math.log(eps) / Math.log(4));
        return Math.max(lo, -(fx / 2));
    }

    @Override
    public SharedTensor forward(SharedTensor x, boolean training) {
        SecureBatchNormalizationLayer c = layerConf();
        long channels = c.getNOut();
        if (x != null && x.rank() == 4) {
            checkInput(x, -1, channels, -1, -1);
        } else {
            checkInput(x, -1, channels);
        }
        Session s = session();
        int f = s.fractionalBits();
        int fx = f + VAR_EXTRA_BITS;
        int[] axes = x.rank() == 4 ? new int[] {0, 2, 3} : new int[] {0};
        SharedTensor mean;
        SharedTensor varFx;
        if (training) {
            long m = RingOps.reducedCount(x.shape(), axes);
            SharedTensor[] stats = batchStatistics(s, x, axes, m, c.getDecay());
            mean = stats[0];
            varFx = stats[1];
            setParameter(SecureParamInitializer.MEAN_KEY, stats[2]);
            setParameter(SecureParamInitializer.VAR_KEY, stats[3]);
        } else {
            mean = param(SecureParamInitializer.MEAN_KEY).reshape(channels);
            varFx = param(SecureParamInitializer.VAR_KEY).reshape(channels).mul(1L << VAR_EXTRA_BITS);
        }
        SharedTensor xc = x.addPerChannel(mean.neg());
        SharedTensor invStd = InverseSqrt.inverseSqrt(s, varFx.addPublic(FixedPointOps.encode(c.getEps(), fx)), fx,
                low(c.getEps(), fx), HI);
        SharedTensor zeros = SharedTensor.zeros(s.party(), x.shape());
        SharedTensor scale;
        SharedTensor y;
        if (c.isLockGammaBeta()) {
            scale = invStd;
            y = FixedPointOps.mul(s, xc, zeros.addPerChannel(invStd));
            lastXhat = training ? y : null;
        } else {
            SharedTensor gamma = param(SecureParamInitializer.GAMMA_KEY).reshape(channels);
            SharedTensor beta = param(SecureParamInitializer.BETA_KEY).reshape(channels);
            if (training) {
                SharedTensor[] p = FixedPointOps.mulAll(s, new SharedTensor[] {xc, gamma},
                        new SharedTensor[] {zeros.addPerChannel(invStd), invStd});
                lastXhat = p[0];
                scale = p[1];
            } else {
                scale = FixedPointOps.mul(s, gamma, invStd);
            }
            y = FixedPointOps.mul(s, xc, zeros.addPerChannel(scale)).addPerChannel(beta);
        }
        lastScale = training ? scale : null;
        lastAxes = training ? axes : null;
        return y;
    }

    /**
     * The batch's mean (at f) and biased variance (at fx), and the new running mean and variance ({@code [1, C]},
     * at f): steps 1 to 3 of the class description.
     */
    private SharedTensor[] batchStatistics(Session s, SharedTensor x, int[] axes, long m, double decay) {
        int f = s.fractionalBits();
        int fx = f + VAR_EXTRA_BITS;
        int meanShift = 62 - f - MAGNITUDE_BITS;
        SharedTensor mean = Truncation.truncate(s, x.sum(axes).mul(Math.round(Math.pow(2, meanShift) / m)), meanShift);
        SharedTensor xc = x.addPerChannel(mean.neg());
        int log2m = 64 - Long.numberOfLeadingZeros(m - 1);
        RingTensor squares = RingOps.sum(Multiplication.localShare(s, xc, xc, Multiplication.ELEMENTWISE), axes);
        SharedTensor sumOver2L = Truncation.truncateProduct(s, squares, 2 * f - fx + log2m);
        int shift = 62 - fx - MAGNITUDE_BITS;
        SharedTensor runMean = param(SecureParamInitializer.MEAN_KEY);
        SharedTensor runVar = param(SecureParamInitializer.VAR_KEY);
        long[] row = runMean.shape();
        long keep = FixedPointOps.encode(decay, shift);
        double perSquare = Math.pow(2, log2m) / m;   // (S / 2^L) perSquare = S / m
        SharedTensor var = sumOver2L.mul(Math.round(perSquare * Math.pow(2, shift)));
        SharedTensor newMean = runMean.mul(keep)
                .add(mean.reshape(row).mul(FixedPointOps.encode(1 - decay, shift)));
        SharedTensor newVar = runVar.mul(keep)
                .add(sumOver2L.reshape(row).mul(Math.round((1 - decay) * perSquare * Math.pow(2, shift + f - fx))));
        SharedTensor[] t = Truncation.truncate(s, SharedTensor.concatFlat(s.party(), List.of(var, newMean, newVar)),
                shift).splitFlat(List.of(var.shape(), row, row));
        return new SharedTensor[] {mean, t[0], t[1], t[2]};
    }

    @Override
    public SharedTensor backward(SharedTensor epsilon, boolean needInputGradient) {
        if (lastXhat == null) {
            throw new IllegalStateException(describe() + ": backward without a training forward pass");
        }
        SecureBatchNormalizationLayer c = layerConf();
        long[] shape = lastXhat.shape();
        if (shape.length == 4) {
            checkInput(epsilon, shape[0], shape[1], shape[2], shape[3]);
        } else {
            checkInput(epsilon, shape[0], shape[1]);
        }
        Session s = session();
        int f = s.fractionalBits();
        long m = RingOps.reducedCount(shape, lastAxes);
        long channels = shape[1];
        SharedTensor dBeta = epsilon.sum(lastAxes);
        SharedTensor dGamma = Truncation.truncateProduct(s,
                RingOps.sum(Multiplication.localShare(s, epsilon, lastXhat, Multiplication.ELEMENTWISE), lastAxes), f);
        if (!c.isLockGammaBeta()) {
            grads.put(SecureParamInitializer.GAMMA_KEY, dGamma.reshape(1, channels));
            grads.put(SecureParamInitializer.BETA_KEY, dBeta.reshape(1, channels));
        }
        if (!needInputGradient) {
            return null;
        }
        int shift = 62 - f - MAGNITUDE_BITS;
        SharedTensor[] means = Truncation.truncate(s, SharedTensor.concatFlat(s.party(), List.of(dBeta, dGamma))
                .mul(Math.round(Math.pow(2, shift) / m)), shift).splitFlat(List.of(dBeta.shape(), dGamma.shape()));
        SharedTensor[] ab = FixedPointOps.mulAll(s, new SharedTensor[] {lastScale, lastScale}, means);
        SharedTensor zeros = SharedTensor.zeros(s.party(), shape);
        RingTensor z = Multiplication.localShare(s, zeros.addPerChannel(lastScale), epsilon, Multiplication.ELEMENTWISE)
                .sub(Multiplication.localShare(s, zeros.addPerChannel(ab[1]), lastXhat, Multiplication.ELEMENTWISE));
        return Truncation.truncateProduct(s, z, f).addPerChannel(ab[0].neg());
    }

    @Override
    public Type type() {
        return Type.NORMALIZATION;
    }
}
