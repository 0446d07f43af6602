package org.fastcrypt4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.mpc.sharing.Sharing;
import org.fastcrypt4j.nn.conf.SecureDropoutLayer;
import org.fastcrypt4j.nn.network.InputDropout;
import org.fastcrypt4j.nn.training.TrainingOptions;
import org.fastcrypt4j.ring.FixedPoint;
import org.fastcrypt4j.ring.RingTensor;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Dropout on shares: the forward pass is x * mask / p with the public mask the three parties drew, about a fraction p
 * of a large mask is kept, inference drops nothing, the backward pass uses the same mask; and private training with
 * dropout follows DL4J's twin replaying the same masks. Failures print the seed.
 */
class SecureDropoutTest {
    private final long seed = System.nanoTime();

    /** What one party saw: the revealed x, y = dropout(x), eps, dx = dropout backward(eps), and the mask. */
    private record Pass(INDArray x, INDArray y, INDArray eps, INDArray dx, INDArray mask) {
    }

    private List<Pass> pass(double p, long rows, long cols) {
        List<Layer> confs = List.of(new SecureDropoutLayer.Builder(p).build());
        return ThreeParties.run(s -> {
            FixedPoint fp = FixedPoint.withFractionalBits(s.fractionalBits());
            Nd4j.getRandom().setSeed(seed);
            INDArray x = Nd4j.rand(DataType.DOUBLE, rows, cols).subi(0.5).muli(8);
            INDArray e = Nd4j.rand(DataType.DOUBLE, rows, cols).subi(0.5).muli(2);
            SharedTensor sx = LayerGradientCheckAccess.share(s, fp, x);
            SharedTensor se = LayerGradientCheckAccess.share(s, fp, e);
            InputDropout d = new InputDropout(s, confs);
            RingTensor[] mask = new RingTensor[1];
            d.setListener((layer, iteration, keep) -> mask[0] = keep);
            d.startStep(0, 0);
            SharedTensor y = d.forward(0, sx, true);
            SharedTensor dx = d.backward(0, se);
            assertSame(sx, d.forward(0, sx, false), "inference must not drop");
            return new Pass(fp.decode(Sharing.revealToAll(s, sx)), fp.decode(Sharing.revealToAll(s, y)),
                    fp.decode(Sharing.revealToAll(s, se)), fp.decode(Sharing.revealToAll(s, dx)),
                    Nd4j.createFromArray(mask[0].toLongArray()).castTo(DataType.DOUBLE).reshape(rows, cols));
        });
    }

    private void checkPass(double p, double tol) {
        long rows = 100;
        long cols = 100;
        List<Pass> out = pass(p, rows, cols);
        Pass a = out.get(0);
        assertEquals(a.mask(), out.get(1).mask(), "parties drew different masks, seed " + seed);
        assertEquals(a.mask(), out.get(2).mask(), "parties drew different masks, seed " + seed);
        double kept = a.mask().sumNumber().doubleValue();
        double n = rows * cols;
        double sigma = Math.sqrt(n * p * (1 - p));
        assertEquals(n * p, kept, 6 * sigma + 1, "kept " + kept + " of " + n + " at p = " + p + ", seed " + seed);
        INDArray expectedY = a.x().mul(a.mask()).divi(p);
        INDArray expectedDx = a.eps().mul(a.mask()).divi(p);
        double errY = expectedY.sub(a.y()).amaxNumber().doubleValue();
        double errDx = expectedDx.sub(a.dx()).amaxNumber().doubleValue();
        assertTrue(errY <= tol, "forward differs from x * mask / p by " + errY + " at p = " + p + ", seed " + seed);
        assertTrue(errDx <= tol, "backward differs from eps * mask / p by " + errDx + " at p = " + p + ", seed " + seed);
    }

    @Test
    void forwardAndBackwardMultiplyByTheDrawnMaskOverP() {
        checkPass(0.5, 1e-12);   // 1/p an integer: exact, no truncation
        checkPass(0.8, 1e-4);    // truncated: an ulp plus the encoding of 1/p
    }

    private static MultiLayerConfiguration mlpWithDropout() {
        return new NeuralNetConfiguration.Builder().seed(11).updater(new Sgd(0.02)).weightInit(WeightInit.XAVIER)
                .dataType(DataType.DOUBLE).list()
                .layer(new DenseLayer.Builder().nIn(12).nOut(16).activation(Activation.RELU).dropOut(0.8).build())
                .layer(new DropoutLayer.Builder(0.5).build())
                .layer(new DenseLayer.Builder().nOut(8).activation(Activation.RELU).dropOut(new Dropout(0.75)).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(3).activation(Activation.IDENTITY)
                        .dropOut(0.5).build())
                .build();
    }

