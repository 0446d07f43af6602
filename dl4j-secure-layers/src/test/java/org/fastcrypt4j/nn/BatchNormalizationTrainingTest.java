package org.fastcrypt4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.fastcrypt4j.nn.conf.SecureBatchNormalizationLayer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Networks with DL4J's {@code BatchNormalization} trained privately beside DL4J's own training
 * ({@link TwinTraining#assertTracks}: every parameter after training, the running mean and DL4J's default
 * {@code log10stdev} included, within 1e-3 (1 + largest parameter); measured 3e-6 and 1.3e-5), the conversion
 * and the JSON round trip of the secure configuration.
 */
class BatchNormalizationTrainingTest {
    private final long seed = System.nanoTime();

    static MultiLayerConfiguration mlp() {
        return new NeuralNetConfiguration.Builder().seed(5).updater(new Sgd(0.1)).weightInit(WeightInit.XAVIER).list()
                .layer(new DenseLayer.Builder().nIn(12).nOut(10).activation(Activation.IDENTITY).build())
                .layer(new BatchNormalization.Builder().build())
                .layer(new DenseLayer.Builder().nOut(8).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(4).activation(Activation.IDENTITY)
                        .build())
                .setInputType(InputType.feedForward(12)).build();
    }

    static MultiLayerConfiguration cnn() {
        return new NeuralNetConfiguration.Builder().seed(6).updater(new Nesterovs(0.05, 0.9))
                .weightInit(WeightInit.XAVIER).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(3).activation(Activation.IDENTITY).build())
                .layer(new BatchNormalization.Builder().decay(0.8).build())
                .layer(new org.deeplearning4j.nn.conf.layers.ActivationLayer.Builder().activation(Activation.RELU)
                        .build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(4).activation(Activation.IDENTITY)
                        .build())
                .setInputType(InputType.convolutionalFlat(6, 6, 1)).build();
    }

    @Test
    void mlpWithBatchNormalizationTracksDl4j() {
        TwinTraining.assertTracks(mlp(), SecureTrainingTest.batches(new SplittableRandom(seed), 3, 8, 12, 4), 2, 1e-3,
                seed);
    }

    @Test
    void cnnWithBatchNormalizationTracksDl4j() {
        TwinTraining.assertTracks(cnn(), SecureTrainingTest.batches(new SplittableRandom(seed), 3, 8, 36, 4), 2, 1e-3,
                seed);
    }

    @Test
    void convertsAndRoundTripsThroughJson() {
        MultiLayerConfiguration secure = SecureConversion.toSecure(cnn());
        SecureBatchNormalizationLayer bn = (SecureBatchNormalizationLayer) secure.getConf(1).getLayer();
        assertEquals(3, bn.getNOut());
        assertEquals(0.8, bn.getDecay());
        assertEquals(1e-5, bn.getEps());
        assertTrue(bn.isUseLogStd());
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(secure.toJson());
        assertEquals(secure, back);
        assertEquals(secure.toJson(), back.toJson());
        MultiLayerConfiguration single = new NeuralNetConfiguration.Builder().updater(new Sgd(0.3)).list()
                .layer(new SecureBatchNormalizationLayer.Builder().decay(0.7).eps(1e-4).lockGammaBeta(true)
                        .useLogStd(false).name("bn").build())
                .setInputType(InputType.convolutional(4, 4, 2)).validateOutputLayerConfig(false).build();
        assertEquals(single, MultiLayerConfiguration.fromJson(single.toJson()));
        assertEquals(single, MultiLayerConfiguration.fromYaml(single.toYaml()));
        SecureConversion.validate(back);
        assertEquals(BatchNormalization.class, SecureConversion.toPlain(back).getConf(1).getLayer().getClass());
    }

    @Test
    void unsupportedSettingsAreRefusedOneLineEach() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().updater(new Sgd(0.1)).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(4).activation(Activation.IDENTITY).build())
                .layer(new BatchNormalization.Builder().lockGammaBeta(true).gamma(2).beta(0.5).build())
                .layer(new BatchNormalization.Builder().dataFormat(CNN2DFormat.NHWC).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(2).activation(Activation.IDENTITY)
                        .build())
                .setInputType(InputType.feedForward(4)).build();
        String message = assertThrows(UnsupportedConfigurationException.class, () -> SecureConversion.toSecure(conf))
                .getMessage();
        assertTrue(message.contains("locked gamma 2.0 and beta 0.5 not supported"), message);
        assertTrue(message.contains("data format NHWC not supported"), message);
    }
}
