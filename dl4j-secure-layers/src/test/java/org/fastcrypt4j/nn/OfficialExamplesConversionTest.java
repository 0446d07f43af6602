package org.fastcrypt4j.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.conf.layers.convolutional.Cropping2D;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.AdaDelta;
import org.nd4j.linalg.learning.config.AdaGrad;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Nadam;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The conversion report over configurations written the way DL4J's official examples write them (LeNet with Adam
 * and l2, an MLP with Nadam and l2, a CIFAR CNN with leaky ReLU, batch normalization, dropout and AdaDelta, the
 * autoencoder, the tanh regression, XOR with sigmoid, and a network-wide dropOut over the newer layers): their layer
 * structure, activations, losses, updaters and regularization as the examples set them; shapes made test-sized, and
 * a learning rate raised where a few steps would not otherwise move the weights beyond the tolerance. Each converts
 * with {@link SecureConversion#toSecure} and trains a few steps privately beside its DL4J twin ({@link TwinTraining},
 * which also checks that the twin moved by more than the tolerance). Tolerances: about 1e-3 per step where
 * approximations enter (softmax outputs, sigmoid, tanh); with the adaptive updaters, whose first steps are
 * lr * sign(g), 99% of the parameters within a tight tolerance and all within the steps taken (see
 * {@link TwinTraining#assertTracks(MultiLayerConfiguration, List, int, double, double, double, long)}).
 */
class OfficialExamplesConversionTest {
    private final long seed = System.nanoTime();

    private List<DataSet> classification(int batches, int rows, int features, int classes) {
        return SecureTrainingTest.batches(new SplittableRandom(seed), batches, rows, features, classes);
    }

    /** LeNet as DL4J's LeNetMNIST example writes it: Adam, l2 5e-4, Xavier, identity convolutions, max pooling. */
    @Test
    void lenetWithAdamAndL2() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(123).l2(0.0005)
                .weightInit(WeightInit.XAVIER).updater(new Adam(1e-2)).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nIn(1).stride(1, 1).nOut(4).activation(Activation.IDENTITY)
                        .build())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new ConvolutionLayer.Builder(3, 3).stride(1, 1).nOut(6).activation(Activation.IDENTITY).build())
                .layer(new DenseLayer.Builder().activation(Activation.RELU).nOut(16).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.NEGATIVELOGLIKELIHOOD).nOut(4)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutionalFlat(10, 10, 1)).build();
        // Adam's first step is lr * sign(g): 99% of the weights within 2e-3, all within twice the three steps taken
        // (a weight whose gradient cancels near 0 may step the other way on shares each time)
        TwinTraining.assertTracks(conf, classification(3, 8, 100, 4), 1, 2e-3, 0.99, 3.5e-2, seed);
    }

    /** The two-layer MLP of DL4J's MNIST MLP examples: Nadam, l2 1e-4, ReLU, softmax with negative log-likelihood. */
    @Test
    void mlpWithNadamAndL2() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(123).updater(new Nadam(1e-4))
                .l2(1e-4).weightInit(WeightInit.XAVIER).list()
                .layer(new DenseLayer.Builder().nIn(12).nOut(16).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nIn(16).nOut(8).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.NEGATIVELOGLIKELIHOOD).nIn(8).nOut(4)
                        .activation(Activation.SOFTMAX).build())
                .build();
        // DL4J's Nadam leaves v's bias uncorrected, so its first steps are about 60 lr: a small lr keeps them moderate
        // all within twice the four first steps of about 60 lr each (a gradient cancelling near 0 may flip each time)
        TwinTraining.assertTracks(conf, classification(4, 16, 12, 4), 1, 2e-3, 0.99, 2.5e-2, seed);
    }

    /**
     * The MNIST autoencoder example: leaky ReLU throughout (the MSE output included), AdaGrad 0.05, l2 1e-4, trained
     * to reproduce its input.
     */
    @Test
    void autoencoderWithLeakyReluMseOutputAndAdaGrad() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(12345).weightInit(WeightInit.XAVIER)
                .updater(new AdaGrad(0.05)).activation(Activation.LEAKYRELU).l2(0.0001).list()
                .layer(new DenseLayer.Builder().nIn(12).nOut(8).build())
                .layer(new DenseLayer.Builder().nIn(8).nOut(4).build())
                .layer(new DenseLayer.Builder().nIn(4).nOut(8).build())
                .layer(new OutputLayer.Builder().nIn(8).nOut(12).activation(Activation.LEAKYRELU)
                        .lossFunction(LossFunctions.LossFunction.MSE).build())
                .build();
        List<DataSet> data = new ArrayList<>();
        for (DataSet d : classification(4, 16, 12, 2)) {
            data.add(new DataSet(d.getFeatures(), d.getFeatures().dup()));
        }
        // AdaGrad's first step is lr * sign(g): a leaky ReLU input rounded across 0 changes a slope, and a step
        // (all within two first steps of 0.05: a flip there is a whole step)
        TwinTraining.assertTracks(conf, data, 2, 1e-3, 0.99, 5e-2, seed);
    }

    /**
     * A CIFAR CNN as DL4J's CIFAR-10 example writes it: a network-wide leaky ReLU, Xavier, l2 1e-4, AdaDelta,
     * convolutions with padding, batch normalization after each, max pooling, a dense layer with dropOut(0.5) (the
     * twin replays the secure run's masks) and a softmax output.
     */
    @Test
    void cifarCnnWithLeakyReluBatchNormDropoutAndAdaDelta() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(42).updater(new AdaDelta())
                .activation(Activation.LEAKYRELU).weightInit(WeightInit.XAVIER).l2(1e-4).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nIn(3).nOut(4).padding(1, 1).build())
                .layer(new BatchNormalization())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).build())
                .layer(new BatchNormalization())
                .layer(new DenseLayer.Builder().nOut(8).dropOut(0.5).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.NEGATIVELOGLIKELIHOOD).nOut(4)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutionalFlat(8, 8, 3)).build();
        // AdaDelta's first steps are about sqrt(eps / (1 - rho)) * sign(g): where batch normalization and a leaky ReLU
        // leave a gradient near 0 its sign can differ on shares, a whole step for that parameter, and batch
        // normalization spreads it over the channel (usually all 464 parameters agree; CI once saw 22 off, while the
        // steps taken move parameters by up to 2e-2): 90% within 1e-3 relative, all within 1e-2
        TwinTraining.assertTracks(conf, classification(4, 8, 192, 4), 1, 1e-3, 0.9, 1e-2, seed);
    }

    /**
     * A network-wide dropOut, as some examples set it: DL4J drops the inputs of the dense, convolution, output and
     * Upsampling2D layers and ignores it on batch normalization, padding, cropping and pooling; the secure network does
     * the same (the twin replays its masks, so a layer dropped on one side only would show).
     */
    @Test
    void networkWideDropoutWithBatchNormPaddingAndUpsampling() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(7).updater(new Sgd(0.1))
                .weightInit(WeightInit.XAVIER).dropOut(0.8).list()
                .layer(new ZeroPaddingLayer.Builder(1, 1).build())
                .layer(new ConvolutionLayer.Builder(3, 3).nIn(1).nOut(3).activation(Activation.RELU).build())
                .layer(new BatchNormalization())
                .layer(new Upsampling2D.Builder(2).build())
                .layer(new Cropping2D.Builder(2, 2).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(3).activation(Activation.IDENTITY)
                        .build())
                .setInputType(InputType.convolutionalFlat(6, 6, 1)).build();
        TwinTraining.assertTracks(conf, classification(3, 8, 36, 3), 2, 1e-3, seed);
    }

    /** The regression example summing two numbers: one tanh hidden layer, MSE identity output, Nesterovs. */
    @Test
    void tanhRegression() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(12345).weightInit(WeightInit.XAVIER)
                .updater(new Nesterovs(0.01, 0.9)).list()
                .layer(new DenseLayer.Builder().nIn(2).nOut(10).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY).nIn(10)
                        .nOut(1).build())
                .build();
        SplittableRandom r = new SplittableRandom(seed);
        List<DataSet> data = new ArrayList<>();
        for (int b = 0; b < 4; b++) {
            INDArray x = Nd4j.create(DataType.FLOAT, 16, 2);
            INDArray y = Nd4j.create(DataType.FLOAT, 16, 1);
            for (int i = 0; i < 16; i++) {
                double a = r.nextDouble() * 2 - 1;
                double c = r.nextDouble() * 2 - 1;
                x.putScalar(i, 0, a);
                x.putScalar(i, 1, c);
                y.putScalar(i, 0, a + c);
            }
            data.add(new DataSet(x, y));
        }
        TwinTraining.assertTracks(conf, data, 3, 1e-2, seed);
    }

    /**
     * The XOR example: a sigmoid hidden layer of 4, softmax output with negative log-likelihood, SGD 0.1, and
     * miniBatch(false) (the gradient of the summed loss, not divided by the batch size; the score is the sum).
     */
    @Test
    void xorWithSigmoid() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().updater(new Sgd(0.1)).seed(1234)
                .biasInit(0).miniBatch(false).list()
                .layer(new DenseLayer.Builder().nIn(2).nOut(4).activation(Activation.SIGMOID)
                        .weightInit(WeightInit.XAVIER).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.NEGATIVELOGLIKELIHOOD).nOut(2)
                        .activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER).build())
                .build();
        INDArray x = Nd4j.create(new float[][] {{0, 0}, {0, 1}, {1, 0}, {1, 1}});
        INDArray y = Nd4j.create(new float[][] {{1, 0}, {0, 1}, {0, 1}, {1, 0}});
        List<DataSet> data = List.of(new DataSet(x, y));
        TwinTraining.assertTracks(conf, data, 20, 1e-2, seed);
    }
}
