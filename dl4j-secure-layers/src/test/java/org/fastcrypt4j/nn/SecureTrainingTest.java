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

    /** A plain-DL4J twin trained on the same batches, from the same initial weights. */
    private static MultiLayerNetwork trainPlain(MultiLayerConfiguration conf, List<DataSet> data, int epochs) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        for (int e = 0; e < epochs; e++) {
            for (DataSet d : data) {
                net.fit(d);
            }
        }
        return net;
    }

    private void trainAndCompare(MultiLayerConfiguration plainConf, List<DataSet> data, double tol) {
        MultiLayerNetwork expected = trainPlain(plainConf, data, 2);
        MultiLayerNetwork initial = new MultiLayerNetwork(plainConf);
        initial.init();
        MultiLayerConfiguration secure = SecureConversion.toSecure(plainConf);
        List<Object[]> out = ThreeParties.run(s -> {
            SecureMultiLayerNetwork net = new SecureMultiLayerNetwork(secure, s);
            net.importModel(0, s.party() == 0 ? initial : null);
            List<Double> scores = new ArrayList<>();
            net.setListeners(new BaseTrainingListener() {
                @Override
                public void iterationDone(org.deeplearning4j.nn.api.Model model, int iteration, int epoch) {
                    scores.add(model.score());
                }
            });
            net.fit(1, s.party() == 1 ? new ListDataSetIterator<>(data, 1) : null,
                    TrainingOptions.epochs(2).withRevealedLoss(true));
            MultiLayerNetwork target = s.party() == 0 ? new MultiLayerNetwork(plainConf) : null;
            if (target != null) {
                target.init();
            }
            net.exportModel(0, target);
            return new Object[] {target, scores, net.step()};
        });
        MultiLayerNetwork trained = (MultiLayerNetwork) out.get(0)[0];
        assertNull(out.get(1)[0]);
        assertNull(out.get(2)[0]);
        assertEquals(2L * data.size(), out.get(0)[2]);
        double diff = trained.params().sub(expected.params()).amaxNumber().doubleValue();
        double scale = expected.params().amaxNumber().doubleValue();
        assertTrue(diff <= tol * (1 + scale), "parameters after private training differ by " + diff + " (largest "
                + scale + "), seed " + seed);
        // the loss was revealed to the data owner (party 1) only, and matches DL4J's score of the last batch
        @SuppressWarnings("unchecked")
        List<Double> atOwner = (List<Double>) out.get(1)[1];
        @SuppressWarnings("unchecked")
        List<Double> atOther = (List<Double>) out.get(0)[1];
        assertEquals(2 * data.size(), atOwner.size());
        assertTrue(atOther.stream().allMatch(v -> Double.isNaN(v)), "loss shown to a non-owner");
        MultiLayerNetwork beforeLast = trainPlain(plainConf, data, 1);
        for (int i = 0; i < data.size() - 1; i++) {
            beforeLast.fit(data.get(i));
        }
        double plainScore = beforeLast.score(data.get(data.size() - 1));
        double secureScore = atOwner.get(atOwner.size() - 1);
        assertEquals(plainScore, secureScore, 2e-2 * (1 + Math.abs(plainScore)), "revealed loss, seed " + seed);
    }

    @Test
    void privateTrainingFollowsDl4jWithSgdAndNesterovs() {
        SplittableRandom r = new SplittableRandom(seed);
        List<DataSet> data = batches(r, 4, 16, 12, 4);
        trainAndCompare(mlp(new Sgd(0.1), true), data, 1e-2);
        trainAndCompare(mlp(new Nesterovs(0.05, 0.9), true), data, 1e-2);
        trainAndCompare(mlp(new Nesterovs(0.02, 0.8), false), data, 1e-3);
    }
}
