package org.fastcrypt4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.fastcrypt4j.mpc.sharing.Session;
import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.mpc.sharing.Sharing;
import org.fastcrypt4j.nn.conf.SecureActivationLayer;
import org.fastcrypt4j.nn.conf.SecureConvolutionLayer;
import org.fastcrypt4j.nn.conf.SecureDenseLayer;
import org.fastcrypt4j.nn.conf.SecureLayerConf;
import org.fastcrypt4j.nn.conf.SecureOutputLayer;
import org.fastcrypt4j.nn.conf.SecureParamInitializer;
import org.fastcrypt4j.nn.conf.SecureSubsamplingLayer;
import org.fastcrypt4j.nn.layers.SecureLayer;
import org.fastcrypt4j.nn.layers.SecureOutput;
import org.fastcrypt4j.ring.FixedPoint;
import org.fastcrypt4j.ring.RingTensor;
import org.junit.jupiter.api.Test;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Every secure layer's forward pass and backward pass (input gradient, weight and bias gradients) against the
 * plain DL4J layer it names ({@link SecureLayerConf#toPlain()}) with the same weights and inputs, computed by
 * DL4J in double precision. Inputs hold negative and large-magnitude values (a few entries of +-100).
 *
 * <p>Tolerance: |secure - plain| &lt;= tol * (1 + |plain|). Fixed point with f = 20 encodes each value with an
 * error below 2^-21 and each truncation adds at most 1 unit (2^-20), so a linear layer over a k-term sum is off
 * by about k * |x| * |w| * 2^-21: tol = 1e-4 for the linear layers, ReLU and pooling (exact but for the
 * encoding). The softmax on shares approximates exp and the reciprocal with an absolute error of about 3.4e-3 per
 * probability (PROTOCOLS.md 8.3); its gradients sum such errors times the inputs, so for the softmax output layer
 * the bound is |secure - plain| &lt;= 2e-2 * (1 + max |plain|) over each tensor (the largest entry scales the
 * error); MSE outputs use the element-wise 1e-4.
 */
class SecureLayerGradientTest extends LayerGradientCheck {

    @Test
    void denseMatchesDl4j() {
        SplittableRandom r = new SplittableRandom(seed);
        for (boolean bias : new boolean[] {true, false}) {
            SecureDenseLayer conf = new SecureDenseLayer.Builder().nIn(13).nOut(7).hasBias(bias).build();
            check(conf, params(conf, r), input(r, 5, 13), uniform(r, 1, 5, 7), LINEAR_TOL);
        }
    }

    @Test
    void convolutionMatchesDl4j() {
        SplittableRandom r = new SplittableRandom(seed);
        List<SecureConvolutionLayer> convs = new ArrayList<>();
        convs.add(new SecureConvolutionLayer.Builder(3, 3).nIn(2).nOut(3).build());
        convs.add(new SecureConvolutionLayer.Builder(3, 2).stride(2, 1).padding(1, 0).dilation(1, 2).nIn(2).nOut(2)
                .hasBias(false).build());
        convs.add(new SecureConvolutionLayer.Builder(3, 3).stride(2).convolutionMode(ConvolutionMode.Same).nIn(2)
                .nOut(3).build());
        for (SecureConvolutionLayer conf : convs) {
            INDArray x = input(r, 2, 2, 7, 8);
            long[] out = SecureConversionTest.convOutputShape(conf, x.shape());
            check(conf, params(conf, r), x, uniform(r, 1, out), LINEAR_TOL);
        }
    }

    @Test
    void activationsMatchDl4j() {
        SplittableRandom r = new SplittableRandom(seed);
        for (Activation a : new Activation[] {Activation.RELU, Activation.IDENTITY}) {
            SecureActivationLayer conf = new SecureActivationLayer.Builder().activation(a).build();
            check(conf, Map.of(), input(r, 4, 9), uniform(r, 1, 4, 9), LINEAR_TOL);
        }
    }

    @Test
    void poolingMatchesDl4j() {
        SplittableRandom r = new SplittableRandom(seed);
        List<SecureSubsamplingLayer> pools = new ArrayList<>();
        pools.add(new SecureSubsamplingLayer.Builder(PoolingType.MAX, new int[] {2, 2}, new int[] {2, 2}).build());
        pools.add(new SecureSubsamplingLayer.Builder(PoolingType.AVG, new int[] {2, 2}, new int[] {2, 2}).build());
        pools.add(new SecureSubsamplingLayer.Builder(PoolingType.MAX, new int[] {3, 3}, new int[] {2, 2}).padding(1)
                .build());
        pools.add(new SecureSubsamplingLayer.Builder(PoolingType.AVG, new int[] {3, 3}, new int[] {1, 1})
                .convolutionMode(ConvolutionMode.Same).avgPoolIncludePadInDivisor(false).build());
        for (SecureSubsamplingLayer conf : pools) {
            INDArray x = input(r, 2, 3, 6, 7);
            long[] out = SecureConversionTest.poolOutputShape(conf, x.shape());
            check(conf, Map.of(), x, uniform(r, 1, out), LINEAR_TOL);
        }
    }

    @Test
    void outputLayersMatchDl4j() {
        SplittableRandom r = new SplittableRandom(seed);
        SecureOutputLayer softmax = new SecureOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(6).nOut(4)
                .activation(Activation.SOFTMAX).build();
        SecureOutputLayer nll = new SecureOutputLayer.Builder(LossFunctions.LossFunction.NEGATIVELOGLIKELIHOOD).nIn(6)
                .nOut(4).activation(Activation.SOFTMAX).build();
        SecureOutputLayer mse = new SecureOutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(6).nOut(3)
                .activation(Activation.IDENTITY).build();
        for (SecureOutputLayer conf : new SecureOutputLayer[] {softmax, nll}) {
            INDArray labels = Nd4j.zeros(DataType.DOUBLE, 8, 4);
            for (int i = 0; i < 8; i++) {
                labels.putScalar(i, r.nextInt(4), 1.0);
            }
            check(conf, params(conf, r), input(r, 8, 6), labels, 2e-2, true);
        }
        // the inputs' +-100 entries make weight gradients of about 25 from rounded products: scaled per tensor (CI
        // run once saw 1.15e-4 of one element's own magnitude)
        check(mse, params(mse, r), input(r, 8, 6), uniform(r, 2, 8, 3), LINEAR_TOL, true);
    }
}
