package org.fastcrypt4j.nn.conf;

import java.util.Collection;
import java.util.Objects;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.fastcrypt4j.nn.layers.SecureDense;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A fully connected layer on shares: {@code z = x W + b} with {@code W [nIn, nOut]} and {@code b [1, nOut]}
 * secret-shared (DL4J's {@link DenseLayer} layout). Linear only: a ReLU goes in a {@link SecureActivationLayer}
 * after it (the converter splits a DL4J dense layer with a fused ReLU that way). Runtime layer {@link SecureDense}.
 */
public class SecureDenseLayer extends FeedForwardLayer implements SecureLayerConf {
    private static final long serialVersionUID = 1L;

    private boolean hasBias = true;

    /** For JSON. */
    protected SecureDenseLayer() {
        setActivationFn(Activation.IDENTITY.getActivationFunction());
    }

    private SecureDenseLayer(Builder b) {
        super(b);
        this.hasBias = b.hasBias;
        SecureLayerChecks.requireLinear("SecureDenseLayer", b.getActivationFn(), layerName);
        setActivationFn(Activation.IDENTITY.getActivationFunction());
        initializeConstraints(b);
    }

    public boolean hasBias() {
        return hasBias;
    }

    /** Bean accessors (DL4J's JSON mapping uses them). */
    public boolean isHasBias() {
        return hasBias;
    }

    public void setHasBias(boolean hasBias) {
        this.hasBias = hasBias;
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
            Collection<TrainingListener> listeners, int layerIndex, INDArray paramsView, boolean initializeParams,
            DataType networkDataType) {
        LayerValidation.assertNInNOutSet("SecureDenseLayer", getLayerName(), layerIndex, getNIn(), getNOut());
        SecureDense layer = new SecureDense(conf, networkDataType);
        layer.setListeners(listeners);
        layer.setIndex(layerIndex);
        return layer;
    }

    @Override
    public ParamInitializer initializer() {
        return SecureParamInitializer.getInstance();
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        return SecureLayerChecks.memoryReport(this, inputType, getOutputType(-1, inputType), SecureDenseLayer.class);
    }

    @Override
    public Layer toPlain() {
        DenseLayer.Builder b = new DenseLayer.Builder().nIn(getNIn()).nOut(getNOut()).hasBias(hasBias)
                .activation(Activation.IDENTITY).weightInit(getWeightInitFn()).biasInit(getBiasInit())
                .updater(getIUpdater()).biasUpdater(getBiasUpdater());
        if (layerName != null) {
            b.name(layerName);
        }
        return b.build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SecureDenseLayer other && super.equals(o) && hasBias == other.hasBias;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), hasBias);
    }

    /** Builder, as DL4J's {@code DenseLayer.Builder}. */
    public static class Builder extends FeedForwardLayer.Builder<Builder> {
        private boolean hasBias = true;

        /** Include the bias (default true). */
        public Builder hasBias(boolean hasBias) {
            this.hasBias = hasBias;
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public SecureDenseLayer build() {
            return new SecureDenseLayer(this);
        }
    }
}
