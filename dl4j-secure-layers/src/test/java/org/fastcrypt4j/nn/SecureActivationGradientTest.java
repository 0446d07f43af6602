package org.fastcrypt4j.nn;

import java.util.Map;
import java.util.SplittableRandom;

import org.fastcrypt4j.nn.conf.SecureActivationLayer;
import org.fastcrypt4j.nn.conf.SecureOutputLayer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationHardSigmoid;
import org.nd4j.linalg.activations.impl.ActivationHardTanH;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU6;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The activations beyond ReLU and identity ({@link SecureActivationLayer} with leaky ReLU, the piecewise-linear
 * ones, sigmoid, tanh, softmax):
 * forward pass and input gradient on shares against DL4J's {@code ActivationLayer} with the same {@code IActivation},
 * in double precision, on inputs in (-3, 3) with entries of +-100 ({@link LayerGradientCheck#input}).
 *
 * <p>Tolerances, |secure - plain| &lt;= tol (1 + |plain|) per element unless noted:
 * <ul>
 *   <li>leaky ReLU: {@link #LINEAR_TOL} for both passes: exact but for the encoding of alpha (error below 2^-21,
 *       times |x| &lt;= 100) and one truncation.</li>
 *   <li>sigmoid: 2e-3 forward and backward: exp's absolute error (&lt;= 1.1e-3) and the reciprocal's relative error
 *       (2e-4) give about 1.3e-3 on s, and the slope s (1 - s) changes by at most that much.</li>
 *   <li>tanh: 4e-3 forward (twice the sigmoid's error), 6e-3 backward (1 - t^2 changes by up to 2|t| times t's
 *       error).</li>
 *   <li>softmax: 1e-2 forward (about 3.4e-3 per probability, PROTOCOLS.md 8.3), 2e-2 backward over each tensor
 *       (scaled by its largest entry), as for the softmax output layer in {@link SecureLayerGradientTest}.</li>
 * </ul>
 */
class SecureActivationGradientTest extends LayerGradientCheck {

    private void check(IActivation a, double forwardTol, double gradTol, boolean perTensor) {
        SplittableRandom r = new SplittableRandom(seed);
        SecureActivationLayer conf = new SecureActivationLayer.Builder().activation(a).build();
        check(conf, Map.of(), input(r, 4, 9), uniform(r, 1, 4, 9), forwardTol, gradTol, perTensor);
    }

    @Test
    void leakyReluMatchesDl4j() {
        check(Activation.LEAKYRELU.getActivationFunction(), LINEAR_TOL, LINEAR_TOL, false);
        check(new ActivationLReLU(0.3), LINEAR_TOL, LINEAR_TOL, false);
    }

    /**
     * The piecewise-linear activations (capped, thresholded and sloped ReLU, ReLU6, hard tanh, hard sigmoid, leaky ReLU
     * with slopes outside [0, 1)): exact but for the encoding of their constants and one truncation.
     */
    @Test
    void piecewiseLinearActivationsMatchDl4j() {
        for (IActivation a : new IActivation[] {new ActivationReLU6(), new ActivationHardTanH(),
            new ActivationHardSigmoid(), new ActivationReLU(2.0, 0.5, 0.1), new ActivationReLU(null, -0.5, 0.2),
            new ActivationReLU(1.5, null, null), new ActivationLReLU(1.5), new ActivationLReLU(-0.2)}) {
            check(a, LINEAR_TOL, LINEAR_TOL, false);
        }
    }

    @Test
    void sigmoidMatchesDl4j() {
        check(Activation.SIGMOID.getActivationFunction(), 2e-3, 2e-3, false);
    }

    @Test
    void tanhMatchesDl4j() {
        check(Activation.TANH.getActivationFunction(), 4e-3, 6e-3, false);
    }

    @Test
    void softmaxMatchesDl4j() {
        check(Activation.SOFTMAX.getActivationFunction(), 1e-2, 2e-2, true);
    }

    /**
     * MSE output layers after an activation (DL4J's autoencoder example ends in leaky ReLU with MSE): the logits
     * forward and the gradients of the weights, the bias and the input against DL4J's {@code OutputLayer}, with the
     * activation's tolerances above (gradients scaled by each tensor's largest entry: the weight gradient sums the
     * activation's error over the batch).
     */
    @Test
    void mseOutputsAfterAnActivationMatchDl4j() {
        SplittableRandom r = new SplittableRandom(seed);
        Object[][] cases = {{Activation.LEAKYRELU.getActivationFunction(), LINEAR_TOL},
            {Activation.RELU.getActivationFunction(), LINEAR_TOL}, {new ActivationHardTanH(), LINEAR_TOL},
            {Activation.SIGMOID.getActivationFunction(), 4e-3},
            {Activation.TANH.getActivationFunction(), 1e-2}};
        for (Object[] c : cases) {
            SecureOutputLayer conf = new SecureOutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(6).nOut(3)
                    .activation((IActivation) c[0]).build();
            // inputs in (-3, 3): the weight gradient multiplies the activation's derivative error by the inputs, so
            // the +-100 entries of input() would scale it a hundredfold (the activation layer tests cover them)
            check(conf, params(conf, r), uniform(r, 3, 8, 6), uniform(r, 2, 8, 3), LINEAR_TOL, (double) c[1], true);
        }
    }
}
