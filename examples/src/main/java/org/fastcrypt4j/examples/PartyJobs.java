package org.fastcrypt4j.examples;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import me.tongfei.progressbar.ProgressBar;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.fastcrypt4j.examples.data.Datasets;
import org.fastcrypt4j.examples.nets.Networks;
import org.fastcrypt4j.mpc.sharing.Session;
import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.nn.SecureMultiLayerNetwork;
import org.fastcrypt4j.nn.training.Checkpoint;
import org.fastcrypt4j.nn.training.CheckpointKey;
import org.fastcrypt4j.nn.training.TrainingOptions;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.learning.config.Adam;

/**
 * What each party runs in the main job, the same whether the three share one JVM ({@code demo}) or each has a process
 * of its own ({@code party}): private training then private inference of the test images, or private inference of a
 * model the model owner trained in the clear. P0 owns the model, P1 the data and the predictions.
 */
final class PartyJobs {
    private PartyJobs() {
    }

    /** What each party reports. */
    record PartyResult(long trainBytes, long trainRounds, double trainSeconds, long steps, Evaluation eval,
            List<INDArray> predictions, MultiLayerNetwork exported, long inferBytes, double inferSeconds,
            double batchOneSeconds, List<INDArray> logits, boolean stopped) {
    }


    static PartyResult trainParty(DemoCommand o, Session s, MultiLayerConfiguration secureConf, DataSetIterator trainAtP1,
            Datasets data, int ep, CheckpointKey ckKey, Path ckDir, ProgressBar bar, Checkpoint from) throws Exception {
        int me = s.party();
        SecureMultiLayerNetwork secure = new SecureMultiLayerNetwork(secureConf, s);
        if (from != null) {
            secure.resumeFrom(from);
        } else {
            secure.initParameters(0);
        }
        TrainingOptions options = TrainingOptions.epochs(ep).withRevealedLoss(o.showLoss).withJob(o.trainingJob());
        if (ckDir != null) {
            options = options.withCheckpoints(ckDir, o.checkpointEvery, ckKey);
        }
        if (o.stopAfter > 0) {
            options = options.stoppingAfter(o.stopAfter);
        }
        if (me == 1 && o.resume != null) {
            System.out.printf(Locale.ROOT, "demo: resumed from step %d (checkpoints in %s)%n", secure.step(), o.resume);
        }
        if (me == 1 && bar != null) {
            long startBytes = s.stats().totalBytesSent();
            long startStep = secure.step();
            long startNanos = System.nanoTime();
            options = options.withListener(p -> {
                bar.stepTo(p.step());
                double avg = (System.nanoTime() - startNanos) / 1e9 / Math.max(1, p.step() - startStep);
                bar.setExtraMessage(String.format(Locale.ROOT, "%.2f s/batch, P1 sent %.0f MiB%s", avg,
                        (p.bytesSent() - startBytes) / 1048576.0,
                        Double.isNaN(p.revealedLoss()) ? "" : String.format(Locale.ROOT, ", loss %.3f", p.revealedLoss())));
            });
        }
        s.stats().reset();
        long startStep = secure.step();
        long t0 = System.nanoTime();
        secure.fit(1, me == 1 ? trainAtP1 : null, options);
        double seconds = (System.nanoTime() - t0) / 1e9;
        long bytes = s.stats().totalBytesSent();
        long rounds = s.stats().depth();
        long steps = secure.step() - startStep;
        if (o.stopAfter > 0 && secure.step() >= o.stopAfter) {
            return new PartyResult(bytes, rounds, seconds, secure.step(), null, null, null, 0, 0, 0, null, true);
        }
        if (me == 1 && bar != null) {
            bar.stepTo(secure.step());
        }
        List<INDArray> predictions = new ArrayList<>();
        s.stats().reset();
        long t1 = System.nanoTime();
        Evaluation eval = secure.evaluate(1, me == 1 ? data.test(o.test, o.testBatch) : null, 1, 0, predictions::add);
        double inferSeconds = (System.nanoTime() - t1) / 1e9;
        MultiLayerNetwork exported = secure.exportModel(0);
        return new PartyResult(bytes, rounds, seconds, steps, eval, predictions, exported, s.stats().totalBytesSent(),
                inferSeconds, 0, null, false);
    }

    static PartyResult inferParty(Session s, MultiLayerConfiguration secureConf, MultiLayerNetwork model,
            DataSetIterator testAtP1, DataSetIterator singleAtP1) {
        int me = s.party();
        SecureMultiLayerNetwork secure = new SecureMultiLayerNetwork(secureConf, s);
        secure.importModel(0, me == 0 ? model : null);
        // batch 1 latency first, on a few images
        long tb = System.nanoTime();
        int singles = 0;
        while (true) {
            DataSet ds = me == 1 && singleAtP1.hasNext() ? singleAtP1.next() : null;
            SharedTensor x = shareOrEnd(secure, s, ds);
            if (x == null) {
                break;
            }
            secure.revealLogits(x, 1);
            singles++;
        }
        double batchOne = (System.nanoTime() - tb) / 1e9 / Math.max(1, singles);
        s.stats().reset();
        List<INDArray> logits = new ArrayList<>();
        Evaluation eval = me == 1 ? new Evaluation(10) : null;
        long t0 = System.nanoTime();
        while (true) {
            DataSet ds = me == 1 && testAtP1.hasNext() ? testAtP1.next() : null;
            SharedTensor x = shareOrEnd(secure, s, ds);
            if (x == null) {
                break;
            }
            INDArray z = secure.revealLogits(x, 1);
            if (me == 1) {
                logits.add(z);
                eval.eval(ds.getLabels(), z.castTo(DataType.FLOAT));
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new PartyResult(0, 0, 0, 0, eval, null, null, s.stats().totalBytesSent(), seconds, batchOne, logits,
                false);
    }

    /** P1 shares a batch, or tells the others that the data ended (a one-long flag first). */
    private static SharedTensor shareOrEnd(SecureMultiLayerNetwork secure, Session s, DataSet ds) {
        long[] flag = {ds == null ? 0 : 1};
        if (s.party() == 1) {
            s.transport().send(0, "demo/more", flag);
            s.transport().send(2, "demo/more", flag);
        } else {
            s.transport().receive(1, "demo/more", flag);
        }
        return flag[0] == 0 ? null : secure.shareInput(1, ds == null ? null : ds.getFeatures());
    }

    /**
     * The model owner's plaintext model for the inference job: the configuration of the options (an MLP with Adam
     * for {@code --net mlp}) trained in the clear on its own.
     */
    static MultiLayerNetwork plainInferenceModel(DemoCommand o, Datasets data) throws java.io.IOException {
        MultiLayerConfiguration plainConf = o.net == DemoCommand.Net.lenet ? o.plainConfiguration()
                : Networks.mlp(o.hidden, new Adam(1e-3), o.seed);
        MultiLayerNetwork model = new MultiLayerNetwork(plainConf);
        model.init();
        DataSetIterator it = data.train(o.trainImages(), o.net == DemoCommand.Net.lenet ? o.batch : 64);
        for (int e = 0; e < o.inferenceModelEpochs(); e++) {
            it.reset();
            while (it.hasNext()) {
                model.fit(it.next());
            }
        }
        return model;
    }
}
