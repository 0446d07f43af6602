package org.fastcrypt4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.nn.layers.AbstractSecureLayer;
import org.fastcrypt4j.nn.layers.SecureDense;
import org.fastcrypt4j.ring.RingTensor;
import org.junit.jupiter.api.Test;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** The secure network end to end: weights imported and exported, private predictions, DL4J's Evaluation, errors. */
class SecureNetworkTest {
    private final long seed = System.nanoTime();

    static MultiLayerConfiguration smallCnn(PoolingType pool) {
        return new NeuralNetConfiguration.Builder().seed(11).weightInit(WeightInit.XAVIER).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(pool).kernelSize(2, 2).stride(2, 2).build())
                .layer(new DenseLayer.Builder().nOut(12).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(5).activation(Activation.SOFTMAX)
                        .build())
                .setInputType(InputType.convolutionalFlat(8, 8, 1)).build();
    }

    private INDArray images(SplittableRandom r, int n) {
        INDArray x = Nd4j.create(DataType.FLOAT, n, 64);
        for (long i = 0; i < x.length(); i++) {
            x.putScalar(i, r.nextDouble() * 2 - 0.5);
        }
        return x;
    }

    @Test
    void privatePredictionsMatchThePlainNetworkForMaxAndAveragePooling() {
        for (PoolingType pool : new PoolingType[] {PoolingType.MAX, PoolingType.AVG}) {
            MultiLayerConfiguration plainConf = smallCnn(pool);
            MultiLayerNetwork plain = new MultiLayerNetwork(plainConf);
            plain.init();
            INDArray x = images(new SplittableRandom(seed), 9);
            INDArray expected = plain.output(x);
            MultiLayerConfiguration secureConf = SecureConversion.toSecure(plainConf);
            List<INDArray[]> out = ThreeParties.run(s -> {
                SecureMultiLayerNetwork net = new SecureMultiLayerNetwork(secureConf, s);
                net.importModel(0, s.party() == 0 ? plain : null);
                INDArray revealed = net.output(1, s.party() == 1 ? x : null, 1);
                SharedTensor probs = net.output(net.shareInput(1, s.party() == 1 ? x : null));
                RingTensor all = org.fastcrypt4j.mpc.sharing.Sharing.revealToAll(s, probs);
                return new INDArray[] {revealed, net.fixedPoint().decode(all)};
            });
            assertNull(out.get(0)[0], "party 0 learns no prediction");
            assertNull(out.get(2)[0], "party 2 learns no prediction");
            INDArray atP1 = out.get(1)[0];
            double diff = atP1.castTo(DataType.DOUBLE).sub(expected.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
            assertTrue(diff < 1e-3, pool + ": revealed probabilities differ by " + diff + ", seed " + seed);
            assertEquals(expected.argMax(1), atP1.argMax(1).castTo(expected.argMax(1).dataType()), pool + " seed " + seed);
            double shareDiff = out.get(0)[1].castTo(DataType.DOUBLE).sub(expected.castTo(DataType.DOUBLE)).amaxNumber()
                    .doubleValue();
            assertTrue(shareDiff < 1e-2, pool + ": softmax on shares differs by " + shareDiff + ", seed " + seed);
        }
    }

    @Test
    void modelExportedToItsOwnerOnlyEqualsTheImportedOne() {
        MultiLayerNetwork plain = new MultiLayerNetwork(smallCnn(PoolingType.MAX));
        plain.init();
        MultiLayerConfiguration secureConf = SecureConversion.toSecure(smallCnn(PoolingType.MAX));
        List<MultiLayerNetwork> out = ThreeParties.run(s -> {
            SecureMultiLayerNetwork net = new SecureMultiLayerNetwork(secureConf, s);
            net.importModel(2, s.party() == 2 ? plain : null);
            MultiLayerNetwork exported = net.exportModel(2);
            MultiLayerNetwork target = s.party() == 2 ? new MultiLayerNetwork(smallCnn(PoolingType.MAX)) : null;
            if (target != null) {
                target.init();
            }
            net.exportModel(2, target);
            return s.party() == 2 ? target : exported;
        });
        assertNull(out.get(0));
        assertNull(out.get(1));
        double diff = out.get(2).params().sub(plain.params()).amaxNumber().doubleValue();
        assertTrue(diff <= Math.scalb(1.0, -20), "exported weights differ by " + diff);
    }

    @Test
    void dl4jEvaluationAtTheReceiverFromTheDataOwnersIterator() {
        MultiLayerNetwork plain = new MultiLayerNetwork(smallCnn(PoolingType.AVG));
        plain.init();
        SplittableRandom r = new SplittableRandom(seed);
        List<DataSet> batches = new ArrayList<>();
        for (int i = 0; i < 13; i++) {
            INDArray y = Nd4j.zeros(DataType.FLOAT, 1, 5);
            y.putScalar(0, r.nextInt(5), 1);
            batches.add(new DataSet(images(r, 1), y));
        }
        Evaluation expected = new Evaluation(5);
        expected.eval(Nd4j.vstack(batches.stream().map(DataSet::getLabels).toArray(INDArray[]::new)),
                plain.output(Nd4j.vstack(batches.stream().map(DataSet::getFeatures).toArray(INDArray[]::new))));
        MultiLayerConfiguration secureConf = SecureConversion.toSecure(smallCnn(PoolingType.AVG));
        for (int receiver : new int[] {1, 2}) {
            List<Evaluation> out = ThreeParties.run(s -> {
                SecureMultiLayerNetwork net = new SecureMultiLayerNetwork(secureConf, s);
                net.importModel(0, s.party() == 0 ? plain : null);
                return net.evaluate(1, s.party() == 1 ? new ListDataSetIterator<>(batches, 4) : null, receiver, 0);
            });
            Evaluation e = out.get(receiver);
            assertNotNull(e);
            assertEquals(13, e.getNumRowCounter(), "receiver " + receiver);
            assertEquals(expected.accuracy(), e.accuracy(), 1e-9, "receiver " + receiver + ", seed " + seed);
            for (int p = 0; p < 3; p++) {
                if (p != receiver) {
                    assertNull(out.get(p), "party " + p + " evaluated");
                }
            }
        }
    }

    @Test
    void clearErrorsForPlainArraysForeignSharesAndMissingSessions() {
        MultiLayerConfiguration secureConf = SecureConversion.toSecure(smallCnn(PoolingType.MAX));
        List<List<String>> messages = ThreeParties.run(s -> {
            SecureMultiLayerNetwork net = new SecureMultiLayerNetwork(secureConf, s);
            net.initParameters(0);
            List<String> m = new ArrayList<>();
            org.deeplearning4j.nn.api.Layer dense = net.getDl4jLayers().get(3);
            dense.setInput(Nd4j.rand(DataType.FLOAT, 4, 36), LayerWorkspaceMgr.noWorkspaces());
            m.add(assertThrows(IllegalArgumentException.class,
                    () -> dense.activate(false, LayerWorkspaceMgr.noWorkspaces())).getMessage());
            SharedTensor foreign = SharedTensor.zeros((s.party() + 1) % 3, 4, 36);
            m.add(assertThrows(IllegalArgumentException.class, () -> net.getLayer(3).forward(foreign, false)).getMessage());
            SharedTensor wrongShape = SharedTensor.zeros(s.party(), 4, 35);
            m.add(assertThrows(IllegalArgumentException.class, () -> net.getLayer(3).forward(wrongShape, false))
                    .getMessage());
            return m;
        });
        for (List<String> m : messages) {
            assertTrue(m.get(0).contains("layer 3") && m.get(0).contains("SecureDense") && m.get(0).contains("FLOAT"),
                    m.get(0));
            assertTrue(m.get(1).contains("layer 3") && m.get(1).contains("got a share of party"), m.get(1));
            assertTrue(m.get(2).contains("[4, 35]") && m.get(2).contains("[*, 36]"), m.get(2));
        }
        NeuralNetConfiguration nnc = secureConf.getConf(3);
        AbstractSecureLayer<?> unbound = new SecureDense(nnc, DataType.FLOAT);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> unbound.forward(SharedTensor.zeros(0, 1, 36), false));
        assertTrue(e.getMessage().contains("no session"), e.getMessage());
        UnsupportedConfigurationException plainRefused = assertThrows(UnsupportedConfigurationException.class,
                () -> ThreeParties.run(s -> new SecureMultiLayerNetwork(smallCnn(PoolingType.MAX), s)));
        assertTrue(plainRefused.getMessage().contains("not a secure layer"), plainRefused.getMessage());
    }
}
