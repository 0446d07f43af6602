package org.fastcrypt4j.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.fastcrypt4j.examples.data.Datasets;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * The demo's plaintext twin: DL4J trains the plain network from the configuration's initial weights on the same
 * batches, in order, and reports its model, predictions, evaluation, speed, steps and test accuracy after each epoch;
 * with the plain-model helpers the demo compares private results against (predictions, logits, agreement).
 */
record PlainTwin(MultiLayerNetwork model, List<INDArray> predictions, Evaluation eval, double secondsPerBatch,
        int steps, List<Double> epochAccuracy) {

    /** Trains the twin for the demo's options {@code o}, printing its progress. */
    static PlainTwin train(DemoCommand o, Datasets data, MultiLayerConfiguration plainConf) throws java.io.IOException {
        System.out.printf(Locale.ROOT, "demo: plaintext twin: DL4J %s (%s pooling) from the same initial weights on the"
                + " same batches%n", o.net, o.pool);
        MultiLayerNetwork twin = new MultiLayerNetwork(plainConf);
        twin.init();
        DataSetIterator it = data.train(o.trainImages(), o.batch);
        int plainSteps = 0;
        long trainingNanos = 0;
        List<Double> epochAccuracy = new ArrayList<>();
        for (int e = 0; e < o.trainEpochs(); e++) {
            long t0 = System.nanoTime();
            it.reset();
            while (it.hasNext()) {
                twin.fit(it.next());
                plainSteps++;
            }
            trainingNanos += System.nanoTime() - t0;
            twin.incrementEpochCount();   // as DL4J's fit(iterator) does: epoch schedules see the next epoch
            if (o.trainEpochs() > 1) {
                epochAccuracy.add(twin.evaluate(data.test(o.test, o.testBatch)).accuracy());
                System.out.printf(Locale.ROOT, "demo: plaintext twin: epoch %d, test accuracy %.2f%%%n", e + 1,
                        100 * epochAccuracy.get(e));
            }
        }
        double perBatch = trainingNanos / 1e9 / plainSteps;
        List<INDArray> predictions = predict(twin, data.test(o.test, o.testBatch));
        Evaluation eval = twin.evaluate(data.test(o.test, o.testBatch));
        System.out.printf(Locale.ROOT, "demo: plaintext twin: %d steps, %.3f s per batch, test accuracy %.2f%%%n",
                plainSteps, perBatch, 100 * eval.accuracy());
        return new PlainTwin(twin, predictions, eval, perBatch, plainSteps, epochAccuracy);
    }

    /** The plain model's outputs, batch by batch. */
    static List<INDArray> predict(MultiLayerNetwork model, DataSetIterator it) {
        List<INDArray> out = new ArrayList<>();
        while (it.hasNext()) {
            out.add(model.output(it.next().getFeatures()));
        }
        return out;
    }

    /** The plain model's logits: the same parameters in a copy of the configuration whose output is the identity. */
    static List<INDArray> logits(MultiLayerNetwork model, DataSetIterator it) {
        MultiLayerConfiguration c = model.getLayerWiseConfigurations().clone();
        ((OutputLayer) c.getConf(c.getConfs().size() - 1).getLayer()).setActivationFn(Activation.IDENTITY
                .getActivationFunction());
        MultiLayerNetwork identity = new MultiLayerNetwork(c);
        identity.init(model.params().dup(), false);
        return predict(identity, it);
    }

    /** How many rows the two lists of predictions classify alike. */
    static int agreement(List<INDArray> a, List<INDArray> b) {
        int agree = 0;
        for (int i = 0; i < a.size(); i++) {
            INDArray x = a.get(i).argMax(1);
            INDArray y = b.get(i).argMax(1);
            for (int k = 0; k < x.length(); k++) {
                agree += x.getLong(k) == y.getLong(k) ? 1 : 0;
            }
        }
        return agree;
    }
}
