package org.fastcrypt4j.nn.training;

import java.util.Arrays;
import java.util.function.Consumer;

import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.ring.RingTensor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Batches cut from rows the servers already hold as shares (uploaded by data owners outside the computation):
 * consecutive slices of {@code batch} rows in the rows' order, the last one shorter. The revealed loss goes to
 * {@code lossSink} (which sends this server's component to the model owner); no server learns it.
 */
public final class SharedBatches implements TrainingData {
    private final SharedTensor features;
    private final SharedTensor labels;
    private final int batch;
    private final Consumer<SharedTensor> lossSink;
    private long row;

    public SharedBatches(SharedTensor features, SharedTensor labels, int batch, Consumer<SharedTensor> lossSink) {
        if (features.shape()[0] != labels.shape()[0]) {
            throw new IllegalArgumentException(features.shape()[0] + " feature rows but " + labels.shape()[0]
                    + " label rows");
        }
        if (batch < 1) {
            throw new IllegalArgumentException("batch " + batch);
        }
        this.features = features;
        this.labels = labels;
        this.batch = batch;
        this.lossSink = lossSink;
    }

    /** Rows in all. */
    public long rows() {
        return features.shape()[0];
    }

    @Override
    public void startEpoch(int skip) {
        row = Math.min(rows(), (long) skip * batch);
    }

    @Override
    public SharedTensor[] next() {
        if (row >= rows()) {
            return null;
        }
        long to = Math.min(rows(), row + batch);
        SharedTensor[] out = {rows(features, row, to), rows(labels, row, to)};
        row = to;
        return out;
    }

    @Override
    public double revealLoss(SharedTensor loss) {
        if (lossSink != null) {
            lossSink.accept(loss);
        }
        return Double.NaN;
    }

    /** Rows {@code [from, to)} of a sharing (a copy). */
    public static SharedTensor rows(SharedTensor x, long from, long to) {
        return new SharedTensor(x.party(), rows(x.first(), from, to), rows(x.second(), from, to));
    }

    private static RingTensor rows(RingTensor t, long from, long to) {
        INDArray a = t.array();
        INDArrayIndex[] idx = new INDArrayIndex[a.rank()];
        Arrays.fill(idx, NDArrayIndex.all());
        idx[0] = NDArrayIndex.interval(from, to);
        return RingTensor.wrap(a.get(idx).dup('c'));
    }
}
