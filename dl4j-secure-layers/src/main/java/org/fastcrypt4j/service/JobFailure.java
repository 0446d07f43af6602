package org.fastcrypt4j.service;

/**
 * A job that cannot go on because of a client (bad input, a client gone, a refused request): its message names the
 * client and what was wrong, and is what the job's clients are told.
 */
public class JobFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public JobFailure(String message) {
        super(message);
    }

    public JobFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
