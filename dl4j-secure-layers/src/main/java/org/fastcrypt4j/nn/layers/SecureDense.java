package org.fastcrypt4j.nn.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.fastcrypt4j.mpc.arithmetic.BilinearOp;
import org.fastcrypt4j.mpc.arithmetic.FixedPointOps;
import org.fastcrypt4j.mpc.sharing.Session;
import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.nn.conf.SecureDenseLayer;
import org.fastcrypt4j.nn.conf.SecureParamInitializer;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Runtime of {@link SecureDenseLayer}: {@code z = x W + b} on shares.
 * <ul>
 *   <li>Forward: one fixed-point matmul (the product truncated in place of its reshare: 3 rounds and
 *       8 + f/8 bytes per output element per party with the default truncation); the bias is added locally.</li>
 *   <li>Backward, for {@code dZ [N, nOut]}: {@code dW = x^T dZ} and {@code dX = dZ W^T} as two products truncated in
 *       one pass (the rounds of one product), {@code db = sum over rows of dZ} locally.</li>
 * </ul>
 * Nothing is opened.
 */
public class SecureDense extends AbstractSecureLayer<SecureDenseLayer> {
    private static final long serialVersionUID = 1L;

    private transient SharedTensor lastInput;

    public SecureDense(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType, "SecureDense");
    }

    /** {@code x W} (+ b): the linear map shared by dense and output layers. */
    static SharedTensor affine(Session s, SharedTensor x, SharedTensor w, SharedTensor b) {
        SharedTensor z = FixedPointOps.matmul(s, x, w);
        return b == null ? z : z.addBroadcast(b);
    }

    /** dW, db and (optionally) dX of {@code z = x W + b}; dW and dX are truncated in one pass. */
    static SharedTensor affineBackward(Session s, SharedTensor x, SharedTensor w, boolean hasBias, SharedTensor dz,
            boolean needInputGradient, java.util.Map<String, SharedTensor> grads) {
        SharedTensor[] g;
        if (needInputGradient) {
            g = FixedPointOps.bilinearAll(s, new SharedTensor[] {x.transpose(), dz},
                    new SharedTensor[] {dz, w.transpose()}, new BilinearOp[] {FixedPointOps.MATMUL, FixedPointOps.MATMUL});
        } else {
            g = new SharedTensor[] {FixedPointOps.matmul(s, x.transpose(), dz), null};
        }
        grads.put(SecureParamInitializer.WEIGHT_KEY, g[0]);
        if (hasBias) {
            grads.put(SecureParamInitializer.BIAS_KEY, dz.sum(0).reshape(1, dz.shape()[1]));
        }
        return g[1];
    }

    @Override
    public SharedTensor forward(SharedTensor x, boolean training) {
        SecureDenseLayer c = layerConf();
        checkInput(x, -1, c.getNIn());
        lastInput = training ? x : null;
        return affine(session(), x, param(SecureParamInitializer.WEIGHT_KEY),
                c.hasBias() ? param(SecureParamInitializer.BIAS_KEY) : null);
    }

    @Override
    public SharedTensor backward(SharedTensor epsilon, boolean needInputGradient) {
        SecureDenseLayer c = layerConf();
        if (lastInput == null) {
            throw new IllegalStateException(describe() + ": backward without a training forward pass");
        }
        checkInput(epsilon, lastInput.shape()[0], c.getNOut());
        return affineBackward(session(), lastInput, param(SecureParamInitializer.WEIGHT_KEY), c.hasBias(), epsilon,
                needInputGradient, grads);
    }

    @Override
    public Type type() {
        return Type.FEED_FORWARD;
    }
}
