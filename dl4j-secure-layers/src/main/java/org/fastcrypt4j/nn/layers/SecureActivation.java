package org.fastcrypt4j.nn.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.fastcrypt4j.mpc.functions.Relu;
import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.nn.conf.SecureActivationLayer;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Runtime of {@link SecureActivationLayer}. ReLU: {@link Relu} with the session's MSB protocol (ABY3-style:
 * 11 rounds, about 47 / 39 / 39 bytes per element); the DReLU bits are kept, so the backward pass is one
 * multiplication (1 round, 8 bytes per element per party). Identity passes shares through. Nothing is opened.
 */
public class SecureActivation extends AbstractSecureLayer<SecureActivationLayer> {
    private static final long serialVersionUID = 1L;

    private transient Relu.Forward last;

    public SecureActivation(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType, "SecureActivation");
    }

    @Override
    public SharedTensor forward(SharedTensor x, boolean training) {
        checkInput(x, shapeOf(x));
        if (!layerConf().isRelu()) {
            return x;
        }
        Relu.Forward f = Relu.forward(session(), x);
        last = training ? f : null;
        return f.output();
    }

    @Override
    public SharedTensor backward(SharedTensor epsilon, boolean needInputGradient) {
        if (!needInputGradient || !layerConf().isRelu()) {
            return needInputGradient ? epsilon : null;
        }
        if (last == null) {
            throw new IllegalStateException(describe() + ": backward without a training forward pass");
        }
        checkInput(epsilon, last.output().shape());
        return Relu.backward(session(), last, epsilon);
    }

    private static long[] shapeOf(SharedTensor x) {
        return x == null ? new long[0] : x.shape();
    }

    @Override
    public Type type() {
        return Type.FEED_FORWARD;
    }
}
