package org.fastcrypt4j.nn.conf;

import java.util.Collection;
import java.util.Objects;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.fastcrypt4j.nn.layers.SecureBatchNormalization;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Batch normalization on shares with DL4J's {@link BatchNormalization} semantics (NCHW only): per feature of
 * feed-forward input {@code [N, C]}, per channel over N, H, W of convolutional input {@code [N, C, H, W]}. Shared
 * parameters {@code gamma, beta} (trained by the updater; absent when gamma and beta are locked) and the running
 * statistics {@code mean, var} (each {@code [1, C]}), which the runtime layer {@link SecureBatchNormalization}
 * updates itself in every training forward pass with DL4J's moving average of decay {@link #getDecay()}: the
 * optimizer never touches them, but they are imported, exported and checkpointed with the model.
 *
 * <p>{@link #isUseLogStd()} only records how the plaintext twin stores the running variance (DL4J's default
 * {@code log10stdev}); on shares it is always the variance, converted at the model owner on import and export.
 */
public class SecureBatchNormalizationLayer extends FeedForwardLayer implements SecureLayerConf {
    private static final long serialVersionUID = 1L;

    /** DL4J's defaults. */
    public static final double DEFAULT_DECAY = 0.9;
    public static final double DEFAULT_EPS = 1e-5;

    private double decay = DEFAULT_DECAY;
    private double eps = DEFAULT_EPS;
    private boolean lockGammaBeta;
    private boolean useLogStd = true;

    /** For JSON. */
    protected SecureBatchNormalizationLayer() {
        setActivationFn(Activation.IDENTITY.getActivationFunction());
    }

    private SecureBatchNormalizationLayer(Builder b) {
        super(b);
        String type = "SecureBatchNormalizationLayer" + SecureLayerChecks.named(layerName);
        if (!(b.decay >= 0 && b.decay <= 1)) {
            throw new IllegalArgumentException(type + ": decay " + b.decay + " outside [0, 1]");
        }
        if (!(b.eps > 0)) {
            throw new IllegalArgumentException(type + ": eps " + b.eps + " must be positive");
        }
        decay = b.decay;
        eps = b.eps;
        lockGammaBeta = b.lockGammaBeta;
        useLogStd = b.useLogStd;
        setActivationFn(Activation.IDENTITY.getActivationFunction());
        initializeConstraints(b);
    }

    public double getDecay() {
        return decay;
    }

    public double getEps() {
        return eps;
    }

    /** True: no gamma and beta parameters (gamma = 1, beta = 0). */
    public boolean isLockGammaBeta() {
        return lockGammaBeta;
    }

    public boolean isUseLogStd() {
        return useLogStd;
    }

    /** Bean setters (DL4J's JSON mapping uses them). */
    public void setDecay(double decay) {
        this.decay = decay;
    }

    public void setEps(double eps) {
        this.eps = eps;
    }

    public void setLockGammaBeta(boolean lockGammaBeta) {
        this.lockGammaBeta = lockGammaBeta;
    }

    public void setUseLogStd(boolean useLogStd) {
        this.useLogStd = useLogStd;
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
            Collection<TrainingListener> listeners, int layerIndex, INDArray paramsView, boolean initializeParams,
            DataType networkDataType) {
        if (getNOut() <= 0) {
            throw new IllegalStateException("SecureBatchNormalizationLayer" + SecureLayerChecks.named(layerName)
                    + " (layer " + layerIndex + "): number of channels not set (set nOut, or the network's input type)");
        }
        return SecureLayerChecks.runtime(new SecureBatchNormalization(conf, networkDataType), listeners, layerIndex);
    }

    @Override
    public ParamInitializer initializer() {
        return SecureParamInitializer.getInstance();
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        if (inputType == null || (inputType.getType() != InputType.Type.FF && inputType.getType() != InputType.Type.CNN
                && inputType.getType() != InputType.Type.CNNFlat)) {
            throw new IllegalStateException("SecureBatchNormalizationLayer" + SecureLayerChecks.named(layerName)
                    + " (layer " + layerIndex + ") needs feed-forward or convolutional input, got " + inputType);
        }
        if (inputType instanceof InputType.InputTypeConvolutionalFlat flat) {
            return flat.getUnflattenedType();
        }
        return inputType;
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        long n;
        if (inputType instanceof InputType.InputTypeConvolutional c) {
            n = c.getChannels();
        } else if (inputType instanceof InputType.InputTypeConvolutionalFlat flat) {
            n = flat.getDepth();
        } else if (inputType instanceof InputType.InputTypeFeedForward ff) {
            n = ff.getSize();
        } else {
            throw new IllegalStateException("SecureBatchNormalizationLayer" + SecureLayerChecks.named(layerName)
                    + " needs feed-forward or convolutional input, got " + inputType);
        }
        if (nIn <= 0 || override) {
            nIn = n;
            nOut = n;
        }
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        if (inputType instanceof InputType.InputTypeConvolutionalFlat flat) {
            return new FeedForwardToCnnPreProcessor(flat.getHeight(), flat.getWidth(), flat.getDepth());
        }
        return null;
    }

    @Override
    public boolean isPretrainParam(String paramName) {
        return false;
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        return SecureLayerChecks.memoryReport(this, inputType, getOutputType(-1, inputType), getClass());
    }

    @Override
    public Layer toPlain() {
        BatchNormalization.Builder b = new BatchNormalization.Builder().nIn(getNIn()).nOut(getNOut()).decay(decay)
                .eps(eps).lockGammaBeta(lockGammaBeta).useLogStd(useLogStd).updater(getIUpdater());
        return SecureLayerChecks.withName(b, layerName).build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SecureBatchNormalizationLayer other && super.equals(o) && decay == other.decay
                && eps == other.eps && lockGammaBeta == other.lockGammaBeta && useLogStd == other.useLogStd;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), decay, eps, lockGammaBeta, useLogStd);
    }

    /** Builder, as DL4J's {@code BatchNormalization.Builder} (locked gamma and beta are 1 and 0). */
    public static class Builder extends FeedForwardLayer.Builder<Builder> {
        private double decay = DEFAULT_DECAY;
        private double eps = DEFAULT_EPS;
        private boolean lockGammaBeta;
        private boolean useLogStd = true;

        /** Decay of the running mean and variance (default 0.9). */
        public Builder decay(double decay) {
            this.decay = decay;
            return this;
        }

        /** Added to the variance before the inverse square root (default 1e-5). */
        public Builder eps(double eps) {
            this.eps = eps;
            return this;
        }

        /** No gamma and beta parameters: the output is the normalised input (default false). */
        public Builder lockGammaBeta(boolean lockGammaBeta) {
            this.lockGammaBeta = lockGammaBeta;
            return this;
        }

        /** The plaintext twin stores log10 of the running standard deviation, as DL4J by default (default true). */
        public Builder useLogStd(boolean useLogStd) {
            this.useLogStd = useLogStd;
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public SecureBatchNormalizationLayer build() {
            return new SecureBatchNormalizationLayer(this);
        }
    }
}
