package org.fastcrypt4j.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.dropout.AlphaDropout;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.dropout.GaussianDropout;
import org.deeplearning4j.nn.conf.dropout.GaussianNoise;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.conf.dropout.SpatialDropout;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
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
import org.fastcrypt4j.nn.conf.SecureOutputLayer;
import org.fastcrypt4j.nn.conf.SecureSubsamplingLayer;
import org.fastcrypt4j.nn.conf.SecureUpsampling2DLayer;
import org.fastcrypt4j.nn.conf.SecureZeroPaddingLayer;
import org.fastcrypt4j.nn.UnsupportedConfigurationException.Problem;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.fastcrypt4j.nn.training.UpdateRule;

/**
 * Converts between a configuration built with DL4J's ordinary layers and its secure counterpart.
 *
 * <p>{@link #toSecure}: {@code DenseLayer}, {@code ConvolutionLayer}, {@code SubsamplingLayer} (MAX, AVG),
 * {@code GlobalPoolingLayer} (AVG, SUM, MAX on CNN input), {@code BatchNormalization} (NCHW; locked gamma and beta
 * only at 1 and 0; without gradient normalization), {@code ZeroPaddingLayer}, {@code Cropping2D},
 * {@code Upsampling2D} (NCHW; local maps of the shares), {@code DropoutLayer}, {@code ActivationLayer} and
 * {@code OutputLayer} become their secure layers; an activation fused into a dense or convolution layer (ReLU, leaky
 * ReLU, sigmoid, tanh, softmax; note DL4J's default activation of a layer left without one is sigmoid) becomes that
 * (linear) layer followed by a {@link SecureActivationLayer} named {@code "<name>/<activation>"}, e.g.
 * {@code "fc1/relu"}. Input preprocessors (moved to the shifted indices), weight initialisation, bias initialisation,
 * updater settings (SGD, Nesterovs or Adam, with any learning-rate and momentum schedules), regularization (L1, L2,
 * weight decay, for weights and biases), gradient normalization ({@code ClipElementWiseAbsoluteValue}), DL4J's
 * {@code Dropout} (fixed p or a p schedule; kept on the layer, on the linear part of a split layer), layer names, the
 * seed and the network's other settings are kept ({@link org.fastcrypt4j.nn.training.SecureOptimizer} applies the
 * update rules as DL4J does). Anything that cannot run on shares is refused with ONE
 * {@link UnsupportedConfigurationException} listing every problem, grouped by cause, each cause with the layers it
 * concerns: another layer type (LSTM, ...), an activation other than identity, ReLU, leaky ReLU
 * (alpha in [0, 1)), sigmoid, tanh or softmax (in the output layer: softmax or identity only), a loss other than
 * MCXENT/NEGATIVELOGLIKELIHOOD with softmax or MSE with identity, another updater, another dropout (alpha, Gaussian,
 * spatial), weight noise, constraints, gradient normalization other than element-wise
 * clipping, a data format other than NCHW, layer normalization.
 *
 * <p>{@link #toPlain}: the plaintext twin of a secure configuration (each secure layer's {@link
 * SecureLayerConf#toPlain()}, same preprocessors and seed): DL4J's own weight initialisation of the twin gives
 * exactly the weights it gives the original configuration, since the inserted activation layers draw nothing.
 *
 * <p>{@link #validate}: the same checks on a secure configuration (built directly with secure layers).
 */
public final class SecureConversion {

    private SecureConversion() {
    }

    /**
     * The secure configuration computing the same network as {@code plain}, with every ReLU that is directly
     * followed by a max pooling moved after it ({@link #toSecure(MultiLayerConfiguration, boolean)}).
     */
    public static MultiLayerConfiguration toSecure(MultiLayerConfiguration plain) {
        return toSecure(plain, true);
    }

