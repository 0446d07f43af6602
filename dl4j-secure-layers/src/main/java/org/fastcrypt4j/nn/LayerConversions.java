package org.fastcrypt4j.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.LocalResponseNormalization;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.conf.layers.convolutional.Cropping2D;
import org.fastcrypt4j.nn.conf.SecureActivationKind;
import org.fastcrypt4j.nn.conf.SecureActivationLayer;
import org.fastcrypt4j.nn.conf.SecureBatchNormalizationLayer;
import org.fastcrypt4j.nn.conf.SecureConvolutionLayer;
import org.fastcrypt4j.nn.conf.SecureCropping2DLayer;
import org.fastcrypt4j.nn.conf.SecureDenseLayer;
import org.fastcrypt4j.nn.conf.SecureDropoutLayer;
import org.fastcrypt4j.nn.conf.SecureGlobalPoolingLayer;
import org.fastcrypt4j.nn.conf.SecureLayerConf;
import org.fastcrypt4j.nn.conf.SecureLossLayer;
import org.fastcrypt4j.nn.conf.SecureOutputLayer;
import org.fastcrypt4j.nn.conf.SecureSubsamplingLayer;
import org.fastcrypt4j.nn.conf.SecureLocalResponseNormalizationLayer;
import org.fastcrypt4j.nn.conf.SecureSeparableConvolution2DLayer;
import org.fastcrypt4j.nn.conf.SecureUpsampling2DLayer;
import org.fastcrypt4j.nn.conf.SecureZeroPaddingLayer;
import org.fastcrypt4j.nn.UnsupportedConfigurationException.Problem;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.fastcrypt4j.nn.training.UpdateRule;

/**
 * One DL4J layer's secure counterpart(s), for {@link SecureConversion#toSecure}: the secure layer of each supported
 * layer type with the settings it keeps (weight and bias initialisation, updaters, regularization, gradient
 * normalization, dropout, name), a fused activation split into its own {@link SecureActivationLayer}, and one
 * problem recorded per unsupported setting (the caller groups them into one error).
 */
final class LayerConversions {

    private LayerConversions() {
    }

