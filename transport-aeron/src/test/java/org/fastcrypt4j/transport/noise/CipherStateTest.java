package org.fastcrypt4j.transport.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

class CipherStateTest {
    private final SplittableRandom rnd = new SplittableRandom(0x5EED);
    private final byte[] key = bytes(32);

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    /** AES-256-GCM straight from the JDK with the nonce built as section 12.4 says. */
    private static byte[] reference(byte[] k, long n, byte[] ad, byte[] pt) throws Exception {
        byte[] iv = new byte[12];
        for (int i = 0; i < 8; i++) {
            iv[4 + i] = (byte) (n >>> (56 - 8 * i));
        }
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(k, "AES"), new GCMParameterSpec(128, iv));
        c.updateAAD(ad);
        return c.doFinal(pt);
    }

    @Test
    void nonceIsZerosThenBigEndianCounter() throws Exception {
        CipherState cs = new CipherState(key);
        byte[] ad = bytes(7);
        byte[] pt = bytes(50);
        assertArrayEquals(reference(key, 0, ad, pt), cs.encryptWithAd(ad, pt));
        assertEquals(1, cs.nonce());
        long n = 0x0102030405060708L;
        cs.setNonce(n);
        assertArrayEquals(reference(key, n, ad, pt), cs.encryptWithAd(ad, pt));
        assertEquals(n + 1, cs.nonce());
        cs.setNonce(-2L); // 2^64-2 is the last usable nonce
        assertArrayEquals(reference(key, -2L, ad, pt), cs.encryptWithAd(ad, pt));
        assertEquals(-1L, cs.nonce());
        assertThrows(IllegalStateException.class, () -> cs.encryptWithAd(ad, pt), "counter exhausted");
    }

    @Test
    void keyIsCopied() throws Exception {
        byte[] k = key.clone();
        CipherState cs = new CipherState(k);
        Arrays.fill(k, (byte) 0);
        byte[] pt = bytes(5);
        assertArrayEquals(reference(key, 0, new byte[0], pt), cs.encryptWithAd(null, pt));
        assertThrows(IllegalArgumentException.class, () -> new CipherState(new byte[16]));
    }

    @Test
    void decryptWithAdAdvancesOnlyOnSuccess() {
        CipherState tx = new CipherState(key);
        CipherState rx = new CipherState(key);
        byte[] ad = bytes(3);
        byte[] c0 = tx.encryptWithAd(ad, bytes(20));
        byte[] c1 = tx.encryptWithAd(ad, bytes(20));
        assertThrows(NoiseException.class, () -> rx.decryptWithAd(ad, c1), "out of order");
        assertEquals(0, rx.nonce());
        byte[] bad = c0.clone();
        bad[bad.length - 1] ^= 1;
        assertThrows(NoiseException.class, () -> rx.decryptWithAd(ad, bad));
        assertThrows(NoiseException.class, () -> rx.decryptWithAd(ad, new byte[15]));
        assertEquals(0, rx.nonce());
        rx.decryptWithAd(ad, c0);
        rx.decryptWithAd(ad, c1);
        assertEquals(2, rx.nonce());
        rx.setNonce(-1L);
        assertThrows(NoiseException.class, () -> rx.decryptWithAd(ad, c0), "reserved nonce");
    }

    @Test
    void fastPathRoundTripWithTwoAadPieces() {
        CipherState tx = new CipherState(key);
        CipherState rx = new CipherState(key);
        byte[] hdr = bytes(24);
        byte[] tag = bytes(9);
        byte[] pt = bytes(1000);
        byte[] in = new byte[pt.length + 10];
        System.arraycopy(pt, 0, in, 5, pt.length);
        byte[] out = new byte[pt.length + 16 + 3];
        long n = 77;
        int w = tx.encrypt(n, hdr, 4, 20, tag, 0, 9, in, 5, pt.length, out, 3);
        assertEquals(pt.length + 16, w);
        assertEquals(0, tx.nonce(), "fast path leaves the counter alone");

        // same bytes as EncryptWithAd with ad = ad1 || ad2 at nonce n
        CipherState ref = new CipherState(key);
        ref.setNonce(n);
        byte[] ad = concat(Arrays.copyOfRange(hdr, 4, 24), tag);
        assertArrayEquals(ref.encryptWithAd(ad, pt), Arrays.copyOfRange(out, 3, 3 + w));

        byte[] back = new byte[pt.length + 2];
        assertEquals(pt.length, rx.decrypt(n, hdr, 4, 20, tag, 0, 9, out, 3, w, back, 2));
        assertArrayEquals(pt, Arrays.copyOfRange(back, 2, 2 + pt.length));
        // the AAD is one stream: splitting it elsewhere does not matter
        byte[] back2 = new byte[pt.length];
        assertEquals(pt.length, rx.decrypt(n, ad, 0, 10, ad, 10, ad.length - 10, out, 3, w, back2, 0));
        assertArrayEquals(pt, back2);
        assertEquals(pt.length, rx.decrypt(n, ad, 0, ad.length, null, 0, 0, out, 3, w, back2, 0));
        assertEquals(0, rx.nonce());

        // empty AAD and empty plaintext
        byte[] small = new byte[16];
        assertEquals(16, tx.encrypt(n + 1, null, 0, 0, null, 0, 0, new byte[0], 0, 0, small, 0));
        assertEquals(0, rx.decrypt(n + 1, null, 0, 0, new byte[0], 0, 0, small, 0, 16, new byte[0], 0));
    }

    @Test
    void fastPathRejectsWrongAadNonceKeyAndTamperingWithoutReleasingPlaintext() {
        CipherState tx = new CipherState(key);
        CipherState rx = new CipherState(key);
        byte[] a1 = bytes(16);
        byte[] a2 = bytes(16);
        byte[] pt = bytes(64);
        byte[] ct = new byte[80];
        tx.encrypt(5, a1, 0, 16, a2, 0, 16, pt, 0, 64, ct, 0);
        byte[] out = new byte[64];

        byte[] a2bad = a2.clone();
        a2bad[0] ^= 1;
        assertThrows(NoiseException.class, () -> rx.decrypt(5, a1, 0, 16, a2bad, 0, 16, ct, 0, 80, out, 0));
        assertThrows(NoiseException.class, () -> rx.decrypt(5, a1, 0, 16, a2, 0, 15, ct, 0, 80, out, 0));
        assertThrows(NoiseException.class, () -> rx.decrypt(5, a2, 0, 16, a1, 0, 16, ct, 0, 80, out, 0), "order");
        assertThrows(NoiseException.class, () -> rx.decrypt(6, a1, 0, 16, a2, 0, 16, ct, 0, 80, out, 0), "nonce");
        assertThrows(NoiseException.class, () -> rx.decrypt(4, a1, 0, 16, a2, 0, 16, ct, 0, 80, out, 0), "nonce");
        byte[] other = key.clone();
        other[0] ^= 1;
        assertThrows(NoiseException.class,
                () -> new CipherState(other).decrypt(5, a1, 0, 16, a2, 0, 16, ct, 0, 80, out, 0), "key");
        for (int bit = 0; bit < 80 * 8; bit += 7) {
            byte[] bad = ct.clone();
            bad[bit / 8] ^= (byte) (1 << (bit % 8));
            assertThrows(NoiseException.class, () -> rx.decrypt(5, a1, 0, 16, a2, 0, 16, bad, 0, 80, out, 0));
        }
        assertThrows(NoiseException.class, () -> rx.decrypt(5, a1, 0, 16, a2, 0, 16, ct, 0, 79, out, 0), "truncated");
        assertThrows(NoiseException.class, () -> rx.decrypt(5, a1, 0, 16, a2, 0, 16, ct, 0, 15, out, 0));
        assertTrue(Arrays.equals(new byte[64], out), "no plaintext released by failed decryptions");
        assertEquals(64, rx.decrypt(5, a1, 0, 16, a2, 0, 16, ct, 0, 80, out, 0));
        assertArrayEquals(pt, out);
    }

    @Test
    void reservedNonceIsRefused() {
        CipherState cs = new CipherState(key);
        byte[] buf = new byte[64];
        assertThrows(IllegalArgumentException.class,
                () -> cs.encrypt(0xFFFFFFFFFFFFFFFFL, null, 0, 0, null, 0, 0, buf, 0, 8, new byte[24], 0));
        assertThrows(NoiseException.class,
                () -> cs.decrypt(0xFFFFFFFFFFFFFFFFL, null, 0, 0, null, 0, 0, buf, 0, 24, new byte[8], 0));
        // 2^63 and above are ordinary (unsigned) nonces
        byte[] ct = new byte[24];
        cs.encrypt(Long.MIN_VALUE, null, 0, 0, null, 0, 0, buf, 0, 8, ct, 0);
        assertEquals(8, cs.decrypt(Long.MIN_VALUE, null, 0, 0, null, 0, 0, ct, 0, 24, new byte[8], 0));
        assertThrows(IllegalArgumentException.class,
                () -> cs.encrypt(1, null, 0, 0, null, 0, 0, buf, 0, 8, new byte[23], 0), "short output");
    }

    @Test
    void rekeyChangesCiphertextAndKeepsBothSidesInStep() throws Exception {
        CipherState tx = new CipherState(key);
        CipherState rx = new CipherState(key);
        byte[] pt = bytes(40);
        byte[] before = tx.encryptWithAd(null, pt);
        assertArrayEquals(pt, rx.decryptWithAd(null, before));

        tx.rekey();
        rx.rekey();
        assertEquals(1, tx.nonce(), "rekey leaves n alone");
        assertEquals(1, rx.nonce());
        byte[] after = tx.encryptWithAd(null, pt);
        // REKEY(k) = first 32 bytes of ENCRYPT(k, 2^64-1, zerolen, zeros) (section 4.2)
        byte[] k1 = Arrays.copyOf(reference(key, -1L, new byte[0], new byte[32]), 32);
        assertArrayEquals(reference(k1, 1, new byte[0], pt), after);
        CipherState old = new CipherState(key);
        old.setNonce(1);
        assertFalse(Arrays.equals(old.encryptWithAd(null, pt), after), "ciphertext changes with the key");
        assertArrayEquals(pt, rx.decryptWithAd(null, after));

        // one side rekeys, the other does not: out of step, rejected
        tx.rekey();
        byte[] c = tx.encryptWithAd(null, pt);
        assertThrows(NoiseException.class, () -> rx.decryptWithAd(null, c));
        rx.rekey();
        assertArrayEquals(pt, rx.decryptWithAd(null, c));

        // fast path after rekey
        byte[] ct = new byte[pt.length + 16];
        tx.encrypt(1000, null, 0, 0, null, 0, 0, pt, 0, pt.length, ct, 0);
        byte[] out = new byte[pt.length];
        rx.decrypt(1000, null, 0, 0, null, 0, 0, ct, 0, ct.length, out, 0);
        assertArrayEquals(pt, out);
    }

    @Test
    void destroyedStateRefusesUse() {
        CipherState cs = new CipherState(key);
        cs.destroy();
        assertTrue(cs.isDestroyed());
        assertThrows(IllegalStateException.class, () -> cs.encryptWithAd(null, new byte[1]));
        assertThrows(IllegalStateException.class, () -> cs.decryptWithAd(null, new byte[16]));
        assertThrows(IllegalStateException.class, cs::rekey);
        assertThrows(IllegalStateException.class,
                () -> cs.encrypt(0, null, 0, 0, null, 0, 0, new byte[1], 0, 1, new byte[17], 0));
        cs.destroy();
    }
}
