package org.fastcrypt4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.dropout.AlphaDropout;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.fastcrypt4j.nn.conf.SecureActivationKind;
import org.fastcrypt4j.nn.conf.SecureActivationLayer;
import org.fastcrypt4j.nn.conf.SecureConvolutionLayer;
import org.fastcrypt4j.nn.conf.SecureDenseLayer;
import org.fastcrypt4j.nn.conf.SecureOutputLayer;
import org.fastcrypt4j.nn.conf.SecureSubsamplingLayer;
import org.fastcrypt4j.ring.ConvGeometry;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** The converter: supported layers swapped, fused activations split, settings kept; unsupported ones refused together. */
class SecureConversionTest {

    static long[] convOutputShape(SecureConvolutionLayer c, long[] in) {
        ConvGeometry g = c.geometry();
        return new long[] {in[0], c.getNOut(), g.outputHeight((int) in[2]), g.outputWidth((int) in[3])};
    }

    static long[] poolOutputShape(SecureSubsamplingLayer p, long[] in) {
        ConvGeometry g = p.geometry();
        return new long[] {in[0], in[1], g.outputHeight((int) in[2]), g.outputWidth((int) in[3])};
    }

    /** CryptGPU's LeNet as an ordinary DL4J configuration (fused ReLUs, max or average pooling). */
    static MultiLayerConfiguration lenet(PoolingType pool, long seed) {
        return new NeuralNetConfiguration.Builder().seed(seed).updater(new Nesterovs(0.01, 0.9))
                .weightInit(WeightInit.XAVIER).list()
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(20).activation(Activation.RELU).name("conv1").build())
                .layer(new SubsamplingLayer.Builder(pool).kernelSize(2, 2).stride(2, 2).name("pool1").build())
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(50).activation(Activation.RELU).name("conv2").build())
                .layer(new SubsamplingLayer.Builder(pool).kernelSize(2, 2).stride(2, 2).name("pool2").build())
                .layer(new DenseLayer.Builder().nOut(500).activation(Activation.RELU).name("fc1").build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
                        .activation(Activation.SOFTMAX).name("fc2").build())
                .setInputType(InputType.convolutionalFlat(28, 28, 1)).build();
    }

    @Test
    void lenetWithFusedReluAndMaxPooling() {
        MultiLayerConfiguration plain = lenet(PoolingType.MAX, 123);
        MultiLayerConfiguration secure = SecureConversion.toSecure(plain, false);
        List<Class<?>> expected = List.of(SecureConvolutionLayer.class, SecureActivationLayer.class,
                SecureSubsamplingLayer.class, SecureConvolutionLayer.class, SecureActivationLayer.class,
                SecureSubsamplingLayer.class, SecureDenseLayer.class, SecureActivationLayer.class, SecureOutputLayer.class);
        assertEquals(expected.size(), secure.getConfs().size());
        for (int i = 0; i < expected.size(); i++) {
            assertInstanceOf(expected.get(i), secure.getConf(i).getLayer(), "layer " + i);
            assertEquals(123, secure.getConf(i).getSeed(), "seed kept at layer " + i);
        }
        // preprocessors moved with their layers: flat input -> CNN before conv1, CNN -> feed-forward before fc1
        assertInstanceOf(FeedForwardToCnnPreProcessor.class, secure.getInputPreProcess(0));
        assertInstanceOf(CnnToFeedForwardPreProcessor.class, secure.getInputPreProcess(6));
        assertNull(secure.getInputPreProcess(4));
        SecureConvolutionLayer conv1 = (SecureConvolutionLayer) secure.getConf(0).getLayer();
        assertEquals(1, conv1.getNIn());
        assertEquals(20, conv1.getNOut());
        assertEquals("conv1", conv1.getLayerName());
        assertEquals("conv1/relu", secure.getConf(1).getLayer().getLayerName());
        assertEquals(new Nesterovs(0.01, 0.9), conv1.getIUpdater(), "updater kept");
        assertEquals(WeightInit.XAVIER.getWeightInitFunction(), conv1.getWeightInitFn(), "weight init kept");
        SecureDenseLayer fc1 = (SecureDenseLayer) secure.getConf(6).getLayer();
        assertEquals(800, fc1.getNIn());
        assertEquals(PoolingType.MAX, ((SecureSubsamplingLayer) secure.getConf(2).getLayer()).getPoolingType());
        SecureConversion.validate(secure);
    }

    /** ReLU then max pooling becomes max pooling then ReLU: the same function, and 4x fewer secure comparisons. */
    @Test
    void reluBeforeMaxPoolingMovesAfterItAndComputesTheSame() {
        MultiLayerConfiguration plain = lenet(PoolingType.MAX, 5);
        MultiLayerConfiguration secure = SecureConversion.toSecure(plain);
        List<Class<?>> expected = List.of(SecureConvolutionLayer.class, SecureSubsamplingLayer.class,
                SecureActivationLayer.class, SecureConvolutionLayer.class, SecureSubsamplingLayer.class,
                SecureActivationLayer.class, SecureDenseLayer.class, SecureActivationLayer.class, SecureOutputLayer.class);
        for (int i = 0; i < expected.size(); i++) {
            assertInstanceOf(expected.get(i), secure.getConf(i).getLayer(), "layer " + i);
        }
        assertInstanceOf(CnnToFeedForwardPreProcessor.class, secure.getInputPreProcess(6));
        MultiLayerNetwork original = new MultiLayerNetwork(plain);
        original.init();
        MultiLayerNetwork twin = new MultiLayerNetwork(SecureConversion.toPlain(secure));
        twin.init();
        org.nd4j.linalg.api.ndarray.INDArray x = org.nd4j.linalg.factory.Nd4j.rand(3, 784).subi(0.5);
        assertEquals(original.output(x), twin.output(x));
        // with average pooling nothing moves (avg does not commute with ReLU)
        MultiLayerConfiguration avg = SecureConversion.toSecure(lenet(PoolingType.AVG, 5));
        assertInstanceOf(SecureActivationLayer.class, avg.getConf(1).getLayer());
    }

    @Test
    void plainTwinInitialisesExactlyLikeTheOriginal() {
        MultiLayerConfiguration plain = lenet(PoolingType.AVG, 7);
        MultiLayerNetwork original = new MultiLayerNetwork(plain);
        original.init();
        MultiLayerNetwork twin = new MultiLayerNetwork(SecureConversion.toPlain(SecureConversion.toSecure(plain)));
        twin.init();
        assertEquals(original.params(), twin.params(), "DL4J's weight init of the twin equals the original's");
        assertEquals(original.output(org.nd4j.linalg.factory.Nd4j.ones(2, 784)),
                twin.output(org.nd4j.linalg.factory.Nd4j.ones(2, 784)));
    }

    @Test
    void mlpWithASeparateActivationLayer() {
        MultiLayerConfiguration plain = new NeuralNetConfiguration.Builder().seed(5).list()
                .layer(new DenseLayer.Builder().nIn(784).nOut(128).activation(Activation.IDENTITY).build())
                .layer(new ActivationLayer.Builder().activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.NEGATIVELOGLIKELIHOOD).nIn(128).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerConfiguration secure = SecureConversion.toSecure(plain);
        assertEquals(3, secure.getConfs().size());
        assertInstanceOf(SecureDenseLayer.class, secure.getConf(0).getLayer());
        assertTrue(((SecureActivationLayer) secure.getConf(1).getLayer()).isRelu());
        assertInstanceOf(SecureOutputLayer.class, secure.getConf(2).getLayer());
    }

    /** Every supported activation fused into a dense or convolution layer becomes its own layer after the linear one. */
    @Test
    void fusedActivationsBecomeActivationLayers() {
        MultiLayerConfiguration plain = new NeuralNetConfiguration.Builder().seed(3).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).name("conv").build())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).name("pool1").build())
                .layer(new ConvolutionLayer.Builder(2, 2).nOut(4).activation(new ActivationLReLU(0.1)).name("leaky")
                        .build())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).name("pool2").build())
                .layer(new DenseLayer.Builder().nOut(6).activation(Activation.TANH).name("fc1").build())
                .layer(new DenseLayer.Builder().nOut(6).activation(Activation.SOFTMAX).name("fc2").build())
                .layer(new ActivationLayer.Builder().activation(Activation.SIGMOID).name("act").build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(2).activation(Activation.IDENTITY)
                        .name("out").build())
                .setInputType(InputType.convolutional(12, 12, 1)).build();
        MultiLayerConfiguration secure = SecureConversion.toSecure(plain);
        String[] names = {"conv", "conv/sigmoid", "pool1", "leaky", "leaky/leakyrelu", "pool2", "fc1", "fc1/tanh",
            "fc2", "fc2/softmax", "act", "out"};
        SecureActivationKind[] kinds = {null, SecureActivationKind.SIGMOID, null, null, SecureActivationKind.LEAKY_RELU,
            null, null, SecureActivationKind.TANH, null, SecureActivationKind.SOFTMAX, SecureActivationKind.SIGMOID, null};
        assertEquals(names.length, secure.getConfs().size());
        for (int i = 0; i < names.length; i++) {
            org.deeplearning4j.nn.conf.layers.Layer l = secure.getConf(i).getLayer();
            assertEquals(names[i], l.getLayerName(), "name of layer " + i);
            if (kinds[i] != null) {
                SecureActivationLayer a = assertInstanceOf(SecureActivationLayer.class, l, "layer " + i);
                assertEquals(kinds[i], a.kind(), "layer " + i);
                assertTrue(!a.isRelu(), "only plain ReLU is moved after max pooling, layer " + i);
            }
        }
        assertInstanceOf(SecureSubsamplingLayer.class, secure.getConf(2).getLayer(), "sigmoid stays before the pooling");
        assertEquals(0.1, ((ActivationLReLU) ((SecureActivationLayer) secure.getConf(4).getLayer()).getActivationFn())
                .getAlpha(), "alpha kept");
        SecureConversion.validate(secure);
        MultiLayerNetwork original = new MultiLayerNetwork(plain);
        original.init();
        MultiLayerNetwork twin = new MultiLayerNetwork(SecureConversion.toPlain(secure));
        twin.init();
        org.nd4j.linalg.api.ndarray.INDArray x = org.nd4j.linalg.factory.Nd4j.rand(2, 1, 12, 12).subi(0.5);
        assertEquals(original.params(), twin.params(), "the inserted activation layers draw no weights");
        assertEquals(original.output(x), twin.output(x));
    }

    @Test
    void unsupportedActivationsAreRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SecureActivationLayer.Builder().activation(Activation.ELU).name("e").build());
        assertTrue(e.getMessage().contains("'e'") && e.getMessage().contains("elu"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new SecureActivationLayer.Builder().activation(new ActivationReLU(1.0, 2.0, 0.0)).build());
    }

    @Test
    void unsupportedLayersAreAllNamedInOneError() {
        MultiLayerConfiguration plain = new NeuralNetConfiguration.Builder().updater(new UnknownUpdater()).list()
                .layer(new DenseLayer.Builder().nIn(10).nOut(8).activation(Activation.ELU).name("elu").build())
                .layer(new BatchNormalization.Builder().nOut(8).lockGammaBeta(true).gamma(2).name("bn").build())
                .layer(new DenseLayer.Builder().nOut(8).activation(Activation.RELU).dropOut(new AlphaDropout(0.5)).l2(1e-4).name("drop")
                        .build())
                .layer(new LSTM.Builder().nOut(4).name("lstm").build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.XENT).nOut(2).activation(Activation.SIGMOID)
                        .name("out").build())
                .build();
        UnsupportedConfigurationException e = assertThrows(UnsupportedConfigurationException.class,
                () -> SecureConversion.toSecure(plain));
        String m = e.getMessage();
        for (String needle : new String[] {"layer 0 'elu'", "activation elu", "layer 1 'bn'", "locked gamma 2.0",
            "layer 2 'drop'", "dropout", "layer 3 'lstm'", "LSTM", "layer 4 'out'", "loss", "UnknownUpdater"}) {
            assertTrue(m.contains(needle), "missing '" + needle + "' in:\n" + m);
        }
        assertTrue(e.problems().size() >= 8, m);
        // grouped by cause: the network-wide unknown updater is one line naming every layer with parameters
        assertEquals(List.of("layer 0 'elu' (DenseLayer)", "layer 1 'bn' (BatchNormalization)",
                "layer 2 'drop' (DenseLayer)", "layer 3 'lstm' (LSTM)", "layer 4 'out' (OutputLayer)"),
                e.causes().get("updater UnknownUpdater not supported (Sgd, Nesterovs, Adam, Nadam, AMSGrad, AdaMax, RmsProp, "
                        + "AdaGrad, AdaDelta, NoOp)"), m);
        assertEquals(1, m.split("updater UnknownUpdater", -1).length - 1, m);
    }

    @Test
    void aConfigurationWithPlainLayersIsRefusedByTheSecureNetwork() {
        UnsupportedConfigurationException e = assertThrows(UnsupportedConfigurationException.class,
                () -> SecureConversion.validate(lenet(PoolingType.MAX, 1)));
        assertTrue(e.getMessage().contains("not a secure layer"), e.getMessage());
    }
}
