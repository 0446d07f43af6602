package org.fastcrypt4j.nn.conf;

import java.util.Arrays;
import java.util.Objects;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.InputTypeUtil;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.fastcrypt4j.nn.layers.SecureConvolution;
import org.fastcrypt4j.ring.ConvGeometry;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A 2-D convolution on shares, NCHW, with DL4J's {@link ConvolutionLayer} semantics: kernel, stride, padding,
 * dilation, {@link ConvolutionMode} Truncate, Same or Strict, optional bias. Weights {@code [nOut, nIn, kH, kW]}
 * and bias {@code [1, nOut]} are secret-shared. Linear only (an activation goes in a {@link SecureActivationLayer}).
 * Runtime layer {@link SecureConvolution}.
 */
public class SecureConvolutionLayer extends SecureFeedForwardLayer {
    private static final long serialVersionUID = 1L;

    private int[] kernelSize = {5, 5};
    private int[] stride = {1, 1};
    private int[] padding = {0, 0};
    private int[] dilation = {1, 1};
    private ConvolutionMode convolutionMode = ConvolutionMode.Truncate;

    /** For JSON. */
    protected SecureConvolutionLayer() {
        setActivationFn(Activation.IDENTITY.getActivationFunction());
    }

    protected SecureConvolutionLayer(Builder b) {
        super(b);
        String type = "SecureConvolutionLayer";
        kernelSize = SecureLayerChecks.pair(b.kernelSize, "kernel size", type, layerName);
        stride = SecureLayerChecks.pair(b.stride, "stride", type, layerName);
        padding = SecureLayerChecks.pair(b.padding, "padding", type, layerName);
        dilation = SecureLayerChecks.pair(b.dilation, "dilation", type, layerName);
        convolutionMode = b.convolutionMode == null ? ConvolutionMode.Truncate : b.convolutionMode;
        SecureLayerChecks.requireLinear(type, b.getActivationFn(), layerName);
        setActivationFn(Activation.IDENTITY.getActivationFunction());
        geometry();
        initializeConstraints(b);
    }

    public int[] getKernelSize() {
        return kernelSize.clone();
    }

    public int[] getStride() {
        return stride.clone();
    }

    public int[] getPadding() {
        return padding.clone();
    }

    public int[] getDilation() {
        return dilation.clone();
    }

    public ConvolutionMode getConvolutionMode() {
        return convolutionMode;
    }

    /** Bean setters (DL4J's JSON mapping uses them). */
    public void setKernelSize(int[] v) {
        kernelSize = v.clone();
    }

    public void setStride(int[] v) {
        stride = v.clone();
    }

    public void setPadding(int[] v) {
        padding = v.clone();
    }

    public void setDilation(int[] v) {
        dilation = v.clone();
    }

    public void setConvolutionMode(ConvolutionMode m) {
        convolutionMode = m;
    }

    /** The ring kernels' description of this convolution. */
    public ConvGeometry geometry() {
        return SecureLayerChecks.geometry(kernelSize, stride, padding, dilation, convolutionMode,
                "SecureConvolutionLayer", layerName);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        SecureLayerChecks.requireCnn(inputType, "SecureConvolutionLayer", layerName, " (layer " + layerIndex + ")");
        return InputTypeUtil.getOutputTypeCnnLayers(inputType, kernelSize, stride, padding, dilation, convolutionMode,
                nOut, layerIndex, getLayerName(), SecureConvolutionLayer.class);
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        InputType.InputTypeConvolutional cnn =
                SecureLayerChecks.requireCnn(inputType, "SecureConvolutionLayer", layerName, "");
        if (nIn <= 0 || override) {
            nIn = cnn.getChannels();
        }
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return InputTypeUtil.getPreProcessorForInputTypeCnnLayers(inputType, getLayerName());
    }

    @Override
    protected org.deeplearning4j.nn.api.Layer runtimeLayer(NeuralNetConfiguration conf, DataType networkDataType) {
        return new SecureConvolution(conf, networkDataType);
    }

    @Override
    public Layer toPlain() {
        return twin(new ConvolutionLayer.Builder(kernelSize, stride, padding)).dilation(dilation)
                .convolutionMode(convolutionMode).hasBias(hasBias()).activation(Activation.IDENTITY).build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SecureConvolutionLayer c && super.equals(o) && Arrays.equals(kernelSize, c.kernelSize)
                && Arrays.equals(stride, c.stride) && Arrays.equals(padding, c.padding)
                && Arrays.equals(dilation, c.dilation) && convolutionMode == c.convolutionMode;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), Arrays.hashCode(kernelSize), Arrays.hashCode(stride),
                Arrays.hashCode(padding), Arrays.hashCode(dilation), convolutionMode);
    }

    /** Builder, as DL4J's {@code ConvolutionLayer.Builder}. */
    public static class Builder extends SecureFeedForwardLayer.Builder<Builder> {
        private int[] kernelSize = {5, 5};
        private int[] stride = {1, 1};
        private int[] padding = {0, 0};
        private int[] dilation = {1, 1};
        private ConvolutionMode convolutionMode = ConvolutionMode.Truncate;

        public Builder() {
        }

        public Builder(int... kernelSize) {
            kernelSize(kernelSize);
        }

        public Builder kernelSize(int... k) {
            kernelSize = SecureLayerChecks.square(k);
            return this;
        }

        public Builder stride(int... s) {
            stride = SecureLayerChecks.square(s);
            return this;
        }

        public Builder padding(int... p) {
            padding = SecureLayerChecks.square(p);
            return this;
        }

        public Builder dilation(int... d) {
            dilation = SecureLayerChecks.square(d);
            return this;
        }

        public Builder convolutionMode(ConvolutionMode mode) {
            convolutionMode = mode;
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public SecureConvolutionLayer build() {
            return new SecureConvolutionLayer(this);
        }
    }
}
