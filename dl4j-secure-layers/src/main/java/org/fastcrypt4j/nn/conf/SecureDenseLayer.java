package org.fastcrypt4j.nn.conf;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.fastcrypt4j.nn.layers.SecureDense;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A fully connected layer on shares: {@code z = x W + b} with {@code W [nIn, nOut]} and {@code b [1, nOut]}
 * secret-shared (DL4J's {@link DenseLayer} layout). Linear only: an activation goes in a {@link SecureActivationLayer}
 * after it (the converter splits a DL4J dense layer with a fused activation that way). Runtime layer {@link SecureDense}.
 */
public class SecureDenseLayer extends SecureFeedForwardLayer {
    private static final long serialVersionUID = 1L;

    /** For JSON. */
    protected SecureDenseLayer() {
        setActivationFn(Activation.IDENTITY.getActivationFunction());
    }

    private SecureDenseLayer(Builder b) {
        super(b);
        SecureLayerChecks.requireLinear("SecureDenseLayer", b.getActivationFn(), layerName);
        setActivationFn(Activation.IDENTITY.getActivationFunction());
        initializeConstraints(b);
    }

    @Override
    protected org.deeplearning4j.nn.api.Layer runtimeLayer(NeuralNetConfiguration conf, DataType networkDataType) {
        return new SecureDense(conf, networkDataType);
    }

    @Override
    public Layer toPlain() {
        return twin(new DenseLayer.Builder()).hasBias(hasBias()).activation(Activation.IDENTITY).build();
    }

    /** Builder, as DL4J's {@code DenseLayer.Builder}. */
    public static class Builder extends SecureFeedForwardLayer.Builder<Builder> {

        @Override
        @SuppressWarnings("unchecked")
        public SecureDenseLayer build() {
            return new SecureDenseLayer(this);
        }
    }
}
