package org.fastcrypt4j.nn.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.fastcrypt4j.mpc.arithmetic.FixedPointOps;
import org.fastcrypt4j.mpc.arithmetic.Multiplication;
import org.fastcrypt4j.mpc.functions.Softmax;
import org.fastcrypt4j.mpc.sharing.Session;
import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.nn.conf.SecureOutputLayer;
import org.fastcrypt4j.nn.conf.SecureParamInitializer;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Runtime of {@link SecureOutputLayer}: the logits {@code z = x W + b} on shares, the loss gradient on shares, and
 * the logits at scale 2f for a reveal.
 * <ul>
 *   <li>{@link #forward}: the logits at scale f (as {@link SecureDense}).</li>
 *   <li>{@link #lossGradient}: softmax cross-entropy {@code dZ = softmax(z) - y} ({@link Softmax}: max, exp,
 *       reciprocal on shares, nothing revealed), or MSE after the layer's activation a = A(z) (identity, ReLU, leaky
 *       ReLU, sigmoid, tanh: {@link ActivationPass}) {@code dZ = A'(z) * 2 (a - y) / nOut} (one truncation for the
 *       public scale, then the activation's backward pass); per example, as DL4J's loss functions give it, the mean
 *       over the batch being the updater's job.</li>
 *   <li>{@link #logitsForReveal}: {@code x W + 2^f b} without the final truncation (one reshare round, 8 bytes per
 *       logit per party): the receiver of a reveal divides by 2^2f in the clear, so no party's view decides a
 *       rounding bit of what it receives (the leak of the wrap-free truncation, see
 *       {@code TruncationWrapFree}).</li>
 * </ul>
 */
public class SecureOutput extends AbstractSecureLayer<SecureOutputLayer> {
    private static final long serialVersionUID = 1L;

    private transient SharedTensor lastInput;

    public SecureOutput(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType, "SecureOutput");
    }

    protected SecureOutput(NeuralNetConfiguration conf, DataType dataType, String typeName) {
        super(conf, dataType, typeName);
    }

    @Override
    public SharedTensor forward(SharedTensor x, boolean training) {
        SecureOutputLayer c = layerConf();
        checkInput(x, -1, c.getNIn());
        lastInput = training ? x : null;
        return SecureDense.affine(session(), x, param(SecureParamInitializer.WEIGHT_KEY),
                c.hasBias() ? param(SecureParamInitializer.BIAS_KEY) : null);
    }

    /** The logits {@code x W + b} at scale 2f (untruncated), for revealing them. */
    public SharedTensor logitsForReveal(SharedTensor x) {
        SecureOutputLayer c = layerConf();
        checkInput(x, -1, c.getNIn());
        Session s = session();
        SharedTensor z = Multiplication.matmul(s, x, param(SecureParamInitializer.WEIGHT_KEY));
        if (c.hasBias()) {
            z = z.addBroadcast(param(SecureParamInitializer.BIAS_KEY).mul(1L << s.fractionalBits()));
        }
        return z;
    }

    /** The output layer's activation of the logits on shares: softmax, or the MSE output's activation. */
    public SharedTensor activate(SharedTensor logits) {
        return layerConf().isSoftmaxCrossEntropy() ? Softmax.softmax(session(), logits)
                : ActivationPass.forward(session(), layerConf().getActivationFn(), logits).output();
    }

    /** The loss gradient, and the mean loss over the batch when asked for (shared; a scalar [1]), else null. */
    public record LossStep(SharedTensor gradient, SharedTensor loss) {
    }

    /**
     * dL/dz per example, as DL4J's loss functions compute it ({@code computeGradient}: not divided by the batch
     * size, which DL4J's updater does, and so does the secure updater), with {@code labels} shared at scale f
     * (one-hot for softmax).
     */
    public SharedTensor lossGradient(SharedTensor logits, SharedTensor labels) {
        return lossStep(logits, labels, false).gradient();
    }

    /**
     * {@link #lossGradient}, and with {@code withLoss} the mean loss as DL4J scores it: cross-entropy
     * {@code mean_i -log softmax(z_i)[y_i]} ({@link Softmax#crossEntropyLoss}, reusing the softmax's row max and
     * sums), or {@code mean_i sum_j (a_ij - y_ij)^2 / nOut} for MSE. Nothing is opened.
     */
    public LossStep lossStep(SharedTensor logits, SharedTensor labels, boolean withLoss) {
        SecureOutputLayer c = layerConf();
        long n = logits.shape()[0];
        checkInput(labels, n, c.getNOut());
        Session s = session();
        if (c.isSoftmaxCrossEntropy()) {
            Softmax.Parts p = Softmax.parts(s, logits);
            SharedTensor loss = withLoss ? Softmax.crossEntropyLoss(s, logits, labels, p) : null;
            return new LossStep(p.probabilities().sub(labels), loss);
        }
        ActivationPass out = ActivationPass.forward(s, c.getActivationFn(), logits);
        SharedTensor diff = out.output().sub(labels);
        SharedTensor loss = withLoss ? FixedPointOps.mulConstant(s, FixedPointOps.square(s, diff).sum().reshape(1),
                1.0 / (n * c.getNOut())) : null;
        return new LossStep(out.backward(s, FixedPointOps.mulConstant(s, diff, 2.0 / c.getNOut())), loss);
    }

    @Override
    public SharedTensor backward(SharedTensor epsilon, boolean needInputGradient) {
        SecureOutputLayer c = layerConf();
        if (lastInput == null) {
            throw new IllegalStateException(describe() + ": backward without a training forward pass");
        }
        checkInput(epsilon, lastInput.shape()[0], c.getNOut());
        return SecureDense.affineBackward(session(), lastInput, param(SecureParamInitializer.WEIGHT_KEY), c.hasBias(),
                epsilon, needInputGradient, grads);
    }

    @Override
    public Type type() {
        return Type.FEED_FORWARD;
    }
}
