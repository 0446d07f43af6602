package org.fastcrypt4j.nn.conf;

import java.util.Objects;

import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.InputTypeUtil;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.fastcrypt4j.nn.layers.SecureGlobalPooling;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Global pooling over the spatial dimensions on shares, with DL4J's {@link GlobalPoolingLayer} semantics: CNN input
 * [N, C, H, W] becomes [N, C] (DL4J's default {@code collapseDimensions = true}) or [N, C, 1, 1]; a time series
 * [N, C, T] (NCW) is pooled over T to [N, C] or [N, C, 1]. Pooling AVG, SUM or MAX; PNORM, other pooling dimensions
 * and masks are refused. Runtime layer
 * {@link SecureGlobalPooling}.
 *
 * <p>A dropout on this configuration is kept (the plaintext twin carries it) but, as in DL4J's global pooling layer,
 * not applied.
 */
public class SecureGlobalPoolingLayer extends SecureNoParamLayer {
    private static final long serialVersionUID = 1L;
    private static final String TYPE = "SecureGlobalPoolingLayer";

    private PoolingType poolingType = PoolingType.MAX;
    private boolean collapseDimensions = true;

    /** For JSON. */
    protected SecureGlobalPoolingLayer() {
    }

    private SecureGlobalPoolingLayer(Builder b) {
        super(b);
        String problem = problem(b.poolingType);
        if (problem != null) {
            throw new IllegalArgumentException(TYPE + SecureLayerChecks.named(layerName) + ": " + problem);
        }
        poolingType = b.poolingType;
        collapseDimensions = b.collapseDimensions;
    }

    /** Why a pooling type cannot run on shares, or null. */
    public static String problem(PoolingType type) {
        if (type == PoolingType.AVG || type == PoolingType.SUM || type == PoolingType.MAX) {
            return null;
        }
        return "global pooling " + type + " not supported (AVG, SUM or MAX)";
    }

    public PoolingType getPoolingType() {
        return poolingType;
    }

    public boolean isCollapseDimensions() {
        return collapseDimensions;
    }

    /** Bean setters (DL4J's JSON mapping uses them). */
    public void setPoolingType(PoolingType t) {
        poolingType = t;
    }

    public void setCollapseDimensions(boolean v) {
        collapseDimensions = v;
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        if (inputType instanceof InputType.InputTypeRecurrent) {
            long size = Sequences.ncw(inputType, TYPE, layerName, layerIndex).getSize();
            return collapseDimensions ? InputType.feedForward(size) : InputType.recurrent(size, 1);
        }
        long channels = SecureLayerChecks.requireCnn(inputType, TYPE, layerName, " (layer " + layerIndex + ")")
                .getChannels();
        return collapseDimensions ? InputType.feedForward(channels) : InputType.convolutional(1, 1, channels);
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        if (inputType instanceof InputType.InputTypeRecurrent) {
            return null;   // pooled over time as it is
        }
        return InputTypeUtil.getPreProcessorForInputTypeCnnLayers(inputType, getLayerName());
    }

    @Override
    protected org.deeplearning4j.nn.api.Layer runtimeLayer(NeuralNetConfiguration conf, DataType networkDataType) {
        return new SecureGlobalPooling(conf, networkDataType);
    }

    @Override
    public Layer toPlain() {
        GlobalPoolingLayer.Builder b = new GlobalPoolingLayer.Builder(poolingType).collapseDimensions(collapseDimensions);
        return SecureLayerChecks.withDropout(SecureLayerChecks.withName(b, layerName), getIDropout()).build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SecureGlobalPoolingLayer g && super.equals(o) && poolingType == g.poolingType
                && collapseDimensions == g.collapseDimensions;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), poolingType, collapseDimensions);
    }

    /** Builder, as DL4J's {@code GlobalPoolingLayer.Builder}. */
    public static class Builder extends Layer.Builder<Builder> {
        private PoolingType poolingType = PoolingType.MAX;
        private boolean collapseDimensions = true;

        public Builder() {
        }

        public Builder(PoolingType type) {
            poolingType = type;
        }

        public Builder poolingType(PoolingType type) {
            poolingType = type;
            return this;
        }

        /** True (DL4J's default): [N, C]; false: [N, C, 1, 1]. */
        public Builder collapseDimensions(boolean collapse) {
            collapseDimensions = collapse;
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public SecureGlobalPoolingLayer build() {
            return new SecureGlobalPoolingLayer(this);
        }
    }
}
