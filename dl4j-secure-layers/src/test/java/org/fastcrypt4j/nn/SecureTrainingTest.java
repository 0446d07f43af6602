package org.fastcrypt4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.fastcrypt4j.nn.training.TrainingOptions;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Private training against DL4J's own training of the same network from the same weights on the same batches
 * (SGD and Nesterovs, softmax cross-entropy and MSE), the loss revealed to the data owner, and listeners (resuming
 * from checkpoints: {@link CheckpointResumeTest}).
 */
class SecureTrainingTest {
    private final long seed = System.nanoTime();

    static MultiLayerConfiguration mlp(IUpdater updater, boolean softmax) {
        return new NeuralNetConfiguration.Builder().seed(4).updater(updater).weightInit(WeightInit.XAVIER).list()
                .layer(new DenseLayer.Builder().nIn(12).nOut(16).activation(Activation.RELU).build())
                .layer(softmax
                        ? new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(16).nOut(4)
                                .activation(Activation.SOFTMAX).build()
                        : new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(16).nOut(4)
                                .activation(Activation.IDENTITY).build())
                .build();
    }

    static MultiLayerConfiguration cnn(PoolingType pool) {
        return new NeuralNetConfiguration.Builder().seed(8).updater(new Nesterovs(0.05, 0.9))
                .weightInit(WeightInit.XAVIER).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(3).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(pool).kernelSize(2, 2).stride(2, 2).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(4).activation(Activation.SOFTMAX)
                        .build())
                .setInputType(InputType.convolutionalFlat(8, 8, 1)).build();
    }

    static List<DataSet> batches(SplittableRandom r, int count, int rows, int features, int classes) {
        List<DataSet> out = new ArrayList<>();
        for (int b = 0; b < count; b++) {
            INDArray x = Nd4j.create(DataType.FLOAT, rows, features);
            INDArray y = Nd4j.zeros(DataType.FLOAT, rows, classes);
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < features; j++) {
                    x.putScalar(i, j, r.nextDouble() * 4 - 2);
                }
                y.putScalar(i, r.nextInt(classes), 1);
            }
            out.add(new DataSet(x, y));
        }
        return out;
    }

    @Test
    void privateTrainingFollowsDl4jWithSgdAndNesterovs() {
        SplittableRandom r = new SplittableRandom(seed);
        List<DataSet> data = batches(r, 4, 16, 12, 4);
        TwinTraining.assertTracks(mlp(new Sgd(0.1), true), data, 2, 1e-2, seed);
        TwinTraining.assertTracks(mlp(new Nesterovs(0.05, 0.9), true), data, 2, 1e-2, seed);
        TwinTraining.assertTracks(mlp(new Nesterovs(0.02, 0.8), false), data, 2, 1e-3, seed);
    }
}
