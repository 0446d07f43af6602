package org.fastcrypt4j.nn.training;

import java.nio.file.Path;

/**
 * How {@code SecureMultiLayerNetwork.fit} trains: epochs, whether the loss is revealed (to the data owner, for a
 * progress display), checkpoints, and a progress callback. Immutable; the {@code with*} methods return copies.
 *
 * @param epochs              passes over the data owner's iterator
 * @param revealLoss          reveal each batch's mean loss to the data owner (costs a logarithm on shares per
 *                            batch); otherwise the loss stays secret and progress shows steps, seconds and bytes
 * @param checkpointDir       where each party writes its own checkpoint file, or null for none
 * @param checkpointEvery     steps between checkpoints (and one at the end of training)
 * @param partiesFingerprint  {@link Checkpoint#partiesFingerprint} of this session's parties (with checkpoints)
 * @param stopAfterStep       stop once this global step is done (0: train to the end), for interrupting a run
 * @param listener            called at every party after every step, or null
 */
public record TrainingOptions(int epochs, boolean revealLoss, Path checkpointDir, int checkpointEvery,
        byte[] partiesFingerprint, long stopAfterStep, StepListener listener) {

    /** What each party may show after a step: public counts and its own traffic; the loss only at the data owner. */
    public record Progress(long step, int epoch, int batchInEpoch, int batchSize, double stepSeconds, long bytesSent,
            long rounds, double revealedLoss) {
    }

    @FunctionalInterface
    public interface StepListener {
        void onStep(Progress p);
    }

    public TrainingOptions {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
        }
        if (checkpointDir != null && (checkpointEvery < 1 || partiesFingerprint == null)) {
            throw new IllegalArgumentException("checkpoints need checkpointEvery >= 1 and the parties' fingerprint");
        }
    }

    public static TrainingOptions epochs(int epochs) {
        return new TrainingOptions(epochs, false, null, 0, null, 0, null);
    }

    public TrainingOptions withRevealedLoss(boolean reveal) {
        return new TrainingOptions(epochs, reveal, checkpointDir, checkpointEvery, partiesFingerprint, stopAfterStep,
                listener);
    }

    public TrainingOptions withCheckpoints(Path dir, int every, byte[] fingerprint) {
        return new TrainingOptions(epochs, revealLoss, dir, every, fingerprint, stopAfterStep, listener);
    }

    public TrainingOptions stoppingAfter(long step) {
        return new TrainingOptions(epochs, revealLoss, checkpointDir, checkpointEvery, partiesFingerprint, step,
                listener);
    }

    public TrainingOptions withListener(StepListener l) {
        return new TrainingOptions(epochs, revealLoss, checkpointDir, checkpointEvery, partiesFingerprint,
                stopAfterStep, l);
    }
}
