package org.fastcrypt4j.mpc.falcon;

import java.util.Arrays;

import org.fastcrypt4j.mpc.arithmetic.Multiplication;
import org.fastcrypt4j.mpc.sharing.Session;
import org.fastcrypt4j.ring.AesCtrPrg;

/**
 * One party's part of a replicated sharing over Z_p, p = 67 (PROTOCOLS.md section 0, [[x]]_p):
 * x = x_0 + x_1 + x_2 mod p, P_i holds (x_i, x_{i+1}), one byte per element in [0, p).
 *
 * <p>p = 67 is the smallest prime above l + 1 = 65, which PrivateCompare needs so that none of its
 * factors (values in [0, l + 1]) is a non-zero multiple of p (SecureNN and falcon-public use 67).
 *
 * <p>Linear operations are local. {@link #mulAll} multiplies with the replicated formula of
 * {@link Multiplication} in Z_p, re-randomised by a zero sharing drawn from the pairwise keys, and reshares:
 * one round, one element per output per party. On the wire elements are packed 9 to a 64-bit word,
 * 7 bits each ({@link #pack}), so n elements cost 8 * ceil(n / 9) bytes (7.11 bits per element).
 *
 * <p>Immutable in its public API; {@link #toString()} never prints shares.
 */
public final class ZpShares {

    /** The prime modulus. */
    public static final int P = 67;

    /** Z_p elements per packed 64-bit word on the wire. */
    public static final int PER_WORD = 9;

    private static final int BITS = 7;
    private static final long FIELD = (1L << BITS) - 1;

    /** b mod p for every byte value b. */
    private static final byte[] MOD_P = new byte[256];

    static {
        for (int b = 0; b < 256; b++) {
            MOD_P[b] = (byte) (b % P);
        }
    }

    private final int party;
    private final byte[] first;
    private final byte[] second;

    /**
     * @param party  the holder P_i
     * @param first  component x_i (values in [0, p); the array is taken, not copied)
     * @param second component x_{i+1}
     */
    public ZpShares(int party, byte[] first, byte[] second) {
        if (party < 0 || party > 2) {
            throw new IllegalArgumentException("party must be 0, 1 or 2, got " + party);
        }
        if (first.length != second.length) {
            throw new IllegalArgumentException("Z_p share components differ in length: " + first.length + " vs "
                    + second.length);
        }
        this.party = party;
        this.first = first;
        this.second = second;
    }

    public static ZpShares zeros(int party, int n) {
        return new ZpShares(party, new byte[n], new byte[n]);
    }

    public int party() {
        return party;
    }

    public int length() {
        return first.length;
    }

    /** Component x_i (protocol code may read it; do not write). */
    public byte[] first() {
        return first;
    }

    /** Component x_{i+1}. */
    public byte[] second() {
        return second;
    }

    /** Reduces any int to [0, p). */
    public static int mod(int v) {
        int r = v % P;
        return r < 0 ? r + P : r;
    }

    private void check(ZpShares o, String op) {
        if (o.party != party || o.first.length != first.length) {
            throw new IllegalArgumentException(op + ": Z_p sharings differ: " + this + " vs " + o);
        }
    }

    public ZpShares add(ZpShares o) {
        check(o, "add");
        byte[] a = new byte[first.length];
        byte[] b = new byte[first.length];
        for (int i = 0; i < a.length; i++) {
            a[i] = (byte) reduceOnce(first[i] + o.first[i]);
            b[i] = (byte) reduceOnce(second[i] + o.second[i]);
        }
        return new ZpShares(party, a, b);
    }

    /** Largest argument of {@link #modSmall}. */
    static final int MOD_SMALL_MAX = (1 << 16) - 1;

    /** floor(2^22 / p) + 1: floor(v * M / 2^22) = floor(v / p) for 0 <= v <= MOD_SMALL_MAX (tested for all). */
    private static final int MOD_SMALL_M = (1 << 22) / P + 1;

    /**
     * v mod p for 0 <= v <= {@link #MOD_SMALL_MAX}, by a multiply and a shift (v * M stays below 2^32, read
     * unsigned) instead of a division; the Z_p kernels' products and sums stay in this range.
     */
    static int modSmall(int v) {
        return v - P * ((v * MOD_SMALL_M) >>> 22);
    }

    /** v mod p for v in [-p, 2p), without branches. */
    private static int reduceOnce(int v) {
        int w = v - P;
        w += (w >> 31) & P;
        return w + ((w >> 31) & P);
    }

    public ZpShares sub(ZpShares o) {
        check(o, "sub");
        byte[] a = new byte[first.length];
        byte[] b = new byte[first.length];
        for (int i = 0; i < a.length; i++) {
            a[i] = (byte) reduceOnce(first[i] - o.first[i]);
            b[i] = (byte) reduceOnce(second[i] - o.second[i]);
        }
        return new ZpShares(party, a, b);
    }

