package org.fastcrypt4j.nn;

import java.util.List;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.Subsampling1DLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling1D;
import org.deeplearning4j.nn.conf.layers.ZeroPadding1DLayer;
import org.deeplearning4j.nn.conf.layers.convolutional.Cropping1D;
import org.fastcrypt4j.nn.UnsupportedConfigurationException.Problem;
import org.fastcrypt4j.nn.conf.SecureConvolution1DLayer;
import org.fastcrypt4j.nn.conf.SecureSequenceMapLayer;
import org.fastcrypt4j.nn.conf.SecureSubsampling1DLayer;

/**
 * The 1-D (time-series, NCW) layers of {@link LayerConversions}: {@code Convolution1DLayer} (and its alias
 * {@code Convolution1D}; Truncate, Same, Strict or Causal), {@code Subsampling1DLayer} (MAX, AVG),
 * {@code ZeroPadding1DLayer}, {@code Cropping1D} and {@code Upsampling1D}. NWC data is refused by name.
 */
final class SequenceLayerConversions {
    private SequenceLayerConversions() {
    }

    /** Whether {@code l} is one of the 1-D layers this class converts. */
    static boolean handles(Layer l) {
        Class<?> c = l.getClass();
        return c == Convolution1DLayer.class || c == org.deeplearning4j.nn.conf.layers.Convolution1D.class
                || c == Subsampling1DLayer.class || c == ZeroPadding1DLayer.class || c == Cropping1D.class
                || c == Upsampling1D.class;
    }

    /** Adds the secure layer(s) for {@code l} to {@code out}, or records why not. */
    static void convert(int i, Layer l, List<Layer> out, List<Problem> problems) {
        if (l instanceof Convolution1DLayer c) {
            boolean ok = LayerConversions.linearActivation(i, l, c.getActivationFn(), problems);
            if (c.getRnnDataFormat() != null && c.getRnnDataFormat() != RNNFormat.NCW) {
                problems.add(SecureConversion.problem(i, l, "data format " + c.getRnnDataFormat()
                        + " not supported (NCW)"));
                ok = false;
            }
            if (ok) {
                SecureConvolution1DLayer.Builder b = new SecureConvolution1DLayer.Builder(c.getKernelSize()[0],
                        c.getStride()[0], c.getPadding()[0]);
                b.dilation(c.getDilation()[0]);
                b.convolutionMode(c.getConvolutionMode()).hasBias(c.hasBias()).nIn(c.getNIn()).nOut(c.getNOut());
                LayerConversions.copyBase(c, b);
                out.add(b.build());
                LayerConversions.addActivation(c, out);
            }
        } else if (l instanceof Subsampling1DLayer s) {
            boolean ok = true;
            if (s.getPoolingType() != PoolingType.MAX && s.getPoolingType() != PoolingType.AVG) {
                problems.add(SecureConversion.problem(i, l, "pooling " + s.getPoolingType()
                        + " not supported (MAX or AVG)"));
                ok = false;
            }
            if (s.getConvolutionMode() == ConvolutionMode.Causal) {
                problems.add(SecureConversion.problem(i, l, "convolution mode Causal not supported for pooling"));
                ok = false;
            }
            if (ok) {
                SecureSubsampling1DLayer.Builder b = new SecureSubsampling1DLayer.Builder(s.getPoolingType(),
                        s.getKernelSize()[0], s.getStride()[0], s.getPadding()[0]);
                b.dilation(s.getDilation()[0]);
                b.convolutionMode(s.getConvolutionMode()).avgPoolIncludePadInDivisor(s.isAvgPoolIncludePadInDivisor());
                LayerConversions.copyNameAndDropout(l, b);
                out.add(b.build());
            }
        } else {
            SecureSequenceMapLayer.Builder b;
            if (l instanceof ZeroPadding1DLayer z) {
                b = new SecureSequenceMapLayer.Builder(SecureSequenceMapLayer.Kind.ZERO_PADDING, z.getPadding());
            } else if (l instanceof Cropping1D c) {
                b = new SecureSequenceMapLayer.Builder(SecureSequenceMapLayer.Kind.CROPPING, c.getCropping());
            } else {
                b = new SecureSequenceMapLayer.Builder(SecureSequenceMapLayer.Kind.UPSAMPLING,
                        ((Upsampling1D) l).getSize()[0]);
            }
            LayerConversions.copyNameAndDropout(l, b);
            try {
                out.add(b.build());
            } catch (IllegalArgumentException e) {
                problems.add(SecureConversion.problem(i, l, e.getMessage()));
            }
        }
    }
}
