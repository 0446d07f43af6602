package org.fastcrypt4j.transport.noise;

import java.security.GeneralSecurityException;
import java.util.Arrays;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HKDF with HMAC-SHA256 (RFC 5869): {@code PRK = HMAC(salt, IKM)}, then {@code T(i) = HMAC(PRK, T(i-1) || info || i)}.
 * Hand-written because JDK 17 has no HKDF (the KDF API arrived in JDK 24); checked against RFC 5869's SHA-256 test
 * cases. Noise's own HKDF ({@link SymmetricState}) is the same construction with an empty info and a fixed number of
 * outputs; this one serves derivations outside the handshake (keys at rest).
 */
public final class Hkdf {
    private static final int HASH_LENGTH = 32;

    private Hkdf() {
    }

    /**
     * {@code length} bytes of output keying material from input keying material {@code ikm}, {@code salt} (may be
     * empty: a string of zeros is used, as the RFC says) and {@code info}.
     *
     * @throws IllegalArgumentException if {@code length} exceeds 255 * 32 bytes
     */
    public static byte[] derive(byte[] salt, byte[] ikm, byte[] info, int length) {
        if (length < 0 || length > 255 * HASH_LENGTH) {
            throw new IllegalArgumentException("HKDF-SHA256 output of " + length + " bytes");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            byte[] s = salt == null || salt.length == 0 ? new byte[HASH_LENGTH] : salt;
            mac.init(new SecretKeySpec(s, "HmacSHA256"));
            byte[] prk = mac.doFinal(ikm);
            mac.init(new SecretKeySpec(prk, "HmacSHA256"));
            byte[] out = new byte[length];
            byte[] t = new byte[0];
            for (int i = 1, at = 0; at < length; i++) {
                mac.update(t);
                mac.update(info == null ? new byte[0] : info);
                mac.update((byte) i);
                t = mac.doFinal();
                int n = Math.min(t.length, length - at);
                System.arraycopy(t, 0, out, at, n);
                at += n;
            }
            Arrays.fill(prk, (byte) 0);
            Arrays.fill(t, (byte) 0);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK HmacSHA256 unavailable", e);
        }
    }
}
