package org.fastcrypt4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.fastcrypt4j.nn.training.TrainingOptions;
import org.fastcrypt4j.ring.RingTensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** Private training of a DL4J configuration beside DL4J's own training of it: the oracle of the training tests. */
final class TwinTraining {
    private TwinTraining() {
    }

    /** A plain-DL4J twin trained on the same batches, one step each, from the same initial weights. */
    static MultiLayerNetwork trainPlain(MultiLayerConfiguration conf, List<DataSet> data, int epochs) {
        return trainPlain(conf, data, epochs, new ArrayList<>());
    }

    /**
     * As {@link #trainPlain(MultiLayerConfiguration, List, int)}, adding each step's data loss to {@code losses}: DL4J's
     * score of the batch before the update, less its regularization terms (l1 |w|, l2 / 2 w^2), which the revealed
     * loss of the secure network leaves out.
     */
    static MultiLayerNetwork trainPlain(MultiLayerConfiguration conf, List<DataSet> data, int epochs,
            List<Double> losses) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return train(net, data, epochs, losses);
    }

    /** Trains {@code net} one step per batch, adding each step's data loss to {@code losses}. */
    private static MultiLayerNetwork train(MultiLayerNetwork net, List<DataSet> data, int epochs, List<Double> losses) {
        net.setListeners(new BaseTrainingListener() {
            @Override
            public void onGradientCalculation(org.deeplearning4j.nn.api.Model model) {
                losses.add(model.score() - ((MultiLayerNetwork) model).calcRegularizationScore(true));
            }
        });
        for (int e = 0; e < epochs; e++) {
            net.fit(new ListDataSetIterator<>(data, 1));   // counts the epoch, as the secure loop does (schedules)
        }
        return net;
    }

    /**
     * Trains {@code plainConf} privately (data owner P1, model owner P0) for {@code epochs} over {@code data}, one
     * batch per step, and DL4J's plaintext twin from the same initial weights on the same batches (dropping the same
     * units where the configuration has dropout); asserts that the
     * parameters after training agree within {@code tol * (1 + largest parameter)}, that the loss was revealed to
     * the data owner only and that the last revealed loss matches DL4J's loss of the last batch (its score less the
     * regularization terms) within 2e-2 relative. Failures print {@code seed}.
     */
    static void assertTracks(MultiLayerConfiguration plainConf, List<DataSet> data, int epochs, double tol, long seed) {
        assertTracks(plainConf, data, epochs, tol, 1.0, tol, seed);
    }

    /**
     * As {@link #assertTracks(MultiLayerConfiguration, List, int, double, long)}, for adaptive updaters whose first
     * steps are lr * sign(g) (Adam's first step for any g != 0): a gradient that cancels to near 0 in DL4J may come out
     * with the other sign on shares, a difference of whole steps in that one parameter. So at least {@code fraction} of
     * the parameters must be within {@code tol} and all within {@code maxTol} (each times 1 + the largest parameter).
     */
    static void assertTracks(MultiLayerConfiguration plainConf, List<DataSet> data, int epochs, double tol,
            double fraction, double maxTol, long seed) {
        MultiLayerNetwork initial = new MultiLayerNetwork(plainConf);
        initial.init();
        MultiLayerConfiguration secure = SecureConversion.toSecure(plainConf);
        boolean dropout = secure.getConfs().stream().anyMatch(c -> c.getLayer().getIDropout() != null);
        Map<Integer, List<RingTensor>> masks = new HashMap<>();
        List<Object[]> out = ThreeParties.run(s -> {
            SecureMultiLayerNetwork net = new SecureMultiLayerNetwork(secure, s);
            net.importModel(0, s.party() == 0 ? initial : null);
            if (dropout && s.party() == 0) {
                net.setDropoutMaskListener((layer, iteration, keep) ->
                        masks.computeIfAbsent(layer, k -> new ArrayList<>()).add(keep));
            }
            List<Double> scores = new ArrayList<>();
            net.setListeners(new BaseTrainingListener() {
                @Override
                public void iterationDone(org.deeplearning4j.nn.api.Model model, int iteration, int epoch) {
                    scores.add(model.score());
                }
            });
            net.fit(1, s.party() == 1 ? new ListDataSetIterator<>(data, 1) : null,
                    TrainingOptions.epochs(epochs).withRevealedLoss(true));
            MultiLayerNetwork target = s.party() == 0 ? new MultiLayerNetwork(plainConf) : null;
            if (target != null) {
                target.init();
            }
            net.exportModel(0, target);
            return new Object[] {target, scores, net.step()};
        });
        List<Double> plainLosses = new ArrayList<>();
        MultiLayerNetwork expected = dropout ? trainReplaying(secure, initial, masks, data, epochs, plainLosses)
                : trainPlain(plainConf, data, epochs, plainLosses);
        MultiLayerNetwork trained = (MultiLayerNetwork) out.get(0)[0];
        assertNull(out.get(1)[0]);
        assertNull(out.get(2)[0]);
        assertEquals((long) epochs * data.size(), out.get(0)[2]);
        INDArray delta = trained.params().sub(expected.params());
        double diff = delta.amaxNumber().doubleValue();
        double scale = expected.params().amaxNumber().doubleValue();
        assertTrue(diff <= maxTol * (1 + scale), "parameters after private training differ by " + diff + " (largest "
                + scale + "), seed " + seed);
        double[] d = delta.castTo(DataType.DOUBLE).data().asDouble();
        long close = java.util.Arrays.stream(d).filter(v -> Math.abs(v) <= tol * (1 + scale)).count();
        assertTrue(close >= fraction * d.length, close + " of " + d.length + " parameters within " + tol
                + " relative of DL4J's, fewer than " + fraction + ", seed " + seed);
        double moved = expected.params().sub(initial.params()).amaxNumber().doubleValue();
        assertTrue(moved > tol * (1 + scale), "DL4J's training moved the parameters by " + moved + " only, within the"
                + " tolerance: the comparison could not catch a wrong update (raise the learning rate or the steps)");
        // the loss was revealed to the data owner (party 1) only, and matches DL4J's score of the last batch
        @SuppressWarnings("unchecked")
        List<Double> atOwner = (List<Double>) out.get(1)[1];
        @SuppressWarnings("unchecked")
        List<Double> atOther = (List<Double>) out.get(0)[1];
        assertEquals(epochs * data.size(), atOwner.size());
        assertTrue(atOther.stream().allMatch(v -> Double.isNaN(v)), "loss shown to a non-owner");
        double plainScore = plainLosses.get(plainLosses.size() - 1);
        double secureScore = atOwner.get(atOwner.size() - 1);
        assertEquals(plainScore, secureScore, 2e-2 * (1 + Math.abs(plainScore)), "revealed loss, seed " + seed);
    }

    /**
     * DL4J's twin of a secure configuration with dropout ({@link SecureConversion#toPlain}: the same layer indices),
     * from {@code initial}'s weights, replaying the masks the secure run drew ({@link ReplayDropout}) so that both
     * drop the same units.
     */
    private static MultiLayerNetwork trainReplaying(MultiLayerConfiguration secure, MultiLayerNetwork initial,
            Map<Integer, List<RingTensor>> masks, List<DataSet> data, int epochs, List<Double> losses) {
        MultiLayerConfiguration twin = SecureConversion.toPlain(secure);
        for (int i = 0; i < twin.getConfs().size(); i++) {
            Layer l = twin.getConf(i).getLayer();
            if (l.getIDropout() instanceof Dropout d && masks.containsKey(i)) {
                ReplayDropout replay = new ReplayDropout(d.getP());
                for (RingTensor m : masks.get(i)) {
                    replay.add(Nd4j.createFromArray(m.toLongArray()).castTo(DataType.DOUBLE).reshape(m.shape()));
                }
                l.setIDropout(replay);
            }
        }
        MultiLayerNetwork net = new MultiLayerNetwork(twin);
        net.init();
        net.setParams(initial.params().dup());
        return train(net, data, epochs, losses);
    }

}
