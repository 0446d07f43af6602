package org.fastcrypt4j.transport;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Arrays;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Protection of one direction of one link ({@code from -> to}): AES-256-GCM with a key derived from the
 * X25519 shared secret of the two parties by HKDF-SHA256 (RFC 5869: extract with a fixed salt, expand with
 * the info {@code "fastcrypt4j link <from>-><to>"}, so each direction has its own key), a 96-bit nonce made
 * of the direction and the frame's 64-bit sequence number, and the frame header as additional data.
 *
 * <p>The receiver accepts only the next sequence number, so a replayed, reordered or dropped frame is
 * rejected; a forged or truncated frame fails GCM authentication. Either way {@link FrameRejectedException}
 * names the link. With {@code protect == false} (the trusted-network option) sequence numbers are still
 * checked but nothing is encrypted or authenticated.
 */
final class LinkCipher {
    private static final byte[] SALT = "fastcrypt4j-x25519-hkdf-salt-v1".getBytes(StandardCharsets.US_ASCII);

    private final int from;
    private final int to;
    private final boolean protect;
    private final Cipher cipher;
    private final SecretKeySpec key;
    private final byte[] nonce = new byte[12];
    private long sequence;

    private LinkCipher(int from, int to, byte[] keyBytes) {
        this.from = from;
        this.to = to;
        this.protect = keyBytes != null;
        try {
            this.cipher = protect ? Cipher.getInstance("AES/GCM/NoPadding") : null;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM unavailable", e);
        }
        this.key = protect ? new SecretKeySpec(keyBytes, "AES") : null;
        if (keyBytes != null) {
            Arrays.fill(keyBytes, (byte) 0);
        }
        nonce[0] = (byte) from;
        nonce[1] = (byte) to;
    }

    /** An unprotected direction (trusted network): sequence numbers only. */
    static LinkCipher trusted(int from, int to) {
        return new LinkCipher(from, to, null);
    }

    /** The protected direction {@code from -> to}, keyed from one side's private key and the other's public key. */
    static LinkCipher protectedLink(int from, int to, PrivateKey mine, PublicKey theirs) {
        try {
            KeyAgreement ka = KeyAgreement.getInstance("X25519");
            ka.init(mine);
            ka.doPhase(theirs, true);
            byte[] shared = ka.generateSecret();
            byte[] k = hkdf(shared, ("fastcrypt4j link " + from + "->" + to).getBytes(StandardCharsets.US_ASCII));
            Arrays.fill(shared, (byte) 0);
            return new LinkCipher(from, to, k);
        } catch (InvalidKeyException e) {
            throw new TransportException("link party " + from + " -> party " + to + ": invalid X25519 key", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("X25519 unavailable", e);
        }
    }

    /** HKDF-SHA256 with a 32-byte output (one expand block). */
    static byte[] hkdf(byte[] ikm, byte[] info) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SALT, "HmacSHA256"));
            byte[] prk = mac.doFinal(ikm);
            mac.init(new SecretKeySpec(prk, "HmacSHA256"));
            Arrays.fill(prk, (byte) 0);
            mac.update(info);
            mac.update((byte) 1);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    boolean isProtected() {
        return protect;
    }

    /** Bytes a frame grows by when sealed. */
    int overhead() {
        return protect ? FrameHeader.GCM_TAG_BYTES : 0;
    }

    /** The sequence number the next sealed frame carries (sender side). */
    long nextSequence() {
        return sequence;
    }

    /**
     * Seals in place the frame whose header (carrying {@link #nextSequence()}) is at 0 and whose plaintext
     * payload of {@code payloadLength} bytes follows; returns the frame length.
     */
    int seal(byte[] frame, int payloadLength) {
        long seq = sequence++;
        if (!protect) {
            return FrameHeader.LENGTH + payloadLength;
        }
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce(seq)));
            cipher.updateAAD(frame, 0, FrameHeader.LENGTH);
            return FrameHeader.LENGTH
                    + cipher.doFinal(frame, FrameHeader.LENGTH, payloadLength, frame, FrameHeader.LENGTH);
        } catch (GeneralSecurityException e) {
            throw new TransportException("link party " + from + " -> party " + to + ": encryption failed", e);
        }
    }

    /**
     * Checks and opens a received frame of {@code frameLength} bytes; writes the plaintext payload to
     * {@code dst} at {@code dstOffset} and returns its length.
     */
    int open(byte[] frame, int frameLength, FrameHeader header, byte[] dst, int dstOffset) {
        return open(frame, 0, frameLength, header, dst, dstOffset);
    }

    /** As {@link #open(byte[], int, FrameHeader, byte[], int)} for a frame starting at {@code frameOffset}. */
    int open(byte[] frame, int frameOffset, int frameLength, FrameHeader header, byte[] dst, int dstOffset) {
        if (frameLength < FrameHeader.LENGTH + overhead()) {
            throw new FrameRejectedException(from, to, "truncated frame of " + frameLength + " bytes");
        }
        long seq = header.sequence();
        if (seq != sequence) {
            throw new FrameRejectedException(from, to, "sequence number " + seq + ", expected " + sequence
                    + " (replayed, reordered or lost frame)");
        }
        int payload = frameLength - FrameHeader.LENGTH - overhead();
        if (header.chunkLength() != payload) {
            throw new FrameRejectedException(from, to, "frame carries " + payload + " payload bytes, header says "
                    + header.chunkLength() + " (truncated frame)");
        }
        if (protect) {
            try {
                cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, nonce(seq)));
                cipher.updateAAD(frame, frameOffset, FrameHeader.LENGTH);
                cipher.doFinal(frame, frameOffset + FrameHeader.LENGTH, payload + FrameHeader.GCM_TAG_BYTES,
                        dst, dstOffset);
            } catch (AEADBadTagException e) {
                throw new FrameRejectedException(from, to, "authentication failed (forged, corrupted or truncated"
                        + " frame, sequence " + seq + ")");
            } catch (GeneralSecurityException e) {
                throw new FrameRejectedException(from, to, "decryption failed: " + e.getMessage());
            }
        } else {
            System.arraycopy(frame, frameOffset + FrameHeader.LENGTH, dst, dstOffset, payload);
        }
        sequence++;
        return payload;
    }

    private byte[] nonce(long seq) {
        for (int i = 0; i < 8; i++) {
            nonce[4 + i] = (byte) (seq >>> (8 * i));
        }
        return nonce;
    }
}
