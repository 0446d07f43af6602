package org.fastcrypt4j.ring;

import java.util.Arrays;
import java.util.Objects;

/**
 * A vector of {@code n} bits packed 64 per {@code long} (boolean shares, comparison results, bit planes).
 *
 * <p>Layout: bit {@code i} is bit {@code i & 63} (LSB first) of word {@code i >>> 6}; the unused high bits of
 * the last word are always 0 (every operation keeps this invariant), so words can be compared, XORed and
 * sent as they are. Methods without a trailing {@code i} return a new tensor; the {@code ...i} variants
 * overwrite this one. Like {@link RingTensor}, {@link #toString()} never prints the bits.
 *
 * <p>Bit-slicing ({@link #bitSlice}, {@link #unslice}) turns ring elements into 64 bit planes (plane j holds
 * bit j of every element), the form in which a prefix adder runs 64 elements per word operation. It uses
 * the 64x64 bit-matrix transpose by recursive block swaps (6 passes of 32 masked swaps; Hacker's Delight
 * section 7-3), written by hand because no library on the classpath offers it.
 */
public final class BitTensor {

    private static final long[] TRANSPOSE_MASKS = {
        0x00000000FFFFFFFFL, 0x0000FFFF0000FFFFL, 0x00FF00FF00FF00FFL,
        0x0F0F0F0F0F0F0F0FL, 0x3333333333333333L, 0x5555555555555555L,
    };

    private final int bits;
    private final long[] words;

    private BitTensor(int bits, long[] words) {
        this.bits = bits;
        this.words = words;
    }

    /** The number of words needed for {@code bits} bits. */
    public static int wordsFor(long bits) {
        if (bits < 0 || bits > 64L * (Integer.MAX_VALUE - 8)) {
            throw new IllegalArgumentException("bit count out of range: " + bits);
        }
        return (int) ((bits + 63) >>> 6);
    }

    /** {@code bits} zero bits. */
    public static BitTensor zeros(int bits) {
        return new BitTensor(bits, new long[wordsFor(bits)]);
    }

    /** {@code bits} one bits. */
    public static BitTensor ones(int bits) {
        return zeros(bits).noti();
    }

    /**
     * A tensor of {@code bits} bits over a copy of {@code words} (length {@link #wordsFor}{@code (bits)});
     * bits beyond {@code bits} in the last word are cleared.
     */
    public static BitTensor of(long[] words, int bits) {
        if (words.length != wordsFor(bits)) {
            throw new IllegalArgumentException(bits + " bits need " + wordsFor(bits) + " words, got " + words.length);
        }
        BitTensor t = new BitTensor(bits, words.clone());
        t.clearTail();
        return t;
    }

    /** Wraps {@code words} without copying (the caller hands them over); tail bits are cleared. */
    public static BitTensor wrap(long[] words, int bits) {
        if (words.length != wordsFor(bits)) {
            throw new IllegalArgumentException(bits + " bits need " + wordsFor(bits) + " words, got " + words.length);
        }
        BitTensor t = new BitTensor(bits, words);
        t.clearTail();
        return t;
    }

    /** Bit {@code k} ({@code 0..63}) of every element of {@code t}, in c-order. */
    public static BitTensor bitOf(RingTensor t, int k) {
        return bitOf(t.toLongArray(), k);
    }

    /** Bit {@code k} ({@code 0..63}) of every value. */
    public static BitTensor bitOf(long[] values, int k) {
        checkBitIndex(k);
        int n = values.length;
        long[] w = new long[wordsFor(n)];
        int full = n >>> 6;
        for (int b = 0; b < full; b++) {
            long acc = 0;
            int base = b << 6;
            for (int i = 0; i < 64; i++) {
                acc |= ((values[base + i] >>> k) & 1L) << i;
            }
            w[b] = acc;
        }
        for (int i = full << 6; i < n; i++) {
            w[i >>> 6] |= ((values[i] >>> k) & 1L) << (i & 63);
        }
        return new BitTensor(n, w);
    }

    /** The least significant bit of every value (values already 0/1 become packed bits). */
    public static BitTensor fromBits(long[] zeroOrOne) {
        return bitOf(zeroOrOne, 0);
    }

