package org.fastcrypt4j.transport.aeron;

import java.security.KeyPair;
import java.security.PublicKey;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * Runs the link handshake of parties 0 and 1 in memory (no Aeron), for tests of the per-link cryptography: message
 * 1, message 2 and the confirmation, each frame delivered as if it came on stream image {@link #IMAGE}.
 */
final class Handshakes {
    static final int IMAGE = 7;

    private Handshakes() {
    }

    /**
     * Party 0 (initiator) with key pair {@code k0} pinning {@code pin1} for party 1, party 1 (responder) with
     * {@code k1} pinning {@code pin0}; returns both sides, completed unless a message failed to authenticate.
     */
    static LinkHandshake[] run(KeyPair k0, PublicKey pin1, KeyPair k1, PublicKey pin0) {
        LinkHandshake a = new LinkHandshake(0, 1, k0, pin1);
        LinkHandshake b = new LinkHandshake(1, 0, k1, pin0);
        deliver(a, b);
        deliver(b, a);
        deliver(a, b);
        return new LinkHandshake[] {a, b};
    }

    /** Both sides completed with the right keys. */
    static LinkHandshake[] run(KeyPair k0, KeyPair k1) {
        LinkHandshake[] h = run(k0, k1.getPublic(), k1, k0.getPublic());
        if (!h[0].isComplete() || !h[1].isComplete()) {
            throw new AssertionError("handshake did not complete: " + h[0].diagnosis() + " / " + h[1].diagnosis());
        }
        return h;
    }

    /** Delivers every frame {@code from} has to send; returns them. */
    static java.util.List<byte[]> deliver(LinkHandshake from, LinkHandshake to) {
        java.util.List<byte[]> sent = new java.util.ArrayList<>();
        for (byte[] f = from.takeOutgoing(); f != null; f = from.takeOutgoing()) {
            sent.add(f);
            to.onFrame(new UnsafeBuffer(f), 0, f.length, IMAGE);
        }
        return sent;
    }

    /** The direction 0 -> 1 of a completed pair: {sender, receiver}. */
    static LinkCipher[] direction01(LinkHandshake[] h) {
        return new LinkCipher[] {LinkCipher.keyed(0, 1, h[0].sendCipher(), h[0].linkHash()),
                LinkCipher.keyed(0, 1, h[1].receiveCipher(), h[1].linkHash())};
    }
}
