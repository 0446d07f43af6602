package org.fastcrypt4j.mpc.sharing;

import java.util.Arrays;

import org.fastcrypt4j.ring.RingOps;
import org.fastcrypt4j.ring.RingTensor;

/**
 * One party's part of a replicated arithmetic sharing over Z_2^64: x = x_0 + x_1 + x_2 and party P_i
 * holds the pair (x_i, x_{i+1}) (ABY3 section 3; PROTOCOLS.md section 0). Any two parties can
 * reconstruct x; any single party's pair is uniformly random given x.
 *
 * <p>Linear operations are local and cost nothing: add, sub, neg, public scale, adding a public
 * constant (added to component 0, held by P_0 and P_2), reshape, transpose, sums. Multiplications and
 * non-linear protocols live in their own classes ({@link org.fastcrypt4j.mpc.arithmetic.Multiplication},
 * truncation, MSB, ...).
 *
 * <p>Immutable in its public API (every operation returns a new sharing); protocol code in the protocol
 * packages may update components in place through {@link #first()} / {@link #second()}.
 * {@link #toString()} prints only the party and shape: shares are never printed.
 */
public final class SharedTensor {

    private final int party;
    private final RingTensor first;
    private final RingTensor second;

    /**
     * @param party  the holder, P_i
     * @param first  component x_i
     * @param second component x_{i+1}
     */
    public SharedTensor(int party, RingTensor first, RingTensor second) {
        if (party < 0 || party > 2) {
            throw new IllegalArgumentException("party must be 0, 1 or 2, got " + party);
        }
        if (!Arrays.equals(first.shape(), second.shape())) {
            throw new IllegalArgumentException("share components differ in shape: " + Arrays.toString(first.shape())
                    + " vs " + Arrays.toString(second.shape()));
        }
        this.party = party;
        this.first = first;
        this.second = second;
    }

    /** A sharing of zero (all components 0): the neutral element for sums. */
    public static SharedTensor zeros(int party, long... shape) {
        return new SharedTensor(party, RingTensor.zeros(shape), RingTensor.zeros(shape));
    }

    public int party() {
        return party;
    }

    /** Component x_i. */
    public RingTensor first() {
        return first;
    }

    /** Component x_{i+1}. */
    public RingTensor second() {
        return second;
    }

    public long[] shape() {
        return first.shape();
    }

    public long length() {
        return first.length();
    }

    public int intLength() {
        return first.intLength();
    }

    public int rank() {
        return first.rank();
    }

    private void check(SharedTensor o, String op) {
        if (o.party != party) {
            throw new IllegalArgumentException(op + ": shares of different parties (" + party + ", " + o.party + ")");
        }
        if (!Arrays.equals(shape(), o.shape())) {
            throw new IllegalArgumentException(op + ": shapes differ, " + Arrays.toString(shape()) + " vs "
                    + Arrays.toString(o.shape()));
        }
    }

    public SharedTensor add(SharedTensor o) {
        check(o, "add");
        return new SharedTensor(party, first.add(o.first), second.add(o.second));
    }

    public SharedTensor sub(SharedTensor o) {
        check(o, "sub");
        return new SharedTensor(party, first.sub(o.first), second.sub(o.second));
    }

    public SharedTensor neg() {
        return new SharedTensor(party, first.neg(), second.neg());
    }

    /** Product with a public integer (no truncation). */
    public SharedTensor mul(long publicConstant) {
        return new SharedTensor(party, first.mul(publicConstant), second.mul(publicConstant));
    }

    /** Elementwise product with a public tensor of the same shape (no truncation). */
    public SharedTensor mulPublic(RingTensor publicTensor) {
        return new SharedTensor(party, first.mul(publicTensor), second.mul(publicTensor));
    }

    /**
     * Adds a public tensor (same shape): it is added to component x_0 only, i.e. by P_0 to its first
     * component and by P_2 to its second; P_1 changes nothing.
     */
    public SharedTensor addPublic(RingTensor publicTensor) {
        return switch (party) {
            case 0 -> new SharedTensor(party, first.add(publicTensor), second.dup());
            case 2 -> new SharedTensor(party, first.dup(), second.add(publicTensor));
            default -> new SharedTensor(party, first.dup(), second.dup());
        };
    }

