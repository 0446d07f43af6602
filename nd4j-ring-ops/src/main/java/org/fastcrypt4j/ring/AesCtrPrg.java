package org.fastcrypt4j.ring;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import java.util.Arrays;

import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A deterministic pseudo-random generator: AES-128 in counter mode keyed by a 128-bit seed.
 *
 * <p>The JDK's {@code AES/CTR/NoPadding} uses AES-NI and a vectorised counter-mode intrinsic, so the
 * stream runs at several GB/s on one core. The same seed and stream id always give the same stream,
 * which is what lets two parties holding a common seed derive the same randomness without talking.
 * Not thread-safe: use one instance per thread and per stream.
 */
public final class AesCtrPrg {

    /** Seed length in bytes (AES-128). */
    public static final int SEED_BYTES = 16;
    private static final int CHUNK_BYTES = 1 << 16;
    /**
     * Bytes per cipher call. HotSpot uses its AES-CTR intrinsic only once {@code CounterMode.implCrypt} itself is
     * compiled by C2, which takes thousands of calls; fewer, larger calls run an OSR-compiled Java loop meanwhile.
     * Measured on a fresh JVM (JDK 17, AVX2), successive 32 MiB of key stream: in 64 KiB calls 192, 164, 155,
     * 173 ms (about 200 MB/s, still not compiled after 128 MiB); in 4 KiB calls 161, 8, 8, 7 ms (4 GB/s from the
     * second 32 MiB on).
     */
    private static final int CIPHER_CALL_BYTES = 1 << 12;