    /** The secure layer(s) for one plain layer, or nothing with the problems recorded. */
    static List<Layer> convert(int i, Layer l, boolean last, List<Problem> problems) {
        List<Layer> out = new ArrayList<>();
        if (l instanceof SecureLayerConf) {
            out.add(l.clone());
            return out;
        }
        if (l.getClass() == DenseLayer.class) {
            DenseLayer d = (DenseLayer) l;
            boolean ok = linearActivation(i, l, d.getActivationFn(), problems);
            if (d.hasLayerNorm()) {
                problems.add(SecureConversion.problem(i, l, "layer normalization not supported"));
                ok = false;
            }
            if (ok) {
                SecureDenseLayer.Builder b = new SecureDenseLayer.Builder().nIn(d.getNIn()).nOut(d.getNOut())
                        .hasBias(d.hasBias());
                copyBase(d, b);
                out.add(b.build());
                addActivation(d, out);
            }
        } else if (SequenceLayerConversions.handles(l)) {
            SequenceLayerConversions.convert(i, l, out, problems);
        } else if (l.getClass() == ConvolutionLayer.class || l.getClass() == SeparableConvolution2D.class) {
            ConvolutionLayer c = (ConvolutionLayer) l;
            boolean ok = linearActivation(i, l, c.getActivationFn(), problems);
            if (c.getCnn2dDataFormat() != null && c.getCnn2dDataFormat() != CNN2DFormat.NCHW) {
                problems.add(SecureConversion.problem(i, l, "data format " + c.getCnn2dDataFormat() + " not supported (NCHW)"));
                ok = false;
            }
            if (c.getConvolutionMode() == ConvolutionMode.Causal) {
                problems.add(SecureConversion.problem(i, l, "convolution mode Causal not supported (Truncate, Same, Strict)"));
                ok = false;
            }
            if (ok) {
                SecureConvolutionLayer.Builder b = c instanceof SeparableConvolution2D sep
                        ? new SecureSeparableConvolution2DLayer.Builder(c.getKernelSize())
                                .depthMultiplier(sep.getDepthMultiplier())
                        : new SecureConvolutionLayer.Builder(c.getKernelSize());
                b.stride(c.getStride()).padding(c.getPadding()).dilation(c.getDilation())
                        .convolutionMode(c.getConvolutionMode()).hasBias(c.hasBias()).nIn(c.getNIn()).nOut(c.getNOut());
                copyBase(c, b);
                out.add(b.build());
                addActivation(c, out);
            }
        } else if (l.getClass() == SubsamplingLayer.class) {
            SubsamplingLayer s = (SubsamplingLayer) l;
            boolean ok = true;
            if (s.getPoolingType() != PoolingType.MAX && s.getPoolingType() != PoolingType.AVG) {
                problems.add(SecureConversion.problem(i, l, "pooling " + s.getPoolingType() + " not supported (MAX or AVG)"));
                ok = false;
            }
            if (s.getCnn2dDataFormat() != null && s.getCnn2dDataFormat() != CNN2DFormat.NCHW) {
                problems.add(SecureConversion.problem(i, l, "data format " + s.getCnn2dDataFormat() + " not supported (NCHW)"));
                ok = false;
            }
            if (s.getConvolutionMode() == ConvolutionMode.Causal) {
                problems.add(SecureConversion.problem(i, l, "convolution mode Causal not supported"));
                ok = false;
            }
            if (ok) {
                SecureSubsamplingLayer.Builder b = new SecureSubsamplingLayer.Builder(s.getPoolingType(),
                        s.getKernelSize(), s.getStride()).padding(s.getPadding()).dilation(s.getDilation())
                        .convolutionMode(s.getConvolutionMode())
                        .avgPoolIncludePadInDivisor(s.isAvgPoolIncludePadInDivisor());
                if (s.getLayerName() != null) {
                    b.name(s.getLayerName());
                }
                out.add(b.build());
            }
        } else if (l.getClass() == GlobalPoolingLayer.class) {
            GlobalPoolingLayer g = (GlobalPoolingLayer) l;
            boolean ok = true;
            String pooling = SecureGlobalPoolingLayer.problem(g.getPoolingType());
            if (pooling != null) {
                problems.add(SecureConversion.problem(i, l, pooling));
                ok = false;
            }
            int[] dims = g.getPoolingDimensions();
            if (dims != null && !Arrays.equals(dims, new int[] {2, 3})) {
                problems.add(SecureConversion.problem(i, l, "pooling dimensions " + Arrays.toString(dims)
                        + " not supported (the default: [2, 3] of CNN input, [2] of a time series)"));
                ok = false;
            }
            if (ok) {
                SecureGlobalPoolingLayer.Builder b = new SecureGlobalPoolingLayer.Builder(g.getPoolingType())
                        .collapseDimensions(g.isCollapseDimensions());
                copyNameAndDropout(l, b);
                out.add(b.build());
            }
        } else if (l.getClass() == DropoutLayer.class) {
            SecureDropoutLayer.Builder b = new SecureDropoutLayer.Builder();
            copyNameAndDropout(l, b);
            out.add(b.build());
        } else if (l.getClass() == ActivationLayer.class) {
            IActivation a = ((ActivationLayer) l).getActivationFn();
            if (SecureActivationKind.of(a) == null) {
                problems.add(SecureConversion.problem(i, l, "activation " + a + " not supported (" + SecureActivationKind.SUPPORTED + ")"));
            } else {
                SecureActivationLayer.Builder b = new SecureActivationLayer.Builder().activation(a);
                if (l.getLayerName() != null) {
                    b.name(l.getLayerName());
                }
                out.add(b.build());
            }
        } else if (l.getClass() == BatchNormalization.class) {
            SecureBatchNormalizationLayer bn = batchNormalization(i, (BatchNormalization) l, problems);
            if (bn != null) {
                out.add(bn);
            }
        } else if (l.getClass() == LossLayer.class) {
            LossLayer o = (LossLayer) l;
            String problem = SecureOutputLayer.problem(o.getActivationFn(), o.getLossFn());
            if (problem != null) {
                problems.add(SecureConversion.problem(i, l, problem + (o.getLossFn() instanceof LossMCXENT
                        ? " (a softmax ActivationLayer directly before the LossLayer is taken as its softmax)" : "")));
            } else {
                long width = o.getNIn() > 0 ? o.getNIn() : o.getNOut();
                SecureLossLayer.Builder b = new SecureLossLayer.Builder(o.getLossFn());
                b.activation(o.getActivationFn()).nIn(width).nOut(width);
                if (l.getLayerName() != null) {
                    b.name(l.getLayerName());
                }
                out.add(b.build());
            }
        } else if (l.getClass() == OutputLayer.class) {
            OutputLayer o = (OutputLayer) l;
            String problem = SecureOutputLayer.problem(o.getActivationFn(), o.getLossFn());
            if (problem != null) {
                problems.add(SecureConversion.problem(i, l, problem));
            } else {
                SecureOutputLayer.Builder b = new SecureOutputLayer.Builder(o.getLossFn()).nIn(o.getNIn())
                        .nOut(o.getNOut()).hasBias(o.hasBias()).activation(o.getActivationFn());
                copyBase(o, b);
                out.add(b.build());
            }
        } else if (l.getClass() == ZeroPaddingLayer.class) {
            ZeroPaddingLayer z = (ZeroPaddingLayer) l;
            if (z.getDataFormat() != null && z.getDataFormat() != CNN2DFormat.NCHW) {
                problems.add(SecureConversion.problem(i, l, "data format " + z.getDataFormat() + " not supported (NCHW)"));
            } else {
                SecureZeroPaddingLayer.Builder b = new SecureZeroPaddingLayer.Builder(z.getPadding());
                copyNameAndDropout(l, b);
                out.add(b.build());
            }
        } else if (l.getClass() == Cropping2D.class) {
            Cropping2D c = (Cropping2D) l;
            if (c.getDataFormat() != null && c.getDataFormat() != CNN2DFormat.NCHW) {
                problems.add(SecureConversion.problem(i, l, "data format " + c.getDataFormat() + " not supported (NCHW)"));
            } else {
                SecureCropping2DLayer.Builder b = new SecureCropping2DLayer.Builder(c.getCropping());
                copyNameAndDropout(l, b);
                out.add(b.build());
            }
        } else if (l.getClass() == Upsampling2D.class) {
            Upsampling2D u = (Upsampling2D) l;
            boolean ok = true;
            if (u.getFormat() != null && u.getFormat() != CNN2DFormat.NCHW) {
                problems.add(SecureConversion.problem(i, l, "data format " + u.getFormat() + " not supported (NCHW)"));
                ok = false;
            }
            if (ok) {
                SecureUpsampling2DLayer.Builder b = new SecureUpsampling2DLayer.Builder().size(u.getSize());
                copyNameAndDropout(l, b);
                out.add(b.build());
            }
        } else if (l.getClass() == LocalResponseNormalization.class) {
            LocalResponseNormalization n = (LocalResponseNormalization) l;
            String problem = SecureLocalResponseNormalizationLayer.problem(n.getK(), n.getN(), n.getAlpha(),
                    n.getBeta());
            if (problem != null) {
                problems.add(SecureConversion.problem(i, l, problem));
            } else {
                SecureLocalResponseNormalizationLayer.Builder b = new SecureLocalResponseNormalizationLayer.Builder()
                        .k(n.getK()).n(n.getN()).alpha(n.getAlpha()).beta(n.getBeta());
                copyNameAndDropout(l, b);
                out.add(b.build());
            }
        } else {
            String name = l.getClass().getSimpleName();
            String why = "layer type " + name + " not supported (Dense, Convolution, SeparableConvolution2D, Subsampling MAX/AVG,"
                    + " GlobalPooling AVG/SUM/MAX, BatchNormalization, LocalResponseNormalization, ZeroPadding,"
                    + " Cropping2D, Upsampling2D, Convolution1D, Subsampling1D, ZeroPadding1D, Cropping1D, Upsampling1D,"
                    + " Dropout, Activation, Output, Loss)";
            problems.add(SecureConversion.problem(i, l, why));
        }
        if (!out.isEmpty() && (l.getClass() == OutputLayer.class || l.getClass() == LossLayer.class) != last) {
            problems.add(SecureConversion.problem(i, l, last ? "the last layer must be an OutputLayer" : "an OutputLayer must be the last layer"));
            out.clear();
        }
        return out;
    }

