package org.fastcrypt4j.transport.noise;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.XECKey;
import java.security.interfaces.XECPublicKey;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import java.util.Arrays;

import javax.crypto.KeyAgreement;

/**
 * X25519 (RFC 7748) for Noise's {@code 25519} DH functions (Noise section 12.1): raw 32-byte encodings to and from
 * JDK keys, key generation and DH, on the JDK's own {@code XDH} provider only.
 *
 * <p>Raw encodings. A raw public key is the u-coordinate as 32 bytes little-endian (RFC 7748 section 5), whereas
 * {@link XECPublicKey#getU()} is a {@link BigInteger}; {@link #publicFromRaw} reverses the bytes, clears the most
 * significant bit of the last byte (RFC 7748: "implementations of X25519 MUST mask the most significant bit in the
 * final byte"), and builds an {@link XECPublicKeySpec}. The JDK reduces u modulo p = 2^255 - 19, so a non-canonical
 * encoding (u &ge; p) decodes to the same point as its reduction; {@link #rawPublic} always writes the canonical
 * (reduced) form. Noise hashes the public key bytes exactly as they travelled, so the handshake never re-encodes a
 * received key. A raw private key is the 32-byte scalar before clamping (the JDK clamps when it multiplies).
 *
 * <p>The JDK's {@code XECPrivateKey} keeps its own copy of the scalar and cannot be destroyed; callers can only drop
 * their references to it.
 */
public final class X25519 {
    /** Bytes in a raw public key, a raw private key and a DH output (Noise DHLEN). */
    public static final int KEY_LENGTH = 32;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] BASE_POINT = new byte[KEY_LENGTH];

    static {
        BASE_POINT[0] = 9;
    }

    private X25519() {
    }

    /** The 32-byte little-endian u-coordinate of an X25519 public key. */
    public static byte[] rawPublic(PublicKey k) {
        requireX25519(k, "public key");
        if (!(k instanceof XECPublicKey)) {
            throw new IllegalArgumentException("not an X25519 public key: " + k.getClass().getName());
        }
        BigInteger u = ((XECPublicKey) k).getU();
        if (u.signum() < 0 || u.bitLength() > 255) {
            throw new IllegalArgumentException("X25519 public key out of range");
        }
        byte[] be = u.toByteArray(); // big-endian, possibly with a leading 0x00 sign byte, possibly shorter than 32
        byte[] le = new byte[KEY_LENGTH];
        for (int i = 0; i < KEY_LENGTH && i < be.length; i++) {
            le[i] = be[be.length - 1 - i];
        }
        return le;
    }

    /**
     * The raw 32-byte private scalar of an X25519 private key (secret: the caller zeroes it after use), for deriving
     * keys the holder alone can compute.
     *
     * @throws IllegalArgumentException if the key is not an X25519 key whose scalar the provider exposes
     */
    public static byte[] rawPrivate(PrivateKey k) {
        requireX25519(k, "private key");
        if (!(k instanceof java.security.interfaces.XECPrivateKey x) || x.getScalar().isEmpty()) {
            throw new IllegalArgumentException("X25519 private key without an exportable scalar");
        }
        return x.getScalar().get();
    }

    /** Decodes a 32-byte little-endian u-coordinate (top bit masked per RFC 7748) to a JDK public key. */
    public static PublicKey publicFromRaw(byte[] raw32) {
        if (raw32 == null || raw32.length != KEY_LENGTH) {
            throw new IllegalArgumentException("an X25519 public key has 32 bytes");
        }
        byte[] be = new byte[KEY_LENGTH];
        for (int i = 0; i < KEY_LENGTH; i++) {
            be[i] = raw32[KEY_LENGTH - 1 - i];
        }
        be[0] &= 0x7f; // the most significant bit of the final (little-endian) byte
        try {
            return KeyFactory.getInstance("XDH")
                    .generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, new BigInteger(1, be)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK XDH key factory unavailable", e);
        }
    }

    /**
     * The key pair of a raw 32-byte private scalar; the public key is derived as X25519(k, 9). Meant for test vectors
     * and for keys stored raw; the caller should zero {@code raw32} afterwards (this method zeroes its own copies).
     */
    public static KeyPair keyPairFromRawPrivate(byte[] raw32) {
        if (raw32 == null || raw32.length != KEY_LENGTH) {
            throw new IllegalArgumentException("an X25519 private key has 32 bytes");
        }
        byte[] scalar = raw32.clone();
        PrivateKey priv;
        try {
            priv = KeyFactory.getInstance("XDH").generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, scalar));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK XDH key factory unavailable", e);
        } finally {
            Arrays.fill(scalar, (byte) 0); // the spec and the key keep their own copies
        }
        byte[] pub = dh(priv, publicFromRaw(BASE_POINT));
        return new KeyPair(publicFromRaw(pub), priv);
    }

    /** A fresh key pair from a {@link SecureRandom}. */
    public static KeyPair generate() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("XDH");
            g.initialize(NamedParameterSpec.X25519, RANDOM);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK X25519 key generation unavailable", e);
        }
    }

    /**
     * X25519(mine, theirs), 32 bytes (Noise DH()). A result of all zeros, which any low-order {@code theirs} gives,
     * is refused with {@link NoiseException} (RFC 7748 section 6.1 check; Noise section 12.1 allows signalling an error
     * instead of returning zeros, and the JDK's XDH refuses such points itself, so this is not optional here). The
     * caller owns the returned array and should zero it when done.
     */
    public static byte[] dh(PrivateKey mine, PublicKey theirs) {
        requireX25519(mine, "private key");
        requireX25519(theirs, "public key");
        byte[] shared;
        try {
            KeyAgreement ka = KeyAgreement.getInstance("X25519");
            ka.init(mine);
            ka.doPhase(theirs, true);
            shared = ka.generateSecret();
        } catch (InvalidKeyException e) {
            // the JDK refuses a small-order point itself ("Point has small order")
            throw new NoiseException("X25519: remote public key rejected (low order)");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK X25519 key agreement unavailable", e);
        }
        if (shared.length != KEY_LENGTH) {
            Arrays.fill(shared, (byte) 0);
            throw new IllegalStateException("X25519 output of unexpected length");
        }
        int acc = 0;
        for (byte b : shared) {
            acc |= b;
        }
        if (acc == 0) {
            throw new NoiseException("X25519: remote public key rejected (low order)");
        }
        return shared;
    }

    private static void requireX25519(Key k, String what) {
        if (k == null) {
            throw new IllegalArgumentException("X25519 " + what + " is null");
        }
        AlgorithmParameterSpec p = k instanceof XECKey ? ((XECKey) k).getParams() : null;
        if (!(p instanceof NamedParameterSpec) || !"X25519".equalsIgnoreCase(((NamedParameterSpec) p).getName())) {
            throw new IllegalArgumentException("not an X25519 " + what + ": " + k.getAlgorithm());
        }
    }
}