    private final Cipher cipher;
    private final byte[] seed;
    private final long streamId;
    /**
     * The key stream is produced from heap arrays: the JDK's AES-CTR ran at 5.0 GB/s on heap arrays against
     * 2.4 GB/s on direct buffers (64 KiB calls, JDK 17, AVX2); copying 64 KiB on into ND4J memory costs little.
     */
    private final byte[] zeros = new byte[CHUNK_BYTES];
    private final byte[] keyStream = new byte[CHUNK_BYTES];
    private final ByteBuffer scratch = ByteBuffer.allocateDirect(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private long bytesProduced;

    /** A stream with stream id 0. */
    public AesCtrPrg(byte[] seed) {
        this(seed, 0L);
    }

    /**
     * A stream keyed by {@code seed}; different {@code streamId}s give independent streams from one seed
     * (the id fills the upper half of the initial counter block).
     */
    public AesCtrPrg(byte[] seed, long streamId) {
        if (seed == null || seed.length != SEED_BYTES) {
            throw new IllegalArgumentException("PRG seed must be " + SEED_BYTES + " bytes, got "
                    + (seed == null ? "null" : seed.length));
        }
        this.seed = seed.clone();
        this.streamId = streamId;
        this.cipher = cipherAt(seed, streamId, 0);
    }

    private static Cipher cipherAt(byte[] seed, long streamId, long block) {
        byte[] iv = new byte[16];
        ByteBuffer.wrap(iv).putLong(streamId).putLong(block);
        try {
            Cipher c = Cipher.getInstance("AES/CTR/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(seed, "AES"), new IvParameterSpec(iv));
            return c;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/CTR is not available in this JDK", e);
        }
    }

    /**
     * The state from which {@link #restore} continues this stream exactly: seed, stream id and position. It holds
     * the seed, a secret of the party (and its peer for a pairwise stream): it belongs only in that party's own
     * checkpoint file.
     */
    public record State(byte[] seed, long streamId, long position) {
        public State {
            seed = seed.clone();
        }

        @Override
        public byte[] seed() {
            return seed.clone();
        }
    }

    public State state() {
        return new State(seed, streamId, bytesProduced);
    }

    /** A stream that continues from {@code state}: the same bytes the saved stream would have produced next. */
    public static AesCtrPrg restore(State state) {
        AesCtrPrg p = new AesCtrPrg(state.seed(), state.streamId());
        long pos = state.position();
        if (pos < 0) {
            throw new IllegalArgumentException("negative PRG position " + pos);
        }
        return p.skipTo(pos);
    }

    private AesCtrPrg skipTo(long position) {
        Cipher c = cipherAt(seed, streamId, position / 16);
        int rest = (int) (position % 16);
        try {
            c.update(new byte[rest], 0, rest, new byte[Math.max(rest, 16)], 0);
        } catch (ShortBufferException e) {
            throw new IllegalStateException(e);
        }
        return new AesCtrPrg(this, c, position);
    }

    private AesCtrPrg(AesCtrPrg from, Cipher positioned, long position) {
        this.seed = from.seed;
        this.streamId = from.streamId;
        this.cipher = positioned;
        this.bytesProduced = position;
    }

    /** How many bytes this stream has produced so far. */
    public long bytesProduced() {
        return bytesProduced;
    }

    /** Writes {@code dst.remaining()} pseudo-random bytes into {@code dst} (heap or direct). */
    public void nextBytes(ByteBuffer dst) {
        while (dst.hasRemaining()) {
            int n = Math.min(dst.remaining(), CIPHER_CALL_BYTES);
            try {
                int written = cipher.update(zeros, 0, n, keyStream, 0);
                dst.put(keyStream, 0, written);
                bytesProduced += written;
            } catch (ShortBufferException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    public void nextBytes(byte[] out) {
        nextBytes(ByteBuffer.wrap(out));
    }

    /** Fills {@code out[offset .. offset + length)} with uniform 64-bit words. */
    public void nextLongs(long[] out, int offset, int length) {
        int done = 0;
        while (done < length) {
            int words = Math.min(length - done, CHUNK_BYTES / Long.BYTES);
            scratch.clear().limit(words * Long.BYTES);
            nextBytes(scratch);
            scratch.flip();
            scratch.asLongBuffer().get(out, offset + done, words);
            done += words;
        }
    }

    public long[] nextLongs(int length) {
        long[] out = new long[length];
        nextLongs(out, 0, length);
        return out;
    }

    public long nextLong() {
        scratch.clear().limit(Long.BYTES);
        nextBytes(scratch);
        return scratch.getLong(0);
    }

    /** Overwrites every element of {@code t} with a uniform ring element (written straight into ND4J memory). */
    public RingTensor fill(RingTensor t) {
        ByteBuffer bytes = RingTensor.hostBytesForRead(t.array());
        bytes.clear().limit((int) (t.length() * Long.BYTES));
        nextBytes(bytes);
        // the mask was written to host memory: make ND4J's CUDA backend copy it to the device before use
        RingTensor.hostWritten(t.array());
        return t;
    }

    /** A tensor of uniform ring elements. */
    public RingTensor nextRing(long... shape) {
        return fill(RingTensor.zeros(shape));
    }

    /**
     * Overwrites the bits of {@code t} with uniform bits: consumes {@code 8 * t.wordCount()} bytes of the
     * stream (whole words, then the unused tail bits are cleared), so parties that hold the same seed and
     * stream id derive the same bits.
     */
    public BitTensor fill(BitTensor t) {
        long[] w = t.words();
        nextLongs(w, 0, w.length);
        int r = t.bits() & 63;
        if (r != 0) {
            w[w.length - 1] &= (1L << r) - 1;
        }
        return t;
    }

    /** {@code n} uniform bits, packed 64 per word (see {@link #fill(BitTensor)}). */
    public BitTensor nextBits(int n) {
        return fill(BitTensor.zeros(n));
    }

    /**
     * Uniform elements of Z_p for a prime {@code p < 256}, by rejection sampling on bytes (a byte b is
     * kept when b < p * floor(256 / p) and mapped to b mod p), so the result is exactly uniform.
     */
    public void nextModP(byte[] out, int offset, int length, int p) {
        if (p < 2 || p > 255) {
            throw new IllegalArgumentException("modulus must be in [2, 255], got " + p);
        }
        int bound = (256 / p) * p;
        byte[] buf = new byte[Math.min(CHUNK_BYTES, Math.max(64, length + length / 4 + 16))];
        int done = 0;
        int pos = buf.length;
        while (done < length) {
            if (pos == buf.length) {
                nextBytes(buf);
                pos = 0;
            }
            int b = buf[pos++] & 0xFF;
            if (b < bound) {
                out[offset + done++] = (byte) (b % p);
            }
        }
        Arrays.fill(buf, (byte) 0);
    }
}
