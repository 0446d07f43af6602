package org.fastcrypt4j.mpc.binary;

import java.util.Arrays;

import org.fastcrypt4j.mpc.sharing.Session;
import org.fastcrypt4j.mpc.sharing.SharedTensor;

/**
 * Arithmetic-to-binary conversion of the sign bit, variant T of PROTOCOLS.md 4.1 (the two-operand form
 * used by the ABY3 code's {@code Sh3Converter::toBinaryMatrix}; ABY3 section 5.3), with the "MSB only"
 * binary-tree carry circuit over bit-sliced words.
 *
 * <p>Layout: bit position i of 64 consecutive elements is packed into one word ("bit plane" i), by a
 * 64x64 bit-matrix transpose done locally. Each AND layer of the circuit is one {@link BinaryAnd#andAll}
 * message carrying 1 bit per AND gate per element.
 *
 * <ol>
 *   <li>Round 1: P0 inputs u = x_0 + x_1 as a binary sharing (comp0 = s, comp1 = u XOR s, comp2 = 0,
 *       s from key k_2; PROTOCOLS.md 1.1): 64 bits P0 -> P1. v = x_2 is shared locally as
 *       (0, 0, x_2).</li>
 *   <li>Round 2: generate bits g_i = u_i AND v_i for i = 0..62 (63 ANDs); p_i = u_i XOR v_i is free.</li>
 *   <li>Rounds 3-8: binary tree of prefix operators (G, P) o (G', P') = (G ^ P&G', P&P') over the 63
 *       low positions, P computed only for groups that do not start at bit 0: 61 + 31 + 15 + 7 + 3 + 1
 *       = 118 ANDs in 6 layers.</li>
 *   <li>msb = p_63 XOR G[0..62] (the carry into bit 63).</li>
 * </ol>
 * Cost per element: 8 rounds, 245 bits from P0 and 181 from P1 and P2 (30.625 / 22.625 / 22.625 bytes),
 * nothing opened. Security: the only messages are the input (masked by the PRG stream of k_2, which P1
 * lacks) and AND reshares (each masked by a fresh XOR zero sharing), so every view is uniform.
 */
public final class A2B {

    /** Bit positions of the ring. */
    static final int L = 64;

    private A2B() {
    }

    /** Bits sent per element by P0 / P1 / P2 for {@link #msb}. */
    public static final int[] MSB_BITS_PER_ELEMENT = {245, 181, 181};

    /** Message layers of {@link #msb}. */
    public static final int MSB_ROUNDS = 8;

    /**
     * The binary sharing of msb(x) for every element (bit j = element j in c-order).
     */
    public static SharedBits msb(Session s, SharedTensor x) {
        return msb(s, x, L);
    }

    /**
     * Bits sent per element by {@code party} for {@link #msb(Session, SharedTensor, int)} with {@code bits} bits: the
     * input (P0 only), bits - 1 generate ANDs and the tree's ANDs over bits - 1 positions (245 / 181 / 181 at 64
     * bits, 161 / 118 / 118 at 43).
     */
    public static int msbBitsPerElement(int party, int bits) {
        int ands = bits - 1;
        for (int n = bits - 1; n > 1; n = n / 2 + (n & 1)) {
            ands += 2 * (n / 2) - 1;
        }
        return (party == 0 ? bits : 0) + ands;
    }

    /** Message layers of {@link #msb(Session, SharedTensor, int)} with {@code bits} bits: 2 + ceil(log2(bits - 1)). */
    public static int msbRounds(int bits) {
        return 2 + (64 - Long.numberOfLeadingZeros(bits - 2));
    }

