package org.fastcrypt4j.transport.noise;

/**
 * A handshake message failed to parse or authenticate (wrong length, bad AES-GCM tag, a low-order public key), or a
 * transport message failed to decrypt. The message text names what failed and never contains key material or
 * plaintext. After a handshake message has been rejected the {@link NoiseKK} object is unusable (Noise section 5: after
 * a DECRYPT() or DH() error the handshake has failed and its HandshakeState is deleted); after a rejected transport message the {@link CipherState} is unchanged and can keep
 * going.
 */
public final class NoiseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NoiseException(String message) {
        super(message);
    }

    public NoiseException(String message, Throwable cause) {
        super(message, cause);
    }
}
