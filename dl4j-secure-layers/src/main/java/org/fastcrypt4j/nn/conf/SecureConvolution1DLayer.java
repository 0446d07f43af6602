package org.fastcrypt4j.nn.conf;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.InputTypeUtil;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.fastcrypt4j.nn.layers.SecureConvolution1D;
import org.fastcrypt4j.ring.ConvGeometry;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * DL4J's {@link Convolution1DLayer} on shares: input {@code [N, nIn, T]} (NCW), output {@code [N, nOut, T']}, kernel
 * k, stride s, padding p, dilation d and the modes Truncate, Same, Strict and Causal (zeros {@code (k - 1) d} in front
 * of the sequence, so {@code T' = ceil(T / s)} and no output sees a later step). Computed as DL4J defines it: the 2-D
 * convolution of {@code [N, nIn, T, 1]} with a {@code k x 1} kernel. Weights {@code [nOut, nIn, k, 1]} and bias
 * {@code [1, nOut]} as DL4J shapes them, with DL4J's reading of the weight buffer (see {@link SecureConvolution1D}).
 * Linear only; runtime layer {@link SecureConvolution1D}.
 */
public class SecureConvolution1DLayer extends SecureConvolutionLayer {
    private static final long serialVersionUID = 1L;
    private static final String TYPE = "SecureConvolution1DLayer";

    /** For JSON. */
    protected SecureConvolution1DLayer() {
    }

    private SecureConvolution1DLayer(Builder b) {
        super(b);
    }

    /** The leading zeros of the Causal mode, {@code (k - 1) d}; 0 in the other modes. */
    public int causalPadding() {
        return getConvolutionMode() == ConvolutionMode.Causal ? (getKernelSize()[0] - 1) * getDilation()[0] : 0;
    }

    /** The 2-D geometry on {@code [N, C, T + causalPadding(), 1]}; Causal runs as Truncate without padding. */
    @Override
    public ConvGeometry geometry() {
        int[] k = getKernelSize();
        int[] s = getStride();
        int[] p = getPadding();
        int[] d = getDilation();
        Sequences.requireOneDimensional(k, s, p, d, TYPE, layerName);
        if (getConvolutionMode() == ConvolutionMode.Causal) {
            return ConvGeometry.of(k[0], 1, s[0], 1, 0, 0, d[0], 1, ConvGeometry.Mode.TRUNCATE);
        }
        return SecureLayerChecks.geometry(k, s, p, d, getConvolutionMode(), TYPE, layerName);
    }

    /** The output length for an input of length {@code t}. */
    public int outputLength(int t) {
        return geometry().outputHeight(t + causalPadding());
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        InputType.InputTypeRecurrent r = Sequences.ncw(inputType, TYPE, layerName, layerIndex);
        long t = r.getTimeSeriesLength();
        return t > 0 ? InputType.recurrent(getNOut(), outputLength((int) t)) : InputType.recurrent(getNOut());
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        InputType.InputTypeRecurrent r = Sequences.ncw(inputType, TYPE, layerName, -1);
        if (nIn <= 0 || override) {
            nIn = r.getSize();
        }
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return InputTypeUtil.getPreprocessorForInputTypeRnnLayers(inputType, RNNFormat.NCW, getLayerName());
    }

    @Override
    protected org.deeplearning4j.nn.api.Layer runtimeLayer(NeuralNetConfiguration conf, DataType networkDataType) {
        return new SecureConvolution1D(conf, networkDataType);
    }

    @Override
    public Layer toPlain() {
        return twin(new Convolution1DLayer.Builder(getKernelSize()[0], getStride()[0], getPadding()[0]))
                .dilation(getDilation()[0]).convolutionMode(getConvolutionMode()).hasBias(hasBias())
                .rnnDataFormat(RNNFormat.NCW).activation(Activation.IDENTITY).build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SecureConvolution1DLayer && super.equals(o);
    }

    @Override
    public int hashCode() {
        return super.hashCode();
    }

    /** Builder, as DL4J's {@code Convolution1DLayer.Builder}: one value per option. */
    public static class Builder extends SecureConvolutionLayer.Builder {

        public Builder() {
            kernelSize(5);
        }

        public Builder(int kernelSize) {
            kernelSize(kernelSize);
        }

        public Builder(int kernelSize, int stride, int padding) {
            kernelSize(kernelSize).stride(stride).padding(padding);
        }

        public Builder kernelSize(int k) {
            super.kernelSize(k, 1);
            return this;
        }

        public Builder stride(int s) {
            super.stride(s, 1);
            return this;
        }

        public Builder padding(int p) {
            super.padding(p, 0);
            return this;
        }

        public Builder dilation(int d) {
            super.dilation(d, 1);
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public SecureConvolution1DLayer build() {
            return new SecureConvolution1DLayer(this);
        }
    }
}
