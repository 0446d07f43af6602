package org.fastcrypt4j.nn.conf;

import java.util.Objects;

import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.fastcrypt4j.nn.layers.SecureActivation;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.shade.jackson.annotation.JsonIgnore;

/**
 * An activation on shares ({@link SecureActivationKind}): ReLU (the secure comparison protocol chosen by the session,
 * ABY3- or Falcon-style), leaky ReLU ({@code ActivationLReLU}, alpha in [0, 1)), sigmoid, tanh, softmax (over the
 * last axis of a [batch, classes] input) or identity. Its plaintext twin is DL4J's {@link ActivationLayer} with the
 * same {@link IActivation}. Runtime layer {@link SecureActivation}.
 */
public class SecureActivationLayer extends SecureNoParamLayer {
    private static final long serialVersionUID = 1L;

    private IActivation activationFn = Activation.RELU.getActivationFunction();

    /** For JSON. */
    protected SecureActivationLayer() {
    }

    private SecureActivationLayer(Builder b) {
        super(b);
        if (SecureActivationKind.of(b.activationFn) == null) {
            throw new IllegalArgumentException("SecureActivationLayer" + SecureLayerChecks.named(layerName)
                    + ": activation " + b.activationFn + " not supported (" + SecureActivationKind.SUPPORTED + ")");
        }
        activationFn = b.activationFn == null ? Activation.IDENTITY.getActivationFunction() : b.activationFn;
    }

    public IActivation getActivationFn() {
        return activationFn;
    }

    /** Bean setter (DL4J's JSON mapping uses it). */
    public void setActivationFn(IActivation a) {
        activationFn = a;
    }

    /** True for plain ReLU only (the one activation that commutes with max pooling). */
    @JsonIgnore
    public boolean isRelu() {
        return kind() == SecureActivationKind.RELU;
    }

    /** Which protocol computes the activation. */
    @JsonIgnore
    public SecureActivationKind kind() {
        return SecureActivationKind.of(activationFn);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        return inputType;
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return null;
    }

    @Override
    protected org.deeplearning4j.nn.api.Layer runtimeLayer(NeuralNetConfiguration conf, DataType networkDataType) {
        return new SecureActivation(conf, networkDataType);
    }

    @Override
    public Layer toPlain() {
        return SecureLayerChecks.withName(new ActivationLayer.Builder().activation(activationFn), layerName).build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SecureActivationLayer a && super.equals(o) && Objects.equals(activationFn, a.activationFn);
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), activationFn);
    }

    /** Builder, as DL4J's {@code ActivationLayer.Builder}. */
    public static class Builder extends Layer.Builder<Builder> {
        private IActivation activationFn = Activation.RELU.getActivationFunction();

        public Builder activation(Activation a) {
            activationFn = a.getActivationFunction();
            return this;
        }

        public Builder activation(IActivation a) {
            activationFn = a;
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public SecureActivationLayer build() {
            return new SecureActivationLayer(this);
        }
    }
}