    /**
     * The binary sharing of bit {@code bits - 1} of x mod 2^bits for every element: the same circuit on the low
     * {@code bits} bit planes only (the low bits of the shares are a sharing of x mod 2^bits). It equals msb(x) when
     * -2^(bits-1) &lt;= x &lt; 2^(bits-1), which the caller guarantees (a comparison of values bounded by their range,
     * say): {@link #msbBitsPerElement} bits per element instead of 245 / 181 / 181, the same rounds while
     * bits - 1 &gt; 32.
     *
     * @throws IllegalArgumentException unless 2 &lt;= bits &lt;= 64
     */
    public static SharedBits msb(Session s, SharedTensor x, int bits) {
        if (bits < 2 || bits > L) {
            throw new IllegalArgumentException("party " + s.party() + ": MSB width " + bits + " not in [2, 64]");
        }
        int n = x.intLength();
        int words = SharedBits.wordsFor(n);
        int padded = words * 64;
        int me = s.party();
        long[] first = x.first().toLongArray();
        long[] second = x.second().toLongArray();

        // Round 1: u = x0 + x1 input by P0, bit-sliced.
        String tag = "msb/a2b-input";
        long[][] uFirst = new long[bits][];
        long[][] uSecond = new long[bits][];
        long[][] vFirst = new long[bits][];
        long[][] vSecond = new long[bits][];
        long[][] zero = zeroPlanes(bits, words);
        if (me == 0) {
            long[] u = new long[n];
            for (int i = 0; i < n; i++) {
                u[i] = first[i] + second[i];
            }
            long[][] planes = bitSlice(u, words);   // all 64 planes; the low bits used
            long[] mask = s.prgWithPrev().nextLongs(bits * words);
            long[] t = new long[bits * words];
            for (int b = 0; b < bits; b++) {
                for (int w = 0; w < words; w++) {
                    t[b * words + w] = planes[b][w] ^ mask[b * words + w];
                }
            }
            s.transport().send(s.next(), tag, t);
            for (int b = 0; b < bits; b++) {
                uFirst[b] = slice(mask, b, words);
                uSecond[b] = slice(t, b, words);
            }
            vFirst = zero;
            vSecond = zero;
        } else if (me == 1) {
            long[] t = s.transport().receive(0, tag, bits * words);
            for (int b = 0; b < bits; b++) {
                uFirst[b] = slice(t, b, words);
                uSecond[b] = zero[b];
            }
            vFirst = zero;
            vSecond = bitSlice(second, words);
        } else {
            long[] mask = s.prgWithNext().nextLongs(bits * words);
            for (int b = 0; b < bits; b++) {
                uFirst[b] = zero[b];
                uSecond[b] = slice(mask, b, words);
            }
            vFirst = bitSlice(first, words);
            vSecond = zero;
        }
        SharedBits[] u = new SharedBits[bits];
        SharedBits[] v = new SharedBits[bits];
        SharedBits[] p = new SharedBits[bits];
        for (int b = 0; b < bits; b++) {
            u[b] = new SharedBits(me, padded, uFirst[b], uSecond[b]);
            v[b] = new SharedBits(me, padded, vFirst[b], vSecond[b]);
            p[b] = u[b].xor(v[b]);
        }

        // Round 2: generate bits of positions 0..bits-2.
        SharedBits[] ga = new SharedBits[bits - 1];
        SharedBits[] gb = new SharedBits[bits - 1];
        System.arraycopy(u, 0, ga, 0, bits - 1);
        System.arraycopy(v, 0, gb, 0, bits - 1);
        SharedBits[] g = BinaryAnd.andAll(s, "msb/a2b-generate", ga, gb);

        // Rounds 3..8: binary tree over groups [lo..hi]; P kept only for groups not starting at bit 0.
        SharedBits[] groupG = g;
        SharedBits[] groupP = new SharedBits[bits - 1];
        System.arraycopy(p, 0, groupP, 0, bits - 1);
        int level = 0;
        while (groupG.length > 1) {
            int pairs = groupG.length / 2;
            int odd = groupG.length & 1;
            int ands = 0;
            SharedBits[] left = new SharedBits[2 * pairs];
            SharedBits[] right = new SharedBits[2 * pairs];
            for (int j = 0; j < pairs; j++) {
                SharedBits gLo = groupG[2 * j];
                SharedBits pHi = groupP[2 * j + 1];
                left[ands] = pHi;
                right[ands++] = gLo;
                if (j > 0) {
                    left[ands] = pHi;
                    right[ands++] = groupP[2 * j];
                }
            }
            SharedBits[] res = BinaryAnd.andAll(s, "msb/a2b-tree" + level,
                    Arrays.copyOf(left, ands), Arrays.copyOf(right, ands));
            SharedBits[] nextG = new SharedBits[pairs + odd];
            SharedBits[] nextP = new SharedBits[pairs + odd];
            int k = 0;
            for (int j = 0; j < pairs; j++) {
                nextG[j] = groupG[2 * j + 1].xor(res[k++]);
                nextP[j] = j > 0 ? res[k++] : null;
            }
            if (odd == 1) {
                nextG[pairs] = groupG[groupG.length - 1];
                nextP[pairs] = groupP[groupG.length - 1];
            }
            groupG = nextG;
            groupP = nextP;
            level++;
        }
        SharedBits msb = p[bits - 1].xor(groupG[0]);
        long[] f = Arrays.copyOf(msb.first(), words);
        long[] sc = Arrays.copyOf(msb.second(), words);
        SharedBits out = new SharedBits(me, n, f, sc);
        long last = out.lastWordMask();
        if (words > 0) {
            f[words - 1] &= last;
            sc[words - 1] &= last;
        }
        return out;
    }

    private static long[][] zeroPlanes(int planes, int words) {
        long[][] z = new long[planes][];
        for (int b = 0; b < planes; b++) {
            z[b] = new long[words];
        }
        return z;
    }

    private static long[] slice(long[] all, int plane, int words) {
        return Arrays.copyOfRange(all, plane * words, (plane + 1) * words);
    }

    /**
     * Bit-slices ring elements: result[b][w] has bit e equal to bit b of element 64 * w + e (elements
     * past the end count as 0).
     */
    static long[][] bitSlice(long[] values, int words) {
        long[][] planes = new long[L][words];
        long[] block = new long[64];
        for (int w = 0; w < words; w++) {
            int base = w * 64;
            int len = Math.min(64, values.length - base);
            Arrays.fill(block, 0L);
            if (len > 0) {
                System.arraycopy(values, base, block, 0, len);
            }
            transpose64(block);
            for (int b = 0; b < L; b++) {
                planes[b][w] = block[b];
            }
        }
        return planes;
    }

    /**
     * In-place transpose of a 64x64 bit matrix whose row r is {@code a[r]} and column c is bit c:
     * afterwards bit r of {@code a[c]} is the old bit c of {@code a[r]}. Six rounds of block swaps
     * (Hacker's Delight, section 7-3).
     */
    static void transpose64(long[] a) {
        long m = 0x00000000FFFFFFFFL;
        for (int j = 32; j != 0; j >>>= 1, m ^= (m << j)) {
            for (int k = 0; k < 64; k = ((k | j) + 1) & ~j) {
                long t = ((a[k] >>> j) ^ a[k | j]) & m;
                a[k] ^= t << j;
                a[k | j] ^= t;
            }
        }
    }
}