    /**
     * The secure batch normalization for DL4J's, or null with the problems recorded: NCHW only; locked gamma and beta
     * only at 1 and 0; no gradient normalization (DL4J would apply it to the running statistics' moving-average
     * updates too). A dropout set on the layer (a network-wide dropOut) is ignored, as DL4J's batch normalization
     * never applies it. The layer's activation is kept out, as DL4J's batch
     * normalization never applies it.
     */
    private static SecureBatchNormalizationLayer batchNormalization(int i, BatchNormalization l,
            List<Problem> problems) {
        int before = problems.size();
        if (l.getCnn2DFormat() != null && l.getCnn2DFormat() != CNN2DFormat.NCHW) {
            problems.add(SecureConversion.problem(i, l, "data format " + l.getCnn2DFormat() + " not supported (NCHW)"));
        }
        if (l.isLockGammaBeta() && (l.getGamma() != 1 || l.getBeta() != 0)) {
            problems.add(SecureConversion.problem(i, l, "locked gamma " + l.getGamma() + " and beta " + l.getBeta()
                    + " not supported (locked only at gamma 1, beta 0)"));
        }
        GradientNormalization norm = l.getGradientNormalization();
        if (norm != null && norm != GradientNormalization.None && UpdateRule.normalizationProblem(norm) == null) {
            problems.add(SecureConversion.problem(i, l, "gradient normalization on batch normalization not supported (DL4J applies it"
                    + " to the running statistics too)"));
        }
        if (problems.size() > before) {
            return null;
        }
        SecureBatchNormalizationLayer.Builder b = new SecureBatchNormalizationLayer.Builder().nIn(l.getNIn())
                .nOut(l.getNOut()).decay(l.getDecay()).eps(l.getEps()).lockGammaBeta(l.isLockGammaBeta())
                .useLogStd(l.isUseLogStd());
        if (l.getIUpdater() != null) {
            b.updater(l.getIUpdater().clone());
        }
        if (l.getLayerName() != null) {
            b.name(l.getLayerName());
        }
        return b.build();
    }

