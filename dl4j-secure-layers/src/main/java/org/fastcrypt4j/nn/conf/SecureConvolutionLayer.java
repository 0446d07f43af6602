package org.fastcrypt4j.nn.conf;

import java.util.Arrays;
import java.util.Collection;
import java.util.Objects;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.InputTypeUtil;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.fastcrypt4j.nn.layers.SecureConvolution;
import org.fastcrypt4j.ring.ConvGeometry;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A 2-D convolution on shares, NCHW, with DL4J's {@link ConvolutionLayer} semantics: kernel, stride, padding,
 * dilation, {@link ConvolutionMode} Truncate, Same or Strict, optional bias. Weights {@code [nOut, nIn, kH, kW]}
 * and bias {@code [1, nOut]} are secret-shared. Linear only (a ReLU goes in a {@link SecureActivationLayer}).
 * Runtime layer {@link SecureConvolution}.
 */
public class SecureConvolutionLayer extends FeedForwardLayer implements SecureLayerConf {
    private static final long serialVersionUID = 1L;

    private int[] kernelSize = {5, 5};
    private int[] stride = {1, 1};
    private int[] padding = {0, 0};
    private int[] dilation = {1, 1};
    private ConvolutionMode convolutionMode = ConvolutionMode.Truncate;
    private boolean hasBias = true;

    /** For JSON. */
    protected SecureConvolutionLayer() {
        setActivationFn(Activation.IDENTITY.getActivationFunction());
    }

    private SecureConvolutionLayer(Builder b) {
        super(b);
        String type = "SecureConvolutionLayer";
        kernelSize = SecureLayerChecks.pair(b.kernelSize, "kernel size", type, layerName);
        stride = SecureLayerChecks.pair(b.stride, "stride", type, layerName);
        padding = SecureLayerChecks.pair(b.padding, "padding", type, layerName);
        dilation = SecureLayerChecks.pair(b.dilation, "dilation", type, layerName);
        convolutionMode = b.convolutionMode == null ? ConvolutionMode.Truncate : b.convolutionMode;
        hasBias = b.hasBias;
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
        if (inputType == null || inputType.getType() != InputType.Type.CNN) {
            throw new IllegalStateException("SecureConvolutionLayer" + SecureLayerChecks.named(layerName) + " (layer "
                    + layerIndex + ") needs a convolutional input type, got " + inputType);
        }
        return InputTypeUtil.getOutputTypeCnnLayers(inputType, kernelSize, stride, padding, dilation, convolutionMode,
                nOut, layerIndex, getLayerName(), SecureConvolutionLayer.class);
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        if (inputType == null || inputType.getType() != InputType.Type.CNN) {
            throw new IllegalStateException("SecureConvolutionLayer" + SecureLayerChecks.named(layerName)
                    + " needs a convolutional input type, got " + inputType);
        }
        if (nIn <= 0 || override) {
            nIn = ((InputType.InputTypeConvolutional) inputType).getChannels();
        }
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return InputTypeUtil.getPreProcessorForInputTypeCnnLayers(inputType, getLayerName());
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
            Collection<TrainingListener> listeners, int layerIndex, INDArray paramsView, boolean initializeParams,
            DataType networkDataType) {
        LayerValidation.assertNInNOutSet("SecureConvolutionLayer", getLayerName(), layerIndex, getNIn(), getNOut());
        SecureConvolution layer = new SecureConvolution(conf, networkDataType);
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
        return SecureLayerChecks.memoryReport(this, inputType, getOutputType(-1, inputType), SecureConvolutionLayer.class);
    }

    @Override
    public Layer toPlain() {
        ConvolutionLayer.Builder b = new ConvolutionLayer.Builder(kernelSize, stride, padding).dilation(dilation)
                .convolutionMode(convolutionMode).nIn(getNIn()).nOut(getNOut()).hasBias(hasBias)
                .activation(Activation.IDENTITY).weightInit(getWeightInitFn()).biasInit(getBiasInit())
                .updater(getIUpdater()).biasUpdater(getBiasUpdater());
        if (layerName != null) {
            b.name(layerName);
        }
        return b.build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SecureConvolutionLayer c && super.equals(o) && Arrays.equals(kernelSize, c.kernelSize)
                && Arrays.equals(stride, c.stride) && Arrays.equals(padding, c.padding)
                && Arrays.equals(dilation, c.dilation) && convolutionMode == c.convolutionMode && hasBias == c.hasBias;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), Arrays.hashCode(kernelSize), Arrays.hashCode(stride),
                Arrays.hashCode(padding), Arrays.hashCode(dilation), convolutionMode, hasBias);
    }

    /** Builder, as DL4J's {@code ConvolutionLayer.Builder}. */
    public static class Builder extends FeedForwardLayer.Builder<Builder> {
        private int[] kernelSize = {5, 5};
        private int[] stride = {1, 1};
        private int[] padding = {0, 0};
        private int[] dilation = {1, 1};
        private ConvolutionMode convolutionMode = ConvolutionMode.Truncate;
        private boolean hasBias = true;

        public Builder() {
        }

        public Builder(int... kernelSize) {
            kernelSize(kernelSize);
        }

        public Builder kernelSize(int... k) {
            kernelSize = square(k);
            return this;
        }

        public Builder stride(int... s) {
            stride = square(s);
            return this;
        }

        public Builder padding(int... p) {
            padding = square(p);
            return this;
        }

        public Builder dilation(int... d) {
            dilation = square(d);
            return this;
        }

        public Builder convolutionMode(ConvolutionMode mode) {
            convolutionMode = mode;
            return this;
        }

        public Builder hasBias(boolean b) {
            hasBias = b;
            return this;
        }

        private static int[] square(int[] v) {
            return v != null && v.length == 1 ? new int[] {v[0], v[0]} : v;
        }

        @Override
        @SuppressWarnings("unchecked")
        public SecureConvolutionLayer build() {
            return new SecureConvolutionLayer(this);
        }
    }
}