    private static void checkBitIndex(int k) {
        if (k < 0 || k > 63) {
            throw new IllegalArgumentException("bit index must be in [0, 63], got " + k);
        }
    }

    /** The number of logical bits. */
    public int bits() {
        return bits;
    }

    /** The packed words (live: writes change this tensor; keep the tail bits 0). */
    public long[] words() {
        return words;
    }

    public int wordCount() {
        return words.length;
    }

    public boolean get(int i) {
        checkIndex(i);
        return ((words[i >>> 6] >>> i) & 1L) != 0;
    }

    public BitTensor set(int i, boolean value) {
        checkIndex(i);
        if (value) {
            words[i >>> 6] |= 1L << i;
        } else {
            words[i >>> 6] &= ~(1L << i);
        }
        return this;
    }

    private void checkIndex(int i) {
        if (i < 0 || i >= bits) {
            throw new IndexOutOfBoundsException("bit " + i + " of a " + bits + "-bit tensor");
        }
    }

    /** The bits as 0/1 longs (e.g. to inject them into the ring). */
    public long[] toLongs() {
        long[] out = new long[bits];
        for (int i = 0; i < bits; i++) {
            out[i] = (words[i >>> 6] >>> i) & 1L;
        }
        return out;
    }

    /** The bits as a ring tensor of 0/1 elements with the given shape. */
    public RingTensor toRing(long... shape) {
        return RingTensor.of(toLongs(), shape);
    }

    /** The number of one bits. */
    public long bitCount() {
        long c = 0;
        for (long w : words) {
            c += Long.bitCount(w);
        }
        return c;
    }

    public BitTensor dup() {
        return new BitTensor(bits, words.clone());
    }

    private void requireSameBits(BitTensor o, String op) {
        if (o.bits != bits) {
            throw new IllegalArgumentException(op + ": bit counts differ, " + bits + " vs " + o.bits);
        }
    }

    private void clearTail() {
        int r = bits & 63;
        if (r != 0) {
            words[words.length - 1] &= (1L << r) - 1;
        }
    }

    public BitTensor xor(BitTensor o) {
        return dup().xori(o);
    }

    public BitTensor xori(BitTensor o) {
        requireSameBits(o, "xor");
        long[] b = o.words;
        for (int i = 0; i < words.length; i++) {
            words[i] ^= b[i];
        }
        return this;
    }

    public BitTensor and(BitTensor o) {
        return dup().andi(o);
    }

    public BitTensor andi(BitTensor o) {
        requireSameBits(o, "and");
        long[] b = o.words;
        for (int i = 0; i < words.length; i++) {
            words[i] &= b[i];
        }
        return this;
    }

    public BitTensor or(BitTensor o) {
        return dup().ori(o);
    }

    public BitTensor ori(BitTensor o) {
        requireSameBits(o, "or");
        long[] b = o.words;
        for (int i = 0; i < words.length; i++) {
            words[i] |= b[i];
        }
        return this;
    }

    public BitTensor not() {
        return dup().noti();
    }

    public BitTensor noti() {
        for (int i = 0; i < words.length; i++) {
            words[i] = ~words[i];
        }
        clearTail();
        return this;
    }

    /** XOR with a public bit on every position (NOT when {@code bit} is true). */
    public BitTensor xori(boolean bit) {
        return bit ? noti() : this;
    }

    /**
     * Moves every bit up by {@code s >= 0} positions (bit i becomes bit i + s; bits shifted past the end are
     * dropped, zeros come in at the bottom).
     */
    public BitTensor shiftUp(int s) {
        if (s < 0) {
            throw new IllegalArgumentException("shift must be >= 0, got " + s);
        }
        long[] out = new long[words.length];
        int ws = s >>> 6;
        int bs = s & 63;
        for (int i = words.length - 1; i >= ws; i--) {
            long v = words[i - ws] << bs;
            if (bs != 0 && i - ws - 1 >= 0) {
                v |= words[i - ws - 1] >>> (64 - bs);
            }
            out[i] = v;
        }
        BitTensor t = new BitTensor(bits, out);
        t.clearTail();
        return t;
    }

