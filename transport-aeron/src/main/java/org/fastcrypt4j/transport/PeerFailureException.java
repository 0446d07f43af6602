package org.fastcrypt4j.transport;

/** A peer is gone, never connected, or stayed silent beyond the configured timeout. */
public final class PeerFailureException extends TransportException {
    private static final long serialVersionUID = 1L;

    private final int peer;
    private final boolean peersInformed;

    public PeerFailureException(int self, int peer, String step, String reason) {
        this(self, peer, step, reason, false);
    }

    /**
     * @param peersInformed true when the other peer needs no notice from this party: this party learned of the
     *                      failure from a peer's notice (which went to both), or has already told its peers
     */
    public PeerFailureException(int self, int peer, String step, String reason, boolean peersInformed) {
        super("party " + self + ": peer " + peer + " failed during '" + step + "': " + reason);
        this.peer = peer;
        this.peersInformed = peersInformed;
    }

    public int peer() {
        return peer;
    }

    /** Whether the other peer already knows of this failure (so no abort notice is due from this party). */
    public boolean peersInformed() {
        return peersInformed;
    }
}
