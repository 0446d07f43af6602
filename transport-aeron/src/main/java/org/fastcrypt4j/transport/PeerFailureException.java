package org.fastcrypt4j.transport;

/** A peer is gone, never connected, or stayed silent beyond the configured timeout. */
public final class PeerFailureException extends TransportException {
    private static final long serialVersionUID = 1L;

    private final int peer;

    public PeerFailureException(int self, int peer, String step, String reason) {
        super("party " + self + ": peer " + peer + " failed during '" + step + "': " + reason);
        this.peer = peer;
    }

    public int peer() {
        return peer;
    }
}
