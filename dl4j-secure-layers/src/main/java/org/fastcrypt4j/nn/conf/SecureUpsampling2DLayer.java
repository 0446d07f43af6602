package org.fastcrypt4j.nn.conf;

import java.util.Arrays;
import java.util.Objects;

import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.InputTypeUtil;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.fastcrypt4j.nn.layers.SecureUpsampling2D;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * DL4J's {@link Upsampling2D} on shares, NCHW: [N, C, H, W] becomes [N, C, H * sH, W * sW], each value repeated over
 * an sH x sW block (nearest neighbour); the backward pass sums each block of the gradient. Local and exact (no rounds,
 * no truncation); runtime layer {@link SecureUpsampling2D}.
 *
 * <p>DL4J applies a dropout on its Upsampling2D to the input; the secure network does not, so
 * {@code SecureConversion} refuses an Upsampling2D carrying one. A dropout set on this configuration directly is kept
 * for the twin only.
 */
public class SecureUpsampling2DLayer extends SecureNoParamLayer {
    private static final long serialVersionUID = 1L;
    private static final String TYPE = "SecureUpsampling2DLayer";

    private int[] size = {1, 1};

    /** For JSON. */
    protected SecureUpsampling2DLayer() {
    }

    private SecureUpsampling2DLayer(Builder b) {
        super(b);
        int[] s = SecureLayerChecks.pair(SecureLayerChecks.square(b.size), "size", TYPE, layerName);
        if (s[0] < 1 || s[1] < 1) {
            throw new IllegalArgumentException(TYPE + SecureLayerChecks.named(layerName) + ": size must be >= 1, got "
                    + Arrays.toString(s));
        }
        size = s;
    }

    /** [sH, sW]: how often each value is repeated down and across. */
    public int[] getSize() {
        return size.clone();
    }

    /** Bean setter (DL4J's JSON mapping uses it). */
    public void setSize(int[] v) {
        size = v.clone();
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        InputType.InputTypeConvolutional c = SpatialAmounts.nchw(inputType, TYPE, layerName, layerIndex);
        return InputType.convolutional(c.getHeight() * size[0], c.getWidth() * size[1], c.getChannels());
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return InputTypeUtil.getPreProcessorForInputTypeCnnLayers(inputType, getLayerName());
    }

    @Override
    protected org.deeplearning4j.nn.api.Layer runtimeLayer(NeuralNetConfiguration conf, DataType networkDataType) {
        return new SecureUpsampling2D(conf, networkDataType);
    }

    @Override
    public Layer toPlain() {
        Upsampling2D.Builder b = new Upsampling2D.Builder().size(size.clone());
        return SecureLayerChecks.withDropout(SecureLayerChecks.withName(b, layerName), getIDropout()).build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SecureUpsampling2DLayer u && super.equals(o) && Arrays.equals(size, u.size);
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), Arrays.hashCode(size));
    }

    /** Builder, as DL4J's {@code Upsampling2D.Builder}. */
    public static class Builder extends Layer.Builder<Builder> {
        private int[] size = {1, 1};

        public Builder() {
        }

        /** The same size down and across. */
        public Builder(int size) {
            this.size = new int[] {size, size};
        }

        public Builder size(int size) {
            this.size = new int[] {size, size};
            return this;
        }

        /** [sH, sW]. */
        public Builder size(int[] size) {
            this.size = size;
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public SecureUpsampling2DLayer build() {
            return new SecureUpsampling2DLayer(this);
        }
    }
}
