package org.fastcrypt4j.nn.training;

import java.nio.file.Path;

/**
 * How a secure network trains: epochs, whether the loss is revealed (to the data owner, for a progress display),
 * checkpoints, and a progress callback. Immutable; the {@code with*} methods return copies.
 *
 * @param epochs          passes over the data owner's iterator
 * @param revealLoss      reveal each batch's mean loss to the data owner (costs a logarithm on shares per batch);
 *                        otherwise the loss stays secret and progress shows steps, seconds and bytes
 * @param checkpointDir   where each party writes its own checkpoint file, or null for none
 * @param checkpointEvery steps between checkpoints (and one at a requested stop and at the end of training)
 * @param checkpointKey   this party's {@link CheckpointKey} (with checkpoints)
 * @param job             the caller's training options that a resume must repeat (dataset, batch, epochs, ...),
 *                        stored in every checkpoint and compared on resume; empty if none
 * @param stopAfterStep   stop once this global step is done (0: train to the end), for interrupting a run
 * @param listener        called at every party after every step, or null
 */
public record TrainingOptions(int epochs, boolean revealLoss, Path checkpointDir, int checkpointEvery,
        CheckpointKey checkpointKey, String job, long stopAfterStep, StepListener listener) {

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
        if (checkpointDir != null && (checkpointEvery < 1 || checkpointKey == null)) {
            throw new IllegalArgumentException("checkpoints need checkpointEvery >= 1 and the party's checkpoint key");
        }
        if (stopAfterStep < 0) {
            throw new IllegalArgumentException("stopAfterStep must be 0 (none) or positive, got " + stopAfterStep);
        }
        job = job == null ? "" : job;
    }

    public static TrainingOptions epochs(int epochs) {
        return new TrainingOptions(epochs, false, null, 0, null, "", 0, null);
    }

    public TrainingOptions withRevealedLoss(boolean reveal) {
        return new TrainingOptions(epochs, reveal, checkpointDir, checkpointEvery, checkpointKey, job, stopAfterStep,
                listener);
    }

    /** Checkpoints every {@code every} steps into {@code dir}, authenticated with this party's {@code key}. */
    public TrainingOptions withCheckpoints(Path dir, int every, CheckpointKey key) {
        return new TrainingOptions(epochs, revealLoss, dir, every, key, job, stopAfterStep, listener);
    }

    /** The caller's options that a resume must repeat (compared with the checkpoint's on resume). */
    public TrainingOptions withJob(String description) {
        return new TrainingOptions(epochs, revealLoss, checkpointDir, checkpointEvery, checkpointKey, description,
                stopAfterStep, listener);
    }

    public TrainingOptions stoppingAfter(long step) {
        return new TrainingOptions(epochs, revealLoss, checkpointDir, checkpointEvery, checkpointKey, job, step,
                listener);
    }

    public TrainingOptions withListener(StepListener l) {
        return new TrainingOptions(epochs, revealLoss, checkpointDir, checkpointEvery, checkpointKey, job,
                stopAfterStep, l);
    }
}
