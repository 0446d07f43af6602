package org.fastcrypt4j.nn.layers;

import java.util.Arrays;

import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.ring.RingTensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * One party's replicated share {@code [N, ...]} as a single LONG ND4J array {@code [2N, ...]}: rows 0..N-1 hold
 * the first component, rows N..2N-1 the second. This is how shares pass through DL4J's own layer API and
 * preprocessors (which only reshape per example, so they act on both halves alike, bit-exactly).
 */
public final class SharePacking {
    private SharePacking() {
    }

    public static INDArray pack(SharedTensor x) {
        if (x == null) {
            return null;
        }
        return Nd4j.concat(0, x.first().array(), x.second().array());
    }

    /**
     * @throws IllegalArgumentException naming {@code who} for a non-LONG array (plain values where shares are
     *                                  expected) or an odd leading dimension
     */
    public static SharedTensor unpack(INDArray a, int party, String who) {
        if (a.dataType() != DataType.LONG) {
            throw new IllegalArgumentException(who + ": expected secret shares (a LONG array packed by SharePacking),"
                    + " got a " + a.dataType() + " array of shape " + Arrays.toString(a.shape()));
        }
        if (a.rank() < 1 || a.size(0) % 2 != 0) {
            throw new IllegalArgumentException(who + ": packed shares need an even leading dimension, got shape "
                    + Arrays.toString(a.shape()));
        }
        long n = a.size(0) / 2;
        return new SharedTensor(party, RingTensor.wrap(rows(a, 0, n)), RingTensor.wrap(rows(a, n, 2 * n)));
    }

    private static INDArray rows(INDArray a, long from, long to) {
        INDArrayIndex[] idx = new INDArrayIndex[a.rank()];
        idx[0] = NDArrayIndex.interval(from, to);
        for (int i = 1; i < idx.length; i++) {
            idx[i] = NDArrayIndex.all();
        }
        return a.get(idx);
    }
}
