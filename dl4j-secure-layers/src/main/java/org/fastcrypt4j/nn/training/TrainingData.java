package org.fastcrypt4j.nn.training;

import org.fastcrypt4j.mpc.sharing.SharedTensor;

/**
 * Where a training loop's batches come from, already secret-shared, and where a revealed loss goes. Every party calls
 * the methods together, in the same order. Two sources: a data owner among the parties sharing its iterator's
 * batches ({@link DataOwnerBatches}), and rows that clients outside the computation uploaded to the servers
 * ({@link SharedBatches}).
 */
public interface TrainingData {

    /** Starts an epoch, skipping its first {@code skip} batches (a resumed run). */
    void startEpoch(int skip);

    /** The next batch as {features, labels} shares, or null at the end of the epoch. */
    SharedTensor[] next();

    /**
     * Reveals the batch's mean loss to whoever may see it; returns it at the party that may (to show DL4J listeners),
     * NaN elsewhere.
     */
    double revealLoss(SharedTensor loss);
}
