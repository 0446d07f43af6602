package org.fastcrypt4j.transport.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

/** Handshake behaviour beyond the published vectors: tampering, wrong keys, turn order, freshness. */
class NoiseKKTest {
    private final KeyPair alice = X25519.generate();
    private final KeyPair bob = X25519.generate();
    private final byte[] prologue = "fastcrypt4j test session 0->1".getBytes(StandardCharsets.US_ASCII);

    private NoiseKK initiator() {
        return NoiseKK.initiator(alice, bob.getPublic(), prologue);
    }

    private NoiseKK responder() {
        return NoiseKK.responder(bob, alice.getPublic(), prologue);
    }

    private static byte[] flip(byte[] m, int bit) {
        byte[] c = m.clone();
        c[bit / 8] ^= (byte) (1 << (bit % 8));
        return c;
    }

    /** Runs a whole handshake; returns {initiator's split, responder's split}. */
    private NoiseKK.Split[] handshake() {
        NoiseKK i = initiator();
        NoiseKK r = responder();
        r.readMessage(i.writeMessage(null));
        i.readMessage(r.writeMessage(null));
        return new NoiseKK.Split[] {i.split(), r.split()};
    }

    @Test
    void roundTripWithPayloadsAndSizes() {
        NoiseKK i = initiator();
        NoiseKK r = responder();
        byte[] p1 = "hello responder".getBytes(StandardCharsets.US_ASCII);
        byte[] p2 = "hello initiator, longer".getBytes(StandardCharsets.US_ASCII);
        byte[] m1 = i.writeMessage(p1);
        assertEquals(32 + p1.length + 16, m1.length);
        assertArrayEquals(p1, r.readMessage(m1));
        assertFalse(r.isComplete());
        byte[] m2 = r.writeMessage(p2);
        assertEquals(32 + p2.length + 16, m2.length);
        assertTrue(r.isComplete());
        assertArrayEquals(p2, i.readMessage(m2));
        assertTrue(i.isComplete());
        assertArrayEquals(i.handshakeHash(), r.handshakeHash());
        assertEquals(48, initiator().writeMessage(new byte[0]).length);

        NoiseKK.Split si = i.split();
        NoiseKK.Split sr = r.split();
        byte[] x = "transport".getBytes(StandardCharsets.US_ASCII);
        assertArrayEquals(x, sr.initiatorToResponder().decryptWithAd(null,
                si.initiatorToResponder().encryptWithAd(null, x)));
        assertArrayEquals(x, si.responderToInitiator().decryptWithAd(null,
                sr.responderToInitiator().encryptWithAd(null, x)));
        // the two directions have different keys
        byte[] c1 = si.initiatorToResponder().encryptWithAd(null, x);
        assertThrows(NoiseException.class, () -> si.responderToInitiator().decryptWithAd(null, c1));
        assertThrows(IllegalStateException.class, i::split);
        assertArrayEquals(si.handshakeHash(), i.handshakeHash());
    }

    @Test
    void everyFlippedBitInMessage1IsRejected() {
        byte[] m1 = initiator().writeMessage("p".getBytes(StandardCharsets.US_ASCII));
        for (int bit = 0; bit < m1.length * 8; bit++) {
            NoiseKK r = responder();
            byte[] bad = flip(m1, bit);
            assertThrows(NoiseException.class, () -> r.readMessage(bad), "bit " + bit);
            assertFalse(r.isComplete());
            assertThrows(IllegalStateException.class, () -> r.writeMessage(null), "aborted after bit " + bit);
        }
    }

    @Test
    void everyFlippedBitInMessage2IsRejected() {
        for (int bit = 0; bit < (32 + 1 + 16) * 8; bit++) {
            NoiseKK i = initiator();
            NoiseKK r = responder();
            r.readMessage(i.writeMessage(null));
            byte[] bad = flip(r.writeMessage("q".getBytes(StandardCharsets.US_ASCII)), bit);
            assertThrows(NoiseException.class, () -> i.readMessage(bad), "bit " + bit);
            assertFalse(i.isComplete());
            assertThrows(IllegalStateException.class, i::handshakeHash);
            assertThrows(IllegalStateException.class, i::split);
        }
    }

