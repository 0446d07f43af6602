package org.fastcrypt4j.nn.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.nn.conf.SecureDropoutLayer;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Runtime of {@link SecureDropoutLayer}: the identity on shares. The dropout itself is the input dropout that the
 * secure network applies, in training, to the input of every layer whose configuration carries one
 * ({@code nn.network.InputDropout}), so this layer's output is its dropped input, as in DL4J. No rounds of its own.
 */
public class SecureDropout extends AbstractSecureLayer<SecureDropoutLayer> {
    private static final long serialVersionUID = 1L;

    public SecureDropout(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType, "SecureDropout");
    }

    @Override
    public SharedTensor forward(SharedTensor x, boolean training) {
        return checkInput(x, x == null ? new long[0] : x.shape());
    }

    @Override
    public SharedTensor backward(SharedTensor epsilon, boolean needInputGradient) {
        return needInputGradient ? checkInput(epsilon, epsilon == null ? new long[0] : epsilon.shape()) : null;
    }

    @Override
    public Type type() {
        return Type.FEED_FORWARD;
    }
}
