package org.fastcrypt4j.nn.conf;

import java.util.Arrays;
import java.util.Objects;

import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.InputTypeUtil;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.fastcrypt4j.nn.layers.SecureZeroPadding;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * DL4J's {@link ZeroPaddingLayer} on shares, NCHW: [N, C, H, W] becomes [N, C, top + H + bottom, left + W + right]
 * with zeros around. Local and exact (no rounds, no truncation); runtime layer {@link SecureZeroPadding}. As in DL4J,
 * a dropout on this configuration is kept for the twin but not applied.
 */
public class SecureZeroPaddingLayer extends SecureNoParamLayer {
    private static final long serialVersionUID = 1L;
    private static final String TYPE = "SecureZeroPaddingLayer";

    private int[] padding = {0, 0, 0, 0};

    /** For JSON. */
    protected SecureZeroPaddingLayer() {
    }

    private SecureZeroPaddingLayer(Builder b) {
        super(b);
        padding = SpatialAmounts.four(b.padding, "padding", TYPE, layerName);
    }

    /** [top, bottom, left, right]. */
    public int[] getPadding() {
        return padding.clone();
    }

    /** Bean setter (DL4J's JSON mapping uses it). */
    public void setPadding(int[] v) {
        padding = v.clone();
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        InputType.InputTypeConvolutional c = SpatialAmounts.nchw(inputType, TYPE, layerName, layerIndex);
        return InputType.convolutional(c.getHeight() + padding[0] + padding[1], c.getWidth() + padding[2] + padding[3],
                c.getChannels());
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return InputTypeUtil.getPreProcessorForInputTypeCnnLayers(inputType, getLayerName());
    }

    @Override
    protected org.deeplearning4j.nn.api.Layer runtimeLayer(NeuralNetConfiguration conf, DataType networkDataType) {
        return new SecureZeroPadding(conf, networkDataType);
    }

    @Override
    public Layer toPlain() {
        ZeroPaddingLayer.Builder b = new ZeroPaddingLayer.Builder(padding.clone());
        return SecureLayerChecks.withDropout(SecureLayerChecks.withName(b, layerName), getIDropout()).build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SecureZeroPaddingLayer z && super.equals(o) && Arrays.equals(padding, z.padding);
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), Arrays.hashCode(padding));
    }

    /** Builder, as DL4J's {@code ZeroPaddingLayer.Builder}. */
    public static class Builder extends Layer.Builder<Builder> {
        private int[] padding = {0, 0, 0, 0};

        /** Padding {@code [all]}, {@code [topAndBottom, leftAndRight]} or {@code [top, bottom, left, right]}. */
        public Builder(int... padding) {
            this.padding = padding;
        }

        public Builder(int padTop, int padBottom, int padLeft, int padRight) {
            this(new int[] {padTop, padBottom, padLeft, padRight});
        }

        @Override
        @SuppressWarnings("unchecked")
        public SecureZeroPaddingLayer build() {
            return new SecureZeroPaddingLayer(this);
        }
    }
}
