package org.fastcrypt4j.nn.conf;

import java.util.Arrays;
import java.util.Objects;

import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.InputTypeUtil;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.convolutional.Cropping2D;
import org.fastcrypt4j.nn.layers.SecureCropping2D;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * DL4J's {@link Cropping2D} on shares, NCHW: [N, C, H, W] becomes [N, C, H - top - bottom, W - left - right], the
 * rows and columns kept. Local and exact (no rounds, no truncation); the backward pass pads the gradient with zeros.
 * Runtime layer {@link SecureCropping2D}. As in DL4J, a dropout on this configuration is kept for the twin but not
 * applied.
 */
public class SecureCropping2DLayer extends SecureNoParamLayer {
    private static final long serialVersionUID = 1L;
    private static final String TYPE = "SecureCropping2DLayer";

    private int[] cropping = {0, 0, 0, 0};

    /** For JSON. */
    protected SecureCropping2DLayer() {
    }

    private SecureCropping2DLayer(Builder b) {
        super(b);
        cropping = SpatialAmounts.four(b.cropping, "cropping", TYPE, layerName);
    }

    /** [top, bottom, left, right]. */
    public int[] getCropping() {
        return cropping.clone();
    }

    /** Bean setter (DL4J's JSON mapping uses it). */
    public void setCropping(int[] v) {
        cropping = v.clone();
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        InputType.InputTypeConvolutional c = SpatialAmounts.nchw(inputType, TYPE, layerName, layerIndex);
        long h = c.getHeight() - cropping[0] - cropping[1];
        long w = c.getWidth() - cropping[2] - cropping[3];
        if (h < 1 || w < 1) {
            throw new IllegalStateException(TYPE + SecureLayerChecks.named(layerName) + " (layer " + layerIndex
                    + "): cropping " + Arrays.toString(cropping) + " leaves nothing of " + c.getHeight() + "x"
                    + c.getWidth());
        }
        return InputType.convolutional(h, w, c.getChannels());
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return InputTypeUtil.getPreProcessorForInputTypeCnnLayers(inputType, getLayerName());
    }

    @Override
    protected org.deeplearning4j.nn.api.Layer runtimeLayer(NeuralNetConfiguration conf, DataType networkDataType) {
        return new SecureCropping2D(conf, networkDataType);
    }

    @Override
    public Layer toPlain() {
        Cropping2D.Builder b = new Cropping2D.Builder(cropping.clone());
        return SecureLayerChecks.withDropout(SecureLayerChecks.withName(b, layerName), getIDropout()).build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SecureCropping2DLayer z && super.equals(o) && Arrays.equals(cropping, z.cropping);
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), Arrays.hashCode(cropping));
    }

    /** Builder, as DL4J's {@code Cropping2D.Builder}. */
    public static class Builder extends Layer.Builder<Builder> {
        private int[] cropping = {0, 0, 0, 0};

        /**
         * Cropping {@code [all]}, {@code [topAndBottom, leftAndRight]} or {@code [top, bottom, left, right]}; none
         * (as DL4J's no-argument builder) crops nothing.
         */
        public Builder(int... cropping) {
            this.cropping = cropping.length == 0 ? this.cropping : cropping;
        }

        public Builder(int cropTop, int cropBottom, int cropLeft, int cropRight) {
            this(new int[] {cropTop, cropBottom, cropLeft, cropRight});
        }

        @Override
        @SuppressWarnings("unchecked")
        public SecureCropping2DLayer build() {
            return new SecureCropping2DLayer(this);
        }
    }
}
