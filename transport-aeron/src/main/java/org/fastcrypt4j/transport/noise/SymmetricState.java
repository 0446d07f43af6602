package org.fastcrypt4j.transport.noise;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Noise SymmetricState (rev 34, section 5.2) with HASH = SHA-256 (HASHLEN 32, BLOCKLEN 64, section 12.5) and HKDF as
 * in section 4.3 (HMAC-SHA256). Package-private: only {@link NoiseKK} drives it. Not thread safe.
 */
final class SymmetricState {
    static final int HASHLEN = 32;

    private final MessageDigest sha256;
    private final Mac hmac;
    private final byte[] ck = new byte[HASHLEN];
    private final byte[] h = new byte[HASHLEN];
    /** Null while the CipherState has no key (section 5.1 InitializeKey(empty)). */
    private CipherState cs;

    /** Section 5.2 InitializeSymmetric(protocol_name). */
    SymmetricState(String protocolName) {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
            hmac = Mac.getInstance("HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK SHA-256/HmacSHA256 unavailable", e);
        }
        byte[] name = protocolName.getBytes(StandardCharsets.US_ASCII);
        if (name.length <= HASHLEN) {
            System.arraycopy(name, 0, h, 0, name.length); // zero-padded to HASHLEN
        } else {
            System.arraycopy(sha256.digest(name), 0, h, 0, HASHLEN);
        }
        System.arraycopy(h, 0, ck, 0, HASHLEN);
        cs = null;
    }

    /**
     * An independent copy of this state (its own chaining key, hash and cipher key): for trying a handshake message
     * that may not authenticate without losing the state it would abort ({@link NoiseKK#copy()}).
     */
    SymmetricState copy() {
        SymmetricState c = new SymmetricState("");
        System.arraycopy(ck, 0, c.ck, 0, HASHLEN);
        System.arraycopy(h, 0, c.h, 0, HASHLEN);
        c.cs = cs == null ? null : cs.copy();
        return c;
    }

    /** Section 5.2 MixKey(input_key_material): ck, temp_k = HKDF(ck, ikm, 2); InitializeKey(temp_k). */
    void mixKey(byte[] ikm) {
        byte[][] out = hkdf(ck, ikm, 2);
        System.arraycopy(out[0], 0, ck, 0, HASHLEN);
        if (cs != null) {
            cs.destroy();
        }
        cs = new CipherState(out[1]); // HASHLEN == 32: no truncation needed
        wipe(out);
    }

    /** Section 5.2 MixHash(data): h = HASH(h || data). */
    void mixHash(byte[] data, int off, int len) {
        sha256.update(h);
        sha256.update(data, off, len);
        System.arraycopy(sha256.digest(), 0, h, 0, HASHLEN);
    }

    void mixHash(byte[] data) {
        mixHash(data, 0, data.length);
    }

    /** Section 5.2 EncryptAndHash: ciphertext = EncryptWithAd(h, plaintext); MixHash(ciphertext). */
    byte[] encryptAndHash(byte[] plaintext) {
        byte[] ct = cs == null ? plaintext.clone() : cs.encryptWithAd(h, plaintext);
        mixHash(ct);
        return ct;
    }

    /** Section 5.2 DecryptAndHash: plaintext = DecryptWithAd(h, ciphertext); MixHash(ciphertext). */
    byte[] decryptAndHash(byte[] ciphertext, int off, int len) {
        byte[] ct = Arrays.copyOfRange(ciphertext, off, off + len);
        byte[] pt = cs == null ? ct.clone() : cs.decryptWithAd(h, ct);
        mixHash(ct);
        return pt;
    }

    /** A copy of h. */
    byte[] handshakeHash() {
        return h.clone();
    }

    /**
     * Section 5.2 Split(): temp_k1, temp_k2 = HKDF(ck, zerolen, 2); returns {c1, c2}. Then zeroes ck and destroys
     * the handshake's CipherState (h is kept: it is the public channel-binding value).
     */
    CipherState[] split() {
        byte[][] out = hkdf(ck, new byte[0], 2);
        CipherState[] pair = {new CipherState(out[0]), new CipherState(out[1])};
        wipe(out);
        destroy();
        return pair;
    }

    /** Zeroes ck and the handshake CipherState's key. */
    void destroy() {
        Arrays.fill(ck, (byte) 0);
        if (cs != null) {
            cs.destroy();
            cs = null;
        }
    }

    /**
     * Section 4.3 HKDF(chaining_key, input_key_material, num_outputs) with HMAC-SHA256: temp_key =
     * HMAC(ck, ikm); output1 = HMAC(temp_key, 0x01); output_i = HMAC(temp_key, output_{i-1} || i).
     */
    byte[][] hkdf(byte[] chainingKey, byte[] ikm, int numOutputs) {
        if (numOutputs < 2 || numOutputs > 3) {
            throw new IllegalArgumentException("HKDF num_outputs is 2 or 3");
        }
        byte[] tempKey = hmac(chainingKey, ikm, null);
        byte[][] out = new byte[numOutputs][];
        byte[] counter = new byte[1];
        byte[] prev = null;
        for (int i = 0; i < numOutputs; i++) {
            counter[0] = (byte) (i + 1);
            out[i] = hmac(tempKey, prev, counter);
            prev = out[i];
        }
        Arrays.fill(tempKey, (byte) 0);
        return out;
    }

    private byte[] hmac(byte[] key, byte[] part1, byte[] part2) {
        try {
            hmac.init(new SecretKeySpec(key, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 init failed", e);
        }
        if (part1 != null) {
            hmac.update(part1);
        }
        if (part2 != null) {
            hmac.update(part2);
        }
        return hmac.doFinal();
    }

    private static void wipe(byte[][] arrays) {
        for (byte[] a : arrays) {
            Arrays.fill(a, (byte) 0);
        }
    }
}
