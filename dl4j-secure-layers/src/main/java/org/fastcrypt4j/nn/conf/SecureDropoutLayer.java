package org.fastcrypt4j.nn.conf;

import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.fastcrypt4j.nn.layers.SecureDropout;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * DL4J's {@link DropoutLayer} on shares: no parameters; in training its input is multiplied by a public Bernoulli(p)
 * mask divided by p (the secure network's input dropout, {@code nn.network.InputDropout}, which every layer carrying
 * a {@link Dropout} gets), at inference it passes its input through. Runtime layer {@link SecureDropout}.
 *
 * <p>The plaintext twin ({@link #toPlain()}) is DL4J's DropoutLayer with the same dropout; DL4J draws its own masks, so
 * the twin computes the same function in distribution, not mask for mask.
 */
public class SecureDropoutLayer extends SecureNoParamLayer {
    private static final long serialVersionUID = 1L;

    /** For JSON. */
    protected SecureDropoutLayer() {
    }

    private SecureDropoutLayer(Builder b) {
        super(b);
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
        return new SecureDropout(conf, networkDataType);
    }

    @Override
    public Layer toPlain() {
        return SecureLayerChecks.withDropout(SecureLayerChecks.withName(new DropoutLayer.Builder(), layerName),
                getIDropout()).build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SecureDropoutLayer && super.equals(o);
    }

    @Override
    public int hashCode() {
        return super.hashCode();
    }

    /** Builder, as DL4J's {@code DropoutLayer.Builder}: p is the probability of keeping an entry. */
    public static class Builder extends Layer.Builder<Builder> {

        public Builder() {
        }

        public Builder(double retainProbability) {
            dropOut(retainProbability);
        }

        public Builder(IDropout dropout) {
            dropOut(dropout);
        }

        @Override
        @SuppressWarnings("unchecked")
        public SecureDropoutLayer build() {
            return new SecureDropoutLayer(this);
        }
    }
}
