package org.fastcrypt4j.examples.nets;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The networks of the demos and benchmarks as ordinary DL4J configurations (what a DL4J user writes), to be
 * converted with {@code SecureConversion.toSecure}. The architectures follow CryptGPU's scripts/network.py.
 */
public final class Networks {
    private Networks() {
    }

    /**
     * CryptGPU's LeNet on 28x28x1 inputs: Conv 1->20 k5, ReLU, Pool 2; Conv 20->50 k5, ReLU, Pool 2; Dense 800->500,
     * ReLU; Dense 500->10, softmax (cross-entropy).
     */
    public static MultiLayerConfiguration lenet(PoolingType pool, IUpdater updater, long seed) {
        return new NeuralNetConfiguration.Builder().seed(seed).updater(updater).weightInit(WeightInit.XAVIER).list()
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(20).activation(Activation.RELU).name("conv1").build())
                .layer(new SubsamplingLayer.Builder(pool).kernelSize(2, 2).stride(2, 2).name("pool1").build())
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(50).activation(Activation.RELU).name("conv2").build())
                .layer(new SubsamplingLayer.Builder(pool).kernelSize(2, 2).stride(2, 2).name("pool2").build())
                .layer(new DenseLayer.Builder().nOut(500).activation(Activation.RELU).name("fc1").build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
                        .activation(Activation.SOFTMAX).name("fc2").build())
                .setInputType(InputType.convolutionalFlat(28, 28, 1)).build();
    }

    /** A 784-H-10 multilayer perceptron (ReLU hidden layer, softmax output). */
    public static MultiLayerConfiguration mlp(int hidden, IUpdater updater, long seed) {
        return new NeuralNetConfiguration.Builder().seed(seed).updater(updater).weightInit(WeightInit.XAVIER).list()
                .layer(new DenseLayer.Builder().nIn(784).nOut(hidden).activation(Activation.RELU).name("fc1").build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(hidden).nOut(10)
                        .activation(Activation.SOFTMAX).name("fc2").build())
                .build();
    }
}
