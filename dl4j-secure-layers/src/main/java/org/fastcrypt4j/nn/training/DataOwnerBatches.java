package org.fastcrypt4j.nn.training;

import org.fastcrypt4j.mpc.sharing.Session;
import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.mpc.sharing.Sharing;
import org.fastcrypt4j.nn.network.DataOwnerInput;
import org.fastcrypt4j.ring.FixedPoint;
import org.fastcrypt4j.ring.RingTensor;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Batches of a data owner that is one of the parties: each batch of its DL4J iterator is shared as it comes (its shape
 * announced first, the end of the data announced too), and the loss is revealed to the data owner.
 */
public final class DataOwnerBatches implements TrainingData {
    private final Session session;
    private final int dataOwner;
    private final DataSetIterator iterator;
    private final DataOwnerInput input;
    private final FixedPoint fixedPoint;

    /** {@code iteratorAtOwner} at the data owner, null elsewhere. */
    public DataOwnerBatches(Session session, int dataOwner, DataSetIterator iteratorAtOwner, DataOwnerInput input,
            FixedPoint fixedPoint) {
        if (session.party() == dataOwner && iteratorAtOwner == null) {
            throw new IllegalArgumentException("party " + dataOwner + " is the data owner but passed no iterator");
        }
        this.session = session;
        this.dataOwner = dataOwner;
        this.iterator = iteratorAtOwner;
        this.input = input;
        this.fixedPoint = fixedPoint;
    }

    @Override
    public void startEpoch(int skip) {
        if (iterator != null) {
            iterator.reset();
            for (int k = 0; k < skip && iterator.hasNext(); k++) {
                iterator.next();
            }
        }
    }

    @Override
    public SharedTensor[] next() {
        DataSet ds = iterator != null && iterator.hasNext() ? iterator.next() : null;
        SharedTensor x = input.shareOrEnd(dataOwner, ds == null ? null : ds.getFeatures(), "feature");
        if (x == null) {
            return null;
        }
        return new SharedTensor[] {x, input.share(dataOwner, ds == null ? null : ds.getLabels(), "label")};
    }

    @Override
    public double revealLoss(SharedTensor loss) {
        RingTensor v = Sharing.revealTo(session, dataOwner, loss);
        return v == null ? Double.NaN : fixedPoint.decode(v.getLong(0));
    }
}
