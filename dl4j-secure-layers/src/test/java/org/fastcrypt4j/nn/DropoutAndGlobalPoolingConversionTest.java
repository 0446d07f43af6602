package org.fastcrypt4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.dropout.AlphaDropout;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.dropout.GaussianDropout;
import org.deeplearning4j.nn.conf.dropout.GaussianNoise;
import org.deeplearning4j.nn.conf.dropout.SpatialDropout;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.weights.WeightInit;
import org.fastcrypt4j.nn.conf.SecureActivationLayer;
import org.fastcrypt4j.nn.conf.SecureConvolutionLayer;
import org.fastcrypt4j.nn.conf.SecureDenseLayer;
import org.fastcrypt4j.nn.conf.SecureDropoutLayer;
import org.fastcrypt4j.nn.conf.SecureGlobalPoolingLayer;
import org.fastcrypt4j.nn.conf.SecureOutputLayer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.ScheduleType;

/** The converter and JSON for dropout and global pooling: DL4J configurations with them convert as written. */
class DropoutAndGlobalPoolingConversionTest {

    static MultiLayerConfiguration mlpWithDropout() {
        return new NeuralNetConfiguration.Builder().seed(2).updater(new Nesterovs(0.05, 0.9)).weightInit(WeightInit.XAVIER)
                .list()
                .layer(new DenseLayer.Builder().nIn(10).nOut(8).activation(Activation.RELU).dropOut(0.5).name("fc1").build())
                .layer(new DropoutLayer.Builder(0.8).name("drop").build())
                .layer(new DenseLayer.Builder().nOut(6).activation(Activation.RELU)
                        .dropOut(new Dropout(new ExponentialSchedule(ScheduleType.EPOCH, 0.9, 0.99))).name("fc2").build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX)
                        .name("out").build())
                .setInputType(InputType.feedForward(10)).build();
    }

    static MultiLayerConfiguration cnnWithGlobalPooling(PoolingType pool) {
        return new NeuralNetConfiguration.Builder().seed(3).updater(new Nesterovs(0.05, 0.9)).weightInit(WeightInit.XAVIER)
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.RELU).name("conv").build())
                .layer(new GlobalPoolingLayer.Builder(pool).name("gp").build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX)
                        .build())
                .setInputType(InputType.convolutional(6, 6, 2)).build();
    }

    @Test
    void dropoutOnDenseLayersAndADropoutLayerConvert() {
        MultiLayerConfiguration secure = SecureConversion.toSecure(mlpWithDropout());
        // fc1 splits into linear + ReLU: the dropout (on the input) stays on the linear layer
        Layer fc1 = secure.getConf(0).getLayer();
        assertInstanceOf(SecureDenseLayer.class, fc1);
        assertEquals(new Dropout(0.5), fc1.getIDropout());
        assertInstanceOf(SecureActivationLayer.class, secure.getConf(1).getLayer());
        assertNull(secure.getConf(1).getLayer().getIDropout());
        Layer drop = secure.getConf(2).getLayer();
        assertInstanceOf(SecureDropoutLayer.class, drop);
        assertEquals(new Dropout(0.8), drop.getIDropout());
        assertEquals("drop", drop.getLayerName());
        Dropout scheduled = (Dropout) secure.getConf(3).getLayer().getIDropout();
        assertInstanceOf(ExponentialSchedule.class, scheduled.getPSchedule());
        assertInstanceOf(SecureOutputLayer.class, secure.getConf(5).getLayer());
        // the twin keeps DL4J's dropout
        MultiLayerConfiguration twin = SecureConversion.toPlain(secure);
        assertEquals(new Dropout(0.5), twin.getConf(0).getLayer().getIDropout());
        assertInstanceOf(DropoutLayer.class, twin.getConf(2).getLayer());
        assertEquals(new Dropout(0.8), twin.getConf(2).getLayer().getIDropout());
        assertEquals(secure, MultiLayerConfiguration.fromJson(secure.toJson()));
    }

    @Test
    void aGlobalDropoutGoesWhereDl4jPutsIt() {
        MultiLayerConfiguration plain = new NeuralNetConfiguration.Builder().dropOut(0.9).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(4).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(2).activation(Activation.IDENTITY)
                        .build())
                .build();
        MultiLayerConfiguration secure = SecureConversion.toSecure(plain);
        assertEquals(new Dropout(0.9), secure.getConf(0).getLayer().getIDropout());
        assertEquals(new Dropout(0.9), secure.getConf(2).getLayer().getIDropout());
    }

    @Test
    void otherDropoutsAreRefusedNamingTheLayer() {
        MultiLayerConfiguration plain = new NeuralNetConfiguration.Builder().list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(4).dropOut(new AlphaDropout(0.9)).activation(Activation.RELU).name("alpha").build())
                .layer(new DenseLayer.Builder().nOut(4).dropOut(new GaussianDropout(0.1)).activation(Activation.RELU).name("gauss").build())
                .layer(new DenseLayer.Builder().nOut(4).dropOut(new GaussianNoise(0.1)).activation(Activation.RELU).name("noise").build())
                .layer(new DenseLayer.Builder().nOut(4).dropOut(new SpatialDropout(0.5)).activation(Activation.RELU).name("spatial").build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(2).activation(Activation.IDENTITY)
                        .build())
                .build();
        UnsupportedConfigurationException e = assertThrows(UnsupportedConfigurationException.class,
                () -> SecureConversion.toSecure(plain));
        String m = e.getMessage();
        for (String needle : new String[] {"layer 0 'alpha'", "AlphaDropout", "SELU", "layer 1 'gauss'", "GaussianDropout",
            "layer 2 'noise'", "GaussianNoise", "layer 3 'spatial'", "SpatialDropout"}) {
            assertTrue(m.contains(needle), "missing '" + needle + "' in:\n" + m);
        }
        assertEquals(4, e.problems().size(), m);
    }

    @Test
    void aCnnWithGlobalPoolingConverts() {
        for (PoolingType pool : new PoolingType[] {PoolingType.AVG, PoolingType.MAX}) {
            MultiLayerConfiguration secure = SecureConversion.toSecure(cnnWithGlobalPooling(pool));
            assertInstanceOf(SecureConvolutionLayer.class, secure.getConf(0).getLayer());
            assertInstanceOf(SecureActivationLayer.class, secure.getConf(1).getLayer());
            SecureGlobalPoolingLayer gp = (SecureGlobalPoolingLayer) secure.getConf(2).getLayer();
            assertEquals(pool, gp.getPoolingType());
            assertTrue(gp.isCollapseDimensions());
            assertEquals("gp", gp.getLayerName());
            assertEquals(secure, MultiLayerConfiguration.fromJson(secure.toJson()));
            GlobalPoolingLayer twin = (GlobalPoolingLayer) SecureConversion.toPlain(secure).getConf(2).getLayer();
            assertEquals(pool, twin.getPoolingType());
        }
    }

    @Test
    void pnormAndOtherPoolingDimensionsAreRefused() {
        MultiLayerConfiguration plain = new NeuralNetConfiguration.Builder().list()
                .layer(new ConvolutionLayer.Builder(3, 3).nIn(2).nOut(4).build())
                .layer(new GlobalPoolingLayer.Builder(PoolingType.PNORM).name("pn").build())
                .layer(new GlobalPoolingLayer.Builder(PoolingType.MAX).poolingDimensions(2).name("rows").build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(2).activation(Activation.IDENTITY)
                        .build())
                .build();
        UnsupportedConfigurationException e = assertThrows(UnsupportedConfigurationException.class,
                () -> SecureConversion.toSecure(plain));
        String m = e.getMessage();
        assertTrue(m.contains("layer 1 'pn'") && m.contains("PNORM"), m);
        assertTrue(m.contains("layer 2 'rows'") && m.contains("pooling dimensions [2]"), m);
    }

    @Test
    void newLayersRoundTripThroughJson() {
        for (Layer layer : new Layer[] {
            new SecureGlobalPoolingLayer.Builder(PoolingType.AVG).name("g").build(),
            new SecureGlobalPoolingLayer.Builder(PoolingType.MAX).collapseDimensions(false).build(),
            new SecureDropoutLayer.Builder(0.7).name("d").build()}) {
            InputType in = layer instanceof SecureDropoutLayer ? InputType.feedForward(4) : InputType.convolutional(5, 5, 3);
            MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list().layer(layer).setInputType(in)
                    .validateOutputLayerConfig(false).build();
            MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(conf.toJson());
            assertEquals(conf, back, conf.toJson());
            assertEquals(conf.toJson(), back.toJson());
            assertEquals(conf, MultiLayerConfiguration.fromYaml(conf.toYaml()));
        }
    }
}
