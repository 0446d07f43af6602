package org.fastcrypt4j.transport;

/** A failure of the links between parties: misuse, a malformed or forged frame, a lost peer. */
public class TransportException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TransportException(String message) {
        super(message);
    }

    public TransportException(String message, Throwable cause) {
        super(message, cause);
    }
}
