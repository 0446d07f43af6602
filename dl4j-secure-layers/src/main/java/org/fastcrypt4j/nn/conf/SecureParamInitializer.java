package org.fastcrypt4j.nn.conf;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The parameter initializer of every secure layer. A secure layer has no DL4J (floating-point) parameters at
 * all: its weights are secret shares that the runtime layer holds and the secure network fills from the model
 * owner's plain network (DL4J's own weight initialisation of the plaintext twin, or a trained model). So
 * {@link #numParams} is 0 and {@link #init} allocates nothing, which keeps plaintext weights out of every party's
 * DL4J parameter arrays; {@link #shareShapes} declares the shared parameters and their DL4J layouts:
 * {@code W [nIn, nOut]} and {@code b [1, nOut]} for dense and output layers, {@code W [nOut, nIn, kH, kW]} and
 * {@code b [1, nOut]} for convolutions (the bias only when the layer has one), {@code W [depthMultiplier, nIn, kH, kW]},
 * {@code pW [nOut, nIn * depthMultiplier, 1, 1]} and {@code b} for separable convolutions; {@code gamma}, {@code beta} (unless
 * locked), {@code mean} and {@code var}, each {@code [1, C]}, for batch normalization, whose running statistics
 * {@code mean} and {@code var} are state the layer updates itself, not trained parameters ({@link #isTrained}).
 */
public final class SecureParamInitializer implements ParamInitializer {
    public static final String WEIGHT_KEY = "W";
    public static final String BIAS_KEY = "b";
    /** Batch normalization's scale and shift (DL4J's keys). */
    public static final String GAMMA_KEY = "gamma";
    public static final String BETA_KEY = "beta";
    /** Batch normalization's running statistics (DL4J's keys; the variance, never DL4J's log10 form, on shares). */
    public static final String MEAN_KEY = "mean";
    public static final String VAR_KEY = "var";

    private static final SecureParamInitializer INSTANCE = new SecureParamInitializer();

    private SecureParamInitializer() {
    }

    public static SecureParamInitializer getInstance() {
        return INSTANCE;
    }

    /** The secret-shared parameters of {@code layer}, in DL4J's order (W, then b), with their shapes. */
    public static Map<String, long[]> shareShapes(Layer layer) {
        Map<String, long[]> out = new LinkedHashMap<>();
        if (layer instanceof SecureSeparableConvolution2DLayer c) {
            int[] k = c.getKernelSize();
            long mid = c.getNIn() * c.getDepthMultiplier();
            out.put(WEIGHT_KEY, new long[] {c.getDepthMultiplier(), c.getNIn(), k[0], k[1]});
            out.put(SecureSeparableConvolution2DLayer.POINTWISE_KEY, new long[] {c.getNOut(), mid, 1, 1});
            if (c.hasBias()) {
                out.put(BIAS_KEY, new long[] {1, c.getNOut()});
            }
        } else if (layer instanceof SecureLossLayer) {
            return out;   // no parameters
        } else if (layer instanceof SecureFeedForwardLayer f) {
            out.put(WEIGHT_KEY, f instanceof SecureConvolutionLayer c
                    ? new long[] {c.getNOut(), c.getNIn(), c.getKernelSize()[0], c.getKernelSize()[1]}
                    : new long[] {f.getNIn(), f.getNOut()});
            if (f.hasBias()) {
                out.put(BIAS_KEY, new long[] {1, f.getNOut()});
            }
        } else if (layer instanceof SecureBatchNormalizationLayer bn) {
            long[] row = {1, bn.getNOut()};
            if (!bn.isLockGammaBeta()) {
                out.put(GAMMA_KEY, row);
                out.put(BETA_KEY, row.clone());
            }
            out.put(MEAN_KEY, row.clone());
            out.put(VAR_KEY, row.clone());
        }
        return out;
    }

    /**
     * Whether parameter {@code key} of {@code layer} is trained by the optimizer (has a gradient): every parameter
     * but batch normalization's running statistics, which the layer updates itself in its training forward pass.
     */
    public static boolean isTrained(Layer layer, String key) {
        return !(layer instanceof SecureBatchNormalizationLayer) || !(key.equals(MEAN_KEY) || key.equals(VAR_KEY));
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return 0;
    }

    @Override
    public long numParams(Layer layer) {
        return 0;
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        return Collections.emptyList();
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        return Collections.emptyList();
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        return Collections.emptyList();
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return false;
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return false;
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        return Collections.emptyMap();
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        return Collections.emptyMap();
    }
}
