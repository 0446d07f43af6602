package org.fastcrypt4j.nn.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.nn.conf.SecureSubsampling1DLayer;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Runtime of {@link SecureSubsampling1DLayer}: the pooling of {@link SecureSubsampling} on the time series viewed as
 * {@code [N, C, T, 1]}, with its rounds and bytes; shapes back to {@code [N, C, T']} and the gradient to
 * {@code [N, C, T]}. Nothing is opened.
 */
public class SecureSubsampling1D extends SecureSubsampling {
    private static final long serialVersionUID = 1L;

    public SecureSubsampling1D(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType, "SecureSubsampling1D");
    }

    @Override
    public SharedTensor forward(SharedTensor x, boolean training) {
        return SequenceShapes.asSequence(super.forward(SequenceShapes.asImage(x, 0, describe()), training), 0);
    }

    @Override
    public SharedTensor backward(SharedTensor epsilon, boolean needInputGradient) {
        SharedTensor e = SequenceShapes.asImage(epsilon, 0, describe());
        return SequenceShapes.asSequence(super.backward(e, needInputGradient), 0);
    }
}
