package org.fastcrypt4j.nn.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.nn.conf.SecureActivationKind;
import org.fastcrypt4j.nn.conf.SecureActivationLayer;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Runtime of {@link SecureActivationLayer}: each {@link SecureActivationKind} runs its protocol ({@link ActivationPass}),
 * and what the backward pass needs is kept only by a training forward pass. Nothing is opened.
 */
public class SecureActivation extends AbstractSecureLayer<SecureActivationLayer> {
    private static final long serialVersionUID = 1L;

    /** What the last training forward pass kept for the backward pass. */
    private transient ActivationPass last;

    public SecureActivation(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType, "SecureActivation");
    }

    @Override
    public SharedTensor forward(SharedTensor x, boolean training) {
        checkInput(x, shapeOf(x));
        if (layerConf().kind() == SecureActivationKind.SOFTMAX) {
            checkInput(x, -1, -1);
        }
        ActivationPass pass = ActivationPass.forward(session(), layerConf().getActivationFn(), x);
        last = training ? pass : null;
        return pass.output();
    }

    @Override
    public SharedTensor backward(SharedTensor epsilon, boolean needInputGradient) {
        SecureActivationKind kind = layerConf().kind();
        if (!needInputGradient || kind == SecureActivationKind.IDENTITY) {
            return needInputGradient ? epsilon : null;
        }
        if (last == null) {
            throw new IllegalStateException(describe() + ": backward without a training forward pass");
        }
        checkInput(epsilon, last.output().shape());
        return last.backward(session(), epsilon);
    }

    private static long[] shapeOf(SharedTensor x) {
        return x == null ? new long[0] : x.shape();
    }

    @Override
    public Type type() {
        return Type.FEED_FORWARD;
    }
}
