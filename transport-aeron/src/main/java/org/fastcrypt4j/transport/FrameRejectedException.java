package org.fastcrypt4j.transport;

/** A frame failed authentication, arrived out of sequence or was malformed; the message names the link. */
public final class FrameRejectedException extends TransportException {
    private static final long serialVersionUID = 1L;

    public FrameRejectedException(int from, int to, String reason) {
        super("link party " + from + " -> party " + to + ": frame rejected: " + reason);
    }
}
