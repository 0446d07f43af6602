package org.fastcrypt4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.conf.layers.convolutional.Cropping2D;
import org.deeplearning4j.nn.weights.WeightInit;
import org.fastcrypt4j.nn.conf.SecureCropping2DLayer;
import org.fastcrypt4j.nn.conf.SecureUpsampling2DLayer;
import org.fastcrypt4j.nn.conf.SecureZeroPaddingLayer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * DL4J configurations with ZeroPaddingLayer (AlexNet, ResNet50), Upsampling2D and Cropping2D (UNet) convert as
 * written, their twins are DL4J's layers with the same settings, they survive JSON, unsupported settings are refused
 * naming the layer, and a small CNN with all three trains privately as DL4J trains it.
 */
class ShapeLayersConversionTest {
    private final long seed = System.nanoTime();

    /** 6x6 input, padded to 8x8, a 3x3 convolution (6x6), upsampled (12x12), cropped to 10x8. */
    static MultiLayerConfiguration paddedUpsampledCnn() {
        return new NeuralNetConfiguration.Builder().seed(5).updater(new Sgd(0.05)).weightInit(WeightInit.XAVIER).list()
                .layer(new ZeroPaddingLayer.Builder(1, 1).name("pad").build())
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(2).activation(Activation.RELU).name("conv").build())
                .layer(new Upsampling2D.Builder(2).name("up").build())
                .layer(new Cropping2D.Builder(1, 1, 2, 2).name("crop").build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(3).activation(Activation.IDENTITY)
                        .build())
                .setInputType(InputType.convolutionalFlat(6, 6, 1)).build();
    }

    @Test
    void alexNetStylePaddingConverts() {
        MultiLayerConfiguration plain = new NeuralNetConfiguration.Builder().seed(1).weightInit(WeightInit.XAVIER).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.RELU).build())
                .layer(new ZeroPaddingLayer.Builder(2, 1, 0, 3).name("zp").build())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX)
                        .build())
                .setInputType(InputType.convolutional(9, 9, 2)).build();
        MultiLayerConfiguration secure = SecureConversion.toSecure(plain);
        SecureZeroPaddingLayer zp = (SecureZeroPaddingLayer) secure.getConf(2).getLayer();
        assertArrayEquals(new int[] {2, 1, 0, 3}, zp.getPadding());
        assertEquals("zp", zp.getLayerName());
        ZeroPaddingLayer twin = (ZeroPaddingLayer) SecureConversion.toPlain(secure).getConf(2).getLayer();
        assertArrayEquals(new int[] {2, 1, 0, 3}, twin.getPadding());
        assertEquals(secure, MultiLayerConfiguration.fromJson(secure.toJson()));
    }

    @Test
    void unetStyleUpsamplingAndCroppingConvert() {
        MultiLayerConfiguration secure = SecureConversion.toSecure(paddedUpsampledCnn());
        assertArrayEquals(new int[] {1, 1, 1, 1}, ((SecureZeroPaddingLayer) secure.getConf(0).getLayer()).getPadding());
        SecureUpsampling2DLayer up = (SecureUpsampling2DLayer) secure.getConf(3).getLayer();
        assertArrayEquals(new int[] {2, 2}, up.getSize());
        assertEquals("up", up.getLayerName());
        SecureCropping2DLayer crop = (SecureCropping2DLayer) secure.getConf(4).getLayer();
        assertArrayEquals(new int[] {1, 1, 2, 2}, crop.getCropping());
        MultiLayerConfiguration twin = SecureConversion.toPlain(secure);
        assertArrayEquals(new int[] {2, 2}, ((Upsampling2D) twin.getConf(3).getLayer()).getSize());
        assertArrayEquals(new int[] {1, 1, 2, 2}, ((Cropping2D) twin.getConf(4).getLayer()).getCropping());
        assertEquals(secure, MultiLayerConfiguration.fromJson(secure.toJson()));
    }

    @Test
    void nhwcIsRefusedNamingTheLayer() {
        MultiLayerConfiguration plain = new NeuralNetConfiguration.Builder().list()
                .layer(new ConvolutionLayer.Builder(3, 3).nIn(2).nOut(4).activation(Activation.RELU).build())
                .layer(new ZeroPaddingLayer.Builder(1, 1).dataFormat(CNN2DFormat.NHWC).name("zp").build())
                .layer(new Cropping2D.Builder(1, 1).dataFormat(CNN2DFormat.NHWC).name("crop").build())
                .layer(new Upsampling2D.Builder(2).dataFormat(CNN2DFormat.NHWC).name("upFormat").build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(2).activation(Activation.IDENTITY)
                        .build())
                .build();
        UnsupportedConfigurationException e = assertThrows(UnsupportedConfigurationException.class,
                () -> SecureConversion.toSecure(plain));
        String m = e.getMessage();
        for (String needle : new String[] {"layer 1 'zp'", "layer 2 'crop'", "layer 3 'upFormat'", "NHWC"}) {
            assertTrue(m.contains(needle), "missing '" + needle + "' in:\n" + m);
        }
        assertEquals(3, e.problems().size(), m);
    }

    @Test
    void newLayersRoundTripThroughJson() {
        for (Layer layer : new Layer[] {
            new SecureZeroPaddingLayer.Builder(1, 2, 3, 4).name("zp").build(),
            new SecureZeroPaddingLayer.Builder(2).build(),
            new SecureCropping2DLayer.Builder(1, 0, 2, 1).name("crop").build(),
            new SecureCropping2DLayer.Builder().build(),
            new SecureUpsampling2DLayer.Builder().size(new int[] {2, 3}).name("up").build(),
            new SecureUpsampling2DLayer.Builder(2).build()}) {
            MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list().layer(layer)
                    .setInputType(InputType.convolutional(6, 7, 3)).validateOutputLayerConfig(false).build();
            MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(conf.toJson());
            assertEquals(conf, back, conf.toJson());
            assertEquals(conf.toJson(), back.toJson());
            assertEquals(conf, MultiLayerConfiguration.fromYaml(conf.toYaml()));
        }
    }

    @Test
    void aCnnWithPaddingUpsamplingAndCroppingTrainsAsDl4jDoes() {
        List<DataSet> data = SecureTrainingTest.batches(new SplittableRandom(seed), 3, 8, 36, 3);
        TwinTraining.assertTracks(paddedUpsampledCnn(), data, 2, 1e-3, seed);
    }
}
