package org.fastcrypt4j.nn.training;

/**
 * A checkpoint that cannot be used: unreadable, not authentic (corrupted, truncated, extended, forged), of another
 * party, model, parties, job, run or step. The message names the file (or the party whose file differs) and what
 * failed, never a value from the file.
 */
public class CheckpointException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public CheckpointException(String message) {
        super(message);
    }
}
