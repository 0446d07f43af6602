package org.fastcrypt4j.nn.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.fastcrypt4j.mpc.functions.LeakyRelu;
import org.fastcrypt4j.mpc.functions.Relu;
import org.fastcrypt4j.mpc.functions.Sigmoid;
import org.fastcrypt4j.mpc.functions.Softmax;
import org.fastcrypt4j.mpc.functions.Tanh;
import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.nn.conf.SecureActivationKind;
import org.fastcrypt4j.nn.conf.SecureActivationLayer;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Runtime of {@link SecureActivationLayer}: each {@link SecureActivationKind} runs its protocol, and what the backward
 * pass needs is kept only by a training forward pass.
 * <ul>
 *   <li>ReLU: {@link Relu} with the session's MSB protocol (ABY3-style: 11 rounds, about 47 / 39 / 39 bytes per
 *       element); keeps the DReLU bits, backward one multiplication (1 round, 8 bytes per element per party).</li>
 *   <li>Leaky ReLU: {@link LeakyRelu}; keeps the slope sharing, backward one fixed-point product.</li>
 *   <li>Sigmoid, tanh: {@link Sigmoid}, {@link Tanh}; keep the output, backward two chained fixed-point products.</li>
 *   <li>Softmax: {@link Softmax#softmax} over the last axis of a [batch, classes] input; keeps the output, backward
 *       {@link Softmax#backward}.</li>
 *   <li>Identity passes shares through.</li>
 * </ul>
 * Nothing is opened.
 */
public class SecureActivation extends AbstractSecureLayer<SecureActivationLayer> {
    private static final long serialVersionUID = 1L;

    /** What the last training forward pass kept for the backward pass: DReLU bits, a slope or the output. */
    private transient SharedTensor kept;
    private transient long[] outputShape;

    public SecureActivation(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType, "SecureActivation");
    }

    @Override
    public SharedTensor forward(SharedTensor x, boolean training) {
        checkInput(x, shapeOf(x));
        SecureActivationKind kind = layerConf().kind();
        SharedTensor y;
        SharedTensor keep;
        switch (kind) {
            case RELU -> {
                Relu.Forward f = Relu.forward(session(), x);
                y = f.output();
                keep = f.drelu();
            }
            case LEAKY_RELU -> {
                LeakyRelu.Forward f = LeakyRelu.forward(session(), x, alpha());
                y = f.output();
                keep = f.slope();
            }
            case SIGMOID -> {
                y = Sigmoid.sigmoid(session(), x);
                keep = y;
            }
            case TANH -> {
                y = Tanh.tanh(session(), x);
                keep = y;
            }
            case SOFTMAX -> {
                checkInput(x, -1, -1);
                y = Softmax.softmax(session(), x);
                keep = y;
            }
            default -> {
                return x;
            }
        }
        kept = training ? keep : null;
        outputShape = training ? y.shape() : null;
        return y;
    }

    @Override
    public SharedTensor backward(SharedTensor epsilon, boolean needInputGradient) {
        SecureActivationKind kind = layerConf().kind();
        if (!needInputGradient || kind == SecureActivationKind.IDENTITY) {
            return needInputGradient ? epsilon : null;
        }
        if (kept == null) {
            throw new IllegalStateException(describe() + ": backward without a training forward pass");
        }
        checkInput(epsilon, outputShape);
        return switch (kind) {
            case RELU -> Relu.backward(session(), new Relu.Forward(null, kept), epsilon);
            case LEAKY_RELU -> LeakyRelu.backward(session(), new LeakyRelu.Forward(null, kept), epsilon);
            case SIGMOID -> Sigmoid.backward(session(), kept, epsilon);
            case TANH -> Tanh.backward(session(), kept, epsilon);
            case SOFTMAX -> Softmax.backward(session(), kept, epsilon);
            default -> throw new IllegalStateException(describe() + ": no backward pass for " + kind);
        };
    }

    private double alpha() {
        return ((ActivationLReLU) layerConf().getActivationFn()).getAlpha();
    }

    private static long[] shapeOf(SharedTensor x) {
        return x == null ? new long[0] : x.shape();
    }

    @Override
    public Type type() {
        return Type.FEED_FORWARD;
    }
}