    /** Adds a public constant to every element (to component x_0, as {@link #addPublic}). */
    public SharedTensor addPublic(long constant) {
        return switch (party) {
            case 0 -> new SharedTensor(party, first.add(constant), second.dup());
            case 2 -> new SharedTensor(party, first.dup(), second.add(constant));
            default -> new SharedTensor(party, first.dup(), second.dup());
        };
    }

    /**
     * {@code this + b} with the sharing {@code b} broadcast to this shape (a bias row {@code [1, n]} or
     * {@code [n]} over {@code [m, n]}, say): local, componentwise.
     */
    public SharedTensor addBroadcast(SharedTensor b) {
        return new SharedTensor(party, RingOps.addBroadcast(first, b.first), RingOps.addBroadcast(second, b.second));
    }

    /** {@code x [N, C, ...] + b [C]}: a convolution bias, local. */
    public SharedTensor addPerChannel(SharedTensor b) {
        return new SharedTensor(party, RingOps.addPerChannel(first, b.first), RingOps.addPerChannel(second, b.second));
    }

    /**
     * The sum over the given axes (all axes when none are given), local; the reduced axes are removed from
     * the shape as {@link RingOps#sum} does.
     */
    public SharedTensor sum(int... axes) {
        return new SharedTensor(party, RingOps.sum(first, axes), RingOps.sum(second, axes));
    }

    public SharedTensor reshape(long... newShape) {
        return new SharedTensor(party, first.reshape(newShape), second.reshape(newShape));
    }

    /** Transpose of a rank-2 sharing. */
    public SharedTensor transpose() {
        return new SharedTensor(party, first.transpose(), second.transpose());
    }

    public SharedTensor permute(int... axes) {
        return new SharedTensor(party, first.permute(axes), second.permute(axes));
    }

    /**
     * The values of {@code parts} (all of {@code party}) one after another in a flat sharing of their total length:
     * for running one protocol pass over several tensors ({@link #splitFlat} takes them apart again). Local.
     */
    public static SharedTensor concatFlat(int party, java.util.List<SharedTensor> parts) {
        long total = 0;
        for (SharedTensor p : parts) {
            if (p.party != party) {
                throw new IllegalArgumentException("concatFlat: a share of party " + p.party + " among party " + party
                        + "'s");
            }
            total += p.length();
        }
        int n = Math.toIntExact(total);
        long[] a = new long[n];
        long[] b = new long[n];
        int off = 0;
        for (SharedTensor p : parts) {
            p.first.copyTo(a, off);
            p.second.copyTo(b, off);
            off += p.intLength();
        }
        return new SharedTensor(party, RingTensor.of(a, n), RingTensor.of(b, n));
    }

    /** The consecutive pieces of this flat sharing with the given shapes (their lengths must add up). Local. */
    public SharedTensor[] splitFlat(java.util.List<long[]> shapes) {
        long[] a = first.toLongArray();
        long[] b = second.toLongArray();
        SharedTensor[] out = new SharedTensor[shapes.size()];
        int off = 0;
        for (int i = 0; i < out.length; i++) {
            long[] shape = shapes.get(i);
            out[i] = new SharedTensor(party, RingTensor.copyOf(a, off, shape), RingTensor.copyOf(b, off, shape));
            off += out[i].intLength();
        }
        if (off != a.length) {
            throw new IllegalArgumentException("splitFlat: pieces of " + off + " values from a sharing of " + a.length);
        }
        return out;
    }

    public SharedTensor dup() {
        return new SharedTensor(party, first.dup(), second.dup());
    }

    /** Only the holder and the shape: shares are never printed. */
    @Override
    public String toString() {
        return "SharedTensor[party " + party + ", shape " + Arrays.toString(shape()) + "]";
    }
}