    /**
     * The secure configuration computing the same network as {@code plain}.
     *
     * @param poolBeforeRelu move a ReLU that is directly followed by a max pooling after the pooling: the same
     *                       function exactly (max commutes with the monotone ReLU, and the padding of max pooling
     *                       never wins), and the same gradients but at exact ties, while the secure comparisons of
     *                       the ReLU run on k times fewer values (4 for 2x2 windows). The plaintext twin
     *                       ({@link #toPlain}) has the same order.
     */
    public static MultiLayerConfiguration toSecure(MultiLayerConfiguration plain, boolean poolBeforeRelu) {
        List<Problem> problems = new ArrayList<>();
        List<NeuralNetConfiguration> confs = new ArrayList<>();
        Map<Integer, InputPreProcessor> pre = new HashMap<>();
        int n = plain.getConfs().size();
        for (int i = 0; i < n; i++) {
            NeuralNetConfiguration c = plain.getConf(i);
            Layer layer = c.getLayer();
            int before = problems.size();
            checkCommon(i, layer, problems);
            List<Layer> secure = convert(i, layer, i == n - 1, problems);
            if (problems.size() > before) {
                continue;
            }
            InputPreProcessor p = plain.getInputPreProcess(i);
            if (p != null) {
                pre.put(confs.size(), p.clone());
            }
            for (Layer l : secure) {
                NeuralNetConfiguration copy = c.clone();
                copy.setLayer(l);
                confs.add(copy);
            }
        }
        if (!problems.isEmpty()) {
            throw new UnsupportedConfigurationException("cannot convert the configuration to a secure one", problems);
        }
        if (poolBeforeRelu) {
            for (int j = 0; j + 1 < confs.size(); j++) {
                Layer a = confs.get(j).getLayer();
                Layer b = confs.get(j + 1).getLayer();
                if (a instanceof SecureActivationLayer act && act.isRelu() && b instanceof SecureSubsamplingLayer sub
                        && sub.getPoolingType() == PoolingType.MAX && !pre.containsKey(j) && !pre.containsKey(j + 1)) {
                    NeuralNetConfiguration relu = confs.get(j);
                    confs.set(j, confs.get(j + 1));
                    confs.set(j + 1, relu);
                    j++;
                }
            }
        }
        MultiLayerConfiguration out = plain.clone();
        out.setConfs(confs);
        out.setInputPreProcessors(pre);
        return out;
    }

    /** The plaintext twin of a secure configuration. */
    public static MultiLayerConfiguration toPlain(MultiLayerConfiguration secure) {
        validate(secure);
        List<NeuralNetConfiguration> confs = new ArrayList<>();
        for (NeuralNetConfiguration c : secure.getConfs()) {
            NeuralNetConfiguration copy = c.clone();
            copy.setLayer(((SecureLayerConf) c.getLayer()).toPlain());
            confs.add(copy);
        }
        MultiLayerConfiguration out = secure.clone();
        out.setConfs(confs);
        return out;
    }

    /** Checks that every layer of {@code secure} can run on shares; one error lists every problem. */
    public static void validate(MultiLayerConfiguration secure) {
        List<Problem> problems = new ArrayList<>();
        int n = secure.getConfs().size();
        if (n == 0) {
            problems.add(new Problem("the configuration", "it has no layers"));
        }
        for (int i = 0; i < n; i++) {
            Layer l = secure.getConf(i).getLayer();
            if (!(l instanceof SecureLayerConf)) {
                problems.add(problem(i, l, "not a secure layer (convert the configuration with"
                        + " SecureConversion.toSecure, or use the Secure* layers)"));
                continue;
            }
            checkCommon(i, l, problems);
            boolean last = i == n - 1;
            if (last != (l instanceof SecureOutputLayer)) {
                problems.add(problem(i, l, last ? "the last layer must be a SecureOutputLayer"
                        : "a SecureOutputLayer must be the last layer"));
            }
        }
        if (!problems.isEmpty()) {
            throw new UnsupportedConfigurationException("the configuration cannot run on shares", problems);
        }
    }

    static Problem problem(int i, Layer l, String cause) {
        return new Problem(where(i, l), cause);
    }

    static String where(int i, Layer l) {
        String name = l.getLayerName();
        return "layer " + i + (name == null ? "" : " '" + name + "'") + " (" + l.getClass().getSimpleName() + ")";
    }

    /** Settings no secure layer supports, whatever its type. */
    private static void checkCommon(int i, Layer l, List<Problem> problems) {
        String dropout = dropoutProblem(l.getIDropout());
        if (dropout != null) {
            problems.add(problem(i, l, dropout));
        }
        if (l.getConstraints() != null && !l.getConstraints().isEmpty()) {
            problems.add(problem(i, l, "parameter constraints not supported"));
        }
        if (l instanceof BaseLayer b) {
            checkRegularization(i, l, "", b.getRegularization(), problems);
            checkRegularization(i, l, "bias ", b.getRegularizationBias(), problems);
            if (b.getWeightNoise() != null) {
                problems.add(problem(i, l, "weight noise not supported"));
            }
            String norm = UpdateRule.normalizationProblem(b.getGradientNormalization());
            if (norm != null) {
                problems.add(problem(i, l, norm));
            }
            checkUpdater(i, l, "", b.getIUpdater(), problems);
            if (b.getBiasUpdater() != null) {
                checkUpdater(i, l, "bias ", b.getBiasUpdater(), problems);
            }
        }
    }