    @Test
    void wrongRemoteStaticIsRejected() {
        KeyPair mallory = X25519.generate();
        // responder expects mallory, message 1 comes from alice: es matches but ss does not
        NoiseKK r = NoiseKK.responder(bob, mallory.getPublic(), prologue);
        assertThrows(NoiseException.class, () -> r.readMessage(initiator().writeMessage(null)));
        // mallory, pretending to be alice towards bob, cannot produce a valid message 1 without alice's key
        NoiseKK fake = NoiseKK.initiator(mallory, bob.getPublic(), prologue);
        assertThrows(NoiseException.class, () -> responder().readMessage(fake.writeMessage(null)));
        // initiator addressing the wrong responder key: the real responder cannot read it
        NoiseKK misdirected = NoiseKK.initiator(alice, mallory.getPublic(), prologue);
        assertThrows(NoiseException.class, () -> responder().readMessage(misdirected.writeMessage(null)));
        // responder that holds a different static than the initiator pinned: message 2 fails at the initiator
        NoiseKK i = initiator();
        NoiseKK impostor = NoiseKK.responder(mallory, alice.getPublic(), prologue);
        assertThrows(NoiseException.class, () -> impostor.readMessage(i.writeMessage(null)));
    }

    @Test
    void differentProloguesAreRejected() {
        NoiseKK r = NoiseKK.responder(bob, alice.getPublic(), "another session".getBytes(StandardCharsets.US_ASCII));
        assertThrows(NoiseException.class, () -> r.readMessage(initiator().writeMessage(null)));
    }

    @Test
    void malformedMessagesAreRejected() {
        assertThrows(NoiseException.class, () -> responder().readMessage(new byte[47]));
        assertThrows(NoiseException.class, () -> responder().readMessage(new byte[0]));
        assertThrows(NoiseException.class, () -> responder().readMessage(new byte[65536]));
        // a low-order ephemeral (u = 0, and u = 1) is refused, not hashed into a weak key
        byte[] m1 = initiator().writeMessage(null);
        byte[] zero = m1.clone();
        Arrays.fill(zero, 0, 32, (byte) 0);
        assertThrows(NoiseException.class, () -> responder().readMessage(zero));
        byte[] one = zero.clone();
        one[0] = 1;
        assertThrows(NoiseException.class, () -> responder().readMessage(one));
        assertThrows(IllegalArgumentException.class, () -> initiator().writeMessage(new byte[65535 - 48 + 1]));
        assertEquals(65535, initiator().writeMessage(new byte[65535 - 48]).length);
    }

    @Test
    void turnsAreEnforced() {
        NoiseKK i = initiator();
        NoiseKK r = responder();
        assertThrows(IllegalStateException.class, () -> r.writeMessage(null), "responder cannot write first");
        assertThrows(IllegalStateException.class, () -> i.readMessage(new byte[48]), "initiator cannot read first");
        assertThrows(IllegalStateException.class, i::split);
        assertThrows(IllegalStateException.class, i::handshakeHash);
        byte[] m1 = i.writeMessage(null);
        assertThrows(IllegalStateException.class, () -> i.writeMessage(null), "initiator writes once");
        r.readMessage(m1);
        assertThrows(IllegalStateException.class, () -> r.readMessage(m1), "responder reads once");
        byte[] m2 = r.writeMessage(null);
        assertThrows(IllegalStateException.class, () -> r.writeMessage(null));
        assertThrows(IllegalStateException.class, () -> r.readMessage(m2));
        i.readMessage(m2);
        assertThrows(IllegalStateException.class, () -> i.readMessage(m2));
        assertThrows(IllegalStateException.class, () -> i.writeMessage(null));
        i.split();
        assertThrows(IllegalStateException.class, i::split, "split once");
    }

    @Test
    void freshEphemeralsGiveFreshSessions() {
        NoiseKK.Split[] a = handshake();
        NoiseKK.Split[] b = handshake();
        assertArrayEquals(a[0].handshakeHash(), a[1].handshakeHash());
        assertFalse(Arrays.equals(a[0].handshakeHash(), b[0].handshakeHash()), "handshake hashes differ");
        byte[] x = new byte[32];
        byte[] ca = a[0].initiatorToResponder().encryptWithAd(null, x);
        byte[] cb = b[0].initiatorToResponder().encryptWithAd(null, x);
        assertFalse(Arrays.equals(ca, cb), "split keys differ (same nonce 0, same plaintext)");
        assertThrows(NoiseException.class, () -> b[1].initiatorToResponder().decryptWithAd(null, ca));
        assertArrayEquals(x, a[1].initiatorToResponder().decryptWithAd(null, ca));
        byte[] da = a[1].responderToInitiator().encryptWithAd(null, x);
        byte[] db = b[1].responderToInitiator().encryptWithAd(null, x);
        assertFalse(Arrays.equals(da, db));
    }

    @Test
    void rejectsNonX25519Keys() throws Exception {
        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("X448");
        KeyPair x448 = g.generateKeyPair();
        assertThrows(IllegalArgumentException.class, () -> NoiseKK.initiator(x448, bob.getPublic(), prologue));
        assertThrows(IllegalArgumentException.class, () -> NoiseKK.initiator(alice, x448.getPublic(), prologue));
        assertThrows(IllegalArgumentException.class, () -> NoiseKK.initiator(alice, null, prologue));
    }
}
