package org.fastcrypt4j.transport.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link NoiseKK} against every published {@code Noise_KK_25519_AESGCM_SHA256} test vector (no PSK variants) of two
 * independent implementations, copied into {@code kk-vectors.json} (each vector's {@code source} names its origin):
 * <ul>
 * <li>haskell-cryptography/cacophony, {@code vectors/cacophony.txt}, commit
 *     {@code 8ee9d41e34a1a596cfa3ab12aa4069ff87dc1247}, {@code vectors[50]} (the same file, blob
 *     {@code b8a271ed}, is {@code tests/vectors/cacophony.txt} in mcginty/snow); it includes {@code handshake_hash};</li>
 * <li>mcginty/snow, {@code tests/vectors/snow.txt}, commit {@code 8ac60f51cfe3e010c84f0a454cc575ad9204fa12},
 *     {@code vectors[86]} (no {@code handshake_hash} field; empty PSK lists dropped).</li>
 * </ul>
 * Format (the Noise test vector format used by both): {@code init_static}/{@code init_ephemeral}/{@code resp_static}
 * /{@code resp_ephemeral} are raw private keys, {@code *_remote_static} raw public keys; {@code messages[0]} is
 * written by the initiator, {@code messages[1]} by the responder, and since KK is not a one-way pattern the transport
 * messages that follow keep alternating, initiator first, each side using its Split() CipherState with nonces 0, 1, ...
 */
class NoiseKKVectorTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final String RESOURCE = "kk-vectors.json";

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> vectors() throws IOException {
        try (InputStream in = NoiseKKVectorTest.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException("missing test resource " + RESOURCE);
            }
            Map<String, Object> root = (Map<String, Object>) MiniJson.parse(
                    new String(in.readAllBytes(), StandardCharsets.UTF_8));
            return (List<Map<String, Object>>) root.get("vectors");
        }
    }

    private static byte[] hex(Map<String, Object> v, String field) {
        Object s = v.get(field);
        if (!(s instanceof String)) {
            throw new IllegalArgumentException("vector field " + field + " missing");
        }
        return HEX.parseHex((String) s);
    }

    @Test
    void resourceHoldsBothSources() throws IOException {
        List<Map<String, Object>> vs = vectors();
        assertEquals(2, vs.size(), "KK AESGCM SHA256 vectors in " + RESOURCE);
        for (Map<String, Object> v : vs) {
            assertEquals(NoiseKK.PROTOCOL_NAME, v.get("protocol_name"));
            assertTrue(((String) v.get("source")).contains(" @ "), "source names a commit");
        }
    }

    @TestFactory
    List<DynamicTest> publishedVectors() throws IOException {
        List<Map<String, Object>> vs = vectors();
        List<DynamicTest> tests = new ArrayList<>();
        for (int i = 0; i < vs.size(); i++) {
            int index = i;
            Map<String, Object> v = vs.get(i);
            tests.add(DynamicTest.dynamicTest("vector " + index + " (" + v.get("source") + ")", () -> run(index, v)));
        }
        return tests;
    }

    @SuppressWarnings("unchecked")
    private static void run(int index, Map<String, Object> v) {
        String where = "vector " + index;
        assertEquals(NoiseKK.PROTOCOL_NAME, v.get("protocol_name"), where);
        KeyPair is = X25519.keyPairFromRawPrivate(hex(v, "init_static"));
        KeyPair ie = X25519.keyPairFromRawPrivate(hex(v, "init_ephemeral"));
        KeyPair rsk = X25519.keyPairFromRawPrivate(hex(v, "resp_static"));
        KeyPair re = X25519.keyPairFromRawPrivate(hex(v, "resp_ephemeral"));
        byte[] initRemote = hex(v, "init_remote_static");
        byte[] respRemote = hex(v, "resp_remote_static");
        // the public keys we derive from the private ones match those the vector pins on the other side
        assertArrayEquals(initRemote, X25519.rawPublic(rsk.getPublic()), where + ": responder static public key");
        assertArrayEquals(respRemote, X25519.rawPublic(is.getPublic()), where + ": initiator static public key");

        NoiseKK init = NoiseKK.initiator(is, X25519.publicFromRaw(initRemote), hex(v, "init_prologue"), ie);
        NoiseKK resp = NoiseKK.responder(rsk, X25519.publicFromRaw(respRemote), hex(v, "resp_prologue"), re);

        List<Map<String, Object>> msgs = (List<Map<String, Object>>) v.get("messages");
        assertTrue(msgs.size() >= 2, where + ": has both handshake messages");
        for (int m = 0; m < 2; m++) {
            byte[] payload = hex(msgs.get(m), "payload");
            byte[] expected = hex(msgs.get(m), "ciphertext");
            NoiseKK writer = m == 0 ? init : resp;
            NoiseKK reader = m == 0 ? resp : init;
            assertFalse(writer.isComplete(), where);
            byte[] wire = writer.writeMessage(payload);
            assertEquals(32 + payload.length + 16, wire.length, where + ": message " + m + " length");
            assertArrayEquals(expected, wire, where + ": handshake message " + m + " ciphertext");
            assertArrayEquals(payload, reader.readMessage(expected), where + ": handshake message " + m + " payload");
        }
        assertTrue(init.isComplete(), where);
        assertTrue(resp.isComplete(), where);
        assertArrayEquals(init.handshakeHash(), resp.handshakeHash(), where + ": both sides' handshake hash");
        if (v.containsKey("handshake_hash")) {
            assertArrayEquals(hex(v, "handshake_hash"), init.handshakeHash(), where + ": handshake_hash");
        }

        NoiseKK.Split is2 = init.split();
        NoiseKK.Split rs2 = resp.split();
        assertArrayEquals(init.handshakeHash(), is2.handshakeHash(), where);
        for (int m = 2; m < msgs.size(); m++) {
            byte[] payload = hex(msgs.get(m), "payload");
            byte[] expected = hex(msgs.get(m), "ciphertext");
            boolean fromInitiator = m % 2 == 0;
            CipherState tx = fromInitiator ? is2.initiatorToResponder() : rs2.responderToInitiator();
            CipherState rx = fromInitiator ? rs2.initiatorToResponder() : is2.responderToInitiator();
            long n = (m - 2) / 2;
            assertEquals(n, tx.nonce(), where + ": sender nonce before transport message " + m);
            byte[] wire = tx.encryptWithAd(new byte[0], payload);
            assertArrayEquals(expected, wire, where + ": transport message " + m + " ciphertext");
            assertArrayEquals(payload, rx.decryptWithAd(null, expected), where + ": transport message " + m + " payload");

            // the explicit-nonce fast path gives the same bytes for the same n (rx holds the same key as tx and
            // has never encrypted, so the JDK's GCM has no objection to this (key, nonce))
            byte[] fast = new byte[payload.length + 16];
            assertEquals(fast.length, rx.encrypt(n, null, 0, 0, null, 0, 0, payload, 0, payload.length, fast, 0), where);
            assertArrayEquals(expected, fast, where + ": fast-path transport message " + m);
            byte[] back = new byte[payload.length];
            assertEquals(payload.length, tx.decrypt(n, null, 0, 0, null, 0, 0, expected, 0, expected.length, back, 0));
            assertArrayEquals(payload, back, where + ": fast-path decrypt of transport message " + m);
        }
    }
}
