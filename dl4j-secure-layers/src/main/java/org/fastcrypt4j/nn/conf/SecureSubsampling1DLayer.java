package org.fastcrypt4j.nn.conf;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.InputTypeUtil;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.Subsampling1DLayer;
import org.fastcrypt4j.nn.layers.SecureSubsampling1D;
import org.fastcrypt4j.ring.ConvGeometry;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * DL4J's {@link Subsampling1DLayer} on shares: max or average pooling of {@code [N, C, T]} (NCW) over windows of k
 * steps, stride s, padding p (along T only), dilation d, modes Truncate, Same or Strict; computed as DL4J defines it,
 * as the 2-D pooling of {@code [N, C, T, 1]} with {@code k x 1} windows. DL4J 1.0.0-M2.1's own layer pads the width
 * as well and then fails on its reshape, so padded 1-D pooling has no DL4J result to compare with; ours pads T only.
 * Runtime layer {@link SecureSubsampling1D}.
 */
public class SecureSubsampling1DLayer extends SecureSubsamplingLayer {
    private static final long serialVersionUID = 1L;
    private static final String TYPE = "SecureSubsampling1DLayer";

    /** For JSON. */
    protected SecureSubsampling1DLayer() {
    }

    private SecureSubsampling1DLayer(Builder b) {
        super(b);
    }

    @Override
    public ConvGeometry geometry() {
        int[] k = getKernelSize();
        int[] s = getStride();
        int[] p = getPadding();
        int[] d = getDilation();
        Sequences.requireOneDimensional(k, s, p, d, TYPE, layerName);
        return SecureLayerChecks.geometry(k, s, p, d, getConvolutionMode(), TYPE, layerName);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        InputType.InputTypeRecurrent r = Sequences.ncw(inputType, TYPE, layerName, layerIndex);
        long t = r.getTimeSeriesLength();
        return t > 0 ? InputType.recurrent(r.getSize(), geometry().outputHeight((int) t))
                : InputType.recurrent(r.getSize());
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return InputTypeUtil.getPreprocessorForInputTypeRnnLayers(inputType, RNNFormat.NCW, getLayerName());
    }

    @Override
    protected org.deeplearning4j.nn.api.Layer runtimeLayer(NeuralNetConfiguration conf, DataType networkDataType) {
        return new SecureSubsampling1D(conf, networkDataType);
    }

    @Override
    public Layer toPlain() {
        Subsampling1DLayer.Builder b = new Subsampling1DLayer.Builder(getKernelSize()[0], getStride()[0],
                getPadding()[0]);
        b.convolutionMode(getConvolutionMode()).avgPoolIncludePadInDivisor(isAvgPoolIncludePadInDivisor());
        Subsampling1DLayer plain = SecureLayerChecks.withName(b, layerName).build();
        // set on the layer: DL4J 1.0.0-M2.1's builder drops a pooling type given with the sizes, has no dilation
        // option, and pads the width too (its own layer then fails on a padded sequence)
        plain.setPoolingType(getPoolingType());
        plain.setDilation(getDilation());
        plain.setPadding(getPadding());
        return plain;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SecureSubsampling1DLayer && super.equals(o);
    }

    @Override
    public int hashCode() {
        return super.hashCode();
    }

    /**
     * Builder, as DL4J's {@code Subsampling1DLayer.Builder}: one value per window option (kernel 2, stride 1, and
     * DL4J's 1-D default of not counting padding in an average's divisor).
     */
    public static class Builder extends SecureSubsamplingLayer.Builder {

        public Builder(PoolingType type) {
            super(type);
            kernelSize(2).stride(1).padding(0).dilation(1).avgPoolIncludePadInDivisor(false);
        }

        public Builder(PoolingType type, int kernelSize, int stride, int padding) {
            this(type);
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
        public Builder convolutionMode(ConvolutionMode mode) {
            super.convolutionMode(mode);
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public SecureSubsampling1DLayer build() {
            return new SecureSubsampling1DLayer(this);
        }
    }
}
