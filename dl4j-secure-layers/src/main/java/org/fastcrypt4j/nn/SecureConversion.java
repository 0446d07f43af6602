package org.fastcrypt4j.nn;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
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
import org.fastcrypt4j.nn.conf.SecureActivationLayer;
import org.fastcrypt4j.nn.conf.SecureLayerConf;
import org.fastcrypt4j.nn.conf.SecureOutputLayer;
import org.fastcrypt4j.nn.conf.SecureSubsamplingLayer;
import org.fastcrypt4j.nn.UnsupportedConfigurationException.Problem;
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
 * {@code Upsampling2D} (NCHW; local maps of the shares), the 1-D layers on time series [N, C, T] (NCW:
 * {@code Convolution1DLayer} with Truncate, Same, Strict or Causal, {@code Subsampling1DLayer} MAX/AVG,
 * {@code ZeroPadding1DLayer}, {@code Cropping1D}, {@code Upsampling1D}, global pooling over T), {@code DropoutLayer},
 * {@code ActivationLayer} and
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
            List<Layer> secure = LayerConversions.convert(i, layer, i == n - 1, problems);
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

    /**
     * The secure configuration computing the same graph as {@code plain}: layer vertices converted as in
     * {@link #toSecure(MultiLayerConfiguration)} (a fused activation becomes the vertex {@code "<name>/<activation>"},
     * read by the vertices that read the layer), the parameter-free vertices the secure graph runs kept (ElementWise
     * Add / Subtract / Product / Average / Max, Merge, Subset, Preprocessor, Scale, Shift); one error lists every
     * problem, grouped by cause.
     */
    public static ComputationGraphConfiguration toSecure(ComputationGraphConfiguration plain) {
        return GraphConversion.toSecure(plain);
    }

    /** The plaintext twin of a secure graph configuration (DL4J's own layers, the same vertices). */
    public static ComputationGraphConfiguration toPlain(ComputationGraphConfiguration secure) {
        return GraphConversion.toPlain(secure);
    }

    /** Checks that every vertex of {@code secure} can run on shares; one error lists every problem. */
    public static void validate(ComputationGraphConfiguration secure) {
        GraphConversion.validate(secure);
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
    static void checkCommon(int i, Layer l, List<Problem> problems) {
        String dropout = dropoutProblem(l.getIDropout());
        if (dropout != null) {
            problems.add(problem(i, l, dropout));
        }
        if (l.getConstraints() != null && !l.getConstraints().isEmpty()) {
            problems.add(problem(i, l, "parameter constraints not supported"));
        }
        if (l instanceof BaseLayer b) {
            IUpdater biasUpdater = b.getBiasUpdater() != null ? b.getBiasUpdater() : b.getIUpdater();
            checkRegularization(i, l, "", b.getIUpdater(), b.getRegularization(), problems);
            checkRegularization(i, l, "bias ", biasUpdater, b.getRegularizationBias(), problems);
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

    /** The regularization's problems with the updater {@code u} (with SGD's when u's own problem is reported). */
    private static void checkRegularization(int i, Layer l, String what, IUpdater u, List<Regularization> rs,
            List<Problem> problems) {
        if (rs != null && !rs.isEmpty()) {
            IUpdater with = u == null || UpdateRule.updaterProblem(u) != null ? new Sgd() : u;
            String p = UpdateRule.of(with).withRegularization(rs).problem();
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
}
