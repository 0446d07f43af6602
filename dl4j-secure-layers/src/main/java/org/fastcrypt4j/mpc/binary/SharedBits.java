package org.fastcrypt4j.mpc.binary;

import java.util.Arrays;

/**
 * One party's part of a replicated boolean sharing of {@code bits} bits packed 64 per long:
 * b = b_0 XOR b_1 XOR b_2, P_i holds (b_i, b_{i+1}). Bit {@code j} of the logical vector is bit
 * {@code j % 64} of word {@code j / 64}; unused high bits of the last word are zero.
 * XOR, NOT and XOR with public bits are local; AND costs one round and one bit per party per bit
 * ({@link BinaryAnd}).
 */
public final class SharedBits {

    private final int party;
    private final int bits;
    private final long[] first;
    private final long[] second;

    public SharedBits(int party, int bits, long[] first, long[] second) {
        int words = wordsFor(bits);
        if (first.length != words || second.length != words) {
            throw new IllegalArgumentException(bits + " bits need " + words + " words, got " + first.length
                    + " and " + second.length);
        }
        this.party = party;
        this.bits = bits;
        this.first = first;
        this.second = second;
    }

    public static int wordsFor(int bits) {
        return (bits + 63) >>> 6;
    }

    public static SharedBits zeros(int party, int bits) {
        return new SharedBits(party, bits, new long[wordsFor(bits)], new long[wordsFor(bits)]);
    }

    public int party() {
        return party;
    }

    public int bits() {
        return bits;
    }

    public int words() {
        return first.length;
    }

    /** Component b_i (packed words; protocol code may write it). */
    public long[] first() {
        return first;
    }

    /** Component b_{i+1}. */
    public long[] second() {
        return second;
    }

    /** Mask of the valid bits in the last word. */
    public long lastWordMask() {
        int r = bits & 63;
        return r == 0 ? -1L : (1L << r) - 1;
    }

    private void check(SharedBits o) {
        if (o.bits != bits || o.party != party) {
            throw new IllegalArgumentException("bit sharings differ: " + this + " vs " + o);
        }
    }

    public SharedBits xor(SharedBits o) {
        check(o);
        long[] a = new long[first.length];
        long[] b = new long[first.length];
        for (int i = 0; i < a.length; i++) {
            a[i] = first[i] ^ o.first[i];
            b[i] = second[i] ^ o.second[i];
        }
        return new SharedBits(party, bits, a, b);
    }

    /** XOR with public packed bits: applied to component b_0 (P_0's first, P_2's second). */
    public SharedBits xorPublic(long[] publicWords) {
        if (publicWords.length != first.length) {
            throw new IllegalArgumentException("public bits have " + publicWords.length + " words, expected "
                    + first.length);
        }
        long[] a = first.clone();
        long[] b = second.clone();
        long last = lastWordMask();
        if (party == 0 || party == 2) {
            long[] target = party == 0 ? a : b;
            for (int i = 0; i < target.length; i++) {
                long w = publicWords[i];
                if (i == target.length - 1) {
                    w &= last;
                }
                target[i] ^= w;
            }
        }
        return new SharedBits(party, bits, a, b);
    }

    /** Bitwise NOT (XOR with all ones on component b_0). */
    public SharedBits not() {
        long[] ones = new long[first.length];
        Arrays.fill(ones, -1L);
        return xorPublic(ones);
    }

    @Override
    public String toString() {
        return "SharedBits[party " + party + ", " + bits + " bits]";
    }
}