    /** Product with a public integer. */
    public ZpShares mul(int publicConstant) {
        int c = mod(publicConstant);
        byte[] a = new byte[first.length];
        byte[] b = new byte[first.length];
        for (int i = 0; i < a.length; i++) {
            a[i] = (byte) (first[i] * c % P);
            b[i] = (byte) (second[i] * c % P);
        }
        return new ZpShares(party, a, b);
    }

    /**
     * Adds public values (one per element, any ints) to component x_0: P_0 adds them to its first
     * component, P_2 to its second, P_1 changes nothing.
     */
    public ZpShares addPublic(int[] publicValues) {
        if (publicValues.length != first.length) {
            throw new IllegalArgumentException("public Z_p vector has " + publicValues.length + " elements, sharing "
                    + first.length);
        }
        byte[] a = first.clone();
        byte[] b = second.clone();
        byte[] target = party == 0 ? a : party == 2 ? b : null;
        if (target != null) {
            for (int i = 0; i < target.length; i++) {
                target[i] = (byte) mod(target[i] + publicValues[i]);
            }
        }
        return new ZpShares(party, a, b);
    }

    /** Elements {@code [from, from + n)} as a new sharing. */
    public ZpShares slice(int from, int n) {
        return new ZpShares(party, Arrays.copyOfRange(first, from, from + n),
                Arrays.copyOfRange(second, from, from + n));
    }

    /** The sharings one after the other (all of one party). */
    public static ZpShares concat(ZpShares... parts) {
        int n = 0;
        for (ZpShares p : parts) {
            n += p.length();
        }
        byte[] a = new byte[n];
        byte[] b = new byte[n];
        int off = 0;
        for (ZpShares p : parts) {
            if (p.party != parts[0].party) {
                throw new IllegalArgumentException("concat: sharings of parties " + parts[0].party + " and " + p.party);
            }
            System.arraycopy(p.first, 0, a, off, p.length());
            System.arraycopy(p.second, 0, b, off, p.length());
            off += p.length();
        }
        return new ZpShares(parts.length == 0 ? 0 : parts[0].party, a, b);
    }

    /** Words needed to pack {@code n} elements. */
    public static int packedWords(int n) {
        return (n + PER_WORD - 1) / PER_WORD;
    }

    /** Packs elements of Z_p (values in [0, 128)) 9 per word, 7 bits each, element 9w + j at bits 7j. */
    public static long[] pack(byte[] v) {
        long[] out = new long[packedWords(v.length)];
        int full = v.length / PER_WORD;
        for (int w = 0; w < full; w++) {
            int i = w * PER_WORD;
            out[w] = (v[i] & FIELD) | (v[i + 1] & FIELD) << 7 | (v[i + 2] & FIELD) << 14 | (v[i + 3] & FIELD) << 21
                    | (v[i + 4] & FIELD) << 28 | (v[i + 5] & FIELD) << 35 | (v[i + 6] & FIELD) << 42
                    | (v[i + 7] & FIELD) << 49 | (v[i + 8] & FIELD) << 56;
        }
        if (full < out.length) {
            long word = 0;
            for (int i = full * PER_WORD, j = 0; i < v.length; i++, j++) {
                word |= (v[i] & FIELD) << (BITS * j);
            }
            out[full] = word;
        }
        return out;
    }

    /** Inverse of {@link #pack}. */
    public static byte[] unpack(long[] words, int n) {
        byte[] out = new byte[n];
        int full = n / PER_WORD;
        for (int w = 0; w < full; w++) {
            long word = words[w];
            int i = w * PER_WORD;
            out[i] = (byte) (word & FIELD);
            out[i + 1] = (byte) (word >>> 7 & FIELD);
            out[i + 2] = (byte) (word >>> 14 & FIELD);
            out[i + 3] = (byte) (word >>> 21 & FIELD);
            out[i + 4] = (byte) (word >>> 28 & FIELD);
            out[i + 5] = (byte) (word >>> 35 & FIELD);
            out[i + 6] = (byte) (word >>> 42 & FIELD);
            out[i + 7] = (byte) (word >>> 49 & FIELD);
            out[i + 8] = (byte) (word >>> 56 & FIELD);
        }
        if (full * PER_WORD < n) {
            long word = words[full];
            for (int i = full * PER_WORD; i < n; i++) {
                out[i] = (byte) (word & FIELD);
                word >>>= BITS;
            }
        }
        return out;
    }

    /**
     * n uniform elements of Z_p from {@code prg}: bytes below 201 = 3p are kept and reduced mod p
     * (exactly uniform, as {@link AesCtrPrg#nextModP}, with a constant modulus the JIT turns into a
     * multiplication). How much of the stream is used depends only on n and the stream, so the two holders
     * of a key stay in lock-step.
     */
    static void randomModP(AesCtrPrg prg, byte[] out, int offset, int n) {
        byte[] buf = new byte[Math.min(1 << 16, n + (n >>> 2) + 64)];
        byte[] kept = new byte[buf.length];
        int done = 0;
        while (done < n) {
            prg.nextBytes(buf);
            int k = 0;
            for (byte value : buf) {
                int b = value & 0xFF;
                kept[k] = MOD_P[b];
                k += (b - 3 * P) >>> 31;
            }
            int take = Math.min(k, n - done);
            System.arraycopy(kept, 0, out, offset + done, take);
            done += take;
        }
        Arrays.fill(buf, (byte) 0);
        Arrays.fill(kept, (byte) 0);
    }

