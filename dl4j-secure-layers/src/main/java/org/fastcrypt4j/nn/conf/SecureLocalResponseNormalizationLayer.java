package org.fastcrypt4j.nn.conf;

import java.util.Objects;

import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.InputTypeUtil;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LocalResponseNormalization;
import org.fastcrypt4j.nn.layers.SecureLocalResponseNormalization;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * DL4J's {@link LocalResponseNormalization} (AlexNet's) on shares, NCHW: y = x (k + alpha sum_window x^2)^-beta over
 * the n neighbouring channels, with DL4J's defaults (k = 2, n = 5, alpha = 1e-4, beta = 0.75) and DL4J's backward pass;
 * runtime layer {@link SecureLocalResponseNormalization}, which states the protocol. beta must be 0.25, 0.5, 0.75 or
 * 1 (powers of inverse square roots), k at least 4^-8, and the inputs below 2048 in magnitude.
 */
public class SecureLocalResponseNormalizationLayer extends SecureNoParamLayer {
    private static final long serialVersionUID = 1L;
    private static final String TYPE = "SecureLocalResponseNormalizationLayer";

    /** The smallest k accepted: the inverse square roots' range starts at 4^-8 at f = 20. */
    public static final double MIN_K = Math.pow(4, -8);

    private double k = 2;
    private double n = 5;
    private double alpha = 1e-4;
    private double beta = 0.75;

    /** For JSON. */
    protected SecureLocalResponseNormalizationLayer() {
    }

    private SecureLocalResponseNormalizationLayer(Builder b) {
        super(b);
        k = b.k;
        n = b.n;
        alpha = b.alpha;
        beta = b.beta;
        String p = problem(k, n, alpha, beta);
        if (p != null) {
            throw new IllegalArgumentException(TYPE + SecureLayerChecks.named(layerName) + ": " + p);
        }
    }

    /** Why these settings cannot run on shares, or null. */
    public static String problem(double k, double n, double alpha, double beta) {
        if (!(beta == 0.25 || beta == 0.5 || beta == 0.75 || beta == 1.0)) {
            return "beta " + beta + " not supported (0.25, 0.5, 0.75 or 1)";
        }
        if (!(k >= MIN_K) || Double.isInfinite(k)) {
            return "k " + k + " not supported (at least " + MIN_K + ")";
        }
        if (!(alpha > 0) || alpha > 1) {
            return "alpha " + alpha + " not supported (in (0, 1])";
        }
        if (!(n >= 1) || n > 1024) {
            return "n " + n + " not supported (1 to 1024)";
        }
        return null;
    }

    public double getK() {
        return k;
    }

    public void setK(double k) {
        this.k = k;
    }

    public double getN() {
        return n;
    }

    public void setN(double n) {
        this.n = n;
    }

    public double getAlpha() {
        return alpha;
    }

    public void setAlpha(double alpha) {
        this.alpha = alpha;
    }

    public double getBeta() {
        return beta;
    }

    public void setBeta(double beta) {
        this.beta = beta;
    }

    /** Channels on each side of the window, as DL4J's {@code (int) n / 2}. */
    public int halfWidth() {
        return (int) n / 2;
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        return SpatialAmounts.nchw(inputType, TYPE, layerName, layerIndex);
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return InputTypeUtil.getPreProcessorForInputTypeCnnLayers(inputType, getLayerName());
    }

    @Override
    protected org.deeplearning4j.nn.api.Layer runtimeLayer(NeuralNetConfiguration conf, DataType networkDataType) {
        return new SecureLocalResponseNormalization(conf, networkDataType);
    }

    @Override
    public Layer toPlain() {
        LocalResponseNormalization.Builder b = new LocalResponseNormalization.Builder().k(k).n(n).alpha(alpha)
                .beta(beta);
        return SecureLayerChecks.withDropout(SecureLayerChecks.withName(b, layerName), getIDropout()).build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SecureLocalResponseNormalizationLayer l && super.equals(o) && k == l.k && n == l.n
                && alpha == l.alpha && beta == l.beta;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), k, n, alpha, beta);
    }

    /** Builder, as DL4J's {@code LocalResponseNormalization.Builder}. */
    public static class Builder extends Layer.Builder<Builder> {
        private double k = 2;
        private double n = 5;
        private double alpha = 1e-4;
        private double beta = 0.75;

        public Builder k(double k) {
            this.k = k;
            return this;
        }

        public Builder n(double n) {
            this.n = n;
            return this;
        }

        public Builder alpha(double alpha) {
            this.alpha = alpha;
            return this;
        }

        public Builder beta(double beta) {
            this.beta = beta;
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public SecureLocalResponseNormalizationLayer build() {
            return new SecureLocalResponseNormalizationLayer(this);
        }
    }
}
