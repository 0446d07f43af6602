package org.fastcrypt4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;
import org.deeplearning4j.nn.weights.WeightInit;
import org.fastcrypt4j.nn.conf.SecureActivationLayer;
import org.fastcrypt4j.nn.conf.SecureSeparableConvolution2DLayer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Separable convolution (depthwise then pointwise) on shares against DL4J's SeparableConvolution2D from the same
 * weights: output, input gradient and the gradients of W, pW and b, with depth multipliers 1 and 2, strides, padding,
 * dilation and the Same mode; exact but for the fixed-point roundings of two chained products (tolerance
 * 1e-3 relative to each tensor's largest entry). Also the JSON round trip, the conversion (a fused activation split
 * off) and a small network trained beside its twin.
 */
class SeparableConvolutionTest extends LayerGradientCheck {

    @Test
    void separableConvolutionMatchesDl4j() {
        SplittableRandom r = new SplittableRandom(seed);
        List<SecureSeparableConvolution2DLayer> convs = new ArrayList<>();
        convs.add((SecureSeparableConvolution2DLayer) new SecureSeparableConvolution2DLayer.Builder(3, 3).depthMultiplier(2)
                .nIn(3).nOut(4).build());
        convs.add((SecureSeparableConvolution2DLayer) new SecureSeparableConvolution2DLayer.Builder(3, 2)
                .depthMultiplier(1).stride(2, 1).padding(1, 0).dilation(1, 2).nIn(3).nOut(2).hasBias(false).build());
        convs.add((SecureSeparableConvolution2DLayer) new SecureSeparableConvolution2DLayer.Builder(3, 3)
                .depthMultiplier(3).stride(2).convolutionMode(ConvolutionMode.Same).nIn(3).nOut(5).build());
        for (int i = 0; i < convs.size(); i++) {
            SecureSeparableConvolution2DLayer conf = convs.get(i);
            INDArray x = input(r, 2, 3, 7, 8);
            long[] out = SecureConversionTest.convOutputShape(conf, x.shape());
            try {
                check(conf, params(conf, r), x, uniform(r, 1, out), 1e-3, 1e-3, true);
            } catch (RuntimeException e) {
                throw new AssertionError("case " + i + ": " + e.getMessage(), e);
            }
        }
    }

    private static MultiLayerConfiguration net() {
        return new NeuralNetConfiguration.Builder().seed(31).updater(new Nesterovs(0.05, 0.9))
                .weightInit(WeightInit.XAVIER).list()
                .layer(new SeparableConvolution2D.Builder(3, 3).depthMultiplier(2).nOut(4).activation(Activation.RELU)
                        .name("sep").build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(3).activation(Activation.IDENTITY)
                        .build())
                .setInputType(InputType.convolutionalFlat(6, 6, 2)).build();
    }

    @Test
    void configurationRoundTripsAndConverts() {
        MultiLayerConfiguration secure = SecureConversion.toSecure(net());
        SecureSeparableConvolution2DLayer sep = (SecureSeparableConvolution2DLayer) secure.getConf(0).getLayer();
        assertEquals(2, sep.getDepthMultiplier());
        assertEquals(2, sep.getNIn());
        assertEquals(4, sep.getNOut());
        assertEquals(Activation.RELU.getActivationFunction(),
                ((SecureActivationLayer) secure.getConf(1).getLayer()).getActivationFn());
        assertEquals(secure, MultiLayerConfiguration.fromJson(secure.toJson()));
        assertEquals(secure, MultiLayerConfiguration.fromYaml(secure.toYaml()));
    }

    @Test
    void aSeparableConvolutionNetworkTracksItsDl4jTwin() {
        List<DataSet> data = SecureTrainingTest.batches(new SplittableRandom(seed), 3, 8, 72, 3);
        TwinTraining.assertTracks(net(), data, 2, 1e-3, seed);
    }
}
