package org.fastcrypt4j.transport.client;

import org.fastcrypt4j.transport.TransportException;

/** A client link failed: refused, not authenticated, lost, or a message the receiver does not accept. */
public class ClientLinkException extends TransportException {
    private static final long serialVersionUID = 1L;

    public ClientLinkException(String message) {
        super(message);
    }
}
