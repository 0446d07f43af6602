package org.fastcrypt4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.SplittableRandom;

import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.fastcrypt4j.nn.training.Checkpoint;
import org.fastcrypt4j.nn.training.CheckpointAgreement;
import org.fastcrypt4j.nn.training.CheckpointException;
import org.fastcrypt4j.nn.training.CheckpointKey;
import org.fastcrypt4j.nn.training.TrainingOptions;
import org.fastcrypt4j.transport.aeron.LocalParties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Checkpoints of a computation graph: a residual network stopped after 5 of 8 steps and resumed in a fresh session
 * ends within 1e-3 of the uninterrupted run (different truncation randomness: a few units of 2^-20 per step), and a
 * multi-layer network's checkpoint directory is refused for the graph (another configuration).
 */
class GraphCheckpointTest {
    private final long seed = System.nanoTime();
    private static final String JOB = "test job: residual graph";
    private final KeyPair[] keys = LocalParties.freshKeys();
    private final ComputationGraphConfiguration secure = SecureConversion.toSecure(SecureComputationGraphTest.residualMlp(3));

    private Object[] run(List<DataSet> data, Path dir, long stopAfter, Path resume) {
        List<Object[]> out = ThreeParties.run(keys, net -> s -> {
            SecureComputationGraph g = new SecureComputationGraph(secure, s);
            CheckpointKey key = CheckpointKey.derive(s.party(), keys[s.party()], net.config());
            if (resume == null) {
                g.initParameters(0);
            } else {
                g.resumeFrom(CheckpointAgreement.agree(s.transport(),
                        Checkpoint.readAll(resume, key, g.configHash(), JOB)));
            }
            TrainingOptions o = TrainingOptions.epochs(2).withCheckpoints(dir, 3, key).withJob(JOB)
                    .stoppingAfter(stopAfter);
            g.fit(1, s.party() == 1 ? new ListDataSetIterator<>(data, 1) : null, o);
            ComputationGraph m = stopAfter > 0 ? null : g.exportModel(0);
            return new Object[] {m == null ? null : m.params(), g.step()};
        });
        return out.get(0);
    }

    @Test
    void aGraphStoppedAndResumedEndsWithinTolerance(@TempDir Path tmp) {
        List<DataSet> data = SecureTrainingTest.batches(new SplittableRandom(seed), 4, 8, 12, 4);
        INDArray whole = (INDArray) run(data, tmp.resolve("whole"), 0, null)[0];
        Path stopped = tmp.resolve("stopped");
        assertEquals(5L, run(data, stopped, 5, null)[1]);
        Object[] resumed = run(data, tmp.resolve("resumed"), 0, stopped);
        assertEquals(8L, resumed[1]);
        double diff = ((INDArray) resumed[0]).sub(whole).amaxNumber().doubleValue();
        assertTrue(diff <= 1e-3, "resumed graph differs from the uninterrupted one by " + diff + ", seed " + seed);
    }

    @Test
    void anotherModelsCheckpointsAreRefused(@TempDir Path tmp) {
        List<DataSet> data = SecureTrainingTest.batches(new SplittableRandom(seed), 2, 8, 12, 4);
        Path stopped = tmp.resolve("stopped");
        run(data, stopped, 1, null);
        ComputationGraphConfiguration other = SecureConversion.toSecure(SecureComputationGraphTest.residualMlp(4));
        other.getVertices().remove("act");   // a different graph: the output reads the sum directly
        other.getVertexInputs().remove("act");
        other.getVertexInputs().put("out", List.of("res"));
        RuntimeException e = assertThrows(RuntimeException.class, () -> ThreeParties.run(keys, net -> s -> {
            SecureComputationGraph g = new SecureComputationGraph(other, s);
            CheckpointKey key = CheckpointKey.derive(s.party(), keys[s.party()], net.config());
            g.resumeFrom(CheckpointAgreement.agree(s.transport(), Checkpoint.readAll(stopped, key, g.configHash(), JOB)));
            return null;
        }));
        Throwable c = e;
        while (c != null && !(c instanceof CheckpointException)) {
            c = c.getCause();
        }
        assertTrue(c != null, "expected a CheckpointException, got " + e);
    }
}
