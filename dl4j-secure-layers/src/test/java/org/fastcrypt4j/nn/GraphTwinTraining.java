package org.fastcrypt4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.fastcrypt4j.nn.training.TrainingOptions;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * A computation graph trained privately (data owner P1, model owner P0) beside DL4J's own {@link ComputationGraph}
 * from the same initial weights on the same batches, as {@link TwinTraining} does for multi-layer networks: every
 * layer's parameters after training within {@code tol * (1 + largest parameter)}, DL4J's training having moved them
 * by more than that, the loss revealed to the data owner only and matching DL4J's last score within 2e-2 relative.
 */
final class GraphTwinTraining {
    private GraphTwinTraining() {
    }

    static void assertTracks(ComputationGraphConfiguration plainConf, List<DataSet> data, int epochs, double tol,
            long seed) {
        ComputationGraph initial = new ComputationGraph(plainConf);
        initial.init();
        ComputationGraphConfiguration secure = SecureConversion.toSecure(plainConf);
        List<Object[]> out = ThreeParties.run(s -> {
            SecureComputationGraph net = new SecureComputationGraph(secure, s);
            net.importModel(0, s.party() == 0 ? initial : null);
            List<Double> scores = new ArrayList<>();
            net.setListeners(new BaseTrainingListener() {
                @Override
                public void iterationDone(org.deeplearning4j.nn.api.Model model, int iteration, int epoch) {
                    scores.add(model.score());
                }
            });
            net.fit(1, s.party() == 1 ? new ListDataSetIterator<>(data, 1) : null,
                    TrainingOptions.epochs(epochs).withRevealedLoss(true));
            return new Object[] {net.exportModel(0), scores, net.step()};
        });
        ComputationGraph expected = new ComputationGraph(plainConf);
        expected.init();
        expected.setParams(initial.params().dup());
        List<Double> plainScores = new ArrayList<>();
        expected.setListeners(new BaseTrainingListener() {
            @Override
            public void onGradientCalculation(org.deeplearning4j.nn.api.Model model) {
                plainScores.add(model.score() - ((ComputationGraph) model).calcRegularizationScore(true));
            }
        });
        for (int e = 0; e < epochs; e++) {
            expected.fit(new ListDataSetIterator<>(data, 1));
        }
        ComputationGraph trained = (ComputationGraph) out.get(0)[0];
        assertNull(out.get(1)[0]);
        assertNull(out.get(2)[0]);
        assertEquals((long) epochs * data.size(), out.get(0)[2]);
        double scale = expected.params().amaxNumber().doubleValue();
        double moved = 0;
        for (Layer l : expected.getLayers()) {
            if (l.numParams() == 0) {
                continue;
            }
            String name = l.conf().getLayer().getLayerName();
            INDArray want = l.params();
            INDArray got = trained.getLayer(name).params();
            double diff = got.sub(want).amaxNumber().doubleValue();
            assertTrue(diff <= tol * (1 + scale), "layer '" + name + "': parameters after private training differ by "
                    + diff + " (largest " + scale + "), seed " + seed);
            moved = Math.max(moved, want.sub(initial.getLayer(name).params()).amaxNumber().doubleValue());
        }
        assertTrue(moved > tol * (1 + scale), "DL4J's training moved the parameters by " + moved + " only, within the"
                + " tolerance: the comparison could not catch a wrong update");
        @SuppressWarnings("unchecked")
        List<Double> atOwner = (List<Double>) out.get(1)[1];
        @SuppressWarnings("unchecked")
        List<Double> atOther = (List<Double>) out.get(0)[1];
        assertEquals(epochs * data.size(), atOwner.size());
        assertTrue(atOther.stream().allMatch(v -> Double.isNaN(v)), "loss shown to a non-owner");
        double plainScore = plainScores.get(plainScores.size() - 1);
        assertEquals(plainScore, atOwner.get(atOwner.size() - 1), 2e-2 * (1 + Math.abs(plainScore)),
                "revealed loss, seed " + seed);
    }
}