    /** Moves every bit down by {@code s >= 0} positions (bit i becomes bit i - s; zeros come in at the top). */
    public BitTensor shiftDown(int s) {
        if (s < 0) {
            throw new IllegalArgumentException("shift must be >= 0, got " + s);
        }
        long[] out = new long[words.length];
        int ws = s >>> 6;
        int bs = s & 63;
        for (int i = 0; i + ws < words.length; i++) {
            long v = words[i + ws] >>> bs;
            if (bs != 0 && i + ws + 1 < words.length) {
                v |= words[i + ws + 1] << (64 - bs);
            }
            out[i] = v;
        }
        return new BitTensor(bits, out);
    }

    /**
     * Transposes the 64x64 bit matrix {@code m[off .. off + 64)} in place: afterwards bit {@code i} of word
     * {@code off + j} is what bit {@code j} of word {@code off + i} was.
     */
    public static void transpose64(long[] m, int off) {
        for (int level = 0, s = 32; s > 0; level++, s >>>= 1) {
            long mask = TRANSPOSE_MASKS[level];
            for (int k = 0; k < 64; k = (k + s + 1) & ~s) {
                long a = m[off + k];
                long b = m[off + k + s];
                long t = ((a >>> s) ^ b) & mask;
                m[off + k + s] = b ^ t;
                m[off + k] = a ^ (t << s);
            }
        }
    }

    /**
     * Bit-slices {@code values}: returns 64 planes of {@code wordsFor(values.length)} words each, where bit
     * {@code i} of plane {@code j} is bit {@code j} of {@code values[i]} (word {@code i >>> 6}, position
     * {@code i & 63}). Unused bits of the last word of each plane are 0.
     */
    public static long[][] bitSlice(long[] values) {
        int n = values.length;
        int w = wordsFor(n);
        long[][] planes = new long[64][w];
        long[] block = new long[64];
        for (int b = 0; b < w; b++) {
            int base = b << 6;
            int len = Math.min(64, n - base);
            System.arraycopy(values, base, block, 0, len);
            if (len < 64) {
                Arrays.fill(block, len, 64, 0L);
            }
            transpose64(block, 0);
            for (int j = 0; j < 64; j++) {
                planes[j][b] = block[j];
            }
        }
        return planes;
    }

    /** The inverse of {@link #bitSlice}: {@code n} values from 64 planes of {@code wordsFor(n)} words. */
    public static long[] unslice(long[][] planes, int n) {
        Objects.requireNonNull(planes, "planes");
        int w = wordsFor(n);
        if (planes.length != 64) {
            throw new IllegalArgumentException("need 64 bit planes, got " + planes.length);
        }
        for (int j = 0; j < 64; j++) {
            if (planes[j].length < w) {
                throw new IllegalArgumentException("plane " + j + " has " + planes[j].length + " words, " + n
                        + " values need " + w);
            }
        }
        long[] out = new long[n];
        long[] block = new long[64];
        for (int b = 0; b < w; b++) {
            for (int j = 0; j < 64; j++) {
                block[j] = planes[j][b];
            }
            transpose64(block, 0);
            int base = b << 6;
            System.arraycopy(block, 0, out, base, Math.min(64, n - base));
        }
        return out;
    }

    /** Bit-slices a ring tensor (c-order); plane {@code j} as a {@code BitTensor} of {@link RingTensor#length()} bits. */
    public static BitTensor[] bitSlice(RingTensor t) {
        int n = t.intLength();
        long[][] planes = bitSlice(t.toLongArray());
        BitTensor[] out = new BitTensor[64];
        for (int j = 0; j < 64; j++) {
            out[j] = new BitTensor(n, planes[j]);
        }
        return out;
    }

    /** True when both hold the same number of bits and the same bits. */
    public boolean contentEquals(BitTensor o) {
        return o.bits == bits && Arrays.equals(o.words, words);
    }

    /** Size only: the bits may be shares and are never printed. */
    @Override
    public String toString() {
        return "BitTensor[" + bits + " bits]";
    }
}
