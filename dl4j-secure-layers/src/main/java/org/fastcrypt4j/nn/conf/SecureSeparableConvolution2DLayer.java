package org.fastcrypt4j.nn.conf;

import java.util.Objects;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;
import org.fastcrypt4j.nn.layers.SecureSeparableConvolution2D;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * DL4J's {@link SeparableConvolution2D} (Xception's) on shares, NCHW: a depthwise convolution (each input channel c
 * with its own {@code depthMultiplier} kernels, output channel {@code c * depthMultiplier + m}, DL4J's order) then a
 * pointwise 1x1 convolution to nOut channels, plus the bias. Parameters in DL4J's layouts: {@code W [depthMultiplier,
 * nIn, kH, kW]}, {@code pW [nOut, nIn * depthMultiplier, 1, 1]}, {@code b [1, nOut]}. Runtime layer
 * {@link SecureSeparableConvolution2D}; a fused activation becomes its own layer, as for the other convolutions.
 */
public class SecureSeparableConvolution2DLayer extends SecureConvolutionLayer {
    private static final long serialVersionUID = 1L;

    /** DL4J's key of the pointwise weights. */
    public static final String POINTWISE_KEY = "pW";

    private int depthMultiplier = 1;

    /** For JSON. */
    protected SecureSeparableConvolution2DLayer() {
    }

    private SecureSeparableConvolution2DLayer(Builder b) {
        super(b);
        if (b.depthMultiplier < 1) {
            throw new IllegalArgumentException("SecureSeparableConvolution2DLayer" + SecureLayerChecks.named(layerName)
                    + ": depth multiplier must be >= 1, got " + b.depthMultiplier);
        }
        depthMultiplier = b.depthMultiplier;
    }

    public int getDepthMultiplier() {
        return depthMultiplier;
    }

    public void setDepthMultiplier(int depthMultiplier) {
        this.depthMultiplier = depthMultiplier;
    }

    @Override
    protected org.deeplearning4j.nn.api.Layer runtimeLayer(NeuralNetConfiguration conf, DataType networkDataType) {
        return new SecureSeparableConvolution2D(conf, networkDataType);
    }

    @Override
    public Layer toPlain() {
        return twin(new SeparableConvolution2D.Builder(getKernelSize(), getStride(), getPadding()))
                .depthMultiplier(depthMultiplier).dilation(getDilation()).convolutionMode(getConvolutionMode())
                .hasBias(hasBias()).activation(Activation.IDENTITY)
                .dataFormat(CNN2DFormat.NCHW).build();   // DL4J's own default is unset until an InputType sets it
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SecureSeparableConvolution2DLayer s && super.equals(o)
                && depthMultiplier == s.depthMultiplier;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), depthMultiplier);
    }

    /** Builder, as DL4J's {@code SeparableConvolution2D.Builder}. */
    public static class Builder extends SecureConvolutionLayer.Builder {
        private int depthMultiplier = 1;

        public Builder() {
        }

        public Builder(int... kernelSize) {
            super(kernelSize);
        }

        public Builder depthMultiplier(int m) {
            depthMultiplier = m;
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public SecureSeparableConvolution2DLayer build() {
            return new SecureSeparableConvolution2DLayer(this);
        }
    }
}
