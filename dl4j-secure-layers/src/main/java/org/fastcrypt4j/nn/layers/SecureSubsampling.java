package org.fastcrypt4j.nn.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.fastcrypt4j.mpc.functions.AvgPool;
import org.fastcrypt4j.mpc.functions.MaxPool;
import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.nn.conf.SecureSubsamplingLayer;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Runtime of {@link SecureSubsamplingLayer}. MAX: {@link MaxPool} (a tree of secure comparisons per window with a
 * secret one-hot argmax, kept for the backward pass, which routes each gradient to the winning entry: 1 round).
 * AVG: {@link AvgPool} (local window sums and one truncation forward, one truncation backward). Nothing is opened.
 */
public class SecureSubsampling extends AbstractSecureLayer<SecureSubsamplingLayer> {
    private static final long serialVersionUID = 1L;

    private transient MaxPool.Forward lastMax;
    private transient AvgPool.Forward lastAvg;

    public SecureSubsampling(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType, "SecureSubsampling");
    }

    protected SecureSubsampling(NeuralNetConfiguration conf, DataType dataType, String typeName) {
        super(conf, dataType, typeName);
    }

    @Override
    public SharedTensor forward(SharedTensor x, boolean training) {
        SecureSubsamplingLayer c = layerConf();
        checkInput(x, -1, -1, -1, -1);
        if (c.getPoolingType() == PoolingType.MAX) {
            MaxPool.Forward f = MaxPool.forward(session(), x, c.geometry());
            lastMax = training ? f : null;
            return f.output();
        }
        AvgPool.Forward f = AvgPool.forward(session(), x, c.geometry(), c.isAvgPoolIncludePadInDivisor());
        lastAvg = training ? f : null;
        return f.output();
    }

    @Override
    public SharedTensor backward(SharedTensor epsilon, boolean needInputGradient) {
        SecureSubsamplingLayer c = layerConf();
        checkInput(epsilon, -1, -1, -1, -1);
        if (!needInputGradient) {
            return null;
        }
        if (c.getPoolingType() == PoolingType.MAX) {
            if (lastMax == null) {
                throw new IllegalStateException(describe() + ": backward without a training forward pass");
            }
            return MaxPool.backward(session(), lastMax, epsilon);
        }
        if (lastAvg == null) {
            throw new IllegalStateException(describe() + ": backward without a training forward pass");
        }
        return AvgPool.backward(session(), lastAvg, epsilon);
    }

    @Override
    public Type type() {
        return Type.SUBSAMPLING;
    }
}
