package org.fastcrypt4j.nn.conf;

import java.util.Objects;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.fastcrypt4j.nn.layers.SecureOutput;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.shade.jackson.annotation.JsonIgnore;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;

/**
 * The output layer on shares: {@code z = x W + b} (DL4J's {@link OutputLayer} layout) with either softmax and
 * cross-entropy ({@code MCXENT} or {@code NEGATIVELOGLIKELIHOOD}, whose gradient {@code softmax(z) - y} is
 * computed on shares) or identity and {@code MSE} (gradient {@code 2 (z - y) / nOut}), per example as DL4J defines
 * them (the updater divides by the batch size).
 * Runtime layer {@link SecureOutput}.
 */
public class SecureOutputLayer extends SecureFeedForwardLayer {
    private static final long serialVersionUID = 1L;

    private ILossFunction lossFn = new LossMCXENT();

    /** For JSON. */
    protected SecureOutputLayer() {
    }

    protected SecureOutputLayer(Builder b) {
        super(b);
        lossFn = b.lossFn;
        if (getActivationFn() == null) {
            setActivationFn(lossFn instanceof LossMSE ? Activation.IDENTITY.getActivationFunction()
                    : Activation.SOFTMAX.getActivationFunction());
        }
        String problem = problem(getActivationFn(), lossFn);
        if (problem != null) {
            throw new IllegalArgumentException("SecureOutputLayer" + SecureLayerChecks.named(layerName) + ": " + problem);
        }
        initializeConstraints(b);
    }

    /**
     * Why an activation and loss cannot run on shares, or null when they can: softmax with MCXENT or
     * NEGATIVELOGLIKELIHOOD (no class weights), identity with MSE.
     */
    public static String problem(IActivation activation, ILossFunction loss) {
        if (loss instanceof LossMCXENT x) {
            if (!(activation instanceof ActivationSoftmax)) {
                return "loss " + loss + " needs a softmax output, got " + activation;
            }
            if (x.getWeights() != null) {
                return "class weights in loss " + loss + " not supported";
            }
            return null;
        }
        if (loss instanceof LossMSE) {
            SecureActivationKind kind = SecureActivationKind.of(activation);
            return kind != null && kind != SecureActivationKind.SOFTMAX ? null
                    : "loss MSE after activation " + activation + " not supported (identity, ReLU, leaky ReLU, sigmoid,"
                            + " tanh)";
        }
        return "loss " + loss + " not supported (MCXENT or NEGATIVELOGLIKELIHOOD with softmax, MSE with identity, ReLU,"
                + " leaky ReLU, sigmoid or tanh)";
    }

    public ILossFunction getLossFn() {
        return lossFn;
    }

    /** Bean setter (DL4J's JSON mapping uses it). */
    public void setLossFn(ILossFunction lossFn) {
        this.lossFn = lossFn;
    }

    /** True for softmax with cross-entropy, false for identity with MSE. */
    @JsonIgnore
    public boolean isSoftmaxCrossEntropy() {
        return lossFn instanceof LossMCXENT;
    }

    @Override
    protected org.deeplearning4j.nn.api.Layer runtimeLayer(NeuralNetConfiguration conf, DataType networkDataType) {
        return new SecureOutput(conf, networkDataType);
    }

    @Override
    public Layer toPlain() {
        return twin(new OutputLayer.Builder(lossFn)).hasBias(hasBias()).activation(getActivationFn()).build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SecureOutputLayer other && super.equals(o) && Objects.equals(lossFn, other.lossFn);
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), lossFn);
    }

    /** Builder, as DL4J's {@code OutputLayer.Builder}. */
    public static class Builder extends SecureFeedForwardLayer.Builder<Builder> {
        private ILossFunction lossFn = new LossMCXENT();

        public Builder() {
        }

        public Builder(LossFunctions.LossFunction loss) {
            lossFunction(loss);
        }

        public Builder(ILossFunction loss) {
            lossFn = loss;
        }

        public Builder lossFunction(LossFunctions.LossFunction loss) {
            lossFn = loss.getILossFunction();
            return this;
        }

        public Builder lossFunction(ILossFunction loss) {
            lossFn = loss;
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public SecureOutputLayer build() {
            return new SecureOutputLayer(this);
        }
    }
}
