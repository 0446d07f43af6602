package org.fastcrypt4j.nn.conf;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.fastcrypt4j.nn.layers.SecureLoss;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * DL4J's {@link LossLayer} on shares: an output layer without parameters, its input taken as the logits (nIn =
 * nOut), with softmax and cross-entropy (MCXENT or NEGATIVELOGLIKELIHOOD) or an activation and MSE, as
 * {@link SecureOutputLayer}. The converter also takes DL4J's pattern of a softmax {@code ActivationLayer} followed by an
 * identity {@code LossLayer} (SqueezeNet's and Darknet19's ending) as this layer with softmax, which computes the same.
 * Runtime layer {@link SecureLoss}.
 */
public class SecureLossLayer extends SecureOutputLayer {
    private static final long serialVersionUID = 1L;

    /** For JSON. */
    protected SecureLossLayer() {
    }

    private SecureLossLayer(Builder b) {
        super(b);
        if (getNOut() <= 0) {
            setNOut(getNIn());
        }
        if (getNIn() <= 0) {
            setNIn(getNOut());
        }
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        return inputType;
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        super.setNIn(inputType, override);
        setNOut(getNIn());
    }

    @Override
    protected org.deeplearning4j.nn.api.Layer runtimeLayer(NeuralNetConfiguration conf, DataType networkDataType) {
        return new SecureLoss(conf, networkDataType);
    }

    @Override
    public Layer toPlain() {
        LossLayer.Builder b = new LossLayer.Builder(getLossFn()).activation(getActivationFn());
        if (layerName != null) {
            b.name(layerName);
        }
        LossLayer plain = b.build();
        plain.setNIn(getNIn());
        plain.setNOut(getNOut());
        return plain;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SecureLossLayer && super.equals(o);
    }

    @Override
    public int hashCode() {
        return super.hashCode();
    }

    /** Builder, as DL4J's {@code LossLayer.Builder}. */
    public static class Builder extends SecureOutputLayer.Builder {
        public Builder(ILossFunction loss) {
            super(loss);
        }

        @Override
        @SuppressWarnings("unchecked")
        public SecureLossLayer build() {
            return new SecureLossLayer(this);
        }
    }
}
