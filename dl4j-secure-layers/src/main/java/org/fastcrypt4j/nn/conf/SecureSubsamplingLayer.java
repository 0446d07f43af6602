package org.fastcrypt4j.nn.conf;

import java.util.Arrays;
import java.util.Objects;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.InputTypeUtil;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.fastcrypt4j.nn.layers.SecureSubsampling;
import org.fastcrypt4j.ring.ConvGeometry;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * 2-D max or average pooling on shares, NCHW, with DL4J's {@link SubsamplingLayer} semantics (kernel, stride,
 * padding, dilation, convolution mode, and for average pooling whether padding counts in the divisor). Max
 * pooling keeps a secret one-hot argmax for the backward pass. Runtime layer {@link SecureSubsampling}.
 */
public class SecureSubsamplingLayer extends SecureNoParamLayer {
    private static final long serialVersionUID = 1L;

    private PoolingType poolingType = PoolingType.MAX;
    private int[] kernelSize = {2, 2};
    private int[] stride = {2, 2};
    private int[] padding = {0, 0};
    private int[] dilation = {1, 1};
    private ConvolutionMode convolutionMode = ConvolutionMode.Truncate;
    private boolean avgPoolIncludePadInDivisor = true;

    /** For JSON. */
    protected SecureSubsamplingLayer() {
    }

    protected SecureSubsamplingLayer(Builder b) {
        super(b);
        String type = "SecureSubsamplingLayer";
        if (b.poolingType != PoolingType.MAX && b.poolingType != PoolingType.AVG) {
            throw new IllegalArgumentException(type + SecureLayerChecks.named(layerName) + ": pooling " + b.poolingType
                    + " not supported (MAX or AVG)");
        }
        poolingType = b.poolingType;
        kernelSize = SecureLayerChecks.pair(b.kernelSize, "kernel size", type, layerName);
        stride = SecureLayerChecks.pair(b.stride, "stride", type, layerName);
        padding = SecureLayerChecks.pair(b.padding, "padding", type, layerName);
        dilation = SecureLayerChecks.pair(b.dilation, "dilation", type, layerName);
        convolutionMode = b.convolutionMode == null ? ConvolutionMode.Truncate : b.convolutionMode;
        avgPoolIncludePadInDivisor = b.avgPoolIncludePadInDivisor;
        geometry();
    }

    public PoolingType getPoolingType() {
        return poolingType;
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

    public boolean isAvgPoolIncludePadInDivisor() {
        return avgPoolIncludePadInDivisor;
    }

    /** Bean setters (DL4J's JSON mapping uses them). */
    public void setAvgPoolIncludePadInDivisor(boolean v) {
        avgPoolIncludePadInDivisor = v;
    }

    public void setPoolingType(PoolingType t) {
        poolingType = t;
    }

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

    /** The ring kernels' description of the pooling windows. */
    public ConvGeometry geometry() {
        return SecureLayerChecks.geometry(kernelSize, stride, padding, dilation, convolutionMode,
                "SecureSubsamplingLayer", layerName);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        long channels = SecureLayerChecks.requireCnn(inputType, "SecureSubsamplingLayer", layerName,
                " (layer " + layerIndex + ")").getChannels();
        return InputTypeUtil.getOutputTypeCnnLayers(inputType, kernelSize, stride, padding, dilation, convolutionMode,
                channels, layerIndex, getLayerName(), SecureSubsamplingLayer.class);
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return InputTypeUtil.getPreProcessorForInputTypeCnnLayers(inputType, getLayerName());
    }

    @Override
    protected org.deeplearning4j.nn.api.Layer runtimeLayer(NeuralNetConfiguration conf, DataType networkDataType) {
        return new SecureSubsampling(conf, networkDataType);
    }

    @Override
    public Layer toPlain() {
        SubsamplingLayer.Builder b = new SubsamplingLayer.Builder(poolingType, kernelSize, stride, padding)
                .dilation(dilation).convolutionMode(convolutionMode)
                .avgPoolIncludePadInDivisor(avgPoolIncludePadInDivisor);
        return SecureLayerChecks.withName(b, layerName).build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SecureSubsamplingLayer s && super.equals(o) && poolingType == s.poolingType
                && Arrays.equals(kernelSize, s.kernelSize) && Arrays.equals(stride, s.stride)
                && Arrays.equals(padding, s.padding) && Arrays.equals(dilation, s.dilation)
                && convolutionMode == s.convolutionMode && avgPoolIncludePadInDivisor == s.avgPoolIncludePadInDivisor;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), poolingType, Arrays.hashCode(kernelSize), Arrays.hashCode(stride),
                Arrays.hashCode(padding), Arrays.hashCode(dilation), convolutionMode, avgPoolIncludePadInDivisor);
    }

    /** Builder, as DL4J's {@code SubsamplingLayer.Builder}. */
    public static class Builder extends Layer.Builder<Builder> {
        private PoolingType poolingType = PoolingType.MAX;
        private int[] kernelSize = {2, 2};
        private int[] stride = {2, 2};
        private int[] padding = {0, 0};
        private int[] dilation = {1, 1};
        private ConvolutionMode convolutionMode = ConvolutionMode.Truncate;
        private boolean avgPoolIncludePadInDivisor = true;

        public Builder() {
        }

        public Builder(PoolingType type) {
            poolingType = type;
        }

        public Builder(PoolingType type, int[] kernelSize, int[] stride) {
            poolingType = type;
            this.kernelSize = kernelSize;
            this.stride = stride;
        }

        public Builder poolingType(PoolingType type) {
            poolingType = type;
            return this;
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

        /** Average pooling: divide by the whole window (true, DL4J's default) or by the entries inside the input. */
        public Builder avgPoolIncludePadInDivisor(boolean include) {
            avgPoolIncludePadInDivisor = include;
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public SecureSubsamplingLayer build() {
            return new SecureSubsamplingLayer(this);
        }
    }
}
