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

    /** The input shape of a dataset the benchmarks use: channels, height, width, classes. */
    public enum Shape {
        MNIST(1, 28, 28, 10), CIFAR10(3, 32, 32, 10), TINY_IMAGENET(3, 64, 64, 200), IMAGENET(3, 224, 224, 1000);

        public final int channels;
        public final int height;
        public final int width;
        public final int classes;

        Shape(int channels, int height, int width, int classes) {
            this.channels = channels;
            this.height = height;
            this.width = width;
            this.classes = classes;
        }
    }

    private static SubsamplingLayer pool(PoolingType type, int k, int s) {
        return new SubsamplingLayer.Builder(type).kernelSize(k, k).stride(s, s).build();
    }

    private static ConvolutionLayer conv(int nOut, int k, int stride, int pad) {
        return new ConvolutionLayer.Builder(k, k).stride(stride, stride).padding(pad, pad).nOut(nOut)
                .activation(Activation.RELU).build();
    }

    private static DenseLayer dense(int nOut) {
        return new DenseLayer.Builder().nOut(nOut).activation(Activation.RELU).build();
    }

    private static OutputLayer output(int classes) {
        return new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(classes).activation(Activation.SOFTMAX)
                .build();
    }

    /**
     * CryptGPU's AlexNet for CIFAR-10 (3x32x32) or Tiny ImageNet (3x64x64): Conv 3->96 k11 s4 p9, ReLU, Pool 3 s2;
     * Conv 96->256 k5 p1, ReLU, Pool 2 s1; Conv 256->384, 384->384, 384->256 (k3 p1, ReLU); then for 10 classes
     * Dense 256-256-256-10, for 200 classes Pool 2, Dense 1024-1024-1024-200.
     */
    public static MultiLayerConfiguration alexnet(Shape shape, PoolingType pool, IUpdater updater, long seed) {
        var b = new NeuralNetConfiguration.Builder().seed(seed).updater(updater).weightInit(WeightInit.XAVIER).list()
                .layer(conv(96, 11, 4, 9)).layer(pool(pool, 3, 2))
                .layer(conv(256, 5, 1, 1)).layer(pool(pool, 2, 1))
                .layer(conv(384, 3, 1, 1)).layer(conv(384, 3, 1, 1)).layer(conv(256, 3, 1, 1));
        int hidden = 256;
        if (shape.classes != 10) {
            b.layer(pool(pool, 2, 2));
            hidden = 1024;
        }
        return b.layer(dense(hidden)).layer(dense(hidden)).layer(output(shape.classes))
                .setInputType(InputType.convolutionalFlat(shape.height, shape.width, shape.channels)).build();
    }

    /**
     * CryptGPU's VGG16 (torchvision's VGG16 features with average pooling) for CIFAR-10 or Tiny ImageNet: 13 Conv
     * k3 p1 with ReLU in blocks of 64, 64 | 128, 128 | 256 x 3 | 512 x 3 | 512 x 3, each block followed by Pool 2;
     * then Dense 512-256-256-10, or for 200 classes Pool 2, Dense 512-512-512-200.
     */
    public static MultiLayerConfiguration vgg16(Shape shape, PoolingType pool, IUpdater updater, long seed) {
        var b = new NeuralNetConfiguration.Builder().seed(seed).updater(updater).weightInit(WeightInit.XAVIER).list();
        int[][] blocks = {{64, 64}, {128, 128}, {256, 256, 256}, {512, 512, 512}, {512, 512, 512}};
        for (int[] block : blocks) {
            for (int c : block) {
                b.layer(conv(c, 3, 1, 1));
            }
            b.layer(pool(pool, 2, 2));
        }
        int hidden = 256;
        if (shape.classes != 10) {
            b.layer(pool(pool, 2, 2));
            hidden = 512;
        }
        return b.layer(dense(hidden)).layer(dense(hidden)).layer(output(shape.classes))
                .setInputType(InputType.convolutionalFlat(shape.height, shape.width, shape.channels)).build();
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
