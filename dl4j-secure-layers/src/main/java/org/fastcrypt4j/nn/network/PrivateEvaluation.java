package org.fastcrypt4j.nn.network;

import java.util.function.Consumer;
import java.util.function.BiFunction;

import org.fastcrypt4j.mpc.sharing.Session;
import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DL4J's {@link Evaluation} of a secure network at one receiving party: each batch of the data owner's iterator is
 * shared (its shape announced), classified on shares, and the prediction revealed to the receiver only. The labels
 * stay with the data owner when it is the receiver; otherwise the data owner sends the receiver the labels in the
 * clear (its own data, disclosed to the party that evaluates).
 */
public final class PrivateEvaluation {
    private final Session session;
    private final DataOwnerInput input;

    public PrivateEvaluation(Session session, DataOwnerInput input) {
        this.session = session;
        this.input = input;
    }

    /**
     * @param predict     shared features and receiver to the prediction at the receiver (null elsewhere)
     * @param nOut        classes
     * @param maxBatches  stop after this many batches (0: the whole iterator)
     * @param predictions handed every revealed prediction at the receiver, or null
     * @return the evaluation at the receiver, null elsewhere
     */
    public Evaluation evaluate(int dataOwner, DataSetIterator iteratorAtOwner, int receiver, int maxBatches,
            BiFunction<SharedTensor, Integer, INDArray> predict, int nOut, Consumer<INDArray> predictions) {
        int me = session.party();
        if (me == dataOwner && iteratorAtOwner == null) {
            throw new IllegalArgumentException("party " + me + " is the data owner but passed no iterator");
        }
        Evaluation eval = me == receiver ? new Evaluation(nOut) : null;
        int batches = 0;
        while (true) {
            DataSet ds = null;
            if (me == dataOwner && (maxBatches <= 0 || batches < maxBatches) && iteratorAtOwner.hasNext()) {
                ds = iteratorAtOwner.next();
            }
            SharedTensor x = input.shareOrEnd(dataOwner, ds == null ? null : ds.getFeatures(), "feature");
            if (x == null) {
                return eval;
            }
            long rows = x.shape()[0];
            INDArray predicted = predict.apply(x, receiver);
            INDArray labels = null;
            if (receiver == dataOwner) {
                labels = ds == null ? null : ds.getLabels();
            } else if (me == dataOwner) {
                session.transport().send(receiver, "data/labels", labelsAsLongs(ds.getLabels()));
            } else if (me == receiver) {
                long[] raw = session.transport().receive(dataOwner, "data/labels", (int) (rows * nOut));
                labels = Nd4j.createFromArray(raw).castTo(DataType.FLOAT).reshape(rows, nOut);
            }
            if (eval != null) {
                eval.eval(labels.castTo(DataType.FLOAT), predicted.castTo(DataType.FLOAT));
                if (predictions != null) {
                    predictions.accept(predicted);
                }
            }
            batches++;
        }
    }

    private static long[] labelsAsLongs(INDArray labels) {
        double[] d = labels.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        long[] out = new long[d.length];
        for (int i = 0; i < d.length; i++) {
            out[i] = Math.round(d[i]);
        }
        return out;
    }
}
