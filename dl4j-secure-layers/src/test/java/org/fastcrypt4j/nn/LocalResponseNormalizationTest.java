package org.fastcrypt4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.LocalResponseNormalization;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.fastcrypt4j.nn.conf.SecureLocalResponseNormalizationLayer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Local response normalization on shares against DL4J's own layer (its built-in implementation, forward and its
 * backward formula), for DL4J's defaults and for every supported beta with a strong normalization (alpha large enough
 * that u is far from k); inputs in (-3, 3) with entries of +-100. Tolerances per element, relative to 1 + |DL4J's|:
 * 1e-3 forward and 2e-3 for the input gradient (the inverse square roots' 1e-5 relative plus a few units of 2^-20,
 * times inputs up to 100). Also the JSON round trip, the conversion of DL4J's layer (and its refusals) and a CNN with
 * it trained beside its DL4J twin.
 */
class LocalResponseNormalizationTest extends LayerGradientCheck {

    private void checkLrn(SecureLocalResponseNormalizationLayer conf, long... shape) {
        SplittableRandom r = new SplittableRandom(seed);
        check(conf, Map.of(), input(r, shape), uniform(r, 2, shape), 1e-3, 2e-3, false);
    }

    @Test
    void dl4jDefaultsMatchDl4j() {
        checkLrn(new SecureLocalResponseNormalizationLayer.Builder().name("lrn").build(), 2, 7, 3, 4);
    }

    @Test
    void everySupportedBetaMatchesDl4jWithAStrongNormalization() {
        for (double beta : new double[] {0.25, 0.5, 0.75, 1.0}) {
            checkLrn(new SecureLocalResponseNormalizationLayer.Builder().k(1).n(3).alpha(0.01).beta(beta).build(),
                    2, 5, 3, 3);
        }
        // a window reaching across all channels from the middle (DL4J fails on a wider one), a small k
        checkLrn(new SecureLocalResponseNormalizationLayer.Builder().k(0.1).n(7).alpha(1e-3).beta(0.75).build(),
                1, 4, 2, 3);
    }

    @Test
    void configurationRoundTripsAndConverts() {
        SecureLocalResponseNormalizationLayer lrn = new SecureLocalResponseNormalizationLayer.Builder().k(1.5).n(3)
                .alpha(2e-4).beta(0.5).name("n").build();
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list().layer(lrn)
                .setInputType(InputType.convolutional(4, 4, 3)).validateOutputLayerConfig(false).build();
        assertEquals(conf, MultiLayerConfiguration.fromJson(conf.toJson()));
        assertEquals(conf, MultiLayerConfiguration.fromYaml(conf.toYaml()));
        assertEquals(InputType.convolutional(4, 4, 3), lrn.getOutputType(0, InputType.convolutional(4, 4, 3)));

        MultiLayerConfiguration secure = SecureConversion.toSecure(cnn(new LocalResponseNormalization.Builder()
                .name("norm").build()));
        SecureLocalResponseNormalizationLayer converted = (SecureLocalResponseNormalizationLayer) secure.getConf(2)
                .getLayer();
        assertEquals(List.of(2.0, 5.0, 1e-4, 0.75), List.of(converted.getK(), converted.getN(), converted.getAlpha(),
                converted.getBeta()));
        assertEquals("norm", converted.getLayerName());

        UnsupportedConfigurationException e = assertThrows(UnsupportedConfigurationException.class,
                () -> SecureConversion.toSecure(cnn(new LocalResponseNormalization.Builder().beta(0.6).name("odd")
                        .build())));
        assertTrue(e.getMessage().contains("'odd'") && e.getMessage().contains("beta 0.6"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new SecureLocalResponseNormalizationLayer.Builder().k(0).build());
    }

    /** Convolution, ReLU, LRN, max pooling, MSE output: AlexNet's order of layers, small. */
    private static MultiLayerConfiguration cnn(LocalResponseNormalization lrn) {
        return new NeuralNetConfiguration.Builder().seed(21).updater(new Nesterovs(0.05, 0.9))
                .weightInit(WeightInit.XAVIER).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(6).activation(Activation.RELU).build())
                .layer(lrn)
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(3).activation(Activation.IDENTITY)
                        .build())
                .setInputType(InputType.convolutionalFlat(8, 8, 1)).build();
    }

    @Test
    void aCnnWithLrnTracksItsDl4jTwin() {
        List<DataSet> data = SecureTrainingTest.batches(new SplittableRandom(seed), 3, 8, 64, 3);
        TwinTraining.assertTracks(cnn(new LocalResponseNormalization.Builder().alpha(0.01).build()), data, 2, 1e-3,
                seed);
    }
}
