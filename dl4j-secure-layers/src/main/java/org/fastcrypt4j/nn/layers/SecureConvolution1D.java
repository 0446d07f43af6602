package org.fastcrypt4j.nn.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.nn.conf.SecureConvolution1DLayer;
import org.fastcrypt4j.nn.conf.SecureParamInitializer;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Runtime of {@link SecureConvolution1DLayer}: the 2-D convolution of {@link SecureConvolution} on the time series
 * viewed as {@code [N, C, T, 1]} (with the Causal mode's leading zeros), so the same rounds and bytes per output
 * element; the input gradient is cut back to {@code [N, C, T]}. Nothing is opened.
 */
public class SecureConvolution1D extends SecureConvolution {
    private static final long serialVersionUID = 1L;

    public SecureConvolution1D(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType, "SecureConvolution1D");
    }

    /**
     * DL4J's 1-D layer reads its weight buffer (shaped {@code [nOut, nIn, k, 1]}) as {@code [k, nIn, nOut]} in C
     * order (Convolution1DUtils reshapes it for libnd4j's conv1d without permuting; found by probing DL4J
     * 1.0.0-M2.1 with unit inputs): the kernels are that buffer transposed, a local permutation of the shares.
     */
    @Override
    protected SharedTensor kernels() {
        SharedTensor w = param(SecureParamInitializer.WEIGHT_KEY);
        long[] s = w.shape();
        return w.reshape(s[2], s[1], s[0]).permute(2, 1, 0).reshape(s);
    }

    @Override
    protected SharedTensor weightGradient(SharedTensor kernelGradient) {
        long[] s = kernelGradient.shape();
        return kernelGradient.reshape(s[0], s[1], s[2]).permute(2, 1, 0).reshape(s);
    }

    private int lead() {
        return ((SecureConvolution1DLayer) layerConf()).causalPadding();
    }

    @Override
    public SharedTensor forward(SharedTensor x, boolean training) {
        return SequenceShapes.asSequence(super.forward(SequenceShapes.asImage(x, lead(), describe()), training), 0);
    }

    @Override
    public SharedTensor backward(SharedTensor epsilon, boolean needInputGradient) {
        SharedTensor e = SequenceShapes.asImage(epsilon, 0, describe());
        return SequenceShapes.asSequence(super.backward(e, needInputGradient), lead());
    }
}
