package org.fastcrypt4j.mpc.arithmetic;

/**
 * Packs values of a public bit width w (1..64) densely into 64-bit words, so that a message of n such
 * values costs ceil(n * w / 64) words (PROTOCOLS.md counts bytes this way, e.g. 20-bit elements of
 * Z_2^20 as 2.5 bytes).
 */
final class BitPacking {

    private BitPacking() {
    }

    /** Words needed for {@code n} values of {@code width} bits. */
    static int words(int n, int width) {
        return (int) (((long) n * width + 63) >>> 6);
    }

    /** Packs the low {@code width} bits of each value (higher bits must be zero) into {@code out} at {@code off}. */
    static void pack(long[] values, int width, long[] out, int off) {
        long pos = 0;
        for (long v : values) {
            int word = off + (int) (pos >>> 6);
            int bit = (int) (pos & 63);
            out[word] |= v << bit;
            if (bit + width > 64) {
                out[word + 1] |= v >>> (64 - bit);
            }
            pos += width;
        }
    }

    /** Reads {@code n} values of {@code width} bits from {@code in} at word {@code off}. */
    static long[] unpack(long[] in, int off, int n, int width) {
        long mask = width == 64 ? -1L : (1L << width) - 1;
        long[] out = new long[n];
        long pos = 0;
        for (int i = 0; i < n; i++) {
            int word = off + (int) (pos >>> 6);
            int bit = (int) (pos & 63);
            long v = in[word] >>> bit;
            if (bit + width > 64) {
                v |= in[word + 1] << (64 - bit);
            }
            out[i] = v & mask;
            pos += width;
        }
        return out;
    }
}