    /** This party's alpha_i = F_p(k_i) - F_p(k_{i-1}) mod p for n elements: a zero sharing over Z_p. */
    static byte[] zeroShare(Session s, int n) {
        byte[] a = new byte[n];
        byte[] b = new byte[n];
        randomModP(s.prgWithNext(), a, 0, n);
        randomModP(s.prgWithPrev(), b, 0, n);
        for (int i = 0; i < n; i++) {
            a[i] = (byte) reduceOnce(a[i] - b[i]);
        }
        return a;
    }

    /**
     * Turns this party's 3-out-of-3 share z_i (already re-randomised) into a replicated sharing: P_i sends
     * z_i to P_{i-1}, receives z_{i+1} from P_{i+1}. 1 round, 8 * ceil(n / 9) bytes per party.
     */
    static ZpShares reshare(Session s, String tag, byte[] z) {
        long[] in = new long[packedWords(z.length)];
        s.transport().exchange(tag, s.prev(), pack(z), s.next(), in);
        return new ZpShares(s.party(), z, unpack(in, z.length));
    }

    /** Elementwise x * y in Z_p: 1 round, 1 element (7.11 bits) per output element per party. */
    public static ZpShares mul(Session s, String tag, ZpShares x, ZpShares y) {
        return mulAll(s, tag, new ZpShares[] {x}, new ZpShares[] {y})[0];
    }

    /**
     * x[k] * y[k] for every k, all in one message per party (one round):
     * z_i = x_i (y_i + y_{i+1}) + x_{i+1} y_i + alpha_i mod p, then {@link #reshare}.
     */
    public static ZpShares[] mulAll(Session s, String tag, ZpShares[] x, ZpShares[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException(tag + ": " + x.length + " left vs " + y.length + " right operands");
        }
        int total = 0;
        for (int k = 0; k < x.length; k++) {
            x[k].check(y[k], tag + " operand " + k);
            total += x[k].length();
        }
        byte[] z = zeroShare(s, total);
        int off = 0;
        for (int k = 0; k < x.length; k++) {
            byte[] x0 = x[k].first;
            byte[] x1 = x[k].second;
            byte[] y0 = y[k].first;
            byte[] y1 = y[k].second;
            for (int i = 0; i < x0.length; i++) {
                z[off + i] = (byte) modSmall(z[off + i] + x0[i] * (y0[i] + y1[i]) + x1[i] * y0[i]);
            }
            off += x0.length;
        }
        ZpShares all = reshare(s, tag, z);
        ZpShares[] out = new ZpShares[x.length];
        off = 0;
        for (int k = 0; k < x.length; k++) {
            out[k] = all.slice(off, x[k].length());
            off += x[k].length();
        }
        return out;
    }

    /**
     * Shares values of Z_p held by {@code owner} (PROTOCOLS.md 1.1 over Z_p): the owner and P_{owner-1}
     * draw s = F_p(k_{owner-1}); the owner sends t = v - s to P_{owner+1}; components
     * x_owner = s, x_{owner+1} = t, x_{owner+2} = 0. 1 round, 8 * ceil(n / 9) bytes from the owner only.
     * P_{owner+1} sees t, uniform because s is; P_{owner-1} sees only s.
     *
     * @param value the values at the owner (in [0, p)); ignored (may be null) elsewhere
     */
    public static ZpShares input(Session s, String tag, int owner, byte[] value, int n) {
        int me = s.party();
        if (me == owner) {
            if (value == null || value.length != n) {
                throw new IllegalArgumentException("party " + me + ": Z_p input for " + tag + " has "
                        + (value == null ? "no values" : value.length + " values") + ", declared " + n);
            }
            byte[] mask = new byte[n];
            randomModP(s.prgWithPrev(), mask, 0, n);
            byte[] t = new byte[n];
            for (int i = 0; i < n; i++) {
                t[i] = (byte) reduceOnce(value[i] - mask[i]);
            }
            s.transport().send(s.next(), tag, pack(t));
            return new ZpShares(me, mask, t);
        } else if (me == Session.nextOf(owner)) {
            long[] in = s.transport().receive(owner, tag, packedWords(n));
            return new ZpShares(me, unpack(in, n), new byte[n]);
        } else {
            byte[] mask = new byte[n];
            randomModP(s.prgWithNext(), mask, 0, n);
            return new ZpShares(me, new byte[n], mask);
        }
    }

    /** Only the holder and the length: shares are never printed. */
    @Override
    public String toString() {
        return "ZpShares[party " + party + ", " + first.length + " elements mod " + P + "]";
    }
}