    static boolean linearActivation(int i, Layer l, IActivation a, List<Problem> problems) {
        if (SecureActivationKind.of(a) != null) {
            return true;
        }
        problems.add(SecureConversion.problem(i, l, "activation " + a + " not supported (" + SecureActivationKind.SUPPORTED + ")"));
        return false;
    }

    /** The activation fused into a dense or convolution layer, as its own layer named "&lt;name&gt;/&lt;activation&gt;". */
    static void addActivation(BaseLayer l, List<Layer> out) {
        SecureActivationKind kind = SecureActivationKind.of(l.getActivationFn());
        if (kind != SecureActivationKind.IDENTITY) {
            SecureActivationLayer.Builder b = new SecureActivationLayer.Builder().activation(l.getActivationFn());
            b.name((l.getLayerName() == null ? "" : l.getLayerName()) + "/" + kind.label());
            out.add(b.build());
        }
    }

    static void copyBase(BaseLayer from, org.deeplearning4j.nn.conf.layers.BaseLayer.Builder<?> to) {
        if (from.getWeightInitFn() != null) {
            to.weightInit(from.getWeightInitFn());
        }
        to.biasInit(from.getBiasInit());
        if (from.getIUpdater() != null) {
            to.updater(from.getIUpdater().clone());
        }
        if (from.getBiasUpdater() != null) {
            to.biasUpdater(from.getBiasUpdater().clone());
        }
        to.regularization(copyOf(from.getRegularization()));
        to.regularizationBias(copyOf(from.getRegularizationBias()));
        to.gradientNormalization(from.getGradientNormalization());
        to.gradientNormalizationThreshold(from.getGradientNormalizationThreshold());
        copyNameAndDropout(from, to);
    }

    /** The layer's name and a copy of its dropout, when it has them. */
    static void copyNameAndDropout(Layer from, Layer.Builder<?> to) {
        if (from.getLayerName() != null) {
            to.name(from.getLayerName());
        }
        if (from.getIDropout() != null) {
            to.dropOut(from.getIDropout().clone());
        }
    }

    private static List<Regularization> copyOf(List<Regularization> rs) {
        List<Regularization> out = new ArrayList<>();
        if (rs != null) {
            rs.forEach(r -> out.add(r.clone()));
        }
        return out;
    }
}