    /**
     * Four SGD steps of an MLP with dropout on both dense layers, a DropoutLayer and the output layer (p = 0.8, 0.5,
     * 0.75, 0.5: truncated and exact products): DL4J's twin, replaying the secure run's masks, ends within
     * 1e-2 * (1 + largest parameter), the tolerance of the SGD training tests. Measured: usually about 2e-6 (the
     * fixed-point noise), once 2e-3 (an activation at a ReLU kink decided differently); a larger learning rate makes
     * the ReLU pattern chaotic, so such differences grow.
     */
    @Test
    void privateTrainingWithDropoutFollowsDl4jReplayingTheSameMasks() {
        SplittableRandom r = new SplittableRandom(seed);
        List<DataSet> data = new ArrayList<>();
        for (int b = 0; b < 4; b++) {
            INDArray x = Nd4j.create(DataType.DOUBLE, 8, 12);
            INDArray y = Nd4j.create(DataType.DOUBLE, 8, 3);
            for (long i = 0; i < x.length(); i++) {
                x.putScalar(i, r.nextDouble() * 4 - 2);
            }
            for (long i = 0; i < y.length(); i++) {
                y.putScalar(i, r.nextDouble() * 2 - 1);
            }
            data.add(new DataSet(x, y));
        }
        MultiLayerConfiguration secure = SecureConversion.toSecure(mlpWithDropout());
        MultiLayerConfiguration twinConf = SecureConversion.toPlain(secure);
        MultiLayerNetwork initial = new MultiLayerNetwork(twinConf.clone());
        initial.init();
        List<Object[]> out = ThreeParties.run(s -> {
            SecureMultiLayerNetwork net = new SecureMultiLayerNetwork(secure, s);
            net.importModel(0, s.party() == 0 ? initial : null);
            Map<Integer, List<RingTensor>> masks = new HashMap<>();
            net.setDropoutMaskListener((layer, iteration, keep) ->
                    masks.computeIfAbsent(layer, k -> new ArrayList<>()).add(keep));
            net.fit(1, s.party() == 1 ? new ListDataSetIterator<>(data, 1) : null, TrainingOptions.epochs(1));
            MultiLayerNetwork target = null;
            if (s.party() == 0) {
                target = new MultiLayerNetwork(twinConf.clone());
                target.init();
            }
            net.exportModel(0, target);
            return new Object[] {target, masks};
        });
        @SuppressWarnings("unchecked")
        Map<Integer, List<RingTensor>> masks = (Map<Integer, List<RingTensor>>) out.get(0)[1];
        assertEquals(masks.keySet(), ((Map<?, ?>) out.get(2)[1]).keySet(), "parties drew masks for different layers");
        // the dense layers (inputs 0 and 3 after the split ReLUs), the dropout layer and the output layer drop
        MultiLayerConfiguration replayConf = twinConf.clone();
        Map<Integer, ReplayDropout> replays = new HashMap<>();
        for (int i = 0; i < replayConf.getConfs().size(); i++) {
            Layer l = replayConf.getConf(i).getLayer();
            if (l.getIDropout() instanceof Dropout d) {
                assertTrue(masks.containsKey(i), "no masks drawn for layer " + i + " (" + l + "), seed " + seed);
                ReplayDropout replay = new ReplayDropout(d.getP());
                for (RingTensor m : masks.get(i)) {
                    replay.add(Nd4j.createFromArray(m.toLongArray()).castTo(DataType.DOUBLE).reshape(m.shape()));
                }
                l.setIDropout(replay);
                replays.put(i, replay);
            }
        }
        assertEquals(masks.keySet(), replays.keySet(), "layers that drew masks, seed " + seed);
        assertEquals(4, replays.size());
        MultiLayerNetwork expected = new MultiLayerNetwork(replayConf);
        expected.init();
        expected.setParams(initial.params().dup());
        for (DataSet d : data) {
            expected.fit(d);
        }
        replays.values().forEach(rd -> assertEquals(0, rd.remaining(), "masks left unused, seed " + seed));
        MultiLayerNetwork trained = (MultiLayerNetwork) out.get(0)[0];
        double diff = trained.params().sub(expected.params()).amaxNumber().doubleValue();
        double scale = expected.params().amaxNumber().doubleValue();
        double moved = expected.params().sub(initial.params()).amaxNumber().doubleValue();
        assertTrue(diff <= 1e-2 * (1 + scale), "parameters after private training with dropout differ by " + diff
                + " (largest " + scale + ", moved by " + moved + "), seed " + seed);
        assertTrue(moved > 0.05, "training moved the parameters by " + moved + " only, seed " + seed);
    }
}
