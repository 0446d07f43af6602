package org.fastcrypt4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.fastcrypt4j.nn.conf.SecureActivationLayer;
import org.fastcrypt4j.nn.conf.SecureConvolutionLayer;
import org.fastcrypt4j.nn.conf.SecureDenseLayer;
import org.fastcrypt4j.nn.conf.SecureOutputLayer;
import org.fastcrypt4j.nn.conf.SecureSubsamplingLayer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Every secure layer configuration survives DL4J's JSON (and YAML) round trip unchanged. */
class SecureLayerJsonTest {

    private static void roundTrip(Layer layer, InputType in) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).updater(new Nesterovs(0.1, 0.8))
                .list().layer(layer).setInputType(in).validateOutputLayerConfig(false).build();
        String json = conf.toJson();
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(json);
        assertEquals(conf, back, layer.getClass().getSimpleName() + " JSON:\n" + json);
        assertEquals(json, back.toJson());
        assertEquals(conf, MultiLayerConfiguration.fromYaml(conf.toYaml()), layer.getClass().getSimpleName() + " YAML");
    }

    @Test
    void everySecureLayerRoundTrips() {
        roundTrip(new SecureDenseLayer.Builder().nIn(5).nOut(3).hasBias(false).name("d").build(), InputType.feedForward(5));
        roundTrip(new SecureConvolutionLayer.Builder(3, 2).stride(2, 1).padding(1, 0).dilation(1, 2)
                .convolutionMode(ConvolutionMode.Same).nOut(4).hasBias(false).name("c").build(),
                InputType.convolutional(9, 9, 2));
        roundTrip(new SecureSubsamplingLayer.Builder(PoolingType.AVG).kernelSize(3, 3).stride(1, 1).padding(1, 1)
                .avgPoolIncludePadInDivisor(false).name("p").build(), InputType.convolutional(6, 6, 2));
        roundTrip(new SecureActivationLayer.Builder().activation(Activation.RELU).name("r").build(),
                InputType.feedForward(4));
        roundTrip(new SecureActivationLayer.Builder().activation(new ActivationLReLU(0.2)).name("l").build(),
                InputType.feedForward(4));
        for (Activation a : new Activation[] {Activation.LEAKYRELU, Activation.SIGMOID, Activation.TANH,
            Activation.SOFTMAX}) {
            roundTrip(new SecureActivationLayer.Builder().activation(a).build(), InputType.feedForward(4));
        }
        roundTrip(new SecureOutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(2).activation(Activation.IDENTITY)
                .name("o").build(), InputType.feedForward(4));
        roundTrip(new SecureOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                .activation(Activation.SOFTMAX).build(), InputType.feedForward(4));
    }

    @Test
    void convertedLenetRoundTrips() {
        MultiLayerConfiguration secure = SecureConversion.toSecure(SecureConversionTest.lenet(PoolingType.MAX, 9));
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(secure.toJson());
        assertEquals(secure, back);
    }
}
