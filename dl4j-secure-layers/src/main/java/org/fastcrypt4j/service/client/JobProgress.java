package org.fastcrypt4j.service.client;

/**
 * What a client of a training job is told after every step (public to the servers too): the step, the epoch and the
 * batch in it, the batch size and the rows in all, the step's seconds at server 0 and the bytes server 0 has sent in
 * the job; the loss only at the model owner when it asked for it (NaN otherwise).
 */
public record JobProgress(long step, long epoch, long batchInEpoch, long batchSize, long rows, double stepSeconds,
        long serverBytesSent, double loss) {

    static JobProgress of(long[] p, double loss) {
        return new JobProgress(p[0], p[1], p[2], p[3], p[6], p[4] / 1e9, p[5], loss);
    }

    /** Receives progress reports. */
    @FunctionalInterface
    public interface Listener {
        void onProgress(JobProgress p);
    }
}