    /** Why a layer's dropout cannot run on shares, or null (none, or DL4J's inverted {@link Dropout}). */
    private static String dropoutProblem(IDropout d) {
        if (d == null || d.getClass() == Dropout.class) {
            return null;
        }
        String why;
        if (d instanceof AlphaDropout) {
            why = "alpha dropout belongs to SELU networks, and SELU does not run on shares";
        } else if (d instanceof GaussianDropout) {
            why = "Gaussian multiplicative noise is not implemented on shares";
        } else if (d instanceof GaussianNoise) {
            why = "Gaussian additive noise is not implemented on shares";
        } else if (d instanceof SpatialDropout) {
            why = "per-channel masks are not implemented on shares";
        } else {
            why = "not implemented on shares";
        }
        return "dropout " + d.getClass().getSimpleName() + " not supported (" + why + "; use Dropout)";
    }

    private static void checkRegularization(int i, Layer l, String what, List<Regularization> rs,
            List<Problem> problems) {
        if (rs != null && !rs.isEmpty()) {
            String p = UpdateRule.of(new Sgd()).withRegularization(rs).problem();
            if (p != null) {
                problems.add(problem(i, l, what + p));
            }
        }
    }

    private static void checkUpdater(int i, Layer l, String what, IUpdater u, List<Problem> problems) {
        String p = u == null ? null : UpdateRule.updaterProblem(u);
        if (p != null) {
            problems.add(problem(i, l, what + p));
        }
    }

