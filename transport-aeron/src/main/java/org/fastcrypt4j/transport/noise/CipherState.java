package org.fastcrypt4j.transport.noise;

import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.util.Arrays;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A Noise CipherState (Noise Protocol Framework rev 34, section 5.1) with the {@code AESGCM} cipher functions
 * (section 12.4): AES-256-GCM with a 128-bit tag, and a 96-bit nonce made of 32 bits of zeros followed by the 64-bit
 * counter {@code n} big-endian. Ciphertexts are {@code ciphertext || 16-byte tag}. Not thread safe.
 *
 * <p>{@code n} is an unsigned 64-bit counter held in a {@code long} ({@code -1L} is 2^64-1). The value 2^64-1 is
 * reserved (section 5.1, used only by {@link #rekey()}): encrypting or decrypting with it is refused.
 *
 * <p>Two ways to use it:
 * <ul>
 * <li>{@link #encryptWithAd}/{@link #decryptWithAd}: section 5.1 EncryptWithAd/DecryptWithAd with the internal
 *     counter, as used by the handshake and for in-order transport messages; {@link #setNonce} is section 5.1
 *     SetNonce.</li>
 * <li>{@link #encrypt}/{@link #decrypt}: the allocation-free fast path for a transport that sends the nonce
 *     explicitly with each message (section 11.4, out-of-order transport messages). They take {@code n} from the
 *     caller and leave the internal counter alone; the caller must never encrypt twice with one {@code n}.</li>
 * </ul>
 *
 * <p>Refusals: on the sending side they are programming errors ({@link IllegalArgumentException} for an explicit
 * reserved {@code n} or a short buffer, {@link IllegalStateException} for an exhausted internal counter or a destroyed
 * state); on the receiving side a message that cannot be accepted (bad tag, too short, reserved nonce) is a
 * {@link NoiseException}, and the state is unchanged by it.
 *
 * <p>Performance: one {@link Cipher} and one {@link SecretKeySpec} per CipherState, a reused 12-byte nonce array and
 * a new {@link GCMParameterSpec} per message. The JDK's AES-GCM copies the input when input and output overlap in
 * one array, which is markedly slower, so the fast path requires them not to overlap. The JDK decrypts GCM only in
 * {@code doFinal}; on a bad tag the output range is zeroed as well, so no unauthenticated plaintext is released.
 *
 * <p>{@link #destroy()} zeroes this object's copy of the key; the JDK's {@link SecretKeySpec} and AES key schedule
 * keep copies that can only be dropped (made unreachable), not zeroed, on Java 17.
 */
public final class CipherState {
    /** Bytes in a key (Noise: 32). */
    public static final int KEY_LENGTH = 32;
    /** Bytes in an AES-GCM tag. */
    public static final int TAG_LENGTH = 16;
    /** The reserved nonce 2^64-1. */
    public static final long MAX_NONCE = 0xFFFFFFFFFFFFFFFFL;

    private static final byte[] EMPTY = new byte[0];

    private final byte[] k;
    private final byte[] iv = new byte[12];
    private final Cipher cipher;
    private SecretKeySpec keySpec;
    private long n;
    private boolean destroyed;

    /** Section 5.1 InitializeKey(key) with n = 0; copies the key. */
    public CipherState(byte[] key32) {
        if (key32 == null || key32.length != KEY_LENGTH) {
            throw new IllegalArgumentException("a Noise cipher key has 32 bytes");
        }
        this.k = key32.clone();
        this.keySpec = new SecretKeySpec(k, "AES");
        try {
            this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK AES/GCM/NoPadding unavailable", e);
        }
    }

    /**
     * An independent CipherState with the same key and the same counter n, and its own {@link Cipher}: for using one
     * direction's key from a second thread (a CipherState is not thread safe). The two must never encrypt with the
     * same nonce (AES-GCM nonce reuse reveals plaintext and permits forgeries), so give them disjoint nonce ranges or
     * use one of them only to decrypt. A later {@link #rekey()} or {@link #destroy()} of one does not affect the other.
     */
    public CipherState copy() {
        live();
        CipherState c = new CipherState(k);
        c.n = n;
        return c;
    }

    /** The internal counter n (unsigned). */
    public long nonce() {
        return n;
    }

    /** Section 5.1 SetNonce(n), for explicit nonces (section 11.4). */
    public void setNonce(long n) {
        this.n = n;
    }

    /**
     * Section 5.1 EncryptWithAd: ENCRYPT(k, n++, ad, plaintext). {@code ad} may be null (empty). Returns
     * {@code plaintext.length + 16} bytes.
     */
    public byte[] encryptWithAd(byte[] ad, byte[] plaintext) {
        live();
        if (n == MAX_NONCE) {
            throw new IllegalStateException("Noise nonce space exhausted; rekey is not enough, start a new session");
        }
        byte[] a = ad == null ? EMPTY : ad;
        byte[] out = new byte[plaintext.length + TAG_LENGTH];
        seal(n, a, 0, a.length, EMPTY, 0, 0, plaintext, 0, plaintext.length, out, 0);
        n++;
        return out;
    }

    /**
     * Section 5.1 DecryptWithAd: DECRYPT(k, n, ad, ciphertext), then n++ only if it authenticated. {@code ad} may be
     * null (empty).
     *
     * @throws NoiseException if the tag does not verify, the ciphertext is shorter than a tag, or n is exhausted
     */
    public byte[] decryptWithAd(byte[] ad, byte[] ciphertext) {
        live();
        if (n == MAX_NONCE) {
            throw new NoiseException("Noise nonce space exhausted");
        }
        if (ciphertext.length < TAG_LENGTH) {
            throw new NoiseException("Noise ciphertext shorter than its tag");
        }
        byte[] a = ad == null ? EMPTY : ad;
        byte[] out = new byte[ciphertext.length - TAG_LENGTH];
        open(n, a, 0, a.length, EMPTY, 0, 0, ciphertext, 0, ciphertext.length, out, 0);
        n++;
        return out;
    }

    /**
     * Fast path: encrypts {@code in[inOff, inOff+len)} with explicit nonce {@code n} to {@code out} at {@code outOff}
     * as {@code ciphertext || tag} ({@code len + 16} bytes), with associated data {@code ad1[a1Off, a1Off+a1Len)}
     * followed by {@code ad2[a2Off, a2Off+a2Len)} (either may have length 0 and then may be null). Does not read or
     * change the internal counter.
     *
     * <p>{@code in} and {@code out} must not overlap (the JDK's GCM copies overlapping input, which is slow).
     *
     * @return bytes written, {@code len + 16}
     * @throws IllegalArgumentException if {@code n} is the reserved 2^64-1 or {@code out} is too short
     * @throws IllegalStateException if the JDK refuses to reuse the previous (key, nonce) for encryption
     */
    public int encrypt(long n, byte[] ad1, int a1Off, int a1Len, byte[] ad2, int a2Off, int a2Len,
                       byte[] in, int inOff, int len, byte[] out, int outOff) {
        live();
        if (n == MAX_NONCE) {
            throw new IllegalArgumentException("nonce 2^64-1 is reserved");
        }
        if (outOff < 0 || out.length - outOff < len + TAG_LENGTH) {
            throw new IllegalArgumentException("output buffer too short for ciphertext and tag");
        }
        return seal(n, ad1, a1Off, a1Len, ad2, a2Off, a2Len, in, inOff, len, out, outOff);
    }

    /**
     * Fast path: decrypts {@code in[inOff, inOff+len)} ({@code len} includes the 16-byte tag) with explicit nonce
     * {@code n} and the two-piece associated data as in {@link #encrypt}, writing {@code len - 16} bytes of
     * plaintext to {@code out} at {@code outOff} only if the tag verifies. Does not read or change the internal
     * counter. {@code in} and {@code out} must not overlap.
     *
     * @return plaintext bytes written, {@code len - 16}
     * @throws NoiseException if the tag does not verify, {@code len < 16}, or {@code n} is the reserved 2^64-1
     * @throws IllegalArgumentException if {@code out} is too short
     */
    public int decrypt(long n, byte[] ad1, int a1Off, int a1Len, byte[] ad2, int a2Off, int a2Len,
                       byte[] in, int inOff, int len, byte[] out, int outOff) {
        live();
        if (n == MAX_NONCE) {
            throw new NoiseException("transport message with reserved nonce");
        }
        if (len < TAG_LENGTH) {
            throw new NoiseException("transport message shorter than its tag");
        }
        if (outOff < 0 || out.length - outOff < len - TAG_LENGTH) {
            throw new IllegalArgumentException("output buffer too short for plaintext");
        }
        return open(n, ad1, a1Off, a1Len, ad2, a2Off, a2Len, in, inOff, len, out, outOff);
    }

    /**
     * Section 11.3 Rekey(): k = REKEY(k), where for AESGCM REKEY(k) is the first 32 bytes of
     * ENCRYPT(k, 2^64-1, empty ad, 32 zero bytes) (section 4.2). The counter n is left as it is.
     */
    public void rekey() {
        live();
        byte[] zeros = new byte[KEY_LENGTH];
        byte[] ct = new byte[KEY_LENGTH + TAG_LENGTH];
        seal(MAX_NONCE, EMPTY, 0, 0, EMPTY, 0, 0, zeros, 0, KEY_LENGTH, ct, 0);
        System.arraycopy(ct, 0, k, 0, KEY_LENGTH);
        Arrays.fill(ct, (byte) 0);
        keySpec = new SecretKeySpec(k, "AES");
    }

    /** Zeroes the key; any later use throws {@link IllegalStateException}. Idempotent. */
    public void destroy() {
        Arrays.fill(k, (byte) 0);
        keySpec = null;
        destroyed = true;
    }

    /** Whether {@link #destroy()} was called. */
    public boolean isDestroyed() {
        return destroyed;
    }

    private void live() {
        if (destroyed) {
            throw new IllegalStateException("CipherState destroyed");
        }
    }

    private void nonceBytes(long nonce) {
        // iv[0..3] stay zero
        for (int i = 0; i < 8; i++) {
            iv[11 - i] = (byte) (nonce >>> (8 * i));
        }
    }

    private void init(int mode, long nonce, byte[] ad1, int a1Off, int a1Len, byte[] ad2, int a2Off, int a2Len)
            throws GeneralSecurityException {
        nonceBytes(nonce);
        cipher.init(mode, keySpec, new GCMParameterSpec(TAG_LENGTH * 8, iv));
        if (a1Len > 0) {
            cipher.updateAAD(ad1, a1Off, a1Len);
        }
        if (a2Len > 0) {
            cipher.updateAAD(ad2, a2Off, a2Len);
        }
    }

    private int seal(long nonce, byte[] ad1, int a1Off, int a1Len, byte[] ad2, int a2Off, int a2Len,
                     byte[] in, int inOff, int len, byte[] out, int outOff) {
        try {
            init(Cipher.ENCRYPT_MODE, nonce, ad1, a1Off, a1Len, ad2, a2Off, a2Len);
            return cipher.doFinal(in, inOff, len, out, outOff);
        } catch (InvalidAlgorithmParameterException e) {
            throw new IllegalStateException("AES-GCM refused the nonce (same key and nonce as the last encryption)", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    private int open(long nonce, byte[] ad1, int a1Off, int a1Len, byte[] ad2, int a2Off, int a2Len,
                     byte[] in, int inOff, int len, byte[] out, int outOff) {
        try {
            init(Cipher.DECRYPT_MODE, nonce, ad1, a1Off, a1Len, ad2, a2Off, a2Len);
            return cipher.doFinal(in, inOff, len, out, outOff);
        } catch (AEADBadTagException e) {
            Arrays.fill(out, outOff, outOff + len - TAG_LENGTH, (byte) 0); // belt and braces: release nothing
            throw new NoiseException("message failed to authenticate");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM decryption failed", e);
        }
    }
}
