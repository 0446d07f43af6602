package org.fastcrypt4j.transport;

/** The peer's next message carries another protocol-step tag than the one this party expects. */
public final class TagMismatchException extends TransportException {
    private static final long serialVersionUID = 1L;

    private final int peer;
    private final String expected;
    private final String actual;

    public TagMismatchException(int self, int peer, String expected, String actual) {
        super("party " + self + " expected a message tagged '" + expected + "' from party " + peer
                + " but received '" + actual + "': the parties are not running the same protocol step"
                + " (different code or settings?)");
        this.peer = peer;
        this.expected = expected;
        this.actual = actual;
    }

    public int peer() {
        return peer;
    }

    public String expected() {
        return expected;
    }

    public String actual() {
        return actual;
    }
}
