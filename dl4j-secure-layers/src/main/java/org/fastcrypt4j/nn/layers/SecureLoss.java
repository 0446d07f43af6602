package org.fastcrypt4j.nn.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.nn.conf.SecureLossLayer;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Runtime of {@link SecureLossLayer}: the input is the logits (local, nothing sent); the loss, its gradient and the
 * activation as {@link SecureOutput}'s; backward hands the loss gradient down as it is. For a reveal, the logits are
 * scaled to 2f locally (times the public 2^f), as the output layer's untruncated product would be.
 */
public class SecureLoss extends SecureOutput {
    private static final long serialVersionUID = 1L;

    private transient long[] lastShape;

    public SecureLoss(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType, "SecureLoss");
    }

    @Override
    public SharedTensor forward(SharedTensor x, boolean training) {
        checkInput(x, -1, layerConf().getNIn());
        lastShape = training ? x.shape() : null;
        return x;
    }

    @Override
    public SharedTensor logitsForReveal(SharedTensor x) {
        checkInput(x, -1, layerConf().getNIn());
        return x.mul(1L << session().fractionalBits());
    }

    @Override
    public SharedTensor backward(SharedTensor epsilon, boolean needInputGradient) {
        if (lastShape == null) {
            throw new IllegalStateException(describe() + ": backward without a training forward pass");
        }
        checkInput(epsilon, lastShape[0], layerConf().getNOut());
        return needInputGradient ? epsilon : null;
    }
}
