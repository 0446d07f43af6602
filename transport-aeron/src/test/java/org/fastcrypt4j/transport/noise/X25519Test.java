package org.fastcrypt4j.transport.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.HexFormat;

import org.fastcrypt4j.transport.PartyKeys;
import org.junit.jupiter.api.Test;

/** Raw-key conversion and DH, checked against RFC 7748 section 6.1 and against the JDK's X.509 encoding. */
class X25519Test {
    private static final HexFormat HEX = HexFormat.of();
    // RFC 7748 section 6.1 test data (public)
    private static final String ALICE_PRIV = "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a";
    private static final String ALICE_PUB = "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a";
    private static final String BOB_PRIV = "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb";
    private static final String BOB_PUB = "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f";
    private static final String SHARED = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";

    @Test
    void rfc7748Vectors() {
        KeyPair a = X25519.keyPairFromRawPrivate(HEX.parseHex(ALICE_PRIV));
        KeyPair b = X25519.keyPairFromRawPrivate(HEX.parseHex(BOB_PRIV));
        assertEquals(ALICE_PUB, HEX.formatHex(X25519.rawPublic(a.getPublic())));
        assertEquals(BOB_PUB, HEX.formatHex(X25519.rawPublic(b.getPublic())));
        assertEquals(SHARED, HEX.formatHex(X25519.dh(a.getPrivate(), X25519.publicFromRaw(HEX.parseHex(BOB_PUB)))));
        assertEquals(SHARED, HEX.formatHex(X25519.dh(b.getPrivate(), X25519.publicFromRaw(HEX.parseHex(ALICE_PUB)))));
    }

    @Test
    void rawMatchesTheX509EncodingOfProjectKeys() throws Exception {
        for (int i = 0; i < 20; i++) {
            KeyPair p = i % 2 == 0 ? PartyKeys.generate() : X25519.generate();
            byte[] x509 = p.getPublic().getEncoded();
            byte[] raw = X25519.rawPublic(p.getPublic());
            assertEquals(44, x509.length);
            assertArrayEquals(java.util.Arrays.copyOfRange(x509, 12, 44), raw, "X.509 carries the raw bytes");
            PublicKey back = X25519.publicFromRaw(raw);
            assertArrayEquals(x509, back.getEncoded());
            PublicKey viaParty = PartyKeys.decodePublic(PartyKeys.encodePublic(back));
            assertArrayEquals(raw, X25519.rawPublic(viaParty));
        }
        // keys decoded from X.509 (as the parties file holds them) agree with raw-built keys in DH
        KeyPair a = PartyKeys.generate();
        KeyPair b = X25519.generate();
        PublicKey bFromX509 = KeyFactory.getInstance("X25519")
                .generatePublic(new X509EncodedKeySpec(b.getPublic().getEncoded()));
        assertArrayEquals(X25519.dh(a.getPrivate(), bFromX509), X25519.dh(b.getPrivate(), a.getPublic()));
    }

    @Test
    void topBitIsMaskedAndSmallValuesKeepTheirLength() {
        byte[] raw = HEX.parseHex(BOB_PUB);
        byte[] high = raw.clone();
        high[31] |= (byte) 0x80;
        assertArrayEquals(raw, X25519.rawPublic(X25519.publicFromRaw(high)));
        KeyPair a = X25519.keyPairFromRawPrivate(HEX.parseHex(ALICE_PRIV));
        assertEquals(SHARED, HEX.formatHex(X25519.dh(a.getPrivate(), X25519.publicFromRaw(high))));
        byte[] nine = new byte[32];
        nine[0] = 9;
        assertArrayEquals(nine, X25519.rawPublic(X25519.publicFromRaw(nine)));
        assertThrows(IllegalArgumentException.class, () -> X25519.publicFromRaw(new byte[31]));
    }

    @Test
    void lowOrderPointsAreRefused() {
        KeyPair a = X25519.generate();
        byte[] zero = new byte[32];
        byte[] one = new byte[32];
        one[0] = 1;
        // p - 1 (order 2) and p (= 0 mod p)
        byte[] pMinus1 = HEX.parseHex("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
        byte[] p = HEX.parseHex("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
        // an order-8 point from the usual list of small-order points
        byte[] order8 = HEX.parseHex("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800");
        for (byte[] bad : new byte[][] {zero, one, pMinus1, p, order8}) {
            PublicKey k = X25519.publicFromRaw(bad);
            assertThrows(NoiseException.class, () -> X25519.dh(a.getPrivate(), k));
        }
    }
}