    /** The secure layer(s) for one plain layer, or nothing with the problems recorded. */
    private static List<Layer> convert(int i, Layer l, boolean last, List<Problem> problems) {
        List<Layer> out = new ArrayList<>();
        if (l instanceof SecureLayerConf) {
            out.add(l.clone());
            return out;
        }
        if (l.getClass() == DenseLayer.class) {
            DenseLayer d = (DenseLayer) l;
            boolean ok = linearActivation(i, l, d.getActivationFn(), problems);
            if (d.hasLayerNorm()) {
                problems.add(problem(i, l, "layer normalization not supported"));
                ok = false;
            }
            if (ok) {
                SecureDenseLayer.Builder b = new SecureDenseLayer.Builder().nIn(d.getNIn()).nOut(d.getNOut())
                        .hasBias(d.hasBias());
                copyBase(d, b);
                out.add(b.build());
                addActivation(d, out);
            }
        } else if (l.getClass() == ConvolutionLayer.class) {
            ConvolutionLayer c = (ConvolutionLayer) l;
            boolean ok = linearActivation(i, l, c.getActivationFn(), problems);
            if (c.getCnn2dDataFormat() != null && c.getCnn2dDataFormat() != CNN2DFormat.NCHW) {
                problems.add(problem(i, l, "data format " + c.getCnn2dDataFormat() + " not supported (NCHW)"));
                ok = false;
            }
            if (c.getConvolutionMode() == ConvolutionMode.Causal) {
                problems.add(problem(i, l, "convolution mode Causal not supported (Truncate, Same, Strict)"));
                ok = false;
            }
            if (ok) {
                SecureConvolutionLayer.Builder b = new SecureConvolutionLayer.Builder(c.getKernelSize())
                        .stride(c.getStride()).padding(c.getPadding()).dilation(c.getDilation())
                        .convolutionMode(c.getConvolutionMode()).hasBias(c.hasBias()).nIn(c.getNIn()).nOut(c.getNOut());
                copyBase(c, b);
                out.add(b.build());
                addActivation(c, out);
            }
        } else if (l.getClass() == SubsamplingLayer.class) {
            SubsamplingLayer s = (SubsamplingLayer) l;
            boolean ok = true;
            if (s.getPoolingType() != PoolingType.MAX && s.getPoolingType() != PoolingType.AVG) {
                problems.add(problem(i, l, "pooling " + s.getPoolingType() + " not supported (MAX or AVG)"));
                ok = false;
            }
            if (s.getCnn2dDataFormat() != null && s.getCnn2dDataFormat() != CNN2DFormat.NCHW) {
                problems.add(problem(i, l, "data format " + s.getCnn2dDataFormat() + " not supported (NCHW)"));
                ok = false;
            }
            if (s.getConvolutionMode() == ConvolutionMode.Causal) {
                problems.add(problem(i, l, "convolution mode Causal not supported"));
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
                problems.add(problem(i, l, pooling));
                ok = false;
            }
            int[] dims = g.getPoolingDimensions();
            if (dims != null && !Arrays.equals(dims, new int[] {2, 3})) {
                problems.add(problem(i, l, "pooling dimensions " + Arrays.toString(dims)
                        + " not supported (the spatial dimensions [2, 3] of CNN input)"));
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
                problems.add(problem(i, l, "activation " + a + " not supported (" + SecureActivationKind.SUPPORTED + ")"));
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
        } else if (l.getClass() == OutputLayer.class) {
            OutputLayer o = (OutputLayer) l;
            String problem = SecureOutputLayer.problem(o.getActivationFn(), o.getLossFn());
            if (problem != null) {
                problems.add(problem(i, l, problem));
            } else {
                SecureOutputLayer.Builder b = new SecureOutputLayer.Builder(o.getLossFn()).nIn(o.getNIn())
                        .nOut(o.getNOut()).hasBias(o.hasBias()).activation(o.getActivationFn());
                copyBase(o, b);
                out.add(b.build());
            }
        } else if (l.getClass() == ZeroPaddingLayer.class) {
            ZeroPaddingLayer z = (ZeroPaddingLayer) l;
            if (z.getDataFormat() != null && z.getDataFormat() != CNN2DFormat.NCHW) {
                problems.add(problem(i, l, "data format " + z.getDataFormat() + " not supported (NCHW)"));
            } else {
                SecureZeroPaddingLayer.Builder b = new SecureZeroPaddingLayer.Builder(z.getPadding());
                copyNameAndDropout(l, b);
                out.add(b.build());
            }
        } else if (l.getClass() == Cropping2D.class) {
            Cropping2D c = (Cropping2D) l;
            if (c.getDataFormat() != null && c.getDataFormat() != CNN2DFormat.NCHW) {
                problems.add(problem(i, l, "data format " + c.getDataFormat() + " not supported (NCHW)"));
            } else {
                SecureCropping2DLayer.Builder b = new SecureCropping2DLayer.Builder(c.getCropping());
                copyNameAndDropout(l, b);
                out.add(b.build());
            }
        } else if (l.getClass() == Upsampling2D.class) {
            Upsampling2D u = (Upsampling2D) l;
            boolean ok = true;
            if (u.getFormat() != null && u.getFormat() != CNN2DFormat.NCHW) {
                problems.add(problem(i, l, "data format " + u.getFormat() + " not supported (NCHW)"));
                ok = false;
            }
            if (ok) {
                SecureUpsampling2DLayer.Builder b = new SecureUpsampling2DLayer.Builder().size(u.getSize());
                copyNameAndDropout(l, b);
                out.add(b.build());
            }
        } else {
            String name = l.getClass().getSimpleName();
            String why = "layer type " + name + " not supported (Dense, Convolution, Subsampling MAX/AVG,"
                    + " GlobalPooling AVG/SUM/MAX, BatchNormalization, ZeroPadding, Cropping2D, Upsampling2D, Dropout,"
                    + " Activation, Output)";
            problems.add(problem(i, l, why));
        }
        if (!out.isEmpty() && l.getClass() == OutputLayer.class != last) {
            problems.add(problem(i, l, last ? "the last layer must be an OutputLayer" : "an OutputLayer must be the last layer"));
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
            problems.add(problem(i, l, "data format " + l.getCnn2DFormat() + " not supported (NCHW)"));
        }
        if (l.isLockGammaBeta() && (l.getGamma() != 1 || l.getBeta() != 0)) {
            problems.add(problem(i, l, "locked gamma " + l.getGamma() + " and beta " + l.getBeta()
                    + " not supported (locked only at gamma 1, beta 0)"));
        }
        GradientNormalization norm = l.getGradientNormalization();
        if (norm != null && norm != GradientNormalization.None && UpdateRule.normalizationProblem(norm) == null) {
            problems.add(problem(i, l, "gradient normalization on batch normalization not supported (DL4J applies it"
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

    private static boolean linearActivation(int i, Layer l, IActivation a, List<Problem> problems) {
        if (SecureActivationKind.of(a) != null) {
            return true;
        }
        problems.add(problem(i, l, "activation " + a + " not supported (" + SecureActivationKind.SUPPORTED + ")"));
        return false;
    }

    /** The activation fused into a dense or convolution layer, as its own layer named "&lt;name&gt;/&lt;activation&gt;". */
    private static void addActivation(BaseLayer l, List<Layer> out) {
        SecureActivationKind kind = SecureActivationKind.of(l.getActivationFn());
        if (kind != SecureActivationKind.IDENTITY) {
            SecureActivationLayer.Builder b = new SecureActivationLayer.Builder().activation(l.getActivationFn());
            b.name((l.getLayerName() == null ? "" : l.getLayerName()) + "/" + kind.label());
            out.add(b.build());
        }
    }

    private static void copyBase(BaseLayer from, org.deeplearning4j.nn.conf.layers.BaseLayer.Builder<?> to) {
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
    private static void copyNameAndDropout(Layer from, Layer.Builder<?> to) {
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
