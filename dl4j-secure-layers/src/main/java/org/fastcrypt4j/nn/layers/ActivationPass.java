package org.fastcrypt4j.nn.layers;

import org.fastcrypt4j.mpc.functions.LeakyRelu;
import org.fastcrypt4j.mpc.functions.PiecewiseLinear;
import org.fastcrypt4j.mpc.functions.Relu;
import org.fastcrypt4j.mpc.functions.Sigmoid;
import org.fastcrypt4j.mpc.functions.Softmax;
import org.fastcrypt4j.mpc.functions.Tanh;
import org.fastcrypt4j.mpc.sharing.Session;
import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.nn.conf.SecureActivationKind;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationLReLU;

/**
 * One activation's forward and backward pass on shares, by {@link SecureActivationKind}, for the activation layer and
 * for an output layer whose loss follows an activation (MSE after leaky ReLU, say).
 * <ul>
 *   <li>ReLU: {@link Relu} (keeps the DReLU bits; backward one multiplication).</li>
 *   <li>Leaky ReLU: {@link LeakyRelu} (keeps the slope sharing; backward one fixed-point product).</li>
 *   <li>Capped, thresholded or sloped ReLU, ReLU6, hard tanh, hard sigmoid: {@link PiecewiseLinear} (the same).</li>
 *   <li>Sigmoid, tanh: {@link Sigmoid}, {@link Tanh} (keep the output; backward two chained fixed-point products).</li>
 *   <li>Softmax over the last axis of a [batch, classes] input: {@link Softmax#softmax} (keeps the output; backward
 *       {@link Softmax#backward}).</li>
 *   <li>Identity passes shares through.</li>
 * </ul>
 * Nothing is opened.
 *
 * @param output the activation's output
 * @param kept   what the backward pass needs (DReLU bits, a slope or the output), null for identity
 */
record ActivationPass(SecureActivationKind kind, SharedTensor output, SharedTensor kept) {

    /** The forward pass of {@code activation} (a supported one) on {@code x}. */
    static ActivationPass forward(Session s, IActivation activation, SharedTensor x) {
        SecureActivationKind kind = SecureActivationKind.of(activation);
        return switch (kind) {
            case RELU -> {
                Relu.Forward f = Relu.forward(s, x);
                yield new ActivationPass(kind, f.output(), f.drelu());
            }
            case LEAKY_RELU -> {
                LeakyRelu.Forward f = LeakyRelu.forward(s, x, ((ActivationLReLU) activation).getAlpha());
                yield new ActivationPass(kind, f.output(), f.slope());
            }
            case PIECEWISE_LINEAR -> {
                PiecewiseLinear.Forward f = PiecewiseLinear.forward(s, x, SecureActivationKind.pieces(activation));
                yield new ActivationPass(kind, f.output(), f.slope());
            }
            case SIGMOID -> {
                SharedTensor y = Sigmoid.sigmoid(s, x);
                yield new ActivationPass(kind, y, y);
            }
            case TANH -> {
                SharedTensor y = Tanh.tanh(s, x);
                yield new ActivationPass(kind, y, y);
            }
            case SOFTMAX -> {
                SharedTensor y = Softmax.softmax(s, x);
                yield new ActivationPass(kind, y, y);
            }
            case IDENTITY -> new ActivationPass(kind, x, null);
        };
    }

    /** The gradient with respect to the activation's input, given {@code epsilon} with respect to its output. */
    SharedTensor backward(Session s, SharedTensor epsilon) {
        return switch (kind) {
            case RELU -> Relu.backward(s, new Relu.Forward(null, kept), epsilon);
            case LEAKY_RELU -> LeakyRelu.backward(s, new LeakyRelu.Forward(null, kept), epsilon);
            case PIECEWISE_LINEAR -> PiecewiseLinear.backward(s, new PiecewiseLinear.Forward(null, kept), epsilon);
            case SIGMOID -> Sigmoid.backward(s, kept, epsilon);
            case TANH -> Tanh.backward(s, kept, epsilon);
            case SOFTMAX -> Softmax.backward(s, kept, epsilon);
            case IDENTITY -> epsilon;
        };
    }
}
